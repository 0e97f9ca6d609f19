"""A task message through moto's SQS -> the local poller -> BackgroundFunction -> the check-in's commands.

The interviews are docassemble's examples run by the real engine; sessions and tasks live in the
in-memory stores of the unit tests (the DynamoDB adapters are exercised by INFRA's own tests).
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import boto3
import pytest
from moto import mock_aws
from offstage.app.checkin import checkin
from offstage.app.deps import Deps
from offstage.context import Ports
from offstage.interview import load_interview_file
from offstage.local.poller import Mapping, SqsPoller, load_handler, sqs_sources

from tests.unit.test_background_fakes import Queue, Sessions, Settings, Tasks

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]
SOURCE = {"Resources": {"BackgroundFunction": {"Type": "AWS::Serverless::Function", "Properties": {
    "CodeUri": "functions/background/", "Handler": "app.handler", "Timeout": 120,
    "Events": {"Tasks": {"Type": "SQS", "Properties": {
        "Queue": {"Fn::GetAtt": ["BackgroundQueue", "Arn"]}, "BatchSize": 10,
        "MaximumBatchingWindowInSeconds": 1, "FunctionResponseTypes": ["ReportBatchItemFailures"]}}}}}}}


class CorpusInterviews:
    def __init__(self, corpus) -> None:
        self.corpus = corpus

    def get(self, name):
        return load_interview_file(self.corpus / name, name=name)


@pytest.fixture
def stack(corpus, monkeypatch):
    deps = Deps(sessions=Sessions(), interviews=CorpusInterviews(corpus), ports=Ports(queue=Queue(), tasks=Tasks()),  # type: ignore[arg-type]  # a partial double: only what this test reaches
                settings=Settings())
    wiring = types.ModuleType("offstage.aws.wiring")
    wiring.deps = lambda: deps
    monkeypatch.setitem(sys.modules, "offstage.aws.wiring", wiring)
    with mock_aws():
        sqs = boto3.client("sqs", region_name="us-east-1")
        queue = sqs.create_queue(QueueName="BackgroundQueue", Attributes={"VisibilityTimeout": "720"})["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        (source,) = sqs_sources(SOURCE)
        poller = SqsPoller(Mapping(queue, arn, batching_window=0, retry_seconds=0), load_handler(REPO, source), sqs)
        yield deps, sqs, queue, poller


def send(sqs, queue, deps, interview, answers, task_id, mode, **arguments):
    deps.sessions.add(f"sess-{task_id}", answers, interview=interview)
    message = {"task_id": task_id, "session_id": f"sess-{task_id}", "interview": interview, "action": "bg_task",
               "arguments": arguments, "ui_notification": mode, "user": {"id": "u1"}, "secret": "s3cret"}
    sqs.send_message(QueueUrl=queue, MessageBody=json.dumps(message))


def check_in(deps, task_id):
    return checkin(deps, f"sess-{task_id}", "s3cret", None, None, "0.5")


def test_flash_reaches_the_check_in_once(stack):
    deps, sqs, queue, poller = stack
    send(sqs, queue, deps, "background_action_flash.yml", {"value_to_add": 2}, "t1", "flash", additional=2)
    assert poller.poll_once() == 1
    response = check_in(deps, "t1")
    assert response["success"] is True
    assert response["checkin_code"] == "0.5"
    assert response["commands"] == [{"value": "The answer is 555.", "extra": "flash"}]
    assert check_in(deps, "t1")["commands"] == []  # delivered once


def test_callback_answer_is_saved_and_refresh_is_sent(stack):
    deps, sqs, queue, poller = stack
    send(sqs, queue, deps, "background_action_refresh.yml", {"value_to_add": 5}, "t2", "refresh", additional=5)
    poller.poll_once()
    assert deps.sessions.answers("sess-t2")["answer"] == 558
    assert check_in(deps, "t2")["commands"] == [{"value": None, "extra": "refresh"}]


def test_failed_task_flashes_an_escaped_message_and_refreshes(stack):
    deps, sqs, queue, poller = stack
    send(sqs, queue, deps, "background-error-action-demo.yml", {"b": 1, "c": 0}, "t3", "flash")
    poller.poll_once()
    state = deps.ports.tasks.get("t3")
    assert (state.status, state.error_type) == ("failed", "ZeroDivisionError")
    assert deps.sessions.answers("sess-t3")["computation_ok"] is False  # the error action ran
    commands = check_in(deps, "t3")["commands"]
    assert [c["extra"] for c in commands] == ["flash", "refresh"]
    assert "could not finish" in commands[0]["value"]
    left = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert (left["ApproximateNumberOfMessages"], left["ApproximateNumberOfMessagesNotVisible"]) == ("0", "0")
