"""Interview names -> files under a few root folders, with a cache keyed by (path, mtime)."""

from __future__ import annotations

import threading
from pathlib import Path

from offstage.errors import InterviewNotFound
from offstage.interview.interview import Interview
from offstage.interview.loader import load_interview_file

# docassemble package prefixes whose example folders map onto our roots.
_PREFIXES = ("data/questions/examples/", "data/questions/")


class InterviewRegistry:
    def __init__(self, roots: list[Path]) -> None:
        self.roots = [Path(r).resolve() for r in roots]
        self._cache: dict[Path, tuple[float, Interview]] = {}
        self._lock = threading.Lock()

    def resolve(self, name: str) -> Path:
        """`pkg:data/questions/examples/X.yml`, `pkg:data/questions/X.yml` or `X.yml` -> a file in a root."""
        relative = name.split(":", 1)[1] if ":" in name else name
        for prefix in _PREFIXES:
            if relative.startswith(prefix):
                relative = relative[len(prefix):]
                break
        if not relative or relative.startswith(("/", "\\")) or ".." in relative.replace("\\", "/").split("/") \
                or "\x00" in relative or "/" in relative:
            raise InterviewNotFound(f"no interview named {name!r}")
        for root in self.roots:
            candidate = (root / relative).resolve()
            if candidate.parent == root and candidate.is_file():
                return candidate
        raise InterviewNotFound(f"no interview named {name!r}")

    def get(self, name: str) -> Interview:
        path = self.resolve(name)
        mtime = path.stat().st_mtime
        with self._lock:
            cached = self._cache.get(path)
            if cached and cached[0] == mtime:
                return cached[1]
        interview = load_interview_file(path, name=name)
        with self._lock:
            self._cache[path] = (mtime, interview)
        return interview

    def list(self) -> list[tuple[str, str]]:
        """(name, title) of every loadable interview in the roots, sorted by name."""
        found = []
        for root in self.roots:
            for path in sorted(root.glob("*.y*ml")):
                try:
                    found.append((path.name, self.get(path.name).title))
                except Exception:  # noqa: BLE001, S112 - a broken file is left out of the list, `check` reports it
                    continue
        return sorted(found)
