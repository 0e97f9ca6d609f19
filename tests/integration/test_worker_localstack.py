"""The whole path on the local stack: SQS (moto server) -> poller -> BackgroundFunction -> DynamoDB
TasksTable and SessionsTable -> the check-in's commands, with the AWS adapters the Lambdas use."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from offstage.ports import QueuedTask

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(corpus):
    from offstage.local.stack import LocalStack

    with LocalStack(interviews=[corpus], with_http=False) as running:
        yield running


@pytest.fixture
def deps(stack):
    from offstage.aws.wiring import deps as wired

    return wired()


def wait_until(check, rounds=150):
    """Poll a condition (a safeguard against hanging, not a timing assertion)."""
    for _ in range(rounds):
        value = check()
        if value:
            return value
        time.sleep(0.1)
    return check()


def start_task(deps, interview, answers, mode, **arguments):
    """What the screen use case does after its save: record the task as pending, then queue it."""
    secret = "a-secret-of-this-session"
    record = deps.sessions.create(interview, answers, secret=secret)
    task = QueuedTask(task_id=uuid.uuid4().hex, session_id=record.session_id, interview=interview,
                      action="bg_task", arguments=arguments, ui_notification=mode, user={"id": "u1"},
                      secret=secret)
    deps.ports.tasks.create(task)
    deps.ports.queue.send(task)
    return task


def check_in(deps, task):
    from offstage.app.checkin import checkin

    return checkin(deps, task.session_id, task.secret, None, None, "0.42")


def test_flash_task_goes_through_sqs_and_comes_back_at_check_in(deps):
    task = start_task(deps, "background_action_flash.yml", {"value_to_add": 2}, "flash", additional=2)
    state = wait_until(lambda: (s := deps.ports.tasks.get(task.task_id, secret=task.secret)) is not None and s.ready and s)
    assert (state.status, state.value) == ("done", "The answer is 555.")
    response = check_in(deps, task)
    assert response["commands"] == [{"value": "The answer is 555.", "extra": "flash"}]
    assert check_in(deps, task)["commands"] == []


def test_callback_saves_into_the_encrypted_session(deps):
    task = start_task(deps, "background_action_with_response_action.yml", {"value_to_add": 5}, None,
                      additional=5)
    state = wait_until(lambda: (s := deps.ports.tasks.get(task.task_id, secret=task.secret)) is not None and s.ready and s)
    assert (state.status, state.value) == ("done", {})
    answers = deps.sessions.load(task.session_id, secret=task.secret).answers
    assert answers["answer"] == 558
    assert answers["value_to_add"] == 5


def test_failed_task_is_recorded_and_the_page_is_told(deps):
    task = start_task(deps, "background-error-action-demo.yml", {"b": 1, "c": 0}, "refresh")
    state = wait_until(lambda: (s := deps.ports.tasks.get(task.task_id, secret=task.secret)) is not None and s.ready and s)
    assert (state.status, state.error_type, state.error_message) == ("failed", "ZeroDivisionError",
                                                                      "division by zero")
    assert deps.sessions.load(task.session_id, secret=task.secret).answers["computation_ok"] is False
    assert check_in(deps, task)["commands"][0]["extra"] == "flash"


def test_poison_message_reaches_the_dead_letter_queue_and_its_task_fails(stack, deps):
    task = QueuedTask(task_id=uuid.uuid4().hex, session_id="no-such-session", interview="x.yml", action="bg_task",
                      arguments={})
    deps.ports.tasks.create(task)
    sqs = stack.client("sqs")
    queue = deps.ports.queue.queue_url
    dlq = sqs.get_queue_url(QueueName=stack.resources["BackgroundDeadLetterQueue"].rsplit("/", 1)[-1])["QueueUrl"]
    poison = json.dumps({"task_id": task.task_id, "session_id": task.session_id, "action": ["not", "a", "name"]})
    sqs.send_message(QueueUrl=queue, MessageBody=poison)
    state = wait_until(lambda: (s := deps.ports.tasks.get(task.task_id, secret=task.secret)) is not None and s.ready and s)
    assert (state.status, state.error_type) == ("failed", "MalformedTask")

    def dead_lettered():
        return sqs.receive_message(QueueUrl=dlq, AttributeNames=["All"], WaitTimeSeconds=1).get("Messages")

    moved = wait_until(dead_lettered, rounds=40)
    assert [m["Body"] for m in moved] == [poison]
    assert moved[0]["Attributes"]["ApproximateReceiveCount"] == "4"  # 3 receives on the queue, 1 on the DLQ
