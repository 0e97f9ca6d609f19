"""The screen and check-in use cases stop interview code at the time limit: the error screen, nothing
saved, nothing sent; the limit comes from the settings and never reaches past the invocation's end."""

from __future__ import annotations

import types

import pytest
from offstage.app import evaluation
from offstage.app.checkin import checkin
from offstage.app.deps import Deps
from offstage.app.screen import ScreenRequest, screen
from offstage.app.sessions import new_session
from offstage.context import Ports
from offstage.engine import deadline
from offstage.settings import Settings

from tests.fakes import FakeQueue, FakeSessionStore, FakeTaskStore, FixedClock
from tests.support.doubles import OneInterview


class Registry(OneInterview):
    def __init__(self) -> None:
        super().__init__(types.SimpleNamespace(name="spins.yml", title="Spins"))


def runaway_step(interview, answers, request, ports):
    answers["half_done"] = True  # a change that must not be saved
    while True:
        pass


def make_deps(limit=1) -> Deps:
    tasks = FakeTaskStore()
    ports = Ports(clock=FixedClock(), tasks=tasks, queue=FakeQueue(tasks.log))
    return Deps(sessions=FakeSessionStore(), interviews=Registry(), ports=ports, run_step=runaway_step,
                settings=Settings(screen_time_limit_seconds=limit))


def test_a_runaway_screen_shows_the_time_limit_error_and_saves_and_sends_nothing():
    deps = make_deps()
    record, secret = new_session(deps, "spins.yml")
    outcome = screen(deps, ScreenRequest(record.session_id, secret, "spins.yml", posted={"name": "Ann"}))
    assert outcome.result.kind == "error"
    assert outcome.result.error["type"] == "TimeLimitExceeded"
    assert "did not finish within 1 second" in outcome.result.screen.subquestion_text
    assert outcome.saved is False
    assert "half_done" not in deps.sessions.answers(record.session_id)
    assert deps.ports.queue.sent == []


def test_a_runaway_check_in_action_is_reported_in_a_flash_and_saves_nothing():
    deps = make_deps()
    record, secret = new_session(deps, "spins.yml")
    reply = checkin(deps, record.session_id, secret, "spin", {}, "1")
    assert reply["success"] is True
    assert [c["extra"] for c in reply["commands"]] == ["flash"]
    assert "did not finish within 1 second" in reply["commands"][0]["value"]
    assert "half_done" not in deps.sessions.answers(record.session_id)


class Context:
    def __init__(self, seconds):
        self.seconds = seconds

    def get_remaining_time_in_millis(self):
        return int(self.seconds * 1000)


def test_the_limit_is_the_setting_and_never_past_the_invocations_end_less_a_reserve():
    deps = make_deps(limit=10)
    assert evaluation.time_limit(deps) == 10
    with deadline.invocation(Context(60)):
        assert evaluation.time_limit(deps) == 10
    with deadline.invocation(Context(6)):
        assert 0 < evaluation.time_limit(deps) <= 6 - evaluation.RESERVE_SECONDS
    with deadline.invocation(Context(1)):
        assert evaluation.time_limit(deps) == evaluation.MIN_TIME_LIMIT


def test_the_setting_is_read_from_the_environment_and_checked():
    assert Settings.from_env({}).screen_time_limit_seconds == 10
    assert Settings.from_env({"SCREEN_TIME_LIMIT_SECONDS": "3"}).screen_time_limit_seconds == 3
    with pytest.raises(ValueError, match="SCREEN_TIME_LIMIT_SECONDS must be at least 1"):
        Settings.from_env({"SCREEN_TIME_LIMIT_SECONDS": "0"})
