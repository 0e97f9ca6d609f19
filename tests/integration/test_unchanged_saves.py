"""A request or check-in that changes nothing writes nothing (issue 13), against moto's DynamoDB.

The store compares the encoded answers with the bytes it read; the app records a user's access time
at most once a minute, so that a reload or a polling check-in leaves the answers as they were.
"""

from __future__ import annotations

import datetime as dt
import types

import pytest
from offstage.app.checkin import checkin
from offstage.app.deps import Deps
from offstage.app.screen import ScreenRequest, screen
from offstage.app.sessions import new_session
from offstage.aws.sessions import DynamoSessionStore
from offstage.context import Ports, UserInfo
from offstage.engine.step import BackgroundValue, Question
from offstage.library.objects import DAList, DAObject

from tests.fakes import FixedClock

pytestmark = pytest.mark.integration


@pytest.fixture
def store(aws):
    return DynamoSessionStore(table=aws.names["SessionsTable"], bucket=aws.names["PayloadBucket"])


def stored(store, record):
    item = store.model.get(record.session_id, "current")
    steps = list(store.model.query(record.session_id, store.model.sk.startswith("step#")))
    return int(item.version), item.modified, len(steps)


def test_saving_the_answers_that_were_read_writes_nothing(store):
    people = DAList("people", elements=[DAObject(f"people[{i}]", age=i) for i in range(50)])
    record = store.create("x.yml", {"people": people, "n": 1}, secret="k")
    loaded = store.load(record.session_id, secret="k")
    before = stored(store, record)

    again = store.save(loaded, loaded.answers, secret="k")

    assert stored(store, record) == before
    assert again.version == loaded.version
    loaded.answers["people"][3].age = 99  # one attribute deep inside: a change, written as ever
    changed = store.save(loaded, loaded.answers, secret="k")
    assert changed.version == loaded.version + 1
    assert stored(store, record)[2] == 1
    assert store.load(record.session_id, secret="k").answers["people"][3].age == 99


def test_an_unchanged_stale_record_does_not_conflict_and_keeps_the_other_write(store):
    record = store.create("x.yml", {"a": 1}, secret="k")
    reader = store.load(record.session_id, secret="k")
    writer = store.load(record.session_id, secret="k")
    store.save(writer, {"a": 2}, secret="k")
    store.save(reader, reader.answers, secret="k")  # read before that save, changed nothing
    assert store.load(record.session_id, secret="k").answers == {"a": 2}


def test_a_sealing_change_is_a_change(store):
    record = store.create("x.yml", {"a": 1}, secret="k")
    loaded = store.load(record.session_id, secret="k")
    loaded.multi_user = True
    saved = store.save(loaded, loaded.answers, secret=None)
    assert saved.version == loaded.version + 1
    assert store.load(record.session_id, secret=None).answers == {"a": 1}


def step_setting(changes):
    """A step that answers the check-in action, changing the answers only when `changes` says so."""

    def step(interview, answers, request, ports):
        if request.action is None:
            return Question(screen="q")
        if changes(request):
            answers["typed"] = request.arguments.get("note")
        return BackgroundValue(value=None)

    return step


class OneInterview:
    """The interviews: one, whatever the name (the steps above stand in for its evaluation)."""

    def get(self, name):
        return types.SimpleNamespace(name=name)

    def resolve(self, name):
        return types.SimpleNamespace(name=name)


def deps_with(store, step, clock):
    return Deps(sessions=store, interviews=OneInterview(), ports=Ports(clock=clock), run_step=step)


def test_a_check_in_that_changes_nothing_writes_nothing(store):
    clock = FixedClock()
    deps = deps_with(store, step_setting(lambda request: request.arguments.get("note") == "keep"), clock)
    record, secret = new_session(deps, "x.yml")
    user = UserInfo(id="u1")
    checkin(deps, record.session_id, secret, "typing", {"note": "keep"}, "1", user=user)  # changes: written
    first = stored(store, record)
    assert store.load(record.session_id, secret=secret).answers["typed"] == "keep"

    for seconds in (2, 4, 30):  # the page polling while the user types something else
        clock.current += dt.timedelta(seconds=seconds)
        reply = checkin(deps, record.session_id, secret, "typing", {"note": "other"}, "1", user=user)
        assert reply["success"] is True
    assert stored(store, record) == first

    clock.current += dt.timedelta(minutes=2)  # the access time is a minute old: recorded (and written)
    checkin(deps, record.session_id, secret, "typing", {"note": "other"}, "1", user=user)
    assert stored(store, record)[0] == first[0] + 1


def test_a_screen_reload_writes_nothing_and_an_answer_is_written(store):
    clock = FixedClock()

    def step(interview, answers, request, ports):
        if request.posted:
            answers["name"] = request.posted["name"]
        return Question(screen="hello")

    deps = deps_with(store, step, clock)
    record, secret = new_session(deps, "x.yml")
    screen(deps, ScreenRequest(record.session_id, secret, "x.yml", posted={"name": "Ann"}))
    first = stored(store, record)
    clock.current += dt.timedelta(seconds=5)
    screen(deps, ScreenRequest(record.session_id, secret, "x.yml"))  # a reload
    assert stored(store, record) == first
    screen(deps, ScreenRequest(record.session_id, secret, "x.yml", posted={"name": "Bea"}))
    assert stored(store, record)[0] == first[0] + 1
    assert store.load(record.session_id, secret=secret).answers["name"] == "Bea"
