"""Dates and times: the context's clock, the default time zone and docassemble's formats."""

from __future__ import annotations

import datetime as dt

import pytest
from offstage.library.date_difference import date_difference
from offstage.library.dates import (
    DADateTime,
    as_datetime,
    current_datetime,
    day_of,
    dow_of,
    format_date,
    format_datetime,
    format_time,
    month_of,
    timezone_list,
    today,
    year_of,
)
from offstage.library.interval import date_interval

from tests.conftest import reread_settings
from tests.unit.test_library_support import entered_context


@pytest.fixture
def ctx(monkeypatch):
    yield from entered_context(monkeypatch)



def test_now_comes_from_the_clock_in_the_default_zone(ctx):
    now = current_datetime()
    assert isinstance(now, DADateTime)
    assert now.hour == 10
    assert now.tzinfo.key == "America/New_York"
    assert now.format_time() == "10:30 AM"
    assert current_datetime(timezone="UTC").hour == 15
    ctx.ports.clock.advance(days=1)
    assert str(today()) == "January 6, 2024"
    assert today(format="M/d/yyyy") == "1/6/2024"


def test_the_default_zone_can_be_configured(ctx, monkeypatch):
    monkeypatch.setenv("OFFSTAGE_TIMEZONE", "Europe/Lisbon")
    reread_settings()
    assert current_datetime().hour == 15


def test_as_datetime_reads_the_usual_forms(ctx):
    assert as_datetime("12/25/2018").isoformat() == "2018-12-25T00:00:00-05:00"
    assert as_datetime("12/25/2018 07:30 AM").hour == 7
    assert as_datetime("2024-01-05").day == 5
    assert as_datetime("April 5, 2014").month == 4
    assert as_datetime("7:00 PM").isoformat() == "2024-01-05T19:00:00-05:00"
    assert as_datetime("10:30", timezone="Europe/Paris").utcoffset() == dt.timedelta(hours=1)
    assert as_datetime("2024-01-05T10:30:00Z").hour == 5
    with pytest.raises(ValueError, match="could not read 'soon'"):
        as_datetime("soon")
    with pytest.raises(ValueError, match="unknown time zone"):
        current_datetime(timezone="Mars/Base")


@pytest.mark.parametrize(("fmt", "expected"), [
    ("long", "April 5, 2014"), ("full", "Saturday, April 5, 2014"), ("EEEE", "Saturday"), ("yyyy", "2014"),
    ("yy", "14"), ("MMMM", "April"), ("MMM", "Apr"), ("d", "5"), ("dd", "05"), ("E", "Sat"), ("e", "6"),
    ("short", "4/5/14"), ("M/d/yyyy", "4/5/2014"), ("MM/dd/yyyy", "04/05/2014"), ("yyyy-MM-dd", "2014-04-05"),
])
def test_format_date_patterns(ctx, fmt, expected):
    assert format_date("April 5, 2014", format=fmt) == expected


def test_format_time_and_datetime(ctx):
    assert format_time("04:01:23", format="h:mm a") == "4:01 AM"
    assert format_time("04:01:23", format="hh") == "04"
    assert format_time("04:01:23", format="ss") == "23"
    assert format_time("04:01:23", format="z") == "EST"
    assert format_time("04:01:23", format="zzzz") == "Eastern Standard Time"
    assert format_datetime("1/5/2014 07:30") == "January 5, 2014 at 7:30:00 AM EST"
    assert format_datetime("4/5/2014 07:30", "h:mm in MMMM") == "7:30 in April"


def test_date_parts(ctx):
    assert (month_of("4/5/2014"), day_of("4/5/2014"), year_of("4/5/2014"), dow_of("4/5/2014")) == (4, 5, 2014, 6)
    assert month_of("4/5/2014", as_word=True) == "April"
    assert dow_of("4/5/2014", as_word=True) == "Saturday"


def test_intervals_move_the_calendar(ctx):
    assert str(as_datetime("2024-01-31") + date_interval(months=1)) == "February 29, 2024"
    assert str(as_datetime("2024-03-01") - date_interval(days=1)) == "February 29, 2024"
    moved = as_datetime("2024-01-05 23:00") + date_interval(hours=2)
    assert isinstance(moved, DADateTime)
    assert moved.day == 6
    assert str(today().plus(weeks=1)) == "January 12, 2024"
    assert str(today().minus(years=1)) == "January 5, 2023"


def test_date_difference_in_units_and_words(ctx):
    z = date_difference(starting="1/1/2025", ending="1/3/2025")
    assert (z.days, z.hours, z.minutes, z.seconds, z.weeks) == (2.0, 48.0, 2880.0, 172800, 2 / 7)
    assert z.years == pytest.approx(0.005475814013977016)
    z = date_difference(starting="1/1/2024", ending="4/3/2025")
    assert str(z) == "one year, three months, and two days"
    assert z.describe(specificity="month") == "one year and three months"
    assert z.describe(nice=False) == "1 year, 3 months, and 2 days"
    assert z.describe(capitalize=True) == "One year, three months, and two days"
    assert date_difference(starting="4/3/2025 20:45:22", ending="4/3/2025 23:22:35").describe() == "two hours"
    assert date_difference(starting="4/3/2025 21:45:22", ending="4/3/2025 23:22:35").describe() == \
        "one hour and 37 minutes"
    assert date_difference(starting="4/3/2025 23:22:22", ending="4/3/2025 23:22:35").describe() == "13 seconds"
    assert date_difference(starting="1/3/2025", ending="1/1/2025").days == -2.0
    assert date_difference(ending="1/6/2024").hours == pytest.approx(13.5)


def test_timezone_list_is_sorted_and_usable(ctx):
    zones = timezone_list()
    assert "America/New_York" in zones
    assert zones == sorted(zones)
    assert current_datetime(timezone=zones[0]).tzinfo.key == zones[0]
