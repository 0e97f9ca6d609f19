"""Functions that read or change the session: tasks, access times, users, e-mail, DARedis, files."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from offstage.context import UserInfo
from offstage.library import exports
from offstage.library.access import last_access_days, last_access_minutes, last_access_time, record_access
from offstage.library.daredis import DARedis
from offstage.library.files import DAFile
from offstage.library.geography import countries_list, country_name, state_name, states_list
from offstage.library.mail import get_emails, interview_email, send_email
from offstage.library.objects import DAList, DAObject
from offstage.library.tasks import (
    mark_task_as_performed,
    set_task_counter,
    task_not_yet_performed,
    task_performed,
    times_task_performed,
)
from offstage.library.users import user_has_privilege, user_info, user_logged_in, user_privileges

from tests.unit.test_library_support import NOW, entered_context


@pytest.fixture
def ctx(monkeypatch):
    yield from entered_context(monkeypatch)



def test_tasks_count_in_the_answers_and_persistent_ones_apart(ctx):
    assert task_not_yet_performed("remind")
    assert times_task_performed("remind") == 0
    assert mark_task_as_performed("remind") == 1
    assert mark_task_as_performed("remind") == 2
    assert task_performed("remind")
    assert ctx.answers["_internal"]["tasks"] == {"remind": 2}
    set_task_counter("remind", 0)
    assert not task_performed("remind")
    mark_task_as_performed("fruit", persistent=True)
    assert task_performed("fruit", persistent=True)
    assert not task_performed("fruit")
    assert ctx.answers["_internal"]["persistent_tasks"] == {"fruit": 1}
    with pytest.raises(ValueError, match="not supported yet"):
        task_performed("x", persistent="global")


def test_last_access_leaves_out_cron_unless_asked(ctx):
    assert last_access_time() is None
    assert last_access_days() == 0
    record_access(ctx.answers, UserInfo(id="7", privileges=["user", "client"], logged_in=True),
                  NOW - dt.timedelta(days=2))
    record_access(ctx.answers, UserInfo.cron(), NOW - dt.timedelta(hours=1))
    assert last_access_days() == pytest.approx(2.0)
    assert last_access_minutes(include_cron=True) == pytest.approx(60.0)
    assert last_access_time("client") == NOW - dt.timedelta(days=2)
    assert last_access_time("advocate") is None
    assert last_access_time(timezone="America/New_York").hour == 10


def test_anonymous_and_logged_in_users(ctx):
    assert not user_logged_in()
    assert user_privileges() == ["user"]
    assert user_info().first_name == "Anonymous"
    assert user_info().session == "sess1"
    ctx.user = UserInfo(id="3", email="a@b.c", first_name="Ann", privileges=["user", "customer"], logged_in=True)
    assert user_logged_in()
    assert user_has_privilege("customer")
    assert user_has_privilege(["admin", "user"])
    assert not user_has_privilege("admin")
    assert user_info().email == "a@b.c"


def test_send_email_with_a_template_marks_the_task_only_when_sent(ctx):
    template = SimpleNamespace(subject="Wake up", content="It is **time**.")
    person = DAObject("person", email="ann@example.com", name="Ann")
    assert send_email(to=[person, "bob@example.com"], template=template, task="wakeup")
    message = ctx.ports.mailer.sent[0]
    assert message["to"] == ["Ann <ann@example.com>", "bob@example.com"]
    assert message["subject"] == "Wake up"
    assert message["body_text"] == "It is **time**."
    assert "<strong>time</strong>" in message["body_html"]
    assert task_performed("wakeup")
    ctx.ports.mailer.works = False
    assert send_email(to="c@example.com", body="hi", task="other") is False
    assert task_not_yet_performed("other")


def test_send_email_asks_for_a_missing_address(ctx):
    with pytest.raises(AttributeError) as caught:
        send_email(to=DAList("people", elements=[DAObject("people[0]")]), body="x")
    assert caught.value.offstage_name == "people[0].email"


def test_inbound_email_is_refused_clearly(ctx):
    for function in (interview_email, get_emails):
        with pytest.raises(NotImplementedError, match="not supported by offstage yet"):
            function()


def test_daredis_keeps_a_list_of_bytes(ctx):
    r = DARedis("r")
    key = r.key("log:" + ctx.session_id)
    assert key == "da:demo.yml:log:sess1"
    r.rpush(key, "Waking up.")
    assert r.rpush(key, "Done.") == 2
    assert r.lpop(key).decode() == "Waking up."
    assert r.lpop(key) == b"Done."
    assert r.lpop(key) is None
    r.set_data("k", {"a": [1]})
    assert r.get_data("k") == {"a": [1]}


def test_files_store_bytes_through_the_file_port(ctx):
    letter = DAFile("letter")
    letter.initialize(filename="letter.txt")
    letter.write("Dear Ann")
    assert letter.slurp() == "Dear Ann"
    assert letter.mimetype == "text/plain"
    # the app's download route, which only the session's owner can open (not a bearer URL of the bucket)
    assert letter.url_for() == f"/interview/file?i=demo.yml&file={letter.file_id}&filename=letter.txt"
    assert send_email(to="a@b.c", body="see", attachments=[letter])
    assert ctx.ports.mailer.sent[-1]["attachments"][0]["data"] == b"Dear Ann"


def test_countries_and_states():
    assert countries_list()[0] == {"AF": "Afghanistan"}
    assert country_name("US") == "United States"
    assert states_list("PT")["04"] == "Bragança"
    assert state_name("NY") == "New York"
    assert state_name("04", country_code="PT") == "Bragança"
    assert states_list("VA") == {}


def test_exports_hold_every_public_name():
    names = exports()
    for name in ("DAObject", "DAList", "DARedis", "comma_and_list", "format_date", "date_interval",
                 "send_email", "states_list", "task_performed", "last_access_days", "user_info"):
        assert name in names, name
    assert all(not name.startswith("_") for name in names)
