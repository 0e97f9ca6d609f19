"""Scheduled events: the cron examples step to their screens, then their cron events run as docassemble's do."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from offstage.engine.actions import decode_action
from offstage.engine.cron import cron_actions
from offstage.interview import load_interview_text
from offstage.sessions.cron import allows_cron

from tests.support.doubles import MovableClock
from tests.support.harness import Harness

UTC = dt.UTC
EVENING = dt.datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # 10 pm the day before in New York


@pytest.fixture
def run(corpus: Path):
    return lambda name, **kw: Harness(corpus / f"{name}.yml", **kw)


def _links(h: Harness) -> dict[str, tuple[str, dict]]:
    """The screen's links by their text -> the (action, arguments) they carry."""
    found = {}
    for href, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', h.screen.subquestion_text):  # type: ignore[arg-type]  # the screen has this text here
        query = parse_qs(urlparse(html.unescape(href)).query)
        assert query["session"] == [h.session_id]
        found[label] = decode_action(query["action"][0])
    return found


def test_alarm_clock_mails_after_the_wake_up_time_then_deletes_the_session(run):
    h = run("alarm-clock", clock=MovableClock(EVENING))
    assert h.text == "What is your e-mail address? E-mail"
    h.answer({"E-mail": "sleepy@example.com"})
    assert h.text == "When shall I wake you up? Time"
    h.answer({"Time": "7:00 AM"})
    assert h.text == "What is your time zone? Time zone"
    assert {"label": "America/New_York", "value": "America/New_York"} in h.screen.fields[0].choices
    h.answer({"Time zone": "America/New_York"})
    assert h.text == "Good night! I\u2019ll e-mail you when it\u2019s time to get up."
    assert h.cron("cron_hourly", at=EVENING + dt.timedelta(hours=3)).kind == "response"
    assert h.mailer.outbox == []
    assert h.answers["email_sent"] is False
    late = h.cron("cron_hourly", at=dt.datetime(2026, 3, 10, 11, 30, tzinfo=UTC))  # 7:30 am in New York
    assert [m["to"] for m in h.mailer.outbox] == [["sleepy@example.com"]]
    assert h.mailer.outbox[0]["subject"] == "Time to wake up!"
    assert "This is your wakeup e-mail!" in h.mailer.outbox[0]["body_text"]
    assert late.command == "exit"
    assert late.delete_session
    assert h.answers == {}
    assert h.deleted == 1
    assert h.cron("cron_hourly") is None  # nothing left to run on


def test_alarm_clock_keeps_trying_when_the_mail_is_refused(run):
    h = run("alarm-clock", clock=MovableClock(EVENING))
    h.answer({"E-mail": "sleepy@example.com"})
    h.answer({"Time": "7:00 AM"})
    h.answer({"Time zone": "America/New_York"})
    h.mailer.accept = False
    result = h.cron("cron_hourly", at=dt.datetime(2026, 3, 10, 12, 0, tzinfo=UTC))
    assert result.kind == "response"
    assert result.value == "E-mail could not be sent"
    assert result.save
    assert h.answers["email_sent"] is False
    assert h.deleted == 0


def test_cron_counter_counts_hourly_runs_then_exits(run):
    h = run("cron")
    assert h.text.startswith("The value of the counter is 0.")
    assert h.session_id in h.text
    for _ in range(3):
        assert h.cron("cron_hourly").kind == "background_response"
    h.press("Refresh")
    assert h.text.startswith("The value of the counter is 3.")
    assert h.cron("cron_daily") is None  # the interview has no cron_daily
    results = [h.cron("cron_hourly") for _ in range(46)]
    assert results[-1].delete_session
    assert h.deleted == 1
    assert h.answers == {}


def test_testcron_links_set_the_status_and_background_cron_calls_back(run):
    h = run("testcron", url_root="https://example.com")
    assert h.text.startswith("The current status is normal and the counter is 1.")
    links = _links(h)
    assert links["danger"] == ("set_status", {"status": "danger"})
    assert links["this"] == ("set_status", {})
    result = h.action(*links["danger"][:1], **links["danger"][1])
    assert (result.kind, result.value) == ("response", "danger")
    assert h.action("set_status").value == "danger"  # no argument: read without changing
    assert cron_actions(h.interview, "cron_hourly") == ["cron_hourly_background"]
    queued = h.cron("cron_hourly")
    assert queued.kind == "queued"
    assert queued.outbox[0].user["privileges"] == ["cron"]
    counter = h.answers["counter"]
    assert h.run_background() == 1
    assert h.answers["counter"] == counter + 1  # phase 1 counted on a copy; the callback saved that
    h.refresh()
    assert h.text.startswith(f"The current status is danger and the counter is {counter + 2}.")
    deleted = h.cron("cron_daily")
    assert deleted.command == "exit"
    assert h.answers == {}


def test_testcronbg_daily_background_and_weekly_exit(run):
    h = run("testcronbg")
    assert h.text.startswith("The current status is normal and the counter is 1.")
    hourly = h.cron("cron_hourly")
    assert hourly.value == "Cron hourly was called.  Counter is ${ counter }."
    assert hourly.save
    assert h.answers["counter"] == 2  # the initial block counts the cron pass too
    assert h.cron("cron_daily").kind == "queued"
    h.run_background()
    assert h.answers["counter"] == 555 + 3
    assert h.cron("cron_weekly").delete_session
    assert h.answers == {}


INACTIVE = """
mandatory: True
code: |
  multi_user = True
  allow_cron = True
---
event: cron_daily
code: |
  if last_access_days() > 30:
    command('exit')
  response("still active " + str(int(last_access_days())) + " " + str(user_has_privilege('cron')))
---
event: cron_weekly
code: |
  response(null=True)
---
mandatory: True
question: Hello
"""


def test_last_access_in_cron_leaves_out_the_cron_user():
    start = dt.datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    h = Harness(load_interview_text(INACTIVE, "inactive.yml"), clock=MovableClock(start))
    assert h.text == "Hello"
    assert allows_cron(h.answers)
    assert h.cron("cron_daily", at=start + dt.timedelta(days=10)).value == "still active 10 True"
    assert h.cron("cron_daily", at=start + dt.timedelta(days=25)).value == "still active 25 True"
    assert h.cron("cron_daily", at=start + dt.timedelta(days=31)).delete_session


def test_null_response_saves_nothing_and_opted_out_sessions_are_left_alone():
    h = Harness(load_interview_text(INACTIVE, "inactive.yml"))
    before = dict(h.answers["_internal"]["accesstime"])
    result = h.cron("cron_weekly")
    assert result.kind == "response"
    assert not result.save
    assert h.answers["_internal"]["accesstime"] == before  # not even the cron user's access
    opted_out = Harness(load_interview_text(INACTIVE.replace("allow_cron = True", "allow_cron = False"), "o.yml"))
    assert opted_out.cron("cron_daily") is None
    assert opted_out.answers["_internal"].get("accesstime")
