"""Sessions in (emulated) DynamoDB: locking, expiry, large answers, secrets, Back."""

from __future__ import annotations

import random
import secrets
import threading

import boto3
import pytest
from offstage.app.locking import retry_on_conflict
from offstage.aws import sessions
from offstage.aws.sessions import DynamoSessionStore
from offstage.errors import CannotGoBack, SessionConflict, SessionNotFound, WrongSecret
from offstage.sessions.sealing import is_encrypted


@pytest.fixture
def clock():
    return {"now": 1_800_000_000.0}


@pytest.fixture
def store(aws, clock):
    return DynamoSessionStore(table=aws.names["SessionsTable"], bucket=aws.names["PayloadBucket"],
                              now=lambda: clock["now"])


def test_answers_round_trip_encrypted(store):
    record = store.create("x.yml", {"name": "Ada", "n": {1, 2}}, secret="s3cret")
    again = store.load(record.session_id, secret="s3cret")
    assert again.answers == {"name": "Ada", "n": {1, 2}}
    with pytest.raises(WrongSecret):
        store.load(record.session_id, secret="other")


def test_tampered_blob_is_refused(store):
    record = store.create("x.yml", {"name": "Ada"}, secret="k")
    item = store.model.get(record.session_id, "current")
    blob = bytearray(item.blob)
    blob[-2] ^= 1
    item.blob = bytes(blob)
    item.save()
    with pytest.raises(WrongSecret):
        store.load(record.session_id, secret="k")


def test_multi_user_needs_no_secret(store):
    record = store.create("x.yml", {"a": 1}, secret=None, multi_user=True)
    assert store.load(record.session_id, secret=None).answers == {"a": 1}


def test_a_stale_writer_gets_a_conflict_and_loses_nothing(store):
    record = store.create("x.yml", {"a": 1}, secret="k")
    first = store.load(record.session_id, secret="k")
    second = store.load(record.session_id, secret="k")
    store.save(first, {"a": 1, "b": 2}, secret="k")
    with pytest.raises(SessionConflict):
        store.save(second, {"a": 1, "c": 3}, secret="k")
    assert store.load(record.session_id, secret="k").answers == {"a": 1, "b": 2}


def test_of_two_writers_saving_at_once_exactly_one_wins(store, atomic_requests):
    record = store.create("x.yml", {"a": 1}, secret="k")
    ready = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def writer(name):
        mine = store.load(record.session_id, secret="k")
        ready.wait()
        try:
            store.save(mine, {"a": 1, "by": name}, secret="k")
            outcomes[name] = "saved"
        except SessionConflict:
            outcomes[name] = "conflict"

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("x", "y")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(n for n, o in outcomes.items() if o == "saved")
    after = store.load(record.session_id, secret="k")
    assert after.answers == {"a": 1, "by": winner}
    assert after.version == record.version + 1
    assert after.steps == 1


