"""Task data at rest is protected like the answers of its session: whoever reads the TasksTable without
the session's secret sees no value, error text or notification of a task."""

from __future__ import annotations

import boto3
import pytest
from offstage.aws.tasks import DynamoTaskStore
from offstage.errors import WrongSecret
from offstage.ports import QueuedTask, TaskState

pytestmark = pytest.mark.integration

SECRET = "the-secret-of-session-s1"
PRIVATE = "Jane Doe's diagnosis"


@pytest.fixture
def table(aws):
    return aws.names["TasksTable"]


@pytest.fixture
def tasks(table):
    return DynamoTaskStore(table=table)


def raw_items(table):
    """Everything an attacker with read access to the table sees."""
    return boto3.client("dynamodb", region_name="us-east-1").scan(TableName=table)["Items"]


def start(tasks, tid="t1", mode="flash", secret=SECRET):
    tasks.create(QueuedTask(task_id=tid, session_id="s1", interview="x.yml", action="bg",
                            arguments={"who": PRIVATE}, ui_notification=mode, secret=secret))


def test_a_raw_read_of_the_table_shows_no_value_error_text_or_notification(tasks, table):
    start(tasks, "t1")
    start(tasks, "t2")
    tasks.finish(TaskState("t1", "done", value={"result": PRIVATE}), {"value": PRIVATE, "extra": "flash"}, "s1",
                 secret=SECRET)
    tasks.finish(TaskState("t2", "failed", error_type="ValueError", error_message=f"bad {PRIVATE}",
                           error_trace=f"Traceback: {PRIVATE}"), None, "s1", secret=SECRET)
    tasks.add_notification("s1", {"value": f"extra {PRIVATE}", "extra": "flash"}, secret=SECRET)
    dump = repr(raw_items(table))
    assert "Jane Doe" not in dump
    assert "diagnosis" not in dump


def test_the_sessions_secret_reads_the_task_and_its_notifications(tasks):
    start(tasks, "t1")
    tasks.finish(TaskState("t1", "done", value={"result": PRIVATE}), {"value": PRIVATE, "extra": "flash"}, "s1",
                 secret=SECRET)
    assert tasks.get("t1", secret=SECRET).value == {"result": PRIVATE}
    assert tasks.take_notifications("s1", secret=SECRET) == [{"value": PRIVATE, "extra": "flash"}]


def test_error_texts_open_with_the_secret(tasks):
    start(tasks, "t2")
    tasks.finish(TaskState("t2", "failed", error_type="ValueError", error_message=f"bad {PRIVATE}",
                           error_trace="Traceback", variables=["x"]), None, "s1", secret=SECRET)
    state = tasks.get("t2", secret=SECRET)
    assert (state.status, state.error_type, state.error_message, state.error_trace, state.variables) == (
        "failed", "ValueError", f"bad {PRIVATE}", "Traceback", ["x"])


def test_a_wrong_secret_is_refused_and_the_notification_is_not_lost(tasks):
    start(tasks, "t1")
    tasks.finish(TaskState("t1", "done", value=PRIVATE), {"value": PRIVATE, "extra": "flash"}, "s1", secret=SECRET)
    with pytest.raises(WrongSecret):
        tasks.get("t1", secret="a guess")
    with pytest.raises(WrongSecret):
        tasks.take_notifications("s1", secret="a guess")
    assert tasks.take_notifications("s1", secret=SECRET) == [{"value": PRIVATE, "extra": "flash"}]


def test_without_a_secret_only_the_status_is_readable(tasks):
    start(tasks, "t1")
    tasks.finish(TaskState("t1", "done", value=PRIVATE), None, "s1", secret=SECRET)
    state = tasks.get("t1")
    assert (state.status, state.ready, state.value) == ("done", True, None)


def test_a_value_moved_to_another_task_does_not_open(tasks, table):
    start(tasks, "t1")
    start(tasks, "t2")
    tasks.finish(TaskState("t1", "done", value=PRIVATE), None, "s1", secret=SECRET)
    tasks.finish(TaskState("t2", "done", value="harmless"), None, "s1", secret=SECRET)
    client = boto3.client("dynamodb", region_name="us-east-1")
    stolen = client.get_item(TableName=table, Key={"pk": {"S": "task#t1"}, "sk": {"S": "task"}})["Item"]["value"]
    client.update_item(TableName=table, Key={"pk": {"S": "task#t2"}, "sk": {"S": "task"}},
                       UpdateExpression="SET #v = :v", ExpressionAttributeNames={"#v": "value"},
                       ExpressionAttributeValues={":v": stolen})
    with pytest.raises(WrongSecret):
        tasks.get("t2", secret=SECRET)


def test_multi_user_sessions_keep_task_data_readable_without_a_secret(tasks):
    start(tasks, "t1", secret=None)
    tasks.finish(TaskState("t1", "done", value="shared"), {"value": "shared", "extra": "flash"}, "s1")
    assert tasks.get("t1").value == "shared"
    assert tasks.take_notifications("s1") == [{"value": "shared", "extra": "flash"}]


def test_items_written_before_encryption_are_still_read(tasks, table):
    """An item of an earlier offstage: plaintext JSON, no version marker."""
    client = boto3.client("dynamodb", region_name="us-east-1")
    client.put_item(TableName=table, Item={"pk": {"S": "task#old"}, "sk": {"S": "task"}, "status": {"S": "done"},
                                           "session_id": {"S": "s1"}, "value": {"S": '{"n": 5}'},
                                           "variables": {"L": []}})
    client.put_item(TableName=table, Item={"pk": {"S": "notes#s1"}, "sk": {"S": "0000000001.000000#old"},
                                           "note": {"S": '{"value": "hi", "extra": "flash"}'}})
    assert tasks.get("old", secret=SECRET).value == {"n": 5}
    assert tasks.take_notifications("s1", secret=SECRET) == [{"value": "hi", "extra": "flash"}]
