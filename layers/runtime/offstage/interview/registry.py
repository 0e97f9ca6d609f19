"""Interview names -> files under a few root folders or in installed packages, with a cache keyed by
(path, mtime).

An operator lists the installed docassemble packages whose interviews are served (INTERVIEW_PACKAGES);
their interviews are named as in docassemble, `docassemble.AssemblyLine:data/questions/x.yml`. Other
names (`x.yml`, or a package name that is not listed) are looked up in the root folders.
"""

from __future__ import annotations

import builtins
import threading
from pathlib import Path

from offstage.errors import InterviewNotFound
from offstage.interview.interview import Interview
from offstage.interview.loader import load_interview_file

# docassemble package prefixes whose example folders map onto our roots.
_PREFIXES = ("data/questions/examples/", "data/questions/")


class InterviewRegistry:
    def __init__(self, roots: list[Path], packages: tuple[str, ...] | list[str] = ()) -> None:
        self.roots = [Path(r).resolve() for r in roots]
        self.packages = tuple(packages)
        self._cache: dict[Path, tuple[float, Interview]] = {}
        self._lock = threading.Lock()

    def resolve(self, name: str) -> Path:
        """`pkg:data/questions/examples/X.yml`, `pkg:data/questions/X.yml` or `X.yml` -> a file in a root."""
        package = self._package_of(name)
        if package is not None:
            return self._in_package(name, package)
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

    def _package_of(self, name: str) -> str | None:
        package = name.split(":", 1)[0] if ":" in name else None
        return package if package in self.packages else None

    @staticmethod
    def _in_package(name: str, package: str) -> Path:
        from offstage.library.package_files import KINDS, FileNotProvided, find, package_folders

        if not package_folders(package):
            raise InterviewNotFound(f"no interview named {name!r}: the package {package!r} is not installed")
        try:
            return find(name, "questions", None, only=KINDS["questions"])
        except FileNotProvided:
            raise InterviewNotFound(f"no interview named {name!r}") from None

    def get(self, name: str) -> Interview:
        path = self.resolve(name)
        mtime = path.stat().st_mtime
        with self._lock:
            cached = self._cache.get(path)
            if cached and cached[0] == mtime:
                return cached[1]
        interview = load_interview_file(path, name=name, package=self._package_of(name))
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
        for package in self.packages:
            found.extend(self._listed(package))
        return sorted(found)

    def _listed(self, package: str) -> builtins.list[tuple[str, str]]:
        from offstage.library.package_files import KINDS, package_folders

        found: builtins.list[tuple[str, str]] = []
        for folder in package_folders(package):
            for path in sorted((folder / KINDS["questions"]).glob("*.y*ml")):
                name = f"{package}:{KINDS['questions']}/{path.name}"
                try:
                    found.append((name, self.get(name).title))
                except Exception:  # noqa: BLE001, S112 - a broken file is left out of the list, `check` reports it
                    continue
        return found
