"""Files that come with an interview or a package: `data/sources/x.yml`, `docassemble.pkg:data/static/x.png`.

A reference without a package is looked up in the interview's own folder (and its data/sources,
data/static, sources and static folders); `pkg:path` in the folder of the importable package `pkg`.
A reference never leaves that folder ('..' and absolute paths are refused), and URLs are not fetched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

# types the system's table may lack (Debian's has no YAML)
_TYPES = {".yml": "text/yaml", ".yaml": "text/yaml", ".md": "text/markdown", ".json": "application/json"}
_FOLDERS = ("", "data/sources", "data/static", "data/templates", "sources", "static", "templates")


class FileNotProvided(FileNotFoundError):
    """A file reference offstage cannot follow (not found, outside its folder, or a URL)."""


def _inside(base: Path, relative: str) -> Path | None:
    candidate = (base / relative).resolve()
    return candidate if candidate.is_relative_to(base.resolve()) and candidate.is_file() else None


def _in_package(text: str, package: str, relative: str) -> Path:
    import importlib.util

    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise FileNotProvided(f"{text!r}: there is no package {package!r}")
    for location in spec.submodule_search_locations:
        found = _inside(Path(location), relative)
        if found is not None:
            return found
    raise FileNotProvided(f"{text!r}: the package {package!r} has no such file")


def find_file(reference: Any) -> Path:
    text = str(reference).strip()
    if "://" in text:
        raise FileNotProvided(f"{text!r}: offstage does not download files from the Internet")
    package, _, relative = text.rpartition(":")
    if relative.startswith("/") or not relative:
        raise FileNotProvided(f"{text!r} is not a file reference of an interview or package")
    if package:
        return _in_package(text, package, relative)
    from offstage.context import maybe_current

    ctx = maybe_current()
    path = getattr(ctx.interview, "path", None) if ctx is not None else None
    if path is not None:
        base = Path(path).parent
        for folder in _FOLDERS:
            found = _inside(base / folder, relative) if (base / folder).is_dir() else None
            if found is not None:
                return found
    raise FileNotProvided(f"{text!r} cannot be found next to the interview")


def path_and_mimetype(reference: Any) -> tuple[str, str | None]:
    """(path, MIME type) of a file of the interview or of a package; a DAFile gives its own."""
    if hasattr(reference, "path") and hasattr(reference, "mimetype"):
        return str(reference.path()), reference.mimetype
    import mimetypes

    found = find_file(reference)
    return str(found), _TYPES.get(found.suffix.lower()) or mimetypes.guess_type(found.name)[0]
