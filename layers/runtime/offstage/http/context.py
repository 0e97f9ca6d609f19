"""Per-request values shared by the routes: the interview named in `i`, its settings, the user."""

from __future__ import annotations

import re
from typing import Any

from offstage.app import evaluation
from offstage.errors import BadRequest
from offstage.http.observability import correlate
from offstage.settings import CHECKIN_INTERVAL_MS

MAX_INTERVIEW_NAME = 255  # bytes: one file name, plus docassemble's package prefix, fits well inside
# printable text only: a name ends up in file paths, log lines and links; control characters
# (NUL, CR/LF) or lone surrogates have no business there
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def interview_param(params: Any, deps: Any) -> tuple[str, Any]:
    """(the name as given, the loaded interview); InterviewNotFound / InterviewInvalid otherwise."""
    name = params.get("i")
    if not name or not isinstance(name, str):
        raise BadRequest("Parameter i is required" if not name else "Parameter i must be text: an interview's name")
    if _UNPRINTABLE.search(name):
        raise BadRequest("Parameter i has characters no interview name has (control characters or lone "
                         "surrogates).")
    if len(name.encode("utf-8")) > MAX_INTERVIEW_NAME:
        raise BadRequest(f"Parameter i is longer than any interview name ({MAX_INTERVIEW_NAME} bytes at most).")
    interview = evaluation.interview_for(deps, name)
    correlate(interview=name)
    return name, interview


def checkin_interval_ms(deps: Any, interview: Any) -> int:
    """`features: checkin interval` (ms, 0 disables), else the deployment's setting, else the default."""
    features = getattr(interview, "features", None) or {}
    for value in (features.get("checkin interval") if isinstance(features, dict) else None,
                  getattr(getattr(deps, "settings", None), "checkin_interval_ms", None)):
        if value is not None:
            try:
                return max(0, int(value))
            except (TypeError, ValueError):
                continue
    return CHECKIN_INTERVAL_MS


def browser_user() -> Any:
    from offstage.context import UserInfo  # the engine loads on the first request

    return UserInfo()


def api_user() -> Any:
    from offstage.context import UserInfo

    return UserInfo(id="api", logged_in=True)
