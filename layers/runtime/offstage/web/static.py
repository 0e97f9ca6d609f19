"""The page's own JavaScript and CSS, served by the screen function with a content hash in the URL."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

FOLDER = Path(__file__).parent / "static"
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


@functools.cache
def read(name: str) -> tuple[bytes, str] | None:
    """(content, content type) of a static file, or None if there is no such file."""
    if "/" in name or "\\" in name or name.startswith(".") or Path(name).suffix not in TYPES:
        return None
    path = FOLDER / name
    if not path.is_file():
        return None
    return path.read_bytes(), TYPES[path.suffix]


@functools.cache
def url(name: str) -> str:
    found = read(name)
    version = hashlib.sha256(found[0]).hexdigest()[:12] if found else "0"
    return f"/static/{name}?v={version}"
