"""The local stack's EventBridge Scheduler: the template's ScheduleV2 events fire on their own, and
`fire()` runs one tick on demand (`offstage cron <type> --at ...`, POST /_local/cron).

A tick invokes the dispatcher in-process with the schedule's Input (its `<aws.scheduler.scheduled-time>`
filled in), then waits until the cron and background queues are drained by the stack's pollers, so
whoever fired it can look at the outcome (the outbox, the sessions) right after.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
import zoneinfo
from dataclasses import dataclass
from typing import Any

from offstage.local.service_thread import ServiceThread

log = logging.getLogger(__name__)

DISPATCHER = "CronDispatchFunction"
_DAYS = {n: i for i, n in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], start=1)}
_MONTHS = {n: i for i, n in enumerate(["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
                                        "NOV", "DEC"], start=1)}


def _field(text: str, low: int, high: int, names: dict[str, int] | None = None) -> set[int]:
    """The values one cron field allows: *, ?, numbers, names, lists, ranges and steps."""
    allowed: set[int] = set()
    for part in text.upper().split(","):
        base, _, step = part.partition("/")
        if base in ("*", "?"):
            first, last = low, high
        else:
            ends = [names.get(x, x) if names else x for x in base.split("-")]
            try:
                first, last = int(ends[0]), int(ends[-1])
            except ValueError:
                raise ValueError(f"the local scheduler cannot read the cron field {text!r}") from None
            if step:
                last = high
        allowed.update(range(first, last + 1, int(step) if step else 1))
    return allowed


@dataclass
class CronExpression:
    """EventBridge Scheduler's `cron(minutes hours day-of-month month day-of-week year)`."""

    minutes: set[int]
    hours: set[int]
    days: set[int] | None
    months: set[int]
    weekdays: set[int] | None

    @classmethod
    def parse(cls, expression: str) -> CronExpression:
        found = re.fullmatch(r"\s*cron\((.*)\)\s*", expression)
        parts = found.group(1).split() if found else []
        if len(parts) != 6:
            raise ValueError(f"not a cron(...) expression of six fields: {expression!r}")
        minute, hour, day, month, weekday, _year = parts
        return cls(_field(minute, 0, 59), _field(hour, 0, 23), None if day == "?" else _field(day, 1, 31),
                   _field(month, 1, 12, _MONTHS), None if weekday == "?" else _field(weekday, 1, 7, _DAYS))

    def matches(self, moment: dt.datetime) -> bool:
        weekday = (moment.isoweekday() % 7) + 1  # SUN = 1 ... SAT = 7
        return (moment.minute in self.minutes and moment.hour in self.hours and moment.month in self.months
                and (self.days is None or moment.day in self.days)
                and (self.weekdays is None or weekday in self.weekdays))


@dataclass
class Schedule:
    name: str
    expression: CronExpression
    zone: zoneinfo.ZoneInfo
    input: str
    enabled: bool = True

    def due(self, minute: dt.datetime) -> bool:
        return self.enabled and self.expression.matches(minute.astimezone(self.zone))

    def event(self, at: dt.datetime) -> dict[str, Any]:
        stamp = at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return dict(json.loads(self.input.replace("<aws.scheduler.scheduled-time>", stamp)))


def schedules(stack: Any) -> list[Schedule]:
    """The ScheduleV2 events of the template's functions, their parameters resolved."""
    from offstage.local.template import parameter_defaults, resolve

    params = parameter_defaults(stack.template)

    def ref(name: str) -> str:
        return params[name]

    found = []
    for logical, spec in stack.functions.items():
        for name, event in spec["events"].items():
            if event.get("Type") != "ScheduleV2":
                continue
            props = {k: resolve(v, ref, lambda *_: "") for k, v in (event.get("Properties") or {}).items()}
            found.append(Schedule(f"{logical}.{name}", CronExpression.parse(str(props["ScheduleExpression"])),
                                  zoneinfo.ZoneInfo(str(props.get("ScheduleExpressionTimezone") or "UTC")),
                                  str(props.get("Input") or "{}"), str(props.get("State", "ENABLED")) == "ENABLED"))
    return found


def fire(stack: Any, kind: str, at: dt.datetime | None = None, *, wait_seconds: float = 120.0) -> dict[str, Any]:
    """Run one tick now, as if scheduled at `at`; returns the dispatcher's report plus `drained`.

    Raises offstage.app.cron.BadTick for a type or time it cannot take.
    """
    from offstage.app.cron import parse_tick

    tick = parse_tick({"type": kind, "scheduled_time": at.isoformat() if at else None})
    report = dict(stack.invoke(DISPATCHER, {"type": tick.kind, "scheduled_time": tick.stamp}))
    report["drained"] = drain(stack, wait_seconds)
    return report


def drain(stack: Any, wait_seconds: float) -> bool:
    """Wait until every queue a poller reads is empty (its messages handled or dead-lettered)."""
    from offstage.local.template import sqs_events

    sqs = stack.client("sqs")
    urls = [stack.resources[source["queue"]] for source in sqs_events(stack.template)
            if source["queue"] in stack.resources]
    give_up = time.monotonic() + wait_seconds
    quiet = 0
    while time.monotonic() < give_up:
        busy = 0
        for url in urls:
            attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed"])["Attributes"]
            busy += sum(int(v) for v in attributes.values())
        quiet = quiet + 1 if busy == 0 else 0
        if quiet >= 2:  # twice in a row: a cron run may queue a background task just as it finishes
            return True
        time.sleep(0.2)
    return False


class Scheduler(ServiceThread):
    """A thread that fires each schedule at the minute its expression names (in its time zone)."""

    thread_name = "offstage-scheduler"

    def __init__(self, stack: Any) -> None:
        super().__init__()
        self.stack = stack
        self.schedules = schedules(stack)

    def _loop(self) -> None:
        last = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
        while not self._stop.wait(1.0):
            minute = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
            if minute <= last:
                continue
            last = minute
            for schedule in self.schedules:
                if schedule.due(minute):
                    try:
                        self.stack.invoke(DISPATCHER, schedule.event(minute))
                    except Exception:  # a failed tick is logged; the next one comes
                        log.exception("the local schedule %s failed", schedule.name)


def attach_scheduler(stack: Any) -> Scheduler | None:
    """Add the scheduler to the stack's services when the template has a dispatcher."""
    if DISPATCHER not in stack.functions:
        return None
    scheduler = Scheduler(stack)
    stack.add_service(scheduler)
    return scheduler
