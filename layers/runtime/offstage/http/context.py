"""Per-request values shared by the routes: the interview named in `i`, its settings, the user."""

from __future__ import annotations

from typing import Any

from offstage.app import evaluation
from offstage.errors import BadRequest
from offstage.http.observability import correlate

DEFAULT_CHECKIN_INTERVAL_MS = 6000


def interview_param(params: Any, deps: Any) -> tuple[str, Any]:
    """(the name as given, the loaded interview); InterviewNotFound / InterviewInvalid otherwise."""
    name = params.get("i")
    if not name or not isinstance(name, str):
        raise BadRequest("Parameter i is required")
    interview = evaluation.interview_for(deps, name)
    correlate(interview=name)
    return name, interview


def checkin_interval_ms(deps: Any, interview: Any) -> int:
    """`features: checkin interval` (ms, 0 disables), else the deployment's setting, else 6000."""
    features = getattr(interview, "features", None) or {}
    for value in (features.get("checkin interval") if isinstance(features, dict) else None,
                  getattr(getattr(deps, "settings", None), "checkin_interval_ms", None)):
        if value is not None:
            try:
                return max(0, int(value))
            except (TypeError, ValueError):
                continue
    return DEFAULT_CHECKIN_INTERVAL_MS


def browser_user() -> Any:
    from offstage.engine.context import UserInfo  # the engine loads on the first request

    return UserInfo()


def api_user() -> Any:
    from offstage.engine.context import UserInfo

    return UserInfo(id="api", logged_in=True)
