"""Dates as text with Unicode (CLDR) patterns, as babel formats them for English (US).

`format_date(d, 'MMMM d, yyyy')`, the named formats 'full', 'long', 'medium', 'short'.
"""

from __future__ import annotations

import datetime as dt
import re
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


def _date_field(letter: str, width: int, moment: Any) -> str | None:
    if letter in "yY":
        return _pad(moment.year % 100, 2) if width == 2 else _pad(moment.year, width)
    if letter in "ML":
        if width >= 3:
            name = MONTHS[moment.month - 1]
            return cast("str | None", {3: name[:3], 4: name}.get(width, name[:1]))
        return _pad(moment.month, width)
    if letter == "d":
        return _pad(moment.day, width)
    if letter == "D":
        return _pad(moment.timetuple().tm_yday, width)
    if letter == "E" or (letter in "ec" and width >= 3):
        name = WEEKDAYS[moment.weekday()]
        return cast("str | None", {4: name, 5: name[:1], 6: name[:2]}.get(width, name[:3]))
    if letter in "ec":
        return _pad(moment.isoweekday(), width)
    if letter == "w":
        return _pad(moment.isocalendar()[1], width)
    if letter == "Q":
        return str((moment.month - 1) // 3 + 1)
    if letter == "G":
        return "AD"
    return None


def _time_field(letter: str, width: int, moment: Any) -> str | None:
    hour = getattr(moment, "hour", 0)
    if letter == "h":
        return _pad(hour % 12 or 12, width)
    if letter == "H":
        return _pad(hour, width)
    if letter == "K":
        return _pad(hour % 12, width)
    if letter == "k":
        return _pad(hour or 24, width)
    if letter == "m":
        return _pad(getattr(moment, "minute", 0), width)
    if letter == "s":
        return _pad(getattr(moment, "second", 0), width)
    if letter == "S":
        return _pad(getattr(moment, "microsecond", 0), 6)[:width]
    if letter == "a":
        return "AM" if hour < 12 else "PM"
    if letter in "zv":
        return _zone(moment, width)
    if letter in "ZxX":
        return _offset(moment)
    return None


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
