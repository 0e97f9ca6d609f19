"""Session files (uploads, signatures) placed in assembled documents as pictures.

- In a DOCX template, `{{ user_signature }}` or `{{ user_signature.show(width="2in") }}` is the picture
  itself, as in docassemble (documents/docx_template.py::file_in_template).
- In Markdown `content`, `${ user_picture }` is `![name](/interview/file?...)`; the DOCX writer asks
  here for that image's bytes, which are read from the current session's own files only (the file id
  is taken from the link, the session from the evaluation: never a path from the document).
Files that are not pictures keep their name as text.
"""

from __future__ import annotations

import re
from typing import Any

# what python-docx can place in a document
PICTURE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/bmp", "image/tiff")
MAX_WIDTH_INCHES = 6.0  # a page's width within its margins: a larger picture is scaled down to it
_FILE_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")


def session_picture(src: str) -> tuple[bytes, str | None] | None:
    """(bytes, width) of a picture of the current session that Markdown content links to, else None."""
    from urllib.parse import parse_qs, urlsplit

    from offstage.context import maybe_current

    ctx = maybe_current()
    link = urlsplit(src)
    if ctx is None or ctx.ports.files is None or not link.path.endswith("/interview/file"):
        return None
    file_id = (parse_qs(link.query).get("file") or [""])[0]
    if not _FILE_ID.fullmatch(file_id) or not ctx.session_id:
        return None
    from offstage.documents.sealed import unseal_file
    from offstage.errors import OffstageError

    key = f"{ctx.session_id}/{file_id}"
    try:
        stored = unseal_file(key, ctx.ports.files.get(key), secret=ctx.secret)
    except (OffstageError, FileNotFoundError):
        return None
    if stored.content_type.split(";")[0] not in PICTURE_TYPES:
        return None
    width = (parse_qs(link.fragment).get("width") or [""])[0] or None
    return stored.data, width


def picture_width(data: bytes, width: str | None) -> Any:
    """The width to give python-docx: the one asked for, else the picture's own capped at the page's."""
    return _width(data, width)


def _width(data: bytes, width: str | None) -> Any:
    from docx.shared import Cm, Inches, Pt

    match = re.fullmatch(r"\s*([0-9.]+)\s*(in|cm|pt|px)\s*", width or "")
    if match:
        number, unit = float(match.group(1)), match.group(2)
        if unit == "px":
            return Inches(number / 96)
        return {"in": Inches, "cm": Cm, "pt": Pt}[unit](number)
    from docx.image.image import Image

    natural = Image.from_blob(data).width
    return min(natural, Inches(MAX_WIDTH_INCHES))


# `image upload type`: docassemble's names -> (Pillow's format, the file's type)
UPLOAD_TYPES = {"jpeg": ("JPEG", "image/jpeg"), "jpg": ("JPEG", "image/jpeg"), "png": ("PNG", "image/png"),
                "bmp": ("BMP", "image/bmp"), "gif": ("GIF", "image/gif"), "tiff": ("TIFF", "image/tiff")}
# what Pillow reads here (an SVG is refused as an upload long before this)
RESIZABLE = frozenset({"image/png", "image/jpeg", "image/gif", "image/bmp", "image/tiff", "image/webp"})
MAX_PIXELS = 50_000_000  # a larger picture is refused, not decoded (a small file can claim huge dimensions)


class ImageRefused(ValueError):
    """An uploaded picture the field's `maximum image size` / `image upload type` cannot be applied to."""


def fitted_image(data: bytes, kind: str, max_size: int | None, upload_type: str | None) -> tuple[bytes, str]:
    """The picture no larger than `max_size` pixels on its longer side and in `upload_type`'s format
    (docassemble's field modifiers), as (bytes, type). Other files, and pictures that need no change,
    come back as they are."""
    if kind not in RESIZABLE or (not max_size and not upload_type):
        return data, kind
    wanted = UPLOAD_TYPES.get(str(upload_type or "").lower().lstrip("."))
    if upload_type and wanted is None:
        raise ImageRefused(f"image upload type {upload_type!r} is not one of {', '.join(sorted(UPLOAD_TYPES))}.")
    try:
        from PIL import Image
    except ImportError:  # the runtime's choice: say so rather than keep the picture unchanged
        raise ImageRefused("this question resizes or converts pictures (maximum image size, image upload "
                           "type), which needs Pillow, and Pillow is not installed on this server.") from None
    import io

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        picture: Image.Image = Image.open(io.BytesIO(data))
        picture.load()
    except (OSError, Image.DecompressionBombError, ValueError) as exc:
        raise ImageRefused(f"the picture cannot be read ({type(exc).__name__}).") from None
    changed = bool(max_size) and max(picture.size) > int(max_size or 0)
    if changed:
        picture.thumbnail((int(max_size or 0), int(max_size or 0)))  # keeps the proportions
    image_format, new_kind = wanted or (picture.format or "PNG", kind)
    if not changed and new_kind == kind:
        return data, kind
    if image_format == "JPEG" and picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")  # JPEG has no transparency
    out = io.BytesIO()
    picture.save(out, format=image_format)
    return out.getvalue(), new_kind
