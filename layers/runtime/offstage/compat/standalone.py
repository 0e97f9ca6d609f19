"""value(), defined() and showifdef() for package code running with no interview (a package's unit tests).

Inside an interview they are the engine's: the name is looked up in the interview's answers. With no
interview running there are no answers, so, as docassemble did before its context variables (and as
AssemblyLine's own unit tests expect), the name is looked up in the local variables of the code that
called, nearest frame first. The name is still parsed as a name, never evaluated.
"""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

from offstage.context import maybe_current
from offstage.engine import functions, varpath

_MISSING = (NameError, AttributeError, KeyError, IndexError)


def _from_callers(name: str, frame: FrameType | None) -> Any:
    """The named value, its root found in the nearest calling frame's locals that has it."""
    path = varpath.parse_name(name)
    while frame is not None:
        own = str(frame.f_globals.get("__name__", "")).startswith("offstage.")
        if not own and path.root in frame.f_locals:
            return varpath.get(path, {path.root: frame.f_locals[path.root]})
        frame = frame.f_back
    raise NameError(f"name '{path.root}' is not defined", name=path.root)


def value(name: str) -> Any:
    """The variable's value (see the module's note on package code run outside an interview)."""
    if maybe_current() is not None:
        return functions.value(name)
    return _from_callers(name, sys._getframe(1))


def defined(name: str) -> bool:
    """Whether the variable is defined (see the module's note on package code run outside an interview)."""
    if maybe_current() is not None:
        return functions.defined(name)
    try:
        _from_callers(name, sys._getframe(1))
    except _MISSING:
        return False
    return True


def showifdef(name: str, default: Any = "", prior: bool = False) -> Any:
    """The variable's value if it is defined, else `default` (`prior` is accepted: offstage keeps no
    earlier answers)."""
    if maybe_current() is not None:
        return functions.showifdef(name, default, prior)
    try:
        return _from_callers(name, sys._getframe(1))
    except _MISSING:
        return default


NAMES = {"value": value, "defined": defined, "showifdef": showifdef}
