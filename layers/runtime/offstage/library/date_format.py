"""Dates as text with Unicode (CLDR) patterns, as babel formats them for English (US).

`format_date(d, 'MMMM d, yyyy')`, the named formats 'full', 'long', 'medium', 'short'.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, cast

DATE_FORMATS = {"full": "EEEE, MMMM d, y", "long": "MMMM d, y", "medium": "MMM d, y", "short": "M/d/yy"}
TIME_FORMATS = {"full": "h:mm:ss a zzzz", "long": "h:mm:ss a z", "medium": "h:mm:ss a", "short": "h:mm a"}
DATETIME_JOIN = {"full": "{date} 'at' {time}", "long": "{date} 'at' {time}", "medium": "{date}, {time}",
                 "short": "{date}, {time}"}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_LONG_ZONE_NAMES = {"EST": "Eastern Standard Time", "EDT": "Eastern Daylight Time",
                    "CST": "Central Standard Time", "CDT": "Central Daylight Time",
                    "MST": "Mountain Standard Time", "MDT": "Mountain Daylight Time",
                    "PST": "Pacific Standard Time", "PDT": "Pacific Daylight Time",
                    "UTC": "Coordinated Universal Time", "GMT": "Greenwich Mean Time"}
_TOKEN = re.compile(r"'(?:[^']|'')*'|([A-Za-z])\1*|[^A-Za-z']+")


def _pad(value: int, width: int) -> str:
    return str(value).zfill(width)


def _zone(moment: Any, width: int) -> str:
    short = moment.tzname() if isinstance(moment, (dt.datetime, dt.time)) else None
    if not short:
        return ""
    return _LONG_ZONE_NAMES.get(short, short) if width >= 4 else short


def _offset(moment: Any) -> str:
    offset = moment.utcoffset() if isinstance(moment, (dt.datetime, dt.time)) else None
    if offset is None:
        return ""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{_pad(abs(minutes) // 60, 2)}{_pad(abs(minutes) % 60, 2)}"


# the date fields shown as a number: letter -> the number of a moment
_DATE_NUMBERS: dict[str, Callable[[Any], int]] = {
    "M": lambda moment: moment.month, "L": lambda moment: moment.month,
    "d": lambda moment: moment.day, "D": lambda moment: moment.timetuple().tm_yday,
    "e": lambda moment: moment.isoweekday(), "c": lambda moment: moment.isoweekday(),
    "w": lambda moment: moment.isocalendar()[1],
}


def _date_field(letter: str, width: int, moment: Any) -> str | None:
    if letter in "yY":
        return _pad(moment.year % 100, 2) if width == 2 else _pad(moment.year, width)
    if letter in "ML" and width >= 3:
        name = MONTHS[moment.month - 1]
        return cast("str | None", {3: name[:3], 4: name}.get(width, name[:1]))
    if letter == "E" or (letter in "ec" and width >= 3):
        name = WEEKDAYS[moment.weekday()]
        return cast("str | None", {4: name, 5: name[:1], 6: name[:2]}.get(width, name[:3]))
    number = _DATE_NUMBERS.get(letter)
    if number is not None:
        return _pad(number(moment), width)
    if letter == "Q":
        return str((moment.month - 1) // 3 + 1)
    if letter == "G":
        return "AD"
    return None


# the time fields: letter -> its text, given the hour, the width and the moment
_TIME_FIELDS: dict[str, Callable[[int, int, Any], str]] = {
    "h": lambda hour, width, _moment: _pad(hour % 12 or 12, width),
    "H": lambda hour, width, _moment: _pad(hour, width),
    "K": lambda hour, width, _moment: _pad(hour % 12, width),
    "k": lambda hour, width, _moment: _pad(hour or 24, width),
    "m": lambda _hour, width, moment: _pad(getattr(moment, "minute", 0), width),
    "s": lambda _hour, width, moment: _pad(getattr(moment, "second", 0), width),
    "S": lambda _hour, width, moment: _pad(getattr(moment, "microsecond", 0), 6)[:width],
    "a": lambda hour, _width, _moment: "AM" if hour < 12 else "PM",
    "z": lambda _hour, width, moment: _zone(moment, width),
    "v": lambda _hour, width, moment: _zone(moment, width),
    "Z": lambda _hour, _width, moment: _offset(moment),
    "x": lambda _hour, _width, moment: _offset(moment),
    "X": lambda _hour, _width, moment: _offset(moment),
}


def _time_field(letter: str, width: int, moment: Any) -> str | None:
    field = _TIME_FIELDS.get(letter)
    return field(getattr(moment, "hour", 0), width, moment) if field is not None else None


def format_pattern(moment: Any, pattern: str) -> str:
    """Render `moment` (a date, time or datetime) with a CLDR pattern such as 'EEEE, MMMM d, yyyy'."""
    out = []
    for match in _TOKEN.finditer(pattern):
        token = match.group(0)
        if token.startswith("'"):
            out.append(token[1:-1].replace("''", "'") if token != "''" else "'")  # noqa: S105 - a date-format token, not a secret
            continue
        if not token[0].isalpha():
            out.append(token)
            continue
        letter, width = token[0], len(token)
        text = _time_field(letter, width, moment) if letter in "hHKkmsSazvZxX" else None
        if text is None and isinstance(moment, dt.date):
            text = _date_field(letter, width, moment)
        out.append(token if text is None else text)
    return "".join(out)
