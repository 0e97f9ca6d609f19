"""Files an interview names: `letter.docx`, `data/static/logo.png`, `docassemble.AssemblyLine:al_document.yml`.

The one resolver for every such reference, as docassemble's package layout has it. A file has a home:
an importable package (its folder holds data/questions, data/templates, data/static, data/sources) or,
for an interview that is not part of a package, the interview's own folder (with the same data/...
folders beside it, or above it when the file sits in a data/questions folder). `pkg:name` looks in the
package's data/ folder, where a name without a data/ folder gets the one its kind implies (an include
data/questions, a template data/templates, a static file data/static); a bare name looks in the home
of the file that names it.

Safe by construction: a reference is parsed, never joined blindly. No `..`, no absolute paths, no
hidden names, no URLs; the file found must still lie inside the folder it was looked up in after
symbolic links are followed; only a package's data/ folder is ever reachable.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# types the system's table may lack (Debian's has no YAML)
_TYPES = {".yml": "text/yaml", ".yaml": "text/yaml", ".md": "text/markdown", ".json": "application/json"}
KINDS = {"questions": "data/questions", "templates": "data/templates", "static": "data/static",
         "sources": "data/sources"}
# where a bare name is looked for in an interview folder that is not a package, after data/<kind>:
# the folder itself and docassemble's older short folder names
_LOOSE = {"questions": ("",), "templates": ("", "templates"),
          "static": ("static", "", "templates", "data/templates", "sources", "data/sources"),
          "sources": ("sources", "data/static", "", "static")}
_PACKAGE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")
_SEGMENT = re.compile(r"[^\x00-\x1f/\\:*?\"<>|]+")


class FileNotProvided(FileNotFoundError):
    """A file reference offstage cannot follow (not found, outside its folder, or a URL)."""


@dataclass(frozen=True)
class Reference:
    """A parsed reference: the package it names (None: the naming file's home) and a relative path."""

    package: str | None
    path: str
    text: str


@dataclass(frozen=True)
class Home:
    """Where bare names of one file are looked up: `root` holds its data/ folder, `folder` is the file's
    own folder; `package` is set when the file belongs to an importable package."""

    root: Path
    folder: Path
    package: str | None = None


def parse(reference: Any) -> Reference:
    """`pkg:path` or `path`, checked: the path is relative, without `..`, hidden or empty parts."""
    text = str(reference).strip()
    if "://" in text:
        raise FileNotProvided(f"{text!r}: offstage does not download files from the Internet")
    package, _, path = text.rpartition(":")
    if package and not _PACKAGE.fullmatch(package):
        raise FileNotProvided(f"{text!r}: {package!r} is not a package name")
    parts = path.split("/")
    if not path or any(not _SEGMENT.fullmatch(p) or p.startswith(".") for p in parts):
        raise FileNotProvided(f"{text!r} is not a file reference of an interview or package "
                              "(a relative path without '..', hidden or empty parts)")
    return Reference(package or None, path, text)


@functools.cache
def package_folders(package: str) -> tuple[Path, ...]:
    """The folders of an importable package (found without running its code), or () if none."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return ()
    if spec is None or not spec.submodule_search_locations:
        return ()
    return tuple(Path(p).resolve() for p in spec.submodule_search_locations)


def home_of(path: Path | None, package: str | None = None) -> Home | None:
    """The home of an interview file: its package's folder when it lies in a data/questions folder."""
    if path is None:
        return None
    folder = Path(path).resolve().parent
    for above in (folder, *folder.parents):
        if above.name == "questions" and above.parent.name == "data":
            return Home(above.parent.parent, folder, package)
    return Home(folder, folder, package)


def package_home(package: str) -> Home | None:
    folders = package_folders(package)
    return Home(folders[0], folders[0] / KINDS["questions"], package) if folders else None


def _inside(base: Path, relative: str) -> Path | None:
    """base/relative if it is a file that is still inside base once links are followed."""
    if not base.is_dir():
        return None
    base = base.resolve()
    candidate = (base / relative).resolve()
    return candidate if candidate.is_relative_to(base) and candidate.is_file() else None


def in_data(relative: str, kind: str) -> str:
    """A package-relative path in data/: `x.png` -> data/static/x.png; `data/templates/x` as it is."""
    return relative if relative.startswith("data/") else f"{KINDS[kind]}/{relative}"


def _in_package(ref: Reference, kind: str, only: str | None) -> Path:
    assert ref.package is not None  # noqa: S101 - narrows the type: callers pass package references only
    relative = in_data(ref.path, kind)
    allowed = only or "data"
    if not (relative + "/").startswith(allowed + "/"):
        raise FileNotProvided(f"{ref.text!r}: only the package's {allowed}/ folder is served")
    for folder in package_folders(ref.package):
        found = _inside(folder / allowed, relative[len(allowed) + 1:])
        if found is not None:
            return found
    if not package_folders(ref.package):
        raise FileNotProvided(f"{ref.text!r}: there is no installed package {ref.package!r}")
    raise FileNotProvided(f"{ref.text!r}: the package {ref.package!r} has no file {relative}")


def _at_home(ref: Reference, kind: str, home: Home, only: str | None) -> Path | None:
    relative = ref.path
    if relative.startswith("data/"):
        places: list[tuple[Path, str]] = [(home.root, relative), (home.folder, relative)]
        prefix = KINDS[kind] + "/"
        if only is None and relative.startswith(prefix):  # a flat folder: `data/static/x.png` is its x.png
            places += [(home.folder / sub if sub else home.folder, relative[len(prefix):]) for sub in _LOOSE[kind]]
    else:
        places = [(home.root / KINDS[kind], relative), (home.folder / KINDS[kind], relative)]
        if only is None:
            places += [(home.folder / sub if sub else home.folder, relative) for sub in _LOOSE[kind]]
        else:  # served to the web: the static folders only, never the interview's own sources
            places.append((home.folder / "static", relative))
    for base, rest in places:
        if only is not None and rest.startswith("data/"):
            if not (rest + "/").startswith(only + "/"):
                continue
            base, rest = base / only, rest[len(only) + 1:]
        found = _inside(base, rest)
        if found is not None:
            return found
    return None


def find(reference: Any, kind: str = "static", home: Home | None = None, *, only: str | None = None) -> Path:
    """The file a reference names, for a file of `kind` (questions, templates, static, sources) named
    by a file whose home is `home`. `only` (e.g. "data/static") limits it to that folder of a package
    or home, as the static route does. Raises FileNotProvided naming the reference."""
    ref = parse(reference)
    if ref.package is not None and (package_folders(ref.package) or home is None or home.package):
        return _in_package(ref, kind, only)
    if home is None:
        raise FileNotProvided(f"{ref.text!r} cannot be found: no interview folder to look in")
    # an interview outside a package may name one that is not installed (docassemble's examples name
    # docassemble.base): its own folder, laid out as a package, stands in for it
    found = _at_home(ref, kind, home, only)
    if found is None and home.package is not None and ref.package is None:
        return _in_package(Reference(home.package, ref.path, ref.text), kind, only)
    if found is None:
        raise FileNotProvided(f"{ref.text!r} cannot be found next to the interview")
    return found


def current_home() -> Home | None:
    """The home of the block being run (docassemble's "current package": a block included from a
    package names that package's files), else of the interview; None outside an evaluation."""
    from offstage.context import maybe_current

    ctx = maybe_current()
    if ctx is None:
        return None
    running = getattr(ctx.evaluator, "running", None) or ()
    home = getattr(getattr(running[-1], "origin", None), "home", None) if running else None
    if isinstance(home, Home):
        return home
    return interview_home()


def interview_home() -> Home | None:
    """The home of the running interview itself (whichever block runs); None outside an evaluation."""
    from offstage.context import maybe_current

    ctx = maybe_current()
    path = getattr(getattr(ctx, "interview", None), "path", None)
    return home_of(path, getattr(ctx.interview, "package", None)) if ctx is not None and path is not None else None


def find_file(reference: Any, kind: str = "static") -> Path:
    """A file of the current interview (or of a package) by its reference."""
    return find(reference, kind, current_home())


def mimetype_of(path: Path) -> str | None:
    import mimetypes

    return _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]


def path_and_mimetype(reference: Any) -> tuple[str, str | None]:
    """(path, MIME type) of a file of the interview or of a package; a DAFile gives its own."""
    if hasattr(reference, "path") and hasattr(reference, "mimetype"):
        return str(reference.path()), reference.mimetype
    kind = "templates" if "data/templates/" in str(reference) else "static"
    found = find_file(reference, kind)
    return str(found), mimetype_of(found)
