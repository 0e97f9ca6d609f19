"""docassemble.base.functions as offstage provides it: the same names as util, and `this_thread`."""

from __future__ import annotations

from typing import Any

from offstage.compat.served import provided
from offstage.compat.surface import REFUSED_ON_USE, NotProvidedName, missing

globals().update(provided())
__all__ = sorted(provided())


def get_current_info() -> dict[str, Any]:
    """The request's facts as docassemble's thread holds them: what set_info() was given, and the
    interview's file name (`yaml_filename`) and session id (`session`)."""
    from offstage.context import maybe_current
    from offstage.library.info import this_thread

    found = dict(this_thread.current_info)
    ctx = maybe_current()
    if ctx is not None:
        found.setdefault("yaml_filename", ctx.interview_name)
        found.setdefault("session", ctx.session_id)
    return found


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    if name in REFUSED_ON_USE:
        return NotProvidedName(name)
    raise missing("docassemble.base.functions", name)
