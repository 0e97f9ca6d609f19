"""The screen use case: save with the version read, then send; nothing saved or sent on failure."""

from __future__ import annotations

import types

import pytest
from offstage.app.deps import Deps
from offstage.app.screen import ScreenRequest, run_action, screen
from offstage.app.sessions import back, delete, new_session, variables
from offstage.context import Ports, UserInfo
from offstage.engine.step import CommandStep, Question, Response
from offstage.errors import CannotGoBack, SessionConflict, SessionNotFound, WrongSecret

from tests.fakes import FakeQueue, FakeSessionStore, FakeTaskStore, FixedClock, queued_task
from tests.support.doubles import OneInterview


class Registry(OneInterview):
    def __init__(self, **attrs):
        super().__init__(types.SimpleNamespace(**attrs))


def make_deps(step, **interview_attrs) -> Deps:
    tasks = FakeTaskStore()
    ports = Ports(clock=FixedClock(), tasks=tasks, queue=FakeQueue(tasks.log))
    return Deps(sessions=FakeSessionStore(), interviews=Registry(**interview_attrs), ports=ports,
                run_step=step)


def answering_step(interview, answers, request, ports):
    """A tiny interview: asks `name`, then a final screen; queues a task once the name is known."""
    if request.posted:
        if not request.posted.get("name"):
            return Question(validation_errors={"name": "This field is required."})
        answers["name"] = request.posted["name"]
    if "name" not in answers:
        return Question(screen="ask name")
    outbox = [] if answers.get("task_started") else [queued_task(request.session_id, ui_notification="flash")]
    answers["task_started"] = True
    return Question(screen=f"hello {answers['name']}", outbox=outbox)


def test_given_a_new_session_when_the_answer_is_posted_then_it_is_saved_and_the_task_sent_after_the_save():
    deps = make_deps(answering_step)
    record, secret = new_session(deps, "x.yml")
    order: list[str] = []
    deps.sessions.on_save = lambda rec: order.append("save")
    deps.ports.queue.send = lambda task: order.append("send")

    outcome = screen(deps, ScreenRequest(record.session_id, secret, "x.yml", posted={"name": "Ann"}))

    assert outcome.result.screen == "hello Ann"
    assert deps.sessions.answers(record.session_id)["name"] == "Ann"
    assert order == ["save", "send"]
    assert [e for e, _ in deps.ports.tasks.log] == ["create"]  # recorded before it was queued


def test_given_a_save_that_keeps_failing_when_posting_then_nothing_is_sent():
    deps = make_deps(answering_step)
    record, secret = new_session(deps, "x.yml")
    deps.sessions.fail_saves = 100

    with pytest.raises(SessionConflict):
        screen(deps, ScreenRequest(record.session_id, secret, "x.yml", posted={"name": "Ann"}))

    assert deps.ports.queue.sent == []
    assert deps.ports.tasks.states == {}
    assert "name" not in deps.sessions.answers(record.session_id)


def test_given_a_concurrent_writer_when_posting_then_the_step_is_rerun_on_fresh_answers_and_sent_once():
    deps = make_deps(answering_step)
    record, secret = new_session(deps, "x.yml")
    deps.sessions.fail_saves = 1

    outcome = screen(deps, ScreenRequest(record.session_id, secret, "x.yml", posted={"name": "Ann"}))

    assert outcome.saved
    assert len(deps.ports.queue.sent) == 1
    assert deps.sessions.answers(record.session_id)["name"] == "Ann"


def test_given_an_invalid_answer_when_posting_then_errors_come_back_and_nothing_is_saved():
    deps = make_deps(answering_step)
    record, secret = new_session(deps, "x.yml")

    outcome = screen(deps, ScreenRequest(record.session_id, secret, "x.yml", posted={"name": ""}))

    assert outcome.result.validation_errors == {"name": "This field is required."}
    assert deps.sessions.saves == 0
    assert deps.ports.queue.sent == []


def test_given_an_encrypted_session_when_the_secret_is_wrong_then_it_is_refused():
    deps = make_deps(answering_step)
    record, _ = new_session(deps, "x.yml")

    with pytest.raises(WrongSecret):
        screen(deps, ScreenRequest(record.session_id, "not-the-secret", "x.yml"))


