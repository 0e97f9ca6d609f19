"""When users last used the session: last_access_time() and friends, fed by record_access().

The app calls `record_access(answers, user, when)` on every save (web, worker and cron saves alike),
as docassemble's save does; the cron user is recorded too but left out of the answers by default.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from offstage.context import UserInfo, current
from offstage.library.dates import DADateTime, _da, _zone


def record_access(answers: dict[str, Any], user: UserInfo | None, when: dt.datetime) -> None:
    """Note in the answers that `user` used the session at `when` (a timezone-aware UTC time)."""
    internal = answers.setdefault("_internal", {})
    key = str(user.id) if user is not None and user.id is not None else "-1"
    internal.setdefault("accesstime", {})[key] = when.astimezone(dt.UTC).isoformat()
    privileges = list(user.privileges) if user is not None else ["user"]
    internal.setdefault("access_privileges", {})[key] = privileges


def _as_time(value: Any) -> dt.datetime:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _wanted(privileges: list[str], include: list[str] | None, exclude: list[str], include_cron: bool) -> bool:
    if "cron" in privileges and not include_cron:
        return False
    if any(p in exclude for p in privileges):
        return False
    return include is None or any(p in include for p in privileges)


def _as_list(value: Any) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def last_access_time(include_privileges: Any = None, exclude_privileges: Any = None,
                     include_cron: bool = False, timezone: str | None = None) -> DADateTime | None:
    """The last time a user other than cron used the session (UTC, or in `timezone`); None if never.

    `last_access_time('client')` counts only users with that privilege; `include_cron=True` counts cron.
    """
    internal = current().answers.get("_internal", {})
    include = _as_list(include_privileges)
    exclude = _as_list(exclude_privileges) or []
    privileges_of = internal.get("access_privileges", {})
    latest = None
    for user_id, when in internal.get("accesstime", {}).items():
        privileges = privileges_of.get(user_id) or (["cron"] if user_id == "cron" else ["user"])
        if _wanted(privileges, include, exclude, include_cron):
            moment = _as_time(when)
            latest = moment if latest is None or moment > latest else latest
    if latest is None:
        return None
    return _da(latest.astimezone(_zone(timezone) if timezone else dt.UTC))


def last_access_delta(*pargs: Any, **kwargs: Any) -> dt.timedelta:
    """The time since last_access_time() (zero when there was no access)."""
    last = last_access_time(*pargs, **kwargs)
    if last is None:
        return dt.timedelta(0)
    return current().ports.clock.now() - last


def last_access_days(*pargs: Any, **kwargs: Any) -> float:
    """Days (with fractions) since last_access_time()."""
    return last_access_delta(*pargs, **kwargs).total_seconds() / 86400.0


def last_access_hours(*pargs: Any, **kwargs: Any) -> float:
    """Hours (with fractions) since last_access_time()."""
    return last_access_delta(*pargs, **kwargs).total_seconds() / 3600.0


def last_access_minutes(*pargs: Any, **kwargs: Any) -> float:
    """Minutes (with fractions) since last_access_time()."""
    return last_access_delta(*pargs, **kwargs).total_seconds() / 60.0


def returning_user(minutes: float | None = None, hours: float | None = None, days: float | None = None) -> bool:
    """True when the session was not used for six hours (or the given time)."""
    limit = dt.timedelta(minutes=minutes or 0, hours=hours or 0, days=days or 0) or dt.timedelta(hours=6)
    return last_access_time() is not None and last_access_delta() > limit
