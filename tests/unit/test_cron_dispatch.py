"""Dispatching one tick: every eligible session once, in parallel shards, carrying on from a checkpoint."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from offstage.app.cron import BadTick, Tick, dispatch, parse_message, parse_tick

TICK = Tick("cron_daily", dt.datetime(2026, 3, 1, 11, 25, tzinfo=dt.UTC))


def index(shards: int, per_shard: int, interview=lambda n: "r.yml"):
    """A fake cron index: shard -> [(interview, session id)], read in pages of 3."""
    data = {s: [(interview(n), f"s{s}-{n}") for n in range(per_shard)] for s in range(shards)}
    reads = []

    def page(shard, start):
        offset = int(start or 0)
        reads.append((shard, offset))
        following = offset + 3 if offset + 3 < len(data[shard]) else None
        return data[shard][offset:offset + 3], following

    return page, reads


def test_every_listed_session_of_an_interview_that_defines_the_event_gets_one_message():
    page, _ = index(4, 7, interview=lambda n: "r.yml" if n % 2 else "quiet.yml")
    sent, lock = [], threading.Lock()

    def send(bodies):
        with lock:
            sent.extend(bodies)
        return len(bodies)

    report = dispatch(TICK, shards=4, page=page, send=send, defines=lambda name, kind: name == "r.yml")
    assert report.checkpoint is None
    assert report.listed == 28
    assert sorted(b["session_id"] for b in sent) == sorted(f"s{s}-{n}" for s in range(4) for n in range(1, 7, 2))
    assert {(b["type"], b["scheduled_time"]) for b in sent} == {("cron_daily", "2026-03-01T11:25:00Z")}
    assert report.messages == len(sent) == 12


def test_a_run_short_of_time_stops_with_a_checkpoint_and_the_next_goes_on_without_repeating():
    page, reads = index(3, 10)
    sent: list[str] = []
    budget = {"calls": 0}

    def time_left():  # plenty for five pages, then nearly nothing
        budget["calls"] += 1
        return 600.0 if budget["calls"] <= 5 else 1.0

    def send(bodies):
        sent.extend(b["session_id"] for b in bodies)
        return len(bodies)

    first = dispatch(TICK, shards=3, page=page, send=send, defines=lambda *_: True, time_left=time_left,
                     threads=1)
    assert first.checkpoint is not None
    assert 0 < len(sent) < 30
    reads.clear()
    second = dispatch(TICK, shards=3, page=page, send=send, defines=lambda *_: True,
                      checkpoint=first.checkpoint, threads=1)
    assert second.checkpoint is None
    assert sorted(sent) == sorted(f"s{s}-{n}" for s in range(3) for n in range(10))  # each exactly once
    assert (0, 0) not in reads  # the first shard was not read from its beginning again


def test_an_interview_that_no_longer_loads_skips_its_sessions_and_the_others_go_on():
    page, _ = index(1, 4, interview=lambda n: "gone.yml" if n == 0 else "r.yml")

    def defines(name, kind):
        if name == "gone.yml":
            raise FileNotFoundError(name)
        return True

    report = dispatch(TICK, shards=1, page=page, send=len, defines=defines)
    assert report.messages == 3


@pytest.mark.parametrize(("event", "problem"), [
    ({"type": "cron daily"}, "variable name"), ({"type": "class"}, "variable name"), ({}, "variable name"),
    ({"type": "cron_daily", "scheduled_time": "tomorrow"}, "ISO 8601"), ("cron_daily", "JSON object")])
def test_a_malformed_tick_is_refused_naming_the_problem(event, problem):
    with pytest.raises(BadTick, match=problem):
        parse_tick(event)


def test_any_variable_name_is_a_type_and_the_scheduler_time_is_read_as_utc():
    tick = parse_tick({"type": "send_reminders", "scheduled_time": "2026-03-01T06:25:00-05:00"})
    assert tick.kind == "send_reminders"
    assert tick.stamp == "2026-03-01T11:25:00Z"
    assert parse_tick({"type": "cron_hourly", "scheduled_time": "<aws.scheduler.scheduled-time>"}).at.tzinfo


def test_a_cron_message_without_its_session_is_refused():
    with pytest.raises(BadTick, match="session_id"):
        parse_message('{"type": "cron_daily", "scheduled_time": "2026-03-01T11:25:00Z", "interview": "r.yml"}')
    with pytest.raises(BadTick, match="not JSON"):
        parse_message("{")
