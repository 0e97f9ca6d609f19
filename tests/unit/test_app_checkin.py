"""The check-in use case: the `check in` action's outcome as commands, notifications delivered once."""

from __future__ import annotations

import pytest
from offstage.app.checkin import checkin
from offstage.app.sessions import new_session
from offstage.engine.step import BackgroundValue, Question, TemplateContent
from offstage.ports import TaskState

from tests.fakes import queued_task
from tests.unit.test_app_screen import make_deps


def responding(value=None, kind="background_response", **extra):
    """A step that records the arguments it got and answers the check-in action with `value`."""
    seen = []

    def step(interview, answers, request, ports):
        seen.append((request.action, dict(request.arguments)))
        if request.action is None:
            return Question(screen="q")
        answers["counter"] = answers.get("counter", 0) + 1
        return {"background_response": BackgroundValue, "template": TemplateContent}[kind](value=value, **extra)

    return step, seen


def start(step):
    deps = make_deps(step)
    record, secret = new_session(deps, "x.yml")
    return deps, record.session_id, secret


@pytest.mark.parametrize(("value", "command"), [
    (["Hello", "flash"], {"value": "Hello", "extra": "flash"}),
    (["alert(1)", "javascript"], {"value": "alert(1)", "extra": "javascript"}),
    ([{"var_c": 3}, "fields"], {"value": {"var_c": 3}, "extra": "fields"}),
    ([None, "refresh"], {"value": None, "extra": "refresh"}),
    ({"pargs": ["Hi", "flash"], "kwargs": {}}, {"value": "Hi", "extra": "flash"}),
    ("refresh", {"value": None, "extra": "refresh"}),
    ({"target": "feedback", "content": "<b>x</b>"},
     {"value": {"target": "feedback", "content": "<b>x</b>"}, "extra": "backgroundresponse"}),
    ([{"target": "a", "content": "1"}, {"target": "b", "content": "2"}],
     {"value": [{"target": "a", "content": "1"}, {"target": "b", "content": "2"}], "extra": "backgroundresponse"}),
    ({}, {"value": {}, "extra": "backgroundresponse"}),
    ("plain", {"value": "plain", "extra": "backgroundresponse"}),
])
def test_a_background_response_becomes_the_command_docassemble_sends(value, command):
    step, _ = responding(value)
    deps, sid, secret = start(step)

    reply = checkin(deps, sid, secret, "question_food", {"favorite_food": "soup"}, "0.42")

    assert reply["success"] is True
    assert reply["checkin_code"] == "0.42"
    assert reply["commands"] == [{"action": "question_food", **command}]


def test_a_targeted_template_becomes_a_backgroundresponse_with_its_html():
    step, _ = responding({"target": "feedback", "content": "<p>You like soup</p>"}, kind="template")
    deps, sid, secret = start(step)

    reply = checkin(deps, sid, secret, "question_food", {}, "c")

    assert reply["commands"] == [{"action": "question_food", "extra": "backgroundresponse",
                                  "value": {"target": "feedback", "content": "<p>You like soup</p>"}}]


def test_the_action_gets_the_raw_field_values_after_a_normal_evaluation_and_its_changes_are_saved():
    step, seen = responding("ok")
    deps, sid, secret = start(step)
    params = {"favorite_food": "soup", "_initial": True, "_changed": None}

    checkin(deps, sid, secret, "question_food", params, "c")

    assert seen == [(None, {}), ("question_food", params)]
    assert deps.sessions.answers(sid)["counter"] == 1


def test_an_action_whose_save_status_is_ignore_saves_nothing():
    step, _ = responding("ok", save=False)
    deps, sid, secret = start(step)

    checkin(deps, sid, secret, "question_food", {}, "c")

    assert "counter" not in deps.sessions.answers(sid)


def test_without_a_check_in_action_nothing_is_evaluated():
    step, seen = responding("ok")
    deps, sid, secret = start(step)

    reply = checkin(deps, sid, secret, None, None, "c")

    assert seen == []
    assert reply["commands"] == []


def test_finished_task_notifications_are_delivered_once_and_pending_tasks_counted():
    step, _ = responding("ok")
    deps, sid, secret = start(step)
    done, running = queued_task(sid, ui_notification="flash"), queued_task(sid, ui_notification="refresh")
    deps.ports.tasks.create(done)
    deps.ports.tasks.create(running)
    deps.ports.tasks.finish(TaskState(done.task_id, status="done", value="The answer is 555."),
                            {"value": "The answer is 555.", "extra": "flash"}, sid)

    first = checkin(deps, sid, secret, None, None, "c")
    second = checkin(deps, sid, secret, None, None, "c")

    assert first["commands"] == [{"value": "The answer is 555.", "extra": "flash"}]
    assert second["commands"] == []
    assert first["pending_tasks"] == 1


def test_tasks_queued_by_either_pass_are_sent_after_the_save():
    """docassemble runs a check-in as two assemblies; a task started in the plain one is not lost."""
    def step(interview, answers, request, ports):
        if request.action is None:
            return Question(screen="q", outbox=[queued_task(request.session_id, "from_plain")])
        return BackgroundValue(value="ok",
                          outbox=[queued_task(request.session_id, "from_action")])

    deps, sid, secret = start(step)
    sent: list[str] = []
    deps.ports.queue.send = lambda task: sent.append(task.action)

    checkin(deps, sid, secret, "question_food", {}, "c")

    assert sent == ["from_plain", "from_action"]
