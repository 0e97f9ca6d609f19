"""The interview namespace: the answers dict is the globals of every block; author functions sit behind it.

Library and engine functions live in the namespace's `__builtins__` mapping, not in the answers, so
the answers hold only what the interview defined, and a variable of the same name shadows a function.
`attach()` adds that mapping before an evaluation and `detach()` removes it before the answers are saved.
"""

from __future__ import annotations

import builtins
import importlib
import importlib.util
import json
import re
from pathlib import Path
from typing import Any, cast

from offstage.compat.finder import SERVED
from offstage.interview import Interview

_BASE: dict[str, Any] | None = None


def base_builtins() -> dict[str, Any]:
    """Python's builtins + the library's exports + the engine's functions, built once per process."""
    global _BASE
    if _BASE is None:
        from offstage.compat.surface import not_provided
        from offstage.engine.functions import EXPORTS
        from offstage.text.mako import with_helpers

        given = {"json": json, "re": re}  # modules docassemble's namespace has without an import
        library = library_exports()
        merged = with_helpers(vars(builtins))
        merged.update(not_provided({*given, *library, *EXPORTS}))  # docassemble's names offstage lacks: using one says so
        merged.update(given)
        merged.update(library)
        merged.update(EXPORTS)
        _BASE = merged
    return _BASE


def library_exports() -> dict[str, Any]:
    try:
        from offstage.library import exports
    except ImportError:
        return {}
    return dict(exports())


def interview_builtins(interview: Interview) -> dict[str, Any]:
    """The base plus the interview's `modules:` (from X import *) and `imports:` (import X)."""
    cached = interview.cache.get("builtins")
    if cached is not None:
        return cast("dict[str, Any]", cached)
    merged = base_builtins()
    if _suppresses_util(interview):
        from offstage.compat.surface import DOCASSEMBLE_UTIL

        merged = {name: value for name, value in merged.items()
                  if name not in DOCASSEMBLE_UTIL or vars(builtins).get(name) is value}
    if interview.modules or interview.imports:
        merged = dict(merged)
        for name in interview.modules:
            # docassemble.base.util (.functions, .core, .legal): offstage's stand-in, even where a real
            # docassemble is installed too (an interview here runs on offstage's library)
            module = _relative_import(name, interview) if name.startswith(".") else _import(SERVED.get(name, name))
            public = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
            merged.update({n: getattr(module, n) for n in public})
        for name in interview.imports:
            merged[name.split(".")[0]] = _import(name.split(".")[0])
            _import(name)
    interview.cache["builtins"] = merged
    return merged


def _suppresses_util(interview: Interview) -> bool:
    """`metadata: suppress loading util: True`: docassemble.base.util's names only if `modules:` asks."""
    metadata = getattr(interview, "metadata", None) or {}
    return bool(metadata.get("suppress loading util")) if isinstance(metadata, dict) else False


class ModuleUnavailable(Exception):
    """A module named in `modules:` / `imports:` cannot be imported."""


def _import(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except (ImportError, TypeError) as exc:
        raise ModuleUnavailable(f"the interview's module {name!r} cannot be imported ({exc})") from None


def _relative_import(name: str, interview: Interview) -> Any:
    """`modules: [.test]`: a module of the package the interview file belongs to (the folder holding its
    data/questions folder), by its full name when importable, else from that folder's file."""
    import sys

    package_dir = _package_dir(interview)
    if package_dir is None:
        raise ModuleUnavailable(f"the interview's module {name!r} is relative, but {interview.name} is not "
                                "inside a package's data/questions folder")
    package = _dotted(package_dir)
    full = f"{package}{name}" if package else name.lstrip(".")
    try:
        return importlib.import_module(full)
    except ImportError:
        pass
    path = package_dir.joinpath(*name.lstrip(".").split(".")).with_suffix(".py")
    spec = importlib.util.spec_from_file_location(full, path)
    if spec is None or spec.loader is None or not path.is_file():
        raise ModuleUnavailable(f"the interview's module {name!r} cannot be found (looked for {path.name} in "
                                f"the interview's package {package or package_dir.name})")
    module = importlib.util.module_from_spec(spec)
    sys.modules[full] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # noqa: BLE001 - any failure of the module's own code is the author's to see
        sys.modules.pop(full, None)
        raise ModuleUnavailable(f"the interview's module {name!r} failed to load ({exc})") from None
    return module


def _package_dir(interview: Interview) -> Path | None:
    path = getattr(interview, "path", None)
    if path is None:
        return None
    for folder in Path(path).resolve().parents:
        if folder.name == "questions" and folder.parent.name == "data":
            return folder.parent.parent
    return None


def _dotted(package_dir: Path) -> str:
    """`.../docassemble/base` -> 'docassemble.base': the folders up to the first that is no package."""
    parts = [package_dir.name]
    folder = package_dir.parent
    while (folder / "__init__.py").exists() or folder.name == "docassemble":
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts)


def attach(answers: dict[str, Any], interview: Interview) -> None:
    answers["__builtins__"] = interview_builtins(interview)
    answers.setdefault("_internal", {})


def detach(answers: dict[str, Any]) -> None:
    answers.pop("__builtins__", None)
