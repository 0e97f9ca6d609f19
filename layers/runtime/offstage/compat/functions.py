"""docassemble.base.functions as offstage provides it: the same names as util, and `this_thread`."""

from __future__ import annotations

from typing import Any

from offstage.compat.served import provided
from offstage.compat.surface import missing

globals().update(provided())
__all__ = sorted(provided())


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    raise missing("docassemble.base.functions", name)
