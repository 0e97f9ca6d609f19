"""Task states, notifications and DARedis lists in (emulated) DynamoDB."""

from __future__ import annotations

import json
import threading

import boto3
import pytest
from offstage.aws.kv import DynamoKeyValue
from offstage.aws.queue import SqsTaskQueue
from offstage.aws.tasks import DynamoTaskStore
from offstage.ports import QueuedTask, TaskState


@pytest.fixture
def tasks(aws):
    return DynamoTaskStore(table=aws.names["TasksTable"])


def _task(tid="t1", mode="flash"):
    return QueuedTask(task_id=tid, session_id="s1", interview="x.yml", action="bg", arguments={"a": 1},
                      ui_notification=mode)


def test_a_task_finishes_once_and_keeps_its_result(tasks):
    tasks.create(_task())
    assert tasks.get("t1").status == "pending"
    assert tasks.start("t1") is True
    assert tasks.start("t1") is False  # a duplicate delivery does not run it again
    assert tasks.finish(TaskState("t1", "done", value=555), {"value": "The answer is 555.", "extra": "flash"}, "s1")
    assert tasks.finish(TaskState("t1", "done", value=1), {"value": "again", "extra": "flash"}, "s1") is False
    state = tasks.get("t1")
    assert state.ready
    assert state.value == 555
    assert tasks.take_notifications("s1") == [{"value": "The answer is 555.", "extra": "flash"}]
    assert tasks.take_notifications("s1") == []


def test_failures_keep_docassemble_result_fields(tasks):
    tasks.create(_task())
    tasks.finish(TaskState("t1", "failed", error_type="ZeroDivisionError", error_message="division by zero",
                           error_trace="Traceback ...", variables=["x"]), None, "s1")
    state = tasks.get("t1")
    assert (state.status, state.error_type, state.variables) == ("failed", "ZeroDivisionError", ["x"])


def test_a_failures_flash_and_refresh_arrive_together_in_order(tasks):
    tasks.create(_task())
    flash, refresh = {"value": "It failed.", "extra": "flash"}, {"value": None, "extra": "refresh"}
    assert tasks.finish(TaskState("t1", "failed", error_type="ValueError"), flash, "s1", more=[refresh])
    # one transaction with the outcome: the first check-in that sees the task ended gets both
    assert tasks.pending_notifications("s1") == 0
    assert tasks.take_notifications("s1") == [flash, refresh]
    assert tasks.finish(TaskState("t1", "failed"), flash, "s1", more=[refresh]) is False
    assert tasks.take_notifications("s1") == []


def test_pending_notifications_count_running_tasks_with_a_notification(tasks):
    tasks.create(_task("a"))
    tasks.create(_task("b", mode=None))
    assert tasks.pending_notifications("s1") == 1
    tasks.finish(TaskState("a", "done"), {"value": None, "extra": "refresh"}, "s1")
    assert tasks.pending_notifications("s1") == 0


