"""functions/background/app.py: an SQS batch in, batchItemFailures out (no AWS: the wiring is replaced)."""

from __future__ import annotations

import importlib.util
import json
import sys
import types
from pathlib import Path

import pytest

from tests.unit.test_background_fakes import ScriptedInterview, make_deps, respond, scripted_engine  # noqa: F401 - a fixture

HANDLER = Path(__file__).resolve().parents[2] / "functions" / "background" / "app.py"


class Context:
    function_name = "BackgroundFunction"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:BackgroundFunction"
    aws_request_id = "req-1"

    def get_remaining_time_in_millis(self) -> int:
        return 120_000


def sqs_record(message_id: str, body: str, receive_count: int = 1) -> dict:
    return {"messageId": message_id, "receiptHandle": f"rh-{message_id}", "body": body,
            "attributes": {"ApproximateReceiveCount": str(receive_count), "SentTimestamp": "1700000000000",
                           "SenderId": "x", "ApproximateFirstReceiveTimestamp": "1700000000001"},
            "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
            "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:BackgroundQueue", "awsRegion": "us-east-1"}


def task_body(task_id: str, action: str = "bg_task", session_id: str = "sess-1") -> str:
    return json.dumps({"task_id": task_id, "session_id": session_id, "interview": "x.yml", "action": action,
                       "arguments": {}, "ui_notification": "flash", "user": {}, "secret": "s3cret"})


@pytest.fixture
def handler(monkeypatch):
    interview = ScriptedInterview({"bg_task": lambda a, args: respond("The answer is 555.")})
    deps = make_deps(interview)
    deps.sessions.add("sess-1", {})
    wiring = types.ModuleType("offstage.aws.wiring")
    wiring.deps = lambda: deps
    monkeypatch.setitem(sys.modules, "offstage.aws.wiring", wiring)
    spec = importlib.util.spec_from_file_location("background_handler_under_test", HANDLER)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, deps


def test_one_failing_record_does_not_fail_the_batch(handler):
    module, deps = handler
    event = {"Records": [
        sqs_record("m1", task_body("t1")),
        sqs_record("m2", '{"task_id": "t2", "session_id": "sess-1", "interview": "x.yml"}'),  # poison
        sqs_record("m3", task_body("t3", session_id="sess-gone")),  # finished as failed: not a retry
        sqs_record("m4", "not json at all"),
    ]}
    response = module.handler(event, Context())
    assert sorted(f["itemIdentifier"] for f in response["batchItemFailures"]) == ["m2", "m4"]
    assert deps.ports.tasks.get("t1").value == "The answer is 555."
    assert deps.ports.tasks.get("t2").status == "failed"  # the waiting page can say so
    assert deps.ports.tasks.get("t3").error_type == "SessionNotFound"
    assert deps.ports.tasks.take_notifications("sess-1") == [{"value": "The answer is 555.", "extra": "flash"}]


def test_a_transient_error_fails_only_its_record(handler):
    module, deps = handler
    real_load = deps.sessions.load

    def load(session_id, *, secret):
        if session_id == "sess-down":
            raise ConnectionError("DynamoDB is unreachable")
        return real_load(session_id, secret=secret)

    deps.sessions.load = load
    response = module.handler({"Records": [sqs_record("m1", task_body("t1", session_id="sess-down")),
                                           sqs_record("m2", task_body("t2"))]}, Context())
    assert response["batchItemFailures"] == [{"itemIdentifier": "m1"}]
    assert deps.ports.tasks.get("t1").status == "running"  # claimed, no outcome: SQS delivers m1 again
    assert deps.ports.tasks.get("t2").status == "done"
