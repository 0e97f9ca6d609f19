"""docassemble.base.legal as offstage provides it: docassemble.base.util's names and `Court`."""

from __future__ import annotations

from typing import Any

from offstage.compat.served import provided
from offstage.compat.surface import missing
from offstage.library.courts import Court as Court  # re-exported: docassemble.base.legal.Court

globals().update(provided())
__all__ = sorted([*provided(), "Court"])


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    raise missing("docassemble.base.legal", name)

