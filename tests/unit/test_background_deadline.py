"""A background action past its deadline stops consuming CPU: a loop is stopped inside its thread; an
action stuck in a call into C ends the execution environment in AWS, once its failure is stored."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from offstage.app import background
from offstage.app.background import process_task

from tests.conftest import reread_settings
from tests.unit.test_background_fakes import (  # noqa: F401 - scripted_engine is a fixture
    ScriptedInterview,
    make_deps,
    queued,
    respond,
    scripted_engine,
)


def setup(actions):
    deps = make_deps(ScriptedInterview(actions))
    deps.sessions.add("sess-1", {"value_to_add": 2})
    deps.settings.background_timeout_seconds = 0.3
    return deps


def action_threads():
    return [t for t in threading.enumerate() if t.name == "offstage-background-action" and t.is_alive()]


def wait_until(check, rounds=300):
    """Poll a condition (a guard against hanging, not a timing assertion)."""
    for _ in range(rounds):
        if check():
            return True
        time.sleep(0.1)
    return bool(check())


def spin(answers, args):
    while True:
        pass


@pytest.fixture
def no_stuck_actions(monkeypatch):
    monkeypatch.setattr(background, "_stuck_actions", [])
    exits: list[Any] = []
    monkeypatch.setattr(background, "_exit", exits.append)
    return exits


def test_a_looping_action_is_stopped_at_its_deadline_and_its_thread_ends(no_stuck_actions):
    deps = setup({"bg_task": spin})
    process_task(deps, queued(mode="flash"))
    state = deps.ports.tasks.get("task-1")
    assert (state.status, state.error_type) == ("failed", "TimeoutError")
    assert "did not finish in time" in state.error_message
    notes = deps.ports.tasks.take_notifications("sess-1")
    assert [n["extra"] for n in notes] == ["flash", "refresh"]
    assert "TimeoutError" in notes[0]["value"]
    assert wait_until(lambda: not action_threads())  # nothing keeps spinning after the deadline
    background.end_environment_if_stuck()
    assert no_stuck_actions == []  # it stopped: the environment lives on


def test_the_next_task_runs_after_a_stopped_one(no_stuck_actions):
    deps = setup({"bg_task": spin, "quick": lambda answers, args: respond("quick")})
    process_task(deps, queued(mode="flash"))
    process_task(deps, queued(action="quick", task_id="task-2"))
    assert deps.ports.tasks.get("task-2").value == "quick"


def test_an_action_stuck_in_a_call_into_c_ends_the_environment_in_aws_once_its_failure_is_stored(
        no_stuck_actions, monkeypatch):
    release = threading.Event()
    deps = setup({"bg_task": lambda answers, args: (release.wait(), respond("late"))[1]})
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "offstage-BackgroundFunction")
    monkeypatch.delenv("OFFSTAGE_LOCAL", raising=False)
    reread_settings()
    stored_when_ending = []
    monkeypatch.setattr(background, "_exit", lambda code: stored_when_ending.append(
        (code, deps.ports.tasks.get("task-1").status)))
    try:
        process_task(deps, queued(mode="flash"))
        background.end_environment_if_stuck()
    finally:
        release.set()
    assert stored_when_ending == [(1, "failed")]


def test_the_local_stack_keeps_its_environment_with_a_stuck_action(no_stuck_actions, monkeypatch):
    release = threading.Event()
    deps = setup({"bg_task": lambda answers, args: (release.wait(), respond("late"))[1]})
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "BackgroundFunction")
    monkeypatch.setenv("OFFSTAGE_LOCAL", "1")
    reread_settings()
    try:
        process_task(deps, queued(mode="flash"))
        background.end_environment_if_stuck()
    finally:
        release.set()
    assert deps.ports.tasks.get("task-1").status == "failed"
    assert no_stuck_actions == []  # locally the other environments serve the queue meanwhile


def test_the_records_of_one_batch_run_side_by_side_so_a_runaway_holds_up_no_other_users_task(monkeypatch):
    """The first action waits for the second one: run one after the other, it would reach its deadline."""
    import importlib.util
    import sys
    import types

    from tests.unit.test_background_handler import HANDLER, Context, sqs_record, task_body

    released = threading.Event()

    def first(answers, args):
        return respond("released" if released.wait(60) else "still waiting at the deadline")

    def second(answers, args):
        released.set()
        return respond("done")

    deps = make_deps(ScriptedInterview({"first": first, "second": second}))
    deps.sessions.add("sess-1", {})
    wiring = types.ModuleType("offstage.aws.wiring")
    wiring.deps = lambda: deps
    monkeypatch.setitem(sys.modules, "offstage.aws.wiring", wiring)
    spec = importlib.util.spec_from_file_location("background_handler_side_by_side", HANDLER)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    response = module.handler({"Records": [sqs_record("m1", task_body("t1", action="first")),
                                           sqs_record("m2", task_body("t2", action="second"))]}, Context())
    assert response["batchItemFailures"] == []
    assert deps.ports.tasks.get("t1").value == "released"
    assert deps.ports.tasks.get("t2").value == "done"
