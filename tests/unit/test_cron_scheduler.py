"""The local scheduler reads the template's schedules as EventBridge Scheduler does."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from offstage.local.scheduler import CronExpression, Schedule

NY = zoneinfo.ZoneInfo("America/New_York")


def test_the_daily_default_fires_at_6_25_new_york_time_whatever_the_season():
    daily = Schedule("daily", CronExpression.parse("cron(25 6 * * ? *)"), NY, '{"type": "cron_daily"}')
    winter = dt.datetime(2026, 1, 15, 11, 25, tzinfo=dt.UTC)  # 6:25 EST
    summer = dt.datetime(2026, 7, 15, 10, 25, tzinfo=dt.UTC)  # 6:25 EDT
    assert daily.due(winter)
    assert daily.due(summer)
    assert not daily.due(winter + dt.timedelta(minutes=1))
    assert not daily.due(summer + dt.timedelta(hours=1))


def test_weekly_and_monthly_name_their_day_and_the_input_carries_the_scheduled_time():
    weekly = CronExpression.parse("cron(47 6 ? * SUN *)")
    assert weekly.matches(dt.datetime(2026, 3, 1, 6, 47))
    assert not weekly.matches(dt.datetime(2026, 3, 2, 6, 47))
    monthly = CronExpression.parse("cron(52 6 1 * ? *)")
    assert monthly.matches(dt.datetime(2026, 4, 1, 6, 52))
    assert not monthly.matches(dt.datetime(2026, 4, 2, 6, 52))
    hourly = Schedule("h", CronExpression.parse("cron(17 * * * ? *)"), NY,
                      '{"type": "cron_hourly", "scheduled_time": "<aws.scheduler.scheduled-time>"}')
    assert hourly.event(dt.datetime(2026, 3, 1, 9, 17, tzinfo=dt.UTC)) == {
        "type": "cron_hourly", "scheduled_time": "2026-03-01T09:17:00Z"}


@pytest.mark.parametrize("text", ["rate(1 hour)", "cron(0 6 * *)", "cron(x 6 * * ? *)"])
def test_an_expression_it_cannot_read_is_refused_naming_it(text):
    with pytest.raises(ValueError, match="cron"):
        CronExpression.parse(text)


def test_the_template_s_four_schedules_are_read_with_their_parameters():
    from offstage.local.scheduler import schedules
    from offstage.local.stack import LocalStack

    found = {s.name: s for s in schedules(LocalStack())}  # not started: only the template is read
    assert set(found) == {f"CronDispatchFunction.{n}" for n in ("Hourly", "Daily", "Weekly", "Monthly")}
    daily = found["CronDispatchFunction.Daily"]
    assert daily.zone.key == "America/New_York"
    assert daily.enabled
    assert daily.event(dt.datetime(2026, 3, 1, 11, 25, tzinfo=dt.UTC))["type"] == "cron_daily"
