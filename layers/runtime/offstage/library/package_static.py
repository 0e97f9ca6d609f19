"""The web addresses of static files: a package's data/static folder, or an interview's own.

`/packagestatic/<package>/<file>` serves `<file>` from an installed package's data/static folder, as
docassemble's server does; `/packagestatic/-/<file>?i=<interview>` serves it from the static folders of
an interview that is not part of an installed package (its data/static folder, laid out as a package,
or a static/ folder beside it). Only those folders are ever reachable (library/package_files.py checks
every reference). Each URL carries `v=`, a hash of the file's content, so a page can cache it for a
year and a changed file is fetched at once.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from urllib.parse import quote, urlencode

from offstage.library.package_files import KINDS, FileNotProvided, Home, find, home_of, package_folders

PREFIX = "/packagestatic/"
OWN_FOLDER = "-"  # in a URL: the interview's own folder (never a package name)
STATIC = KINDS["static"]
HASH_LENGTH = 12


@functools.lru_cache(maxsize=256)
def _digest(path: Path, mtime_ns: int, size: int) -> str:
    del mtime_ns, size  # part of the cache key only: a changed file is hashed again
    return hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]


def digest(path: Path) -> str:
    """A short hash of the file's content (cached while the file is unchanged)."""
    stat = path.stat()
    return _digest(path, stat.st_mtime_ns, stat.st_size)


def _bases(home: Home) -> list[Path]:
    """The folders an interview's own static files are served from, in lookup order."""
    return [home.root / STATIC, home.folder / STATIC, home.folder / "static"]


def _under(path: Path, bases: list[Path]) -> str | None:
    for base in bases:
        if base.is_dir() and path.is_relative_to(base.resolve()):
            return path.relative_to(base.resolve()).as_posix()
    return None


def url_for(reference: str, home: Home | None, interview_name: str, url_root: str = "") -> str:
    """The URL of a static file an interview names (`x.png`, `data/static/x.png`, `pkg:x.png`)."""
    path = find(reference, "static", home, only=STATIC)
    root = url_root.rstrip("/")
    version = digest(path)
    packages = [p for p in (_package_named(reference), home.package if home else None) if p]
    for package in packages:
        relative = _under(path, [folder / STATIC for folder in package_folders(package)])
        if relative is not None:
            return f"{root}{PREFIX}{package}/{quote(relative)}?{urlencode({'v': version})}"
    relative = _under(path, _bases(home)) if home is not None else None
    if relative is None:  # cannot happen: find() looked only in these folders
        raise FileNotProvided(f"{reference!r} is not among the interview's static files")
    return f"{root}{PREFIX}{OWN_FOLDER}/{quote(relative)}?{urlencode({'i': interview_name, 'v': version})}"


def _package_named(reference: str) -> str | None:
    package, _, _ = str(reference).strip().rpartition(":")
    return package or None


def lookup(package: str, relative: str, interview_path: Path | None = None) -> Path:
    """The file a `/packagestatic/...` URL names; FileNotProvided when there is none (or it is outside
    the static folders)."""
    if package == OWN_FOLDER:
        home = home_of(interview_path)
        if home is None:
            raise FileNotProvided(f"{relative!r}: no interview named to look in")
        return find(relative, "static", Home(home.root, home.folder), only=STATIC)
    if not package_folders(package):
        raise FileNotProvided(f"there is no installed package {package!r}")
    return find(f"{package}:{STATIC}/{relative}", "static", None, only=STATIC)


def feature_urls(interview: object, interview_name: str, url_root: str = "") -> dict[str, list[str]]:
    """`features: javascript:` / `css:` of an interview: {"javascript": [urls], "css": [urls]}. A web
    address is kept as it is; a file name is the static file of the package (or folder) of the block
    that names it. FileNotProvided names the feature and the file when one cannot be found."""
    found: dict[str, list[str]] = {"javascript": [], "css": []}
    for block in getattr(interview, "blocks", None) or ():
        features = getattr(block, "data", {}).get("features") if isinstance(getattr(block, "data", None), dict) else None
        if not isinstance(features, dict):
            continue
        home = getattr(getattr(block, "origin", None), "home", None)
        for kind, urls in found.items():
            named = features.get(kind)
            for reference in named if isinstance(named, list) else [named] if named else []:
                urls.append(_feature_url(str(reference), kind, home, interview_name, url_root))
    return found


def _feature_url(reference: str, kind: str, home: Home | None, interview_name: str, url_root: str) -> str:
    if reference.startswith(("https://", "http://", "/")):
        return reference
    try:
        return url_for(reference, home, interview_name, url_root)
    except FileNotProvided as exc:
        raise FileNotProvided(f"features: {kind}: {exc}") from None
