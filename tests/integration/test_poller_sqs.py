"""The local SQS event source mapping against moto's SQS: batches, partial failures, redrive, threads."""

from __future__ import annotations

import json
import sys
import time
import types
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from offstage.local.poller import Mapping, SqsPoller, attach_poller, load_handler, load_template, sqs_sources

from tests.unit.test_background_fakes import ScriptedInterview, make_deps, respond, scripted_engine  # noqa: F401 - a fixture

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]

TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 30
    MemorySize: 256
Resources:
  BackgroundQueue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 720
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt BackgroundDLQ.Arn
        maxReceiveCount: 3
  BackgroundDLQ:
    Type: AWS::SQS::Queue
  BackgroundFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/background/
      Handler: app.handler
      Timeout: 120
      Environment:
        Variables:
          TASKS_TABLE: !Ref TasksTable
      Events:
        Tasks:
          Type: SQS
          Properties:
            Queue: !GetAtt BackgroundQueue.Arn
            BatchSize: 10
            MaximumBatchingWindowInSeconds: 1
            FunctionResponseTypes: [ReportBatchItemFailures]
  ScreenFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/screen/
      Handler: app.handler
"""


@pytest.fixture
def queues():
    with mock_aws():
        sqs = boto3.client("sqs", region_name="us-east-1")
        dlq = sqs.create_queue(QueueName="BackgroundDLQ")["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        queue = sqs.create_queue(QueueName="BackgroundQueue", Attributes={
            "VisibilityTimeout": "720",
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 3})})["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        yield sqs, queue, arn, dlq


@pytest.fixture
def template(tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text(TEMPLATE, encoding="utf-8")
    return load_template(path)


@pytest.fixture
def worker(monkeypatch, template):
    """The real BackgroundFunction handler, wired to in-memory stores (the AWS adapters are INFRA's)."""
    attempts: dict[str, int] = {}
    interview = ScriptedInterview({"bg_task": lambda a, args: respond(553 + args.get("additional", 0))})
    deps = make_deps(interview)
    deps.sessions.add("sess-1", {})
    real_load = deps.sessions.load

    def load(session_id, *, secret):  # the first load of session "sess-flaky" fails like a throttled DynamoDB
        if session_id == "sess-flaky":
            attempts["load"] = attempts.get("load", 0) + 1
            if attempts["load"] == 1:
                raise ConnectionError("throttled")
            return real_load("sess-1", secret=secret)
        return real_load(session_id, secret=secret)

    deps.sessions.load = load
    wiring = types.ModuleType("offstage.aws.wiring")
    wiring.deps = lambda: deps
    monkeypatch.setitem(sys.modules, "offstage.aws.wiring", wiring)
    source = next(s for s in sqs_sources(template) if s.function == "BackgroundFunction")
    return load_handler(REPO, source), deps


def body(task_id, session_id="sess-1", **arguments):
    return json.dumps({"task_id": task_id, "session_id": session_id, "interview": "x.yml", "action": "bg_task",
                       "arguments": arguments, "ui_notification": "flash", "user": {}, "secret": "s3cret"})


def drain(poller, rounds=12):
    for _ in range(rounds):
        if not poller.poll_once():
            break


def test_template_event_source_settings_are_read(template):
    (source,) = sqs_sources(template)
    assert (source.function, source.queue, source.handler, source.code_uri) == \
        ("BackgroundFunction", "BackgroundQueue", "app.handler", "functions/background/")
    assert (source.batch_size, source.batching_window, source.report_batch_item_failures) == (10, 1.0, True)
    assert (source.timeout, source.memory_mb) == (120.0, 256)


def test_partial_batch_failures_are_retried_and_successes_deleted(queues, worker):
    sqs, queue, arn, dlq = queues
    handler, deps = worker
    for message in (body("t-ok", additional=2), body("t-flaky", session_id="sess-flaky")):
        sqs.send_message(QueueUrl=queue, MessageBody=message)
    poller = SqsPoller(Mapping(queue, arn, batching_window=0, retry_seconds=0), handler, sqs)
    drain(poller)
    assert deps.ports.tasks.get("t-ok").value == 555
    assert deps.ports.tasks.get("t-flaky").status == "done"  # failed once, delivered again, done
    assert poller.invocations >= 2
    left = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert (left["ApproximateNumberOfMessages"], left["ApproximateNumberOfMessagesNotVisible"]) == ("0", "0")
    assert "Messages" not in sqs.receive_message(QueueUrl=dlq)


def test_poison_message_reaches_the_dlq_after_three_receives_and_its_task_fails(queues, worker):
    sqs, queue, arn, dlq = queues
    handler, deps = worker
    sqs.send_message(QueueUrl=queue, MessageBody='{"task_id": "t-bad", "session_id": "sess-1", "action": 7}')
    poller = SqsPoller(Mapping(queue, arn, batching_window=0, retry_seconds=0), handler, sqs)
    drain(poller)
    moved = sqs.receive_message(QueueUrl=dlq, AttributeNames=["All"])["Messages"]
    assert [m["Body"] for m in moved] == ['{"task_id": "t-bad", "session_id": "sess-1", "action": 7}']
    assert poller.invocations == 3  # received three times, then redriven
    state = deps.ports.tasks.get("t-bad")
    assert (state.status, state.error_type) == ("failed", "MalformedTask")


def test_events_look_like_lambdas_and_batches_respect_batch_size(queues):
    sqs, queue, arn, _ = queues
    seen = []

    def handler(event, context):
        seen.append(event)
        assert context.get_remaining_time_in_millis() > 0
        return {"batchItemFailures": []}

    for n in range(7):
        sqs.send_message(QueueUrl=queue, MessageBody=f"m{n}",
                         MessageAttributes={"kind": {"DataType": "String", "StringValue": "task"}})
    poller = SqsPoller(Mapping(queue, arn, batch_size=3, batching_window=0), handler, sqs)
    drain(poller)
    assert all(len(event["Records"]) <= 3 for event in seen)
    records = [r for event in seen for r in event["Records"]]
    assert sorted(r["body"] for r in records) == [f"m{n}" for n in range(7)]
    record = records[0]
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"] == arn
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert record["receiptHandle"]
    assert record["messageAttributes"]["kind"]["stringValue"] == "task"


def test_a_handler_that_raises_fails_the_whole_batch(queues):
    sqs, queue, arn, _ = queues
    calls = []

    def handler(event, context):
        calls.append([r["body"] for r in event["Records"]])
        if len(calls) == 1:
            raise RuntimeError("the function crashed")
        return {"batchItemFailures": [{"itemIdentifier": "not-in-this-batch"}]} if len(calls) == 2 else None

    sqs.send_message(QueueUrl=queue, MessageBody="a")
    poller = SqsPoller(Mapping(queue, arn, batching_window=0, retry_seconds=0), handler, sqs)
    drain(poller)
    assert calls == [["a"], ["a"], ["a"]]  # crash, then an unknown id (whole batch fails), then success


def test_started_poller_processes_messages_until_stopped(queues, worker):
    sqs, queue, arn, _ = queues
    handler, deps = worker
    poller = SqsPoller(Mapping(queue, arn, batching_window=1), handler, sqs)
    poller.start()
    try:
        sqs.send_message(QueueUrl=queue, MessageBody=body("t-live", additional=10))
        for _ in range(100):  # a safeguard against a hang, not a timing assertion
            if deps.ports.tasks.get("t-live") is not None:
                break
            time.sleep(0.1)
    finally:
        poller.stop()
    assert not poller.running
    assert deps.ports.tasks.get("t-live").value == 563
    assert deps.ports.tasks.take_notifications("sess-1") == [{"value": 563, "extra": "flash"}]


def test_attach_poller_adds_one_service_per_sqs_event_of_the_template(queues, worker, tmp_path):
    sqs, queue, arn, _ = queues
    _, deps = worker
    path = tmp_path / "template.yaml"
    path.write_text(TEMPLATE.replace("CodeUri: functions/background/", f"CodeUri: {REPO}/functions/background/"),
                    encoding="utf-8")
    services: list[Any] = []
    stack = types.SimpleNamespace(add_service=services.append, env={}, client=lambda name: sqs,
                                  template_path=str(path))
    (poller,) = attach_poller(stack, retry_seconds=0)
    assert services == [poller]
    assert (poller.mapping.queue_url, poller.mapping.queue_arn) == (queue, arn)  # not the DLQ
    assert (poller.mapping.batch_size, poller.mapping.batching_window, poller.mapping.function_timeout) == \
        (10, 1.0, 120.0)
    sqs.send_message(QueueUrl=queue, MessageBody=body("t-attached", additional=1))
    drain(poller)
    assert deps.ports.tasks.get("t-attached").value == 554