def test_given_a_multi_user_interview_when_a_session_starts_then_it_has_no_secret():
    deps = make_deps(answering_step, multi_user=True)

    record, secret = new_session(deps, "x.yml")

    assert secret is None
    assert record.multi_user


def test_given_a_step_that_sets_multi_user_when_saved_then_the_session_is_stored_unencrypted():
    def step(interview, answers, request, ports):
        answers["multi_user"] = True
        return Question(screen="s", multi_user=True)

    deps = make_deps(step)
    record, secret = new_session(deps, "x.yml")
    screen(deps, ScreenRequest(record.session_id, secret, "x.yml"))

    assert deps.sessions.load(record.session_id, secret=None).multi_user


def test_given_url_args_when_a_session_starts_then_they_are_in_the_answers():
    deps = make_deps(answering_step)
    record, _secret = new_session(deps, "x.yml", url_args={"from": "mail"})
    assert deps.sessions.answers(record.session_id)["url_args"] == {"from": "mail"}


def test_given_a_save_then_the_users_access_time_is_recorded_and_delete_days_follow_the_interview():
    deps = make_deps(answering_step, delete_days=7)
    record, secret = new_session(deps, "x.yml")

    screen(deps, ScreenRequest(record.session_id, secret, "x.yml", user=UserInfo(id="u1")))

    item = deps.sessions.items[record.session_id]
    assert item["delete_days"] == 7
    assert "u1" in str(item["steps"][-1]["_internal"])


def test_given_a_session_of_another_interview_when_asked_for_it_then_it_is_not_found():
    deps = make_deps(answering_step)
    record, secret = new_session(deps, "x.yml")
    with pytest.raises(SessionNotFound):
        screen(deps, ScreenRequest(record.session_id, secret, "other.yml"))


def test_given_an_exit_command_then_the_session_is_deleted_and_nothing_sent():
    def step(interview, answers, request, ports):
        return CommandStep(command="exit", delete_session=True,
                          outbox=[queued_task(request.session_id)])

    deps = make_deps(step)
    record, secret = new_session(deps, "x.yml")
    screen(deps, ScreenRequest(record.session_id, secret, "x.yml"))

    assert record.session_id not in deps.sessions.items
    assert deps.ports.queue.sent == []


def test_variables_are_json_safe_and_leave_out_the_internal_bookkeeping():
    deps = make_deps(answering_step)
    record, secret = new_session(deps, "x.yml")
    screen(deps, ScreenRequest(record.session_id, secret, "x.yml", posted={"name": "Ann"}))

    data = variables(deps, record.session_id, secret, "x.yml")

    assert data["name"] == "Ann"
    assert "_internal" not in data
    assert data["url_args"] == {}


def test_back_returns_to_the_previous_answers_and_refuses_at_the_first_step():
    deps = make_deps(answering_step)
    record, secret = new_session(deps, "x.yml")
    screen(deps, ScreenRequest(record.session_id, secret, "x.yml", posted={"name": "Ann"}))

    back(deps, record.session_id, secret, "x.yml")

    assert "name" not in deps.sessions.answers(record.session_id)
    with pytest.raises(CannotGoBack):
        back(deps, record.session_id, secret, "x.yml")


def test_delete_forgets_the_session():
    deps = make_deps(answering_step)
    record, secret = new_session(deps, "x.yml")
    delete(deps, record.session_id)
    with pytest.raises(SessionNotFound):
        screen(deps, ScreenRequest(record.session_id, secret, "x.yml"))


def test_a_read_only_action_saves_nothing_and_a_normal_one_saves_its_changes():
    def step(interview, answers, request, ports):
        if request.action == "count":
            answers["counter"] = answers.get("counter", 0) + 1
            return Response(value=str(answers["counter"]))
        return Question(screen="s")

    deps = make_deps(step)
    record, secret = new_session(deps, "x.yml")

    outcome = run_action(deps, record.session_id, secret, "x.yml", "count", read_only=True)
    assert outcome.result.value == "1"
    assert "counter" not in deps.sessions.answers(record.session_id)

    run_action(deps, record.session_id, secret, "x.yml", "count")
    assert deps.sessions.answers(record.session_id)["counter"] == 1
