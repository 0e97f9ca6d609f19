"""Dates and times as docassemble gives them to interviews: DADateTime and the date functions.

Time comes from the context's clock (tests and `offstage cron --at` move it). Dates without a time
zone are read in the default time zone: OFFSTAGE_TIMEZONE, else America/New_York (docassemble's
default `timezone`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast

from offstage.answers.registry import register
from offstage.context import maybe_current
from offstage.library.date_format import (
    DATE_FORMATS,
    DATETIME_JOIN,
    MONTHS,
    TIME_FORMATS,
    WEEKDAYS,
    format_pattern,
)
from offstage.library.interval import DateInterval


def get_default_timezone() -> str:
    """The default time zone name, e.g. 'America/New_York'."""
    from offstage.settings import settings  # the one reader of the environment (OFFSTAGE_TIMEZONE)

    return settings().timezone or "America/New_York"


def _zone(name: str | None) -> dt.tzinfo:
    import zoneinfo  # lazy: costs ~8 ms

    try:
        return zoneinfo.ZoneInfo(name or get_default_timezone())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}; timezone_list() gives the valid names") from None


def timezone_list() -> list[str]:
    """The time zone names the date functions understand, sorted (e.g. 'America/New_York')."""
    import zoneinfo

    return sorted(name for name in zoneinfo.available_timezones() if "/" in name or name == "UTC")


@register
class DADateTime(dt.datetime):
    """A datetime that reads as a date in text (`${ today() }` -> 'August 1, 2018') and has helpers."""

    @property
    def dow(self) -> int:
        """Day of the week, 1 (Monday) to 7 (Sunday)."""
        return self.isoweekday()

    @property
    def week(self) -> int:
        return self.isocalendar()[1]

    def format(self, format: str | None = None, language: str | None = None) -> str:  # noqa: ARG002 - docassemble's signature
        return format_date(self, format=format or "long")

    def format_date(self, format: str | None = None, language: str | None = None) -> str:  # noqa: ARG002 - docassemble's signature
        return format_date(self, format=format or "long")

    def format_time(self, format: str | None = None, language: str | None = None) -> str:  # noqa: ARG002 - docassemble's signature
        return format_time(self, format=format or "short")

    def format_datetime(self, format: str | None = None, language: str | None = None) -> str:  # noqa: ARG002 - docassemble's signature
        return format_datetime(self, format=format or "long")

    def plus(self, **kwargs: Any) -> DADateTime:
        """This date moved forward: `.plus(weeks=1)`, `.plus(months=2)`."""
        return _da(self + DateInterval(**kwargs))

    def minus(self, **kwargs: Any) -> DADateTime:
        """This date moved back: `.minus(days=3)`."""
        return _da(self - DateInterval(**kwargs))

    def replace_time(self, time: dt.time) -> DADateTime:
        return _da(self.replace(hour=time.hour, minute=time.minute, second=time.second,
                                microsecond=time.microsecond))

    def __str__(self) -> str:
        return format_date(self)

    def __reduce_ex__(self, protocol: Any) -> Any:
        return (_rebuild, (self.isoformat(), getattr(self.tzinfo, "key", None)))


def _rebuild(text: str, zone: str | None) -> DADateTime:
    moment = _da(dt.datetime.fromisoformat(text))
    return _da(moment.astimezone(_zone(zone))) if zone else moment


def _da(moment: dt.datetime) -> DADateTime:
    if type(moment) is DADateTime:
        return moment
    return DADateTime(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second,
                      moment.microsecond, moment.tzinfo, fold=moment.fold)


def _now() -> dt.datetime:
    ctx = maybe_current()
    if ctx is not None:
        return ctx.ports.clock.now()
    return dt.datetime.now(dt.UTC)


def current_datetime(timezone: str | None = None) -> DADateTime:
    """Now, as a DADateTime in the given (or the default) time zone."""
    return _da(_now().astimezone(_zone(timezone)))


def today(timezone: str | None = None, format: str | None = None) -> Any:
    """Today at midnight as a DADateTime; with `format=` the formatted text instead."""
    now = current_datetime(timezone)
    midnight = _da(now.replace(hour=0, minute=0, second=0, microsecond=0))
    return format_date(midnight, format=format) if format else midnight


_MONTH_NUMBERS = {name.lower()[:3]: index + 1 for index, name in enumerate(MONTHS)}
_TIME = r"(?P<h>\d{1,2})(?::(?P<mi>\d{2}))?(?::(?P<s>\d{2})(?:\.(?P<f>\d{1,6}))?)?\s*(?P<ap>[AaPp]\.?[Mm]\.?)?"
_DATE_FORMS = [
    re.compile(r"(?P<mo>\d{1,2})[/-](?P<d>\d{1,2})[/-](?P<y>\d{2,4})"),
    re.compile(r"(?P<y>\d{4})[/-](?P<mo>\d{1,2})[/-](?P<d>\d{1,2})"),
    re.compile(r"(?:[A-Za-z]+,?\s+)?(?P<mn>[A-Za-z]{3,})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})"),
    re.compile(r"(?P<d>\d{1,2})\s+(?P<mn>[A-Za-z]{3,})\.?,?\s+(?P<y>\d{4})"),
]


def _parse_time(text: str) -> dt.time | None:
    match = re.fullmatch(_TIME, text.strip())
    if not match or (match.group("mi") is None and match.group("ap") is None):
        return None
    hour = int(match.group("h"))
    meridian = (match.group("ap") or "").lower().replace(".", "")
    if meridian == "pm" and hour < 12:
        hour += 12
    elif meridian == "am" and hour == 12:
        hour = 0
    fraction = (match.group("f") or "0").ljust(6, "0")
    return dt.time(hour, int(match.group("mi") or 0), int(match.group("s") or 0), int(fraction))


def _parse_date(text: str) -> tuple[dt.date, str] | None:
    for form in _DATE_FORMS:
        match = form.match(text.strip())
        if not match:
            continue
        parts = match.groupdict()
        month = int(parts["mo"]) if parts.get("mo") else _MONTH_NUMBERS.get(parts["mn"].lower()[:3])
        year = int(parts["y"])
        year += 2000 if year < 70 else 1900 if year < 100 else 0
        if month is None:
            continue
        return dt.date(year, month, int(parts["d"])), text.strip()[match.end():]
    return None


def _parse(text: str, zone: dt.tzinfo) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        pass
    found = _parse_date(text)
    if found is not None:
        day, rest = found
        rest = rest.strip().lstrip(",").strip().removeprefix("at ").strip()
        time = _parse_time(rest) if rest else dt.time()
        if time is not None:
            return dt.datetime.combine(day, time)
    time = _parse_time(text)
    if time is not None:
        return dt.datetime.combine(_now().astimezone(zone).date(), time)
    raise ValueError(f"could not read {text!r} as a date or time")


def as_datetime(value: Any, timezone: str | None = None) -> DADateTime:
    """A date given as text ('12/25/2018', '2024-01-05', '07:30 AM', 'April 5, 2014 7:30 PM'),
    a date or a datetime, as a DADateTime in the given (or the default) time zone."""
    zone = _zone(timezone)
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    elif isinstance(value, dt.time):
        moment = dt.datetime.combine(_now().astimezone(zone).date(), value)
    else:
        moment = _parse(str(value), zone)
    if moment.tzinfo is None:
        return _da(moment.replace(tzinfo=zone))
    return _da(moment.astimezone(zone))


def _as_moment(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.time)):
        return value
    return as_datetime(value)


def _named(format: str, named: dict[str, str]) -> str:
    return named.get(format, format)


def format_date(value: Any, format: str = "long", language: str | None = None) -> str:  # noqa: ARG001 - docassemble's signature
    """'January 5, 2024' ('long'); also 'full', 'medium', 'short' and patterns like 'yyyy-MM-dd'."""
    if value is None or value == "":
        return ""
    return format_pattern(_as_moment(value), _named(format or "long", DATE_FORMATS))


def format_time(value: Any, format: str = "short", language: str | None = None) -> str:  # noqa: ARG001 - docassemble's signature
    """'10:30 AM' ('short'); also 'medium', 'long', 'full' and patterns like 'h:mm a' or 'HH:mm'."""
    if value is None or value == "":
        return ""
    moment = _as_moment(value)
    if isinstance(moment, dt.date) and not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time())
    return format_pattern(moment, _named(format or "short", TIME_FORMATS))


def format_datetime(value: Any, format: str = "long", language: str | None = None) -> str:  # noqa: ARG001 - docassemble's signature
    """'April 5, 2014 at 7:30:00 AM EST' ('long'), or a pattern joining both: 'h:mm in MMMM'."""
    if value is None or value == "":
        return ""
    moment = _as_moment(value)
    format = format or "long"
    if format in DATETIME_JOIN:
        date_part = format_pattern(moment, DATE_FORMATS[format])
        time_part = format_pattern(moment, TIME_FORMATS[format])
        return DATETIME_JOIN[format].replace("'at'", "at").format(date=date_part, time=time_part)
    return format_pattern(moment, format)


def month_of(value: Any, as_word: bool = False, language: str | None = None) -> Any:  # noqa: ARG001 - docassemble's signature
    """The month (1-12), or its name with as_word=True."""
    moment = _as_moment(value)
    return MONTHS[moment.month - 1] if as_word else moment.month


def day_of(value: Any, language: str | None = None) -> int:  # noqa: ARG001 - docassemble's signature
    """The day of the month."""
    return cast("int", _as_moment(value).day)


def year_of(value: Any, language: str | None = None) -> int:  # noqa: ARG001 - docassemble's signature
    """The year."""
    return cast("int", _as_moment(value).year)


def dow_of(value: Any, as_word: bool = False, language: str | None = None) -> Any:  # noqa: ARG001 - docassemble's signature
    """The day of the week, 1 (Monday) to 7 (Sunday), or its name with as_word=True."""
    moment = _as_moment(value)
    return WEEKDAYS[moment.weekday()] if as_word else moment.isoweekday()
