"""Sessions in (emulated) DynamoDB: locking, expiry, large answers, secrets, Back."""

from __future__ import annotations

import random
import threading

import pytest
from offstage.aws.sessions import DynamoSessionStore, update_with_retry
from offstage.errors import CannotGoBack, SessionConflict, SessionNotFound, WrongSecret


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


def test_interleaved_writers_with_retry_lose_no_update(store):
    record = store.create("x.yml", {}, secret="k")

    def writer(name):
        for i in range(6):
            def mutate(answers, key=f"{name}{i}"):
                answers[key] = True
                return True
            update_with_retry(store, record.session_id, "k", mutate, attempts=30)
            if random.random() < 0.5:
                threading.Event().wait(random.uniform(0, 0.003))

    threads = [threading.Thread(target=writer, args=(n,)) for n in "abc"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    answers = store.load(record.session_id, secret="k").answers
    assert sorted(answers) == sorted(f"{n}{i}" for n in "abc" for i in range(6))


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
    assert item.s3_key and item.blob is None
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
