"""The use cases' dependencies, built on the first request (not at import: cold starts stay short)."""

from __future__ import annotations

import threading
from typing import Any

_lock = threading.Lock()
_deps: Any = None


def get_deps() -> Any:
    global _deps
    if _deps is None:
        with _lock:
            if _deps is None:
                from offstage.aws.wiring import deps

                _deps = deps()
    return _deps


def use_deps(deps: Any) -> None:
    """Replace the dependencies (tests, the local stack); None rebuilds them on the next request."""
    global _deps
    _deps = deps
