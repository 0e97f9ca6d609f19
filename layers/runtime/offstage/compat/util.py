"""docassemble.base.util as offstage provides it (also served as docassemble.base.legal).

`from docassemble.base.util import Individual, comma_and_list` gives offstage's own classes and
functions; a name offstage does not have is an ImportError saying so.
"""

from __future__ import annotations

from typing import Any

from offstage.compat.served import provided
from offstage.compat.surface import REFUSED_ON_USE, NotProvidedName, missing

globals().update(provided())
__all__ = sorted(provided())


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    if name in REFUSED_ON_USE:
        return NotProvidedName(name)
    raise missing("docassemble.base.util", name)
