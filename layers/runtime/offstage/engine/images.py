"""The interview's named images (`image sets:`, `images:`): decorations and `:name:` in texts.

A name the interview defines is drawn as its file (a static file of the package or folder of the block
that names it, served from /packagestatic); with `image sets`, the set's attribution goes at the foot of
a page that shows one. A name the interview does not define stays docassemble's Font Awesome icon.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from typing import Any

# `:name:` as docassemble writes an image reference (the icon form `:fas-fa-bed:` is never an image name)
_REFERENCE = re.compile(r"(?<![\w:]):([A-Za-z][\w-]*):(?![\w:])")


@dataclass(frozen=True)
class NamedImage:
    name: str
    filename: str
    home: Any  # offstage.library.package_files.Home of the block that names it
    attribution: str | None  # Markdown


class MissingImage(FileNotFoundError):
    """An image the interview names whose file is not among its static files."""


def named_images(interview: Any) -> dict[str, NamedImage]:
    """Every image the interview names; a later block's name wins, as in docassemble."""
    cache = getattr(interview, "cache", {})
    if "named images" in cache:
        found: dict[str, NamedImage] = cache["named images"]
        return found
    found = {}
    for block in getattr(interview, "blocks", []):
        data = getattr(block, "data", None)
        if not isinstance(data, dict):
            continue
        home = getattr(getattr(block, "origin", None), "home", None)
        if isinstance(data.get("images"), dict):
            found.update(_images(data["images"], home, None))
        for collection in (data.get("image sets") or {}).values() if isinstance(data.get("image sets"), dict) else ():
            if isinstance(collection, dict) and isinstance(collection.get("images"), dict):
                credit = collection.get("attribution")
                found.update(_images(collection["images"], home, None if credit is None else str(credit)))
    cache["named images"] = found
    return found


def _images(names: dict[Any, Any], home: Any, attribution: str | None) -> dict[str, NamedImage]:
    return {str(k): NamedImage(str(k), str(v).strip(), home, attribution) for k, v in names.items() if v}


def references(texts: list[str | None]) -> list[str]:
    """The `:name:` references in the screen's texts, in order, once each."""
    seen: dict[str, None] = {}
    for text in texts:
        for match in _REFERENCE.finditer(text or ""):
            seen.setdefault(match[1], None)
    return list(seen)


def image_url(image: NamedImage, interview_name: str, url_root: str = "") -> str:
    """The image's /packagestatic address; MissingImage naming the image and its file otherwise."""
    from offstage.library.package_files import FileNotProvided
    from offstage.library.package_static import url_for

    try:
        return url_for(image.filename, image.home, interview_name, url_root)
    except FileNotProvided as exc:
        raise MissingImage(f"The image {image.name!r} names the file {image.filename!r}, which the interview "
                           f"does not have ({exc}).") from None


def screen_images(interview: Any, texts: list[str | None], decoration: str | None, interview_name: str,
                  url_root: str = "") -> tuple[dict[str, str], list[str]]:
    """({name: URL} of the interview's images this screen shows, their attributions as Markdown).

    As in docassemble, a `:name:` whose file is missing is an error (MissingImage), while a decoration
    whose file is missing is left out."""
    known = named_images(interview)
    if not known:
        return {}, []
    urls = {name: image_url(known[name], interview_name, url_root)
            for name in dict.fromkeys(references(texts)) if name in known}
    if decoration in known and decoration not in urls:
        with contextlib.suppress(MissingImage):
            urls = {decoration: image_url(known[decoration], interview_name, url_root), **urls}
    credits = list(dict.fromkeys(a for n in urls if (a := known[n].attribution)))
    return urls, credits
