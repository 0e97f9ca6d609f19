"""Scheduled tasks on the local stack over HTTP and the CLI: ticks fired with `offstage cron --at`,
e-mail read back from /_local/outbox, as an author would check them."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.api import api_call as call

HERE = Path(__file__).parent / "cron_interviews"
EX = "docassemble.base:data/questions/examples/"
UTC = dt.UTC


@pytest.fixture(scope="module")
def stack(corpus):
    from offstage.local.stack import LocalStack

    with LocalStack(interviews=[HERE, corpus]) as running:
        yield running


def start(stack, name, variables=None):
    status, s = call(stack, "GET", f"/api/session/new?i={name}")
    assert status == 200, s
    for key, value in (variables or {}).items():
        status, q = call(stack, "POST", "/api/session", {"i": s["i"], "session": s["session"],
                                                          "secret": s["secret"], "variables": {key: value}})
        assert status == 200, q
    status, q = call(stack, "GET", f"/api/session/question?i={s['i']}&session={s['session']}&secret={s['secret']}")
    assert status == 200, q  # the interview's mandatory code has run
    return s


def soon(days, hour=11, minute=25):
    """A tick time a few days from now (sessions expire 90 days after their last save)."""
    return (dt.datetime.combine(dt.date.today(), dt.time(hour, minute), UTC) + dt.timedelta(days=days)).isoformat()


def variables(stack, s):
    status, found = call(stack, "GET", f"/api/session?i={s['i']}&session={s['session']}&secret={s['secret']}")
    return status, found


def cli_cron(stack, kind, at):
    out = subprocess.run([sys.executable, "-m", "offstage.cli", "cron", kind, "--at", at, "--url", stack.url],
                         capture_output=True, text=True, timeout=600)
    return out.returncode, out.stdout, out.stderr


def fire(stack, kind, at):
    status, report = call(stack, "POST", "/_local/cron", {"type": kind, "at": at})
    assert status == 200, report
    assert report["drained"] is True
    return report


def outbox_to(stack, address):
    status, found = call(stack, "GET", "/_local/outbox.json")
    assert status == 200
    return [m for m in found["messages"] if address in m["to"]]


def test_the_seed_reminder_mails_once_on_the_first_daily_run_after_day_20(stack):
    filed = dt.date.today()
    start(stack, "reminder.yml", {"filing_date": filed.isoformat(), "email_address": "filer@example.com"})

    def daily(days):
        return (dt.datetime.combine(filed, dt.time(11, 25), UTC) + dt.timedelta(days=days)).isoformat()

    # filed at midnight in New York: the day-19 run (6:25) is 19.27 days later, the day-20 run 20.27
    for days in (1, 10, 19):
        code, out, err = cli_cron(stack, "cron_daily", daily(days))
        assert code == 0, err
        assert json.loads(out)["messages"] >= 1
        assert outbox_to(stack, "filer@example.com") == []
    assert cli_cron(stack, "cron_daily", daily(20))[0] == 0
    (mail,) = outbox_to(stack, "filer@example.com")
    assert mail["subject"].strip() == "Hey, it's been 20 days."
    assert "Don't forget about that thing you need to do!" in mail["text"]
    for days in (21, 22, 40):
        assert cli_cron(stack, "cron_daily", daily(days))[0] == 0
    assert len(outbox_to(stack, "filer@example.com")) == 1
    status, html_page = call(stack, "GET", "/_local/outbox")
    assert status == 200
    assert "Hey, it&#x27;s been 20 days." in html_page


def test_sessions_not_multi_user_or_without_a_flag_are_never_dispatched(stack):
    base = fire(stack, "cron_daily", soon(30))["messages"]
    for name, address in (("no-flag.yml", "noflag@example.com"), ("not-multi-user.yml", "private@example.com")):
        start(stack, name, {"filing_date": dt.date.today().isoformat(), "email_address": address})
    after = fire(stack, "cron_daily", soon(31))["messages"]
    assert after == base  # neither new session was listed, so neither was opened
    assert outbox_to(stack, "noflag@example.com") == []
    assert outbox_to(stack, "private@example.com") == []
    store = _store(stack)
    assert store.cron_sessions("no-flag.yml") == []
    assert store.cron_sessions("not-multi-user.yml") == []


def _store(stack):
    from offstage.aws.wiring import deps

    return deps().sessions


def test_cron_yml_counts_one_per_tick_even_when_the_tick_or_its_message_comes_twice(stack):
    s = start(stack, EX + "cron.yml")
    assert variables(stack, s)[1]["counter"] == 0
    fire(stack, "cron_hourly", soon(2, 10, 17))
    assert variables(stack, s)[1]["counter"] == 1
    fire(stack, "cron_hourly", soon(2, 10, 17))  # the scheduler delivered the same tick again
    assert variables(stack, s)[1]["counter"] == 1
    message = {"type": "cron_hourly", "scheduled_time": soon(2, 11, 17), "interview": s["i"],
               "session_id": s["session"]}
    sqs = stack.client("sqs")
    for _ in range(2):  # SQS delivered one message twice
        sqs.send_message(QueueUrl=stack.resources["CronQueue"], MessageBody=json.dumps(message))
    from offstage.local.scheduler import drain

    assert drain(stack, 60)
    assert variables(stack, s)[1]["counter"] == 2
    fire(stack, "cron_hourly", soon(2, 12, 17))
    assert variables(stack, s)[1]["counter"] == 3


def test_testcron_daily_exit_deletes_the_session_and_the_hourly_background_saves_the_counter(stack):
    s = start(stack, EX + "testcron.yml")
    before = variables(stack, s)[1]["counter"]
    fire(stack, "cron_hourly", soon(3, 10, 17))  # cron_hourly_background -> save_counter
    assert variables(stack, s)[1]["counter"] >= before
    fire(stack, "cron_daily", soon(4))  # command('exit') deletes it
    status, _ = variables(stack, s)
    assert status in (400, 404)


def test_testcronbg_daily_background_sets_the_counter_and_weekly_deletes(stack):
    s = start(stack, EX + "testcronbg.yml")
    counter = variables(stack, s)[1]["counter"]
    # the background task's pass runs `initial` (counter + 1) before the event: bg_response saves 555 + that
    fire(stack, "cron_daily", soon(5))
    assert variables(stack, s)[1]["counter"] == 555 + counter + 1
    fire(stack, "cron_hourly", soon(5, 12, 17))  # response(...) is saved, with the pass's counter + 1
    assert variables(stack, s)[1]["counter"] == 555 + counter + 2
    fire(stack, "cron_weekly", soon(6, 11, 47))
    assert variables(stack, s)[0] in (400, 404)


def test_alarm_clock_mails_after_the_wake_up_time_then_deletes_itself(stack):
    s = start(stack, EX + "alarm-clock.yml", {"email": "sleepy@example.com"})
    call(stack, "POST", "/api/session", {"i": s["i"], "session": s["session"], "secret": s["secret"],
                                         "variables": {"raw_wakeup_time": "7:00 AM"}})
    call(stack, "POST", "/api/session", {"i": s["i"], "session": s["session"], "secret": s["secret"],
                                         "variables": {"timezone": "America/New_York"}})
    today = dt.date.today()
    late = dt.datetime.combine(today + dt.timedelta(days=2), dt.time(18, 17), UTC)  # well past 7 am there
    fire(stack, "cron_hourly", late.isoformat())
    (mail,) = outbox_to(stack, "sleepy@example.com")
    assert mail["subject"].strip() == "Time to wake up!"
    assert variables(stack, s)[0] in (400, 404)  # command('exit') after the mail


def test_bad_input_is_refused_clearly_and_a_failing_session_does_not_stop_the_others(stack):
    status, body = call(stack, "POST", "/_local/cron", {"type": "cron daily; rm"})
    assert status == 400
    assert "variable name" in body["message"]
    status, body = call(stack, "POST", "/_local/cron", {"type": "cron_daily", "at": "yesterday"})
    assert status == 400
    assert "ISO 8601" in body["message"]
    code, _, err = cli_cron(stack, "cron_daily", "not-a-time")
    assert code == 2
    assert "ISO 8601" in err
    broken = start(stack, "raises.yml")
    ok = start(stack, "reminder.yml", {"filing_date": dt.date.today().isoformat(), "email_address": "other@example.com"})
    report = fire(stack, "cron_daily", soon(25))
    assert report["drained"]
    assert len(outbox_to(stack, "other@example.com")) == 1  # the other session ran
    assert variables(stack, broken)[0] == 200  # the failing one is kept as it was
    assert variables(stack, ok)[0] == 200


def test_the_cron_user_is_itself_and_its_own_visits_do_not_count_as_access(stack):
    s = start(stack, "cron-user.yml")
    fire(stack, "cron_weekly", soon(2, 11, 47))  # command('leave') keeps the session, and what ran is saved
    assert variables(stack, s)[1]["seen"] == ["weekly"]
    fire(stack, "cron_daily", soon(10))
    fire(stack, "cron_daily", soon(20))
    _status, found = variables(stack, s)
    # the cron user has the 'cron' privilege and is 'Cron User'; the days count from the real user's visit,
    # not from the cron saves on day 2 and day 10
    assert found["seen"][1:] == [[True, "Cron", True, 10], [True, "Cron", True, 20]]
    fire(stack, "cron_daily", soon(31))  # more than 30 days since a real user came: command('exit')
    assert variables(stack, s)[0] in (400, 404)


def test_a_session_cron_keeps_saving_stays_and_an_idle_one_is_gone_before_ttl_removes_it(stack):
    """The seed's "Deleting interviews": a session idle past its delete days (90) is gone for every reader
    from that moment, while DynamoDB still holds its item (TTL deletes days later); a session that a
    scheduled task keeps saving stays, as in docassemble."""
    import boto3
    from offstage.aws.sessions import DynamoSessionStore
    from offstage.errors import SessionNotFound

    kept = start(stack, EX + "cron.yml")  # multi_user, allow_cron: each hourly tick saves its counter
    idle = start(stack, "not-multi-user.yml")  # never opened by cron: nobody touches it again
    fire(stack, "cron_hourly", soon(60, 10, 17))
    fire(stack, "cron_hourly", soon(120, 10, 17))  # 120 days on: the kept session was saved 60 days ago

    day_130 = dt.datetime.fromisoformat(soon(130)).timestamp()
    reader = DynamoSessionStore(table=stack.resources["SessionsTable"], host=stack.endpoint,
                                bucket=stack.resources["PayloadBucket"], now=lambda: day_130)
    assert reader.load(kept["session"], secret=None).answers["counter"] == 2
    with pytest.raises(SessionNotFound):
        reader.load(idle["session"], secret=idle["secret"])
    item = boto3.client("dynamodb", endpoint_url=stack.endpoint, region_name="us-east-1").get_item(
        TableName=stack.resources["SessionsTable"], Key={"pk": {"S": idle["session"]}, "sk": {"S": "current"}})
    assert "Item" in item  # still stored: only the reading says it is gone, before TTL removes it
