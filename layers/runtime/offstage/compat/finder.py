"""The meta-path finder that serves docassemble's module names from offstage's compat modules.

Plain classes with the finder and loader methods (not importlib.abc's, whose import costs ~30 ms of
cold start).
"""

from __future__ import annotations

import importlib
import importlib.machinery
import os
import sys
import types

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: `import offstage` installs this finder
    from collections.abc import Sequence
    from typing import Any

# docassemble's module name -> the offstage module that stands in for it
SERVED = {
    "docassemble.base": "offstage.compat.base",
    "docassemble.base.util": "offstage.compat.util",
    "docassemble.base.functions": "offstage.compat.functions",
    "docassemble.base.core": "offstage.compat.core",
    "docassemble.base.legal": "offstage.compat.legal",
    "docassemble.base.pdfa": "offstage.compat.pdfa",
    "docassemble.base.generate_key": "offstage.compat.generate_key",
    # names refused on use, so that package modules importing them at the top import (AssemblyLine's sessions)
    "docassemble.base.hooks": "offstage.compat.hooks",
    "docassemble.webapp": "offstage.compat.webapp",
    "docassemble.webapp.db": "offstage.compat.webapp_db",
    "docassemble.webapp.jsonstore": "offstage.compat.webapp_jsonstore",
}
_PACKAGES = ("docassemble.base", "docassemble.webapp")


class _Alias:
    """Loads a docassemble name as the offstage module itself, so classes keep one identity."""

    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = importlib.import_module(self.target)
        # a package name (docassemble.base) keeps the __path__ it was given: its submodules are found here
        self.own = (module.__spec__, hasattr(module, "__path__") or spec.submodule_search_locations is not None)
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        # already executed under its offstage name; the import machinery re-labelled it: undo that
        spec, had_path = self.own
        module.__spec__ = spec
        if not had_path:
            module.__dict__.pop("__path__", None)


class _EmptyPackage:
    """`docassemble` itself when no directory of that name is on the path: a package with no files."""

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:  # noqa: ARG002 - importlib's finder/loader signature
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        module.__path__ = []


class _NotProvided:
    """A docassemble module offstage does not stand in for: importing it says so."""

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:  # noqa: ARG002 - importlib's finder/loader signature
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        raise ModuleNotFoundError(f"{module.__name__} is not provided by offstage (offstage stands in for "
                                  f"{', '.join(sorted(SERVED))})", name=module.__name__)


class DocassembleFinder:
    """Last on sys.meta_path: only names the path finders could not find reach it."""

    def find_spec(self, fullname: str, path: Sequence[str] | None,  # noqa: ARG002 - importlib's finder/loader signature
                  target: types.ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:  # noqa: ARG002 - importlib's finder/loader signature
        loader: Any  # the loaders are duck-typed (no importlib.abc: see above)
        if fullname in SERVED:
            loader = _Alias(SERVED[fullname])
            return importlib.machinery.ModuleSpec(fullname, loader, is_package=fullname in _PACKAGES)
        if fullname == "docassemble":
            loader = _EmptyPackage()
            return importlib.machinery.ModuleSpec(fullname, loader, is_package=True)
        if fullname.startswith("docassemble.base.") or fullname.startswith("docassemble.webapp."):
            loader = _NotProvided()
            return importlib.machinery.ModuleSpec(fullname, loader)
        if fullname.startswith("docassemble.") and fullname.count(".") == 1:
            # a package such as docassemble.AssemblyLine, put on sys.path after `docassemble` was made here
            roots = [os.path.join(entry or ".", "docassemble") for entry in sys.path if isinstance(entry, str)]
            return importlib.machinery.PathFinder.find_spec(fullname, [r for r in roots if os.path.isdir(r)])
        return None


_FINDER = DocassembleFinder()


def install() -> None:
    """Serve docassemble's module names (idempotent; the finder goes last so real modules win)."""
    if not installed():
        sys.meta_path.append(_FINDER)


def installed() -> bool:
    return any(isinstance(finder, DocassembleFinder) for finder in sys.meta_path)


def provided_by_offstage(module: Any) -> bool:
    """Whether `module` (e.g. sys.modules['docassemble.base.util']) is offstage's stand-in."""
    return getattr(module, "__name__", "").startswith("offstage.compat.")
