"""template.yaml's scheduled tasks: four schedules in one time zone -> the dispatcher -> the cron queue ->
the worker, each with the least it needs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration import test_template as base
from tests.integration.test_template import _of_type, _statements


@pytest.fixture(scope="module")
def data():
    return base.data.__wrapped__()


@pytest.fixture(scope="module")
def transformed():
    return base.transformed.__wrapped__()

KINDS = {"Hourly": "cron_hourly", "Daily": "cron_daily", "Weekly": "cron_weekly", "Monthly": "cron_monthly"}


def test_four_schedules_in_the_time_zone_parameter_start_the_dispatcher_with_their_type(data, transformed):
    events = data["Resources"]["CronDispatchFunction"]["Properties"]["Events"]
    assert set(events) == set(KINDS)
    for name, kind in KINDS.items():
        props = events[name]["Properties"]
        assert events[name]["Type"] == "ScheduleV2"
        assert props["ScheduleExpression"] == {"Ref": f"Cron{name}Expression"}
        assert props["ScheduleExpressionTimezone"] == {"Ref": "CronTimeZone"}
        assert json.loads(props["Input"]) == {"type": kind, "scheduled_time": "<aws.scheduler.scheduled-time>"}
    params = data["Parameters"]
    assert params["CronDailyExpression"]["Default"] == "cron(25 6 * * ? *)"  # docassemble's image (Debian)
    assert params["CronHourlyExpression"]["Default"] == "cron(17 * * * ? *)"
    assert params["CronTimeZone"]["Default"] == "America/New_York"
    schedules = _of_type(transformed, "AWS::Scheduler::Schedule")
    assert len(schedules) == 4


def test_the_dispatcher_may_only_query_the_cron_index_and_send_to_the_cron_queue(transformed):
    actions: dict[str, Any] = {}
    for logical, statement in _statements(transformed):
        if logical == "CronDispatchFunctionRole" and "managed" not in statement:
            for action in [statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"]:
                actions.setdefault(action, []).append(json.dumps(statement["Resource"]))
    assert [a for a in actions if a.startswith("dynamodb:")] == ["dynamodb:Query"]
    assert all("/index/cron_shards" in r for r in actions["dynamodb:Query"])
    assert all("CronQueue" in r for a, rs in actions.items() if a.startswith("sqs:") for r in rs)
    assert not any(a.startswith(("s3:", "ses:")) for a in actions)


def test_the_worker_reports_partial_failures_and_its_queue_outlives_it_and_redrives(data, transformed):
    (mapping,) = [m for m in _of_type(transformed, "AWS::Lambda::EventSourceMapping").values()
                  if m["Properties"]["FunctionName"] == {"Ref": "CronWorkerFunction"}]
    props = mapping["Properties"]
    assert props["EventSourceArn"] == {"Fn::GetAtt": ["CronQueue", "Arn"]}
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert props["BatchSize"] == 10
    queue = data["Resources"]["CronQueue"]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * data["Resources"]["CronWorkerFunction"]["Properties"]["Timeout"]
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["CronDeadLetterQueue", "Arn"]}
    alarm = data["Resources"]["CronDeadLetterAlarm"]["Properties"]
    assert json.dumps(alarm["Dimensions"]).count("CronDeadLetterQueue") == 1
    assert data["Resources"]["CronDispatchErrorsAlarm"]["Properties"]["MetricName"] == "Errors"


def test_the_worker_writes_run_marks_only_under_their_prefix(data):
    policies = data["Resources"]["CronWorkerFunction"]["Properties"]["Policies"]
    marks = [s for p in policies if isinstance(p, dict) and "Statement" in p for s in p["Statement"]
             if "cron#*" in json.dumps(s)]
    (statement,) = marks
    assert statement["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"] == ["cron#*"]
