"""Starting, reading, stepping back in and deleting sessions."""

from __future__ import annotations

import secrets
from typing import Any

from offstage.answers.jsonsafe import json_safe
from offstage.app import evaluation
from offstage.app.deps import Deps
from offstage.errors import CannotGoBack
from offstage.ports import SessionRecord


def new_secret() -> str:
    """A fresh encryption secret: 192 random bits, URL-safe (it travels in cookies and query strings)."""
    return secrets.token_urlsafe(24)


def interview_is_multi_user(interview: Any) -> bool:
    """Whether the interview says `multi_user = True` up front (then its answers are stored unencrypted).

    docassemble learns it by evaluating; we take the interview's own declaration when the parser gives
    one, and otherwise start encrypted and switch when an evaluation sets multi_user (see evaluation.py).
    """
    return bool(getattr(interview, "multi_user", False))


def new_session(deps: Deps, interview_name: str, secret: str | None = None,
                url_args: dict[str, Any] | None = None) -> tuple[SessionRecord, str | None]:
    """Create an empty session of the interview; returns it with the secret that decrypts it (None if not encrypted)."""
    name = evaluation.canonical_name(deps, interview_name)
    interview = evaluation.interview_for(deps, name)
    multi_user = interview_is_multi_user(interview)
    if multi_user:
        secret = None
    elif not secret:
        secret = new_secret()
    answers: dict[str, Any] = {"url_args": dict(url_args or {})}
    record = deps.sessions.create(name, answers, secret=secret, multi_user=multi_user,
                                  delete_days=evaluation.delete_days(deps, interview))
    return record, secret


def back_allowed(record: SessionRecord) -> bool:
    """Whether Back may undo a step: there is one, and prevent_going_back() did not bar the way.

    As docassemble counts them, the screen shown is step `record.steps + 1`; prevent_going_back() kept
    the count it was called at (`steps_offset`), and Back needs to be more than one step past it.
    """
    offset = (record.answers.get("_internal") or {}).get("steps_offset", 0)
    return record.steps > max(int(offset), 0)


def back(deps: Deps, session_id: str, secret: str | None, interview_name: str | None = None) -> SessionRecord:
    """Undo the last step; raises CannotGoBack at the first one, or where the interview prevents it."""
    record = evaluation.load(deps, session_id, secret, interview_name)
    if record.steps > 0 and not back_allowed(record):
        raise CannotGoBack("Cannot go back: the interview does not allow going back from this screen "
                           "(prevent_going_back)")
    return deps.sessions.back(session_id, secret=secret)


def delete(deps: Deps, session_id: str) -> None:
    """Forget the session. Deleting a session that is already gone is not an error (idempotent)."""
    deps.sessions.delete(session_id)


def variables(deps: Deps, session_id: str, secret: str | None, interview_name: str | None = None) -> dict[str, Any]:
    """The answers as JSON-safe data (GET /api/session), without offstage's own bookkeeping."""
    record = evaluation.load(deps, session_id, secret, interview_name)
    return {key: json_safe(value) for key, value in record.answers.items()
            if key != "_internal" and not key.startswith("__") and not _is_code(value)}


def _is_code(value: Any) -> bool:
    import types

    return isinstance(value, types.ModuleType | types.FunctionType | types.BuiltinFunctionType | type)
