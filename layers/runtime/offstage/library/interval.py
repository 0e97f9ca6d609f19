"""date_interval(): calendar-aware intervals (years and months move the calendar, not a number of days).

A small stand-in for dateutil's relativedelta (which docassemble wraps), kept here for import time.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from offstage.answers.registry import register

_FIELDS = ("years", "months", "days", "hours", "minutes", "seconds", "microseconds")


@register
class DateInterval:
    """An interval such as `date_interval(months=1, days=2)`: add it to or subtract it from a date."""

    def __init__(self, years: int = 0, months: int = 0, weeks: int = 0, days: float = 0, hours: float = 0,
                 minutes: float = 0, seconds: float = 0, microseconds: float = 0) -> None:
        total_months = int(years) * 12 + int(months)
        self.years, self.months = divmod(abs(total_months), 12)
        if total_months < 0:
            self.years, self.months = -self.years, -self.months
        self.days = days + 7 * weeks
        self.hours = hours
        self.minutes = minutes
        self.seconds = seconds
        self.microseconds = microseconds

    @property
    def weeks(self) -> int:
        return int(self.days / 7)

    def _time_part(self) -> dt.timedelta:
        return dt.timedelta(days=self.days, hours=self.hours, minutes=self.minutes, seconds=self.seconds,
                            microseconds=self.microseconds)

    def _apply(self, moment: Any, sign: int) -> Any:
        months = moment.year * 12 + (moment.month - 1) + sign * (self.years * 12 + self.months)
        year, month = divmod(months, 12)
        month += 1
        day = min(moment.day, calendar.monthrange(year, month)[1])
        moved = moment.replace(year=year, month=month, day=day)
        delta = self._time_part()
        if isinstance(moment, dt.datetime) or not (delta.seconds or delta.microseconds):
            return moved + delta if sign > 0 else moved - delta
        moved = dt.datetime(moved.year, moved.month, moved.day)
        return moved + delta if sign > 0 else moved - delta

    def __radd__(self, other: Any) -> Any:
        if isinstance(other, dt.date):
            return self._apply(other, 1)
        return NotImplemented

    def __rsub__(self, other: Any) -> Any:
        if isinstance(other, dt.date):
            return self._apply(other, -1)
        return NotImplemented

    def __add__(self, other: Any) -> Any:
        if isinstance(other, DateInterval):
            return DateInterval(**{f: getattr(self, f) + getattr(other, f) for f in _FIELDS})
        if isinstance(other, dt.date):
            return self._apply(other, 1)
        return NotImplemented

    def __neg__(self) -> DateInterval:
        return DateInterval(**{f: -getattr(self, f) for f in _FIELDS})

    def __sub__(self, other: Any) -> Any:
        if isinstance(other, DateInterval):
            return self + (-other)
        return NotImplemented

    def __mul__(self, factor: int) -> DateInterval:
        return DateInterval(**{f: getattr(self, f) * factor for f in _FIELDS})

    __rmul__ = __mul__

    def __eq__(self, other: Any) -> bool:
        if not isinstance(other, DateInterval):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in ("years", "months")) and \
            self._time_part() == other._time_part()

    def __hash__(self) -> int:
        return hash((self.years, self.months, self._time_part()))

    def __bool__(self) -> bool:
        return bool(self.years or self.months or self._time_part())

    def __repr__(self) -> str:
        parts = [f"{f}={getattr(self, f)}" for f in _FIELDS if getattr(self, f)]
        return f"date_interval({', '.join(parts)})"


def date_interval(**kwargs: Any) -> DateInterval:
    """An interval to add to or subtract from a date: `current_datetime() + date_interval(days=1)`.

    Keyword arguments: years, months, weeks, days, hours, minutes, seconds, microseconds.
    """
    return DateInterval(**kwargs)