def test_two_concurrent_check_ins_get_each_notification_once(tasks, atomic_requests):
    for i in range(8):
        tasks.create(_task(f"t{i}"))
        tasks.finish(TaskState(f"t{i}", "done"), {"value": i, "extra": "flash"}, "s1")
    got: list[list] = [[], []]

    def take(slot):
        got[slot].extend(tasks.take_notifications("s1"))

    threads = [threading.Thread(target=take, args=(n,)) for n in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    values = sorted(n["value"] for n in got[0] + got[1])
    assert values == list(range(8))


def test_revoke(tasks):
    tasks.create(_task())
    assert tasks.revoke("t1") is True
    assert tasks.get("t1").status == "revoked"
    assert tasks.revoke("t1") is False


def test_kv_lists_pop_in_order(aws):
    kv = DynamoKeyValue(table=aws.names["TasksTable"])
    assert kv.lpop("log") is None
    kv.rpush("log", b"Waking up.")
    assert kv.rpush("log", b"Ok, I am awake now.") == 2
    assert kv.lpop("log") == b"Waking up."
    assert kv.lpop("log") == b"Ok, I am awake now."
    assert kv.lpop("log") is None
    kv.set("k", b"v")
    assert kv.get("k") == b"v"
    kv.delete("k")
    assert kv.get("k") is None


def test_queue_sends_the_task_as_json(aws):
    url = aws.names["BackgroundQueue"]
    SqsTaskQueue(queue_url=url).send(_task())
    body = boto3.client("sqs").receive_message(QueueUrl=url)["Messages"][0]["Body"]
    assert json.loads(body)["action"] == "bg"
    assert json.loads(body)["arguments"] == {"a": 1}


def test_a_claim_held_by_a_dead_worker_ends_with_its_lease(tasks):
    tasks.create(_task())
    assert tasks.start("t1", lease_seconds=-1) is True  # that worker's lease is already over
    assert tasks.start("t1", lease_seconds=600) is True  # so the redelivery may run the task
    assert tasks.start("t1", lease_seconds=600) is False


def test_a_failure_flash_is_followed_by_a_refresh(tasks):
    tasks.create(_task())
    tasks.finish(TaskState("t1", "failed", error_type="ValueError"), {"value": "failed", "extra": "flash"}, "s1")
    tasks.add_notification("s1", {"value": None, "extra": "refresh"})
    assert [n["extra"] for n in tasks.take_notifications("s1")] == ["flash", "refresh"]


def test_values_json_cannot_hold_are_kept_as_text_inside_their_structure(tasks):
    import datetime as dt

    when = dt.date(2026, 1, 2)
    tasks.create(_task())
    tasks.finish(TaskState("t1", "done", value={"n": 1, "when": when}), {"value": when, "extra": "flash"}, "s1")
    assert tasks.get("t1").value == {"n": 1, "when": repr(when)}
    assert tasks.take_notifications("s1") == [{"value": repr(when), "extra": "flash"}]


def test_a_revoked_task_no_longer_owes_a_notification(tasks):
    tasks.create(_task())
    assert tasks.pending_notifications("s1") == 1
    tasks.revoke("t1")
    assert tasks.pending_notifications("s1") == 0
    assert tasks.finish(TaskState("t1", "done", value=1), {"value": 1, "extra": "flash"}, "s1") is False
    assert tasks.take_notifications("s1") == []


def test_kv_values_expire(aws, monkeypatch):
    import time
    import types

    from offstage.aws import kv as kv_module

    kv = DynamoKeyValue(table=aws.names["TasksTable"])
    kv.set("short", b"v", expire_seconds=60)
    kv.set("long", b"w")
    assert kv.get("short") == b"v"
    monkeypatch.setattr(kv_module, "time", types.SimpleNamespace(time=lambda: time.time() + 61, sleep=time.sleep))
    assert kv.get("short") is None
    assert kv.get("long") == b"w"


def test_kv_pops_each_value_once_while_others_pop_and_push(aws, atomic_requests):
    kv = DynamoKeyValue(table=aws.names["TasksTable"])
    for i in range(12):
        kv.rpush("jobs", str(i).encode())
    got: list[list[bytes]] = [[], []]
    pushed = threading.Event()

    def push():
        for i in range(12, 24):
            kv.rpush("jobs", str(i).encode())
        pushed.set()

    def pop(slot):
        while (value := kv.lpop("jobs")) is not None or not pushed.is_set():
            if value is not None:
                got[slot].append(value)

    threads = [threading.Thread(target=push)] + [threading.Thread(target=pop, args=(n,)) for n in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(int(v) for v in got[0] + got[1]) == list(range(24))  # none lost, none twice
    assert all(g == sorted(g, key=int) for g in got)  # each popper sees the list's order


def test_of_two_concurrent_deliveries_one_starts_and_finishes(tasks, atomic_requests):
    tasks.create(_task())
    outcomes = []

    def deliver(n):
        if tasks.start("t1"):  # what the worker does: a delivery that cannot claim the task stops
            outcomes.append(tasks.finish(TaskState("t1", "done", value=n), {"value": n, "extra": "flash"}, "s1"))

    threads = [threading.Thread(target=deliver, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == [True]
    assert [n["value"] for n in tasks.take_notifications("s1")] == [tasks.get("t1").value]
