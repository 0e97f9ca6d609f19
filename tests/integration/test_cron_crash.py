"""Exactly-once e-mail: a cron worker that dies after send_email() went out but before the session was
saved is run again by SQS, and the mail is not sent a second time (the intent was recorded first)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.integration.test_cron_local import HERE, fire, outbox_to, soon, start, variables


@pytest.fixture(scope="module")
def stack(corpus):
    from offstage.local.stack import LocalStack

    with LocalStack(interviews=[HERE, corpus]) as running:
        yield running


def test_a_worker_killed_between_sending_and_saving_sends_one_e_mail(stack, monkeypatch):
    from offstage.aws.sessions import DynamoSessionStore

    filed = dt.date.today() - dt.timedelta(days=25)
    s = start(stack, "reminder.yml", {"filing_date": filed.isoformat(), "email_address": "crash@example.com"})
    real_save = DynamoSessionStore.save
    killed: list[Any] = []

    def dies_once(self, record, answers, **kw):
        if not killed and answers.get("_internal", {}).get("tasks", {}).get("20 day reminder"):
            killed.append(record.session_id)  # the mail went out; the process dies before the save
            raise RuntimeError("the worker was killed")
        return real_save(self, record, answers, **kw)

    monkeypatch.setattr(DynamoSessionStore, "save", dies_once)
    fire(stack, "cron_daily", soon(0))
    assert killed == [s["session"]]  # it really died after sending
    (mail,) = outbox_to(stack, "crash@example.com")  # SQS ran it again: no second mail
    assert mail["subject"].strip() == "Hey, it's been 20 days."
    assert variables(stack, s)[1]["email_address"] == "crash@example.com"  # the retry saved the session
    fire(stack, "cron_daily", soon(1))
    assert len(outbox_to(stack, "crash@example.com")) == 1  # and the task counts as performed
