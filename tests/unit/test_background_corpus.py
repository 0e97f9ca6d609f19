"""The worker running docassemble's own background examples through the real engine (stores are fakes)."""

from __future__ import annotations

import pytest
from offstage.app.background import process_task
from offstage.app.deps import Deps
from offstage.context import Ports
from offstage.interview import load_interview_file
from offstage.ports import QueuedTask

from tests.unit.test_background_fakes import Queue, Sessions, Settings, Tasks


class CorpusInterviews:
    def __init__(self, corpus) -> None:
        self.corpus = corpus

    def get(self, name):
        return load_interview_file(self.corpus / name, name=name)

    def resolve(self, name):
        return self.corpus / name


@pytest.fixture
def world(corpus):
    sessions = Sessions()
    return Deps(sessions=sessions, interviews=CorpusInterviews(corpus), ports=Ports(queue=Queue(), tasks=Tasks()),  # type: ignore[arg-type]  # a partial double: only what this test reaches
                settings=Settings())


def run(deps, interview, answers, mode=None, **arguments):
    deps.sessions.add("sess-1", answers, interview=interview)
    task = QueuedTask(task_id="task-1", session_id="sess-1", interview=interview, action="bg_task",
                      arguments=arguments, ui_notification=mode, user={"id": "u1"}, secret="s3cret")
    process_task(deps, task)
    return deps.ports.tasks.get("task-1"), deps.sessions.answers("sess-1")


def test_background_action_returns_its_value(world):
    state, _ = run(world, "background_action.yml", {"value_to_add": 2}, additional=2)
    assert (state.status, state.value) == ("done", 555)


def test_background_action_flash_notifies_the_answer(world):
    state, answers = run(world, "background_action_flash.yml", {"value_to_add": 2}, mode="flash", additional=2)
    assert state.value == "The answer is 555."
    assert "the_answer" not in answers  # phase 1 ran on a copy
    assert world.ports.tasks.take_notifications("sess-1") == [{"value": "The answer is 555.", "extra": "flash"}]


def test_response_action_sets_the_answer_on_the_live_session(world):
    state, answers = run(world, "background_action_with_response_action.yml", {"value_to_add": 2}, additional=2)
    assert (state.status, state.value, answers["answer"]) == ("done", {}, 555)
    assert answers["value_to_add"] == 2


def test_response_action_flash_comes_from_the_callback(world):
    _state, answers = run(world, "background_response_action_flash.yml", {"value_to_add": 2}, mode="flash",
                         additional=2)
    assert answers["answer"] == 555
    assert world.ports.tasks.take_notifications("sess-1") == [{"value": "The answer is 555.", "extra": "flash"}]


def test_refresh_mode_refreshes_after_the_callback_saved(world):
    _, answers = run(world, "background_action_refresh.yml", {"value_to_add": 2}, mode="refresh", additional=2)
    assert answers["answer"] == 555
    assert world.ports.tasks.take_notifications("sess-1") == [{"value": None, "extra": "refresh"}]


def test_error_action_runs_on_the_live_session_when_the_task_fails(world):
    state, answers = run(world, "background-error-action-demo.yml", {"b": 1, "c": 0})
    assert (state.status, state.error_type, state.error_message) == ("failed", "ZeroDivisionError",
                                                                      "division by zero")
    assert "ZeroDivisionError" in state.error_trace
    assert answers["computation_ok"] is False
    assert "answer" not in answers


def test_error_demo_succeeds_when_it_can_divide(world):
    state, answers = run(world, "background-error-action-demo.yml", {"b": 6, "c": 3})
    assert state.status == "done"
    assert answers["computation_ok"] is True
    assert answers["answer"] == 2
