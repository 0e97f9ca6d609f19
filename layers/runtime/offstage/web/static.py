"""The page's static files, served by the screen function from the same origin.

Two folders: `static/` holds offstage's own script and styles (in the repository); `vendor/` holds
Bootstrap, jQuery and Font Awesome as their npm packages ship them, copied there by `make assets` (git-ignored, and
packed into the runtime layer by `sam build` from the working tree). Every URL carries the file's
content hash in its name (`/static/<hash>-<name>`), so a file can be cached for a year and a new
release is fetched at once.
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

from offstage.errors import OffstageError

FOLDER = Path(__file__).parent / "static"
VENDOR = Path(__file__).parent / "vendor"
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".woff2": "font/woff2"}
# name on our URLs -> the package file `make assets` copies (a Bootstrap page needs all three)
VENDORED = {"bootstrap.min.css": "bootstrap/dist/css/bootstrap.min.css",
            "bootstrap.bundle.min.js": "bootstrap/dist/js/bootstrap.bundle.min.js",
            "jquery.min.js": "jquery/dist/jquery.min.js",
            # Font Awesome (free): its CSS, and its fonts, which a browser fetches only for a glyph it shows
            "fontawesome.min.css": "@fortawesome/fontawesome-free/css/all.min.css",
            **{f"fa-{face}.woff2": f"@fortawesome/fontawesome-free/webfonts/fa-{face}.woff2"
               for face in ("solid-900", "regular-400", "brands-400", "v4compatibility")}}
FONT_URL = re.compile(r"url\(\.\./webfonts/([\w.-]+)\)")
HASH_LENGTH = 12


class AssetsMissing(OffstageError):
    status = 500
    code = "assets_missing"


@functools.cache
def read(name: str) -> tuple[bytes, str] | None:
    """(content, content type) of a static file by its plain name, or None if there is no such file."""
    if "/" in name or "\\" in name or name.startswith(".") or Path(name).suffix not in TYPES:
        return None
    path = (VENDOR if name in VENDORED else FOLDER) / name
    if not path.is_file():
        return None
    content = path.read_bytes()
    if name == "fontawesome.min.css":  # its fonts are beside it in the package: here they have hashed names
        content = FONT_URL.sub(lambda m: f"url({url(m[1])})" if read(m[1]) else m[0], content.decode()).encode()
    return content, TYPES[path.suffix]


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:HASH_LENGTH]


def lookup(requested: str) -> tuple[bytes, str, bool] | None:
    """The file a `/static/…` URL names: (content, type, whether the hash in the name is the current
    one). A URL from an older release still gets the file, but not a long cache."""
    version, _, name = requested.partition("-")
    if not name or len(version) != HASH_LENGTH:
        version, name = "", requested
    found = read(name)
    if found is None:
        return None
    return found[0], found[1], version == digest(found[0])


@functools.cache
def url(name: str) -> str:
    found = read(name)
    if found is None:
        if name in VENDORED:
            raise AssetsMissing(f"The page's {name} is not installed: run `make assets` (it copies Bootstrap "
                                "and jQuery from their npm packages into offstage/web/vendor).")
        raise AssetsMissing(f"There is no static file {name!r}.")
    return f"/static/{digest(found[0])}-{name}"
