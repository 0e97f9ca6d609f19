"""What offstage serves under docassemble's module names: the library's names, the engine's, json and re.

Above the engine and the library (it gathers both); the modules docassemble.base.util and its
neighbours are built from it when an interview imports them.
"""

from __future__ import annotations

from typing import Any


def provided() -> dict[str, Any]:
    """Every name offstage gives interview code: the library's, the engine's, a few of Python's modules."""
    import json
    import re

    from offstage.compat.standalone import NAMES
    from offstage.engine.functions import EXPORTS
    from offstage.library import exports

    return {**exports(), **EXPORTS, **NAMES, "json": json, "re": re}
