"""Scheduled tasks on the local emulation: how dispatch time grows with the number of eligible sessions
(index pages read, cron-queue messages sent), and what one session's cron run costs (load, run, save).

The dispatch figures run the real dispatcher (shards paged in threads, messages built and batched by
ten) over an in-memory cron index paged 1,000 keys at a time, sending to a counter. moto cannot carry
this: its Query reads the whole table on every page (0.8 s a page at 1,000 items) and its SQS slows as a
queue fills (1,000 messages 17 s, 2,000 messages 155 s on this machine), so over moto the emulator, not
the dispatcher, is quadratic. One row gives moto's SendMessageBatch cost on a near-empty queue.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
import urllib.request
from pathlib import Path
from typing import Any

from timing import REPO

INTERVIEWS = REPO / "tests" / "integration" / "cron_interviews"
SIZES = tuple(int(n) for n in os.environ.get("CRON_BENCH_SIZES", "1000,10000,100000").split(","))


def _fill(stack: Any, count: int, shards: int) -> None:
    from offstage.aws.sessions import cron_shard, cron_shard_key

    dynamodb = stack.client("dynamodb")
    table = stack.resources["SessionsTable"]
    batch: list[dict[str, Any]] = []
    for n in range(count):
        sid = f"{n:032x}"
        batch.append({"PutRequest": {"Item": {
            "pk": {"S": sid}, "sk": {"S": "current"}, "interview": {"S": "reminder.yml"},
            "multi_user": {"BOOL": True}, "cron_shard": {"S": cron_shard_key(cron_shard(sid, shards))},
            "cron_sort": {"S": f"reminder.yml#{sid}"}}}})
        if len(batch) == 25:
            dynamodb.batch_write_item(RequestItems={table: batch})
            batch = []
    if batch:
        dynamodb.batch_write_item(RequestItems={table: batch})


def _memory_index(count: int, shards: int) -> Any:
    from offstage.aws.sessions import cron_shard

    index: dict[int, list[tuple[str, str]]] = {n: [] for n in range(shards)}
    for n in range(count):
        sid = f"{n:032x}"
        index[cron_shard(sid, shards)].append(("reminder.yml", sid))

    def page(shard: int, start: Any) -> tuple[list[tuple[str, str]], Any]:
        offset = int(start or 0)
        entries = index[shard][offset:offset + 1000]
        return entries, (offset + 1000 if offset + 1000 < len(index[shard]) else None)

    return page


def dispatch_scaling() -> dict[str, float]:
    """Seconds and messages to dispatch one tick over 1k / 10k / 100k eligible sessions, and the growth."""
    import threading

    from offstage.app.cron import Tick, dispatch
    from offstage.aws.cron import CronQueue
    from offstage.local.stack import LocalStack

    found: dict[str, float] = {}
    shards = 16
    tick = Tick("cron_daily", dt.datetime.now(dt.UTC).replace(microsecond=0))
    lock = threading.Lock()
    for size in SIZES:
        page = _memory_index(size, shards)
        batches = [0]

        def send(bodies: list[dict[str, Any]], batches: list[int] = batches) -> int:
            payloads = [json.dumps(b, separators=(",", ":")) for b in bodies]  # what CronQueue.send does
            with lock:
                batches[0] += (len(payloads) + 9) // 10
            return len(payloads)

        t = time.perf_counter()
        report = dispatch(tick, shards=shards, page=page, send=send, defines=lambda *_: True)
        seconds = time.perf_counter() - t
        found[f"{size} sessions: seconds"] = seconds
        found[f"{size} sessions: messages"] = float(report.messages)
        found[f"{size} sessions: SendMessageBatch calls"] = float(batches[0])
    first, last = SIZES[0], SIZES[-1]
    found[f"growth {last // first}x sessions -> x time"] = (found[f"{last} sessions: seconds"]
                                                            / found[f"{first} sessions: seconds"])
    with LocalStack(interviews=[INTERVIEWS], with_http=False, with_poller=False) as stack:
        queue = CronQueue(queue_url=stack.resources["CronQueue"], endpoint_url=stack.endpoint)
        times = []
        for _ in range(20):
            t = time.perf_counter()
            queue.send([{"session_id": f"{n:032x}", "type": "cron_daily"} for n in range(10)])
            times.append(time.perf_counter() - t)
        found["moto SendMessageBatch of 10, queue under 200 messages: ms"] = sorted(times)[len(times) // 2] * 1000
    return found


def run_cost(n: int = 10) -> dict[str, float]:
    """Milliseconds per session of a cron_daily run of the seed's reminder interview: load, run, save."""
    from offstage.app.cron import parse_message, run_message
    from offstage.aws.cron import CronMarks
    from offstage.aws.sessions import DynamoSessionStore
    from offstage.aws.wiring import deps
    from offstage.local.stack import LocalStack

    load: list[float] = []
    save: list[float] = []
    with LocalStack(interviews=[INTERVIEWS], with_poller=False) as stack:
        filed = (dt.date.today() - dt.timedelta(days=25)).isoformat()
        for i in range(n):
            s = _api(stack, "GET", "/api/session/new?i=reminder.yml")
            for key, value in (("filing_date", filed), ("email_address", f"r{i}@example.com")):
                _api(stack, "POST", "/api/session", {"i": s["i"], "session": s["session"], "secret": s["secret"],
                                                     "variables": {key: value}})
        stack.invoke("CronDispatchFunction", {"type": "cron_daily"})
        sqs = stack.client("sqs")
        bodies = []
        while len(bodies) < n:
            got = sqs.receive_message(QueueUrl=stack.resources["CronQueue"], MaxNumberOfMessages=10,
                                      WaitTimeSeconds=1).get("Messages", [])
            if not got:
                break
            bodies.extend(m["Body"] for m in got)
        d = deps()
        marks = CronMarks(table=stack.resources["TasksTable"], endpoint_url=stack.endpoint)
        _timed(DynamoSessionStore, "load", load)
        _timed(DynamoSessionStore, "save", save)
        t = time.perf_counter()
        for body in bodies:
            run_message(d, parse_message(body), marks)
        total = time.perf_counter() - t
    count = max(1, len(bodies))
    per = total / count * 1000
    load_ms, save_ms = sum(load) / count * 1000, sum(save) / count * 1000
    return {"sessions": float(len(bodies)), "per_session_ms": per, "load_ms": load_ms, "save_ms": save_ms,
            "run_and_marks_ms": per - load_ms - save_ms}


def _timed(target: Any, name: str, bucket: list[float]) -> None:
    original = getattr(target, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            bucket.append(time.perf_counter() - t)

    setattr(target, name, wrapper)


def _api(stack: Any, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(stack.url + path, data=data, method=method,  # noqa: S310 - the URL of the local stack this bench started
                                 headers={"X-API-Key": stack.api_key, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:  # noqa: S310 - the URL of the local stack this bench started
        text = r.read()
        return json.loads(text) if text else {}


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    for label, value in {**dispatch_scaling(), **run_cost()}.items():
        print(f"{label}: {value:.2f}")
