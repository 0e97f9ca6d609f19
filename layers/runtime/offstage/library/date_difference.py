"""date_difference(): the time between two dates in several units, and described in words."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from offstage.library.dates import as_datetime, current_datetime
from offstage.library.words import capitalize_text, comma_and_list, nice_number, noun_plural

_UNITS = ("year", "month", "day", "hour", "minute", "second")


def _calendar_parts(start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    """Whole years, months, days... from start to end (start <= end), reading the wall clock."""
    start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and _add_months(start, months) > end:
        months -= 1
    rest = end - _add_months(start, months)
    hours, remainder = divmod(rest.seconds, 3600)
    return {"year": months // 12, "month": months % 12, "day": rest.days, "hour": hours,
            "minute": remainder // 60, "second": remainder % 60}


def _add_months(moment: dt.datetime, months: int) -> dt.datetime:
    year, month = divmod(moment.year * 12 + moment.month - 1 + months, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


class DateDifference:
    """What date_difference() returns: .years .weeks .days .hours .minutes .seconds .delta, .describe()."""

    def __init__(self, start: dt.datetime, end: dt.datetime) -> None:
        self.start, self.end = start, end
        self.delta = end.astimezone(dt.UTC) - start.astimezone(dt.UTC)
        seconds = self.delta.total_seconds()
        self.seconds = int(seconds) if float(seconds).is_integer() else seconds
        self.minutes = seconds / 60.0
        self.hours = seconds / 3600.0
        self.days = seconds / 86400.0
        self.weeks = self.days / 7.0
        self.years = self.days / 365.2425

    def _default_specificity(self) -> str:
        seconds = abs(self.delta.total_seconds())
        if seconds >= 86400:
            return "day"
        if seconds >= 7200:
            return "hour"
        return "minute" if seconds >= 60 else "second"

    def describe(self, specificity: str | None = None, nice: bool = True, capitalize: bool = False) -> str:
        """'one year, three months, and two days'; specificity='month' stops at months; nice=False uses digits."""
        specificity = specificity or self._default_specificity()
        if specificity not in _UNITS:
            raise ValueError(f"specificity must be one of {', '.join(_UNITS)}")
        early, late = sorted((self.start, self.end))
        parts = _calendar_parts(early, late.astimezone(early.tzinfo) if early.tzinfo else late)
        words = []
        for unit in _UNITS[: _UNITS.index(specificity) + 1]:
            count = parts[unit]
            if count:
                number = nice_number(count) if nice else str(count)
                words.append(f"{number} {noun_plural(unit, count)}")
        if not words:
            words.append(f"{nice_number(0) if nice else '0'} {noun_plural(specificity, 0)}")
        text = comma_and_list(words)
        return capitalize_text(text) if capitalize else text

    def __str__(self) -> str:
        return self.describe()


def date_difference(starting: Any = None, ending: Any = None, timezone: str | None = None) -> DateDifference:
    """The difference from `starting` to `ending` (either defaults to now); positive when ending is later."""
    start = as_datetime(starting, timezone=timezone) if starting is not None else current_datetime(timezone)
    end = as_datetime(ending, timezone=timezone) if ending is not None else current_datetime(timezone)
    return DateDifference(start, end)
