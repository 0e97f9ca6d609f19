"""Who is using the session: user_logged_in(), user_info(), user_privileges(), user_has_privilege()."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from offstage.context import current


def user_logged_in() -> bool:
    """True when the user is logged in."""
    return bool(current().user.logged_in)


def user_privileges() -> list[str]:
    """The user's privileges: ['user'] when not logged in, ['cron'] in a scheduled task."""
    user = current().user
    if not user.logged_in and "cron" not in user.privileges:
        return ["user"]
    return list(user.privileges) or ["user"]


def user_has_privilege(*privileges: Any) -> bool:
    """True when the user has any of the privileges (a name, several names or a list)."""
    wanted: list[str] = []
    for item in privileges:
        wanted.extend([item] if isinstance(item, str) else list(item))
    have = user_privileges()
    return any(privilege in have for privilege in wanted)


def user_info() -> Any:
    """The current user: id, email, first_name, last_name, privileges, language, session, filename...

    A user who is not logged in is 'Anonymous User' with privileges ['user'].
    """
    ctx = current()
    user = ctx.user
    logged_in = bool(user.logged_in)
    return SimpleNamespace(
        id=user.id if logged_in else None,
        email=user.email if logged_in else None,
        first_name=user.first_name if logged_in else "Anonymous",
        last_name=user.last_name if logged_in else "User",
        privileges=user_privileges(),
        permissions=[],
        language=user.language,
        timezone=None,
        country=None,
        subdivision_first=None, subdivision_second=None, subdivision_third=None, organization=None,
        login_method="local" if logged_in else None,
        phone_number=None,
        session=ctx.session_id,
        filename=ctx.interview_name,
        package=None,
    )