def test_interleaved_writers_with_retry_lose_no_update(store, atomic_requests):
    record = store.create("x.yml", {}, secret="k")

    def writer(name):
        for i in range(10):
            def mutate(answers, key=f"{name}{i}"):
                answers[key] = True
                return True
            def attempt(_, mutate=mutate):
                latest = store.load(record.session_id, secret="k")
                mutate(latest.answers)
                return store.save(latest, latest.answers, secret="k", new_step=False)

            retry_on_conflict(attempt, tries=30)
            if random.random() < 0.5:
                threading.Event().wait(random.uniform(0, 0.003))

    threads = [threading.Thread(target=writer, args=(n,)) for n in "abcd"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    answers = store.load(record.session_id, secret="k").answers
    assert sorted(answers) == sorted(f"{n}{i}" for n in "abcd" for i in range(10))


def test_expired_sessions_read_as_gone(store, clock):
    record = store.create("x.yml", {"a": 1}, secret="k", delete_days=1)
    clock["now"] += 86400 + 1
    with pytest.raises(SessionNotFound, match="expired"):
        store.load(record.session_id, secret="k")


def test_zero_delete_days_never_expire(store, clock):
    record = store.create("x.yml", {"a": 1}, secret="k", delete_days=0)
    assert store.model.get(record.session_id, "current").expires_at is None
    clock["now"] += 10 * 365 * 86400
    assert store.load(record.session_id, secret="k").answers == {"a": 1}


def test_large_answers_go_to_s3_and_back(store):
    big = {"text": "".join(random.choice("abcdefghij") for _ in range(900_000))}
    record = store.create("x.yml", big, secret="k")
    item = store.model.get(record.session_id, "current")
    assert item.s3_key
    assert item.blob is None
    assert store.load(record.session_id, secret="k").answers == big


def test_back_returns_to_the_previous_step_and_keeps_persistent_tasks(store):
    record = store.create("x.yml", {"step": 1}, secret="k")
    record = store.save(record, {"step": 2, "_internal": {"persistent_tasks": {"x": 1}}}, secret="k")
    assert record.steps == 1
    back = store.back(record.session_id, secret="k")
    assert back.answers["step"] == 1
    assert back.answers["_internal"]["persistent_tasks"] == {"x": 1}
    with pytest.raises(CannotGoBack):
        store.back(record.session_id, secret="k")


def test_delete_removes_the_session(store):
    record = store.create("x.yml", {"a": 1}, secret="k")
    store.save(record, {"a": 2}, secret="k")
    store.delete(record.session_id)
    with pytest.raises(SessionNotFound):
        store.load(record.session_id, secret="k")
    assert list(store.model.query(record.session_id)) == []


def test_unknown_session_is_not_found(store):
    with pytest.raises(SessionNotFound):
        store.load("0" * 32, secret="k")


def test_multi_user_answers_are_stored_unencrypted_and_ignore_any_secret(store):
    record = store.create("x.yml", {"a": 1}, secret=None, multi_user=True)
    assert not is_encrypted(bytes(store.model.get(record.session_id, "current").blob))
    assert store.load(record.session_id, secret="whatever").answers == {"a": 1}
    record = store.save(record, {"a": 2}, secret=None)
    assert store.back(record.session_id, secret=None).answers == {"a": 1}


def test_a_save_without_a_new_step_overwrites_the_current_answers(store):
    record = store.create("x.yml", {"a": 1}, secret="k")
    record = store.save(record, {"a": 2}, secret="k", new_step=False)
    assert record.steps == 0
    assert store.load(record.session_id, secret="k").answers == {"a": 2}
    with pytest.raises(CannotGoBack):
        store.back(record.session_id, secret="k")


def test_back_walks_the_steps_in_order_and_the_history_is_bounded(store, monkeypatch):
    monkeypatch.setattr(sessions, "MAX_STEPS", 4)
    record = store.create("x.yml", {"step": 0}, secret="k")
    for n in range(1, 8):
        record = store.save(record, {"step": n}, secret="k")
    assert record.steps == 4
    assert len(list(store.model.query(record.session_id, store.model.sk.startswith("step#")))) == 4
    seen = [store.back(record.session_id, secret="k").answers["step"] for _ in range(4)]
    assert seen == [6, 5, 4, 3]
    assert store.load(record.session_id, secret="k").steps == 0
    with pytest.raises(CannotGoBack):
        store.back(record.session_id, secret="k")
    record = store.save(store.load(record.session_id, secret="k"), {"step": "again"}, secret="k")
    assert store.back(record.session_id, secret="k").answers == {"step": 3}


def _payloads(aws):
    listing = boto3.client("s3").list_objects_v2(Bucket=aws.names["PayloadBucket"], Prefix="sessions/")
    return [o["Key"] for o in listing.get("Contents", [])]


def test_large_answers_leave_no_unused_payloads_and_delete_removes_them(store, aws):
    def big(tag):
        return {"tag": tag, "text": secrets.token_hex(450_000)}  # incompressible enough for S3

    record = store.create("x.yml", big(1), secret="k")
    stale = store.load(record.session_id, secret="k")
    record = store.save(record, big(2), secret="k")
    with pytest.raises(SessionConflict):
        store.save(stale, big(3), secret="k")
    record = store.save(record, big(4), secret="k", new_step=False)
    assert len(_payloads(aws)) == 2  # the current answers and one step
    assert store.back(record.session_id, secret="k").answers["tag"] == 1
    assert len(_payloads(aws)) == 1
    store.delete(record.session_id)
    assert _payloads(aws) == []


def test_cron_finds_only_multi_user_sessions_that_allow_it(store):
    allowed = store.create("cron.yml", {"allow_cron": True}, secret=None, multi_user=True)
    store.create("cron.yml", {"allow_cron": True}, secret="k")  # encrypted: cron cannot open it
    store.create("cron.yml", {"allow_cron": False}, secret=None, multi_user=True)
    store.create("other.yml", {"allow_cron": True}, secret=None, multi_user=True)
    assert store.cron_sessions("cron.yml") == [allowed.session_id]
    store.save(allowed, {"allow_cron": False}, secret=None)
    assert store.cron_sessions("cron.yml") == []


def test_a_session_stored_in_format_1_opens_and_is_saved_in_the_current_format(store):
    """Migration: blobs written before answers format 2 (zlib, format-1 JSON) open as they are."""
    from offstage.sessions.sealing import SEALED, unseal

    from tests.support import stored_v1
    from tests.support.sameness import same

    old = stored_v1.blobs()["sealed_encrypted"]
    store.model(stored_v1.SESSION_ID, "current", interview="x.yml", version=3, blob=old,
                created="2026-01-01T00:00:00+00:00", modified="2026-01-01T00:00:00+00:00").save()
    record = store.load(stored_v1.SESSION_ID, secret=stored_v1.SECRET)
    assert same(record.answers, stored_v1.sample())
    assert record.version == 3
    with pytest.raises(WrongSecret):
        store.load(stored_v1.SESSION_ID, secret="not the secret")

    saved = store.save(record, record.answers, secret=stored_v1.SECRET)  # same answers, newer format: written
    blob = bytes(store.model.get(stored_v1.SESSION_ID, "current").blob)
    assert saved.version == 4
    assert blob[:1] == SEALED
    assert unseal(blob, session_id=stored_v1.SESSION_ID, secret=stored_v1.SECRET).startswith(b"OA2j:")
    assert same(store.load(stored_v1.SESSION_ID, secret=stored_v1.SECRET).answers, stored_v1.sample())
    assert same(store.back(stored_v1.SESSION_ID, secret=stored_v1.SECRET).answers, stored_v1.sample())  # Back: the old blob
