"""Uploaded files: what arrived, what it really is, and whether a field takes it (pure, no storage).

A browser or API client names a file and declares its type; neither is trusted. The type is read from
the first bytes (content sniffing), a field's `accept` and datatype (`camera`: images, `microphone`:
audio) are checked against that, and types a browser would run as a page of our site (HTML, SVG, XML,
scripts) are refused whatever the field says. The name is reduced to a plain base name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# datatypes whose answer is one or more uploaded files (docassemble's, plus `signature:` questions)
FILE_DATATYPES = frozenset({"file", "files", "camera", "user", "environment", "camcorder", "microphone"})
SIGNATURE = "signature"
# the family of types each datatype limits uploads to (docassemble: "just like file, except...")
FAMILY = {"camera": "image/", "user": "image/", "environment": "image/", "camcorder": "video/",
          "microphone": "audio/"}
ACCEPT_OF = {"camera": "image/*", "user": "image/*", "environment": "image/*", "camcorder": "video/*",
             "microphone": "audio/*"}
CAPTURE_OF = {"camera": "environment", "user": "user", "environment": "environment", "camcorder": "environment",
              "microphone": "user"}
MAX_FILENAME = 200
SIGNATURE_FILENAME = "signature.png"

# first bytes -> type; checked in order (RIFF and ftyp need a second look, see sniff)
_MAGIC = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"ID3", "audio/mpeg"),
    (b"\xff\xfb", "audio/mpeg"),
    (b"\xff\xf3", "audio/mpeg"),
    (b"OggS", "audio/ogg"),
    (b"fLaC", "audio/flac"),
    (b"\x1aE\xdf\xa3", "video/webm"),
]
_ZIP = b"PK\x03\x04"
_OFFICE = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
# text that a browser may run as a page or script of our site: never accepted as an upload
_ACTIVE_TEXT = re.compile(rb"^\s*(<\?xml|<!doctype|<html|<svg|<script|<head|<body|<iframe|<!--)", re.I)
REFUSED = frozenset({"text/html", "image/svg+xml", "application/xml", "text/xml", "application/xhtml+xml",
                     "text/javascript", "application/javascript"})


@dataclass(frozen=True)
class Upload:
    """One file as it arrived: the client's name and declared type, its bytes (empty when over the size
    limit: `size` then says how big it was)."""

    filename: str
    declared_type: str
    data: bytes
    size: int
    too_large: bool = False
    limit: int = 0  # the per-file limit it was measured against (for the message)

    @property
    def content_type(self) -> str:
        return sniff(self.data, self.filename)


@dataclass(frozen=True)
class Pending:
    """A field's uploads, converted but not yet checked against the field's `accept` nor stored."""

    datatype: str
    uploads: tuple[Upload, ...]


class Refused(Exception):
    """An upload a field does not take; the message is shown next to the field."""


def safe_filename(name: str) -> str:
    """A client's file name as a plain base name: no folders, no control characters, bounded length."""
    import unicodedata
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    base = base.strip().lstrip(".").strip()
    if len(base) > MAX_FILENAME:
        stem, dot, ext = base.rpartition(".")
        base = (stem[:MAX_FILENAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else base[:MAX_FILENAME]
    return base or "upload"


def sniff(data: bytes, filename: str = "") -> str:
    """The type the bytes say they are; text is text/plain unless it looks like markup (then text/html),
    anything else application/octet-stream. The name only tells Office files (ZIPs) apart."""
    head = data[:64]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(b"BM") and head[6:10] == b"\x00\x00\x00\x00":  # BMP: its reserved bytes are zero
        return "image/bmp"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "image/heic" if brand in (b"heic", b"heix", b"mif1") else (
            "audio/mp4" if brand == b"M4A " else "video/mp4")
    if head.startswith(_ZIP):
        ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        return _OFFICE.get(ext, "application/zip")
    sample = data[:4096]
    if _ACTIVE_TEXT.match(sample) or b"<script" in sample.lower():
        return "text/html"
    if _is_text(sample):
        return "text/plain"
    return "application/octet-stream"


def _is_text(sample: bytes) -> bool:
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(sample) - 3  # a character cut at the end of the sample
    return True


def check(upload: Upload, datatype: str, accept: str | None, max_bytes: int | None = None) -> str:
    """The upload's real type if the field takes it; Refused with a message for the user otherwise."""
    shown = upload.filename
    if upload.too_large:
        limit = max_bytes or upload.limit
        raise Refused(f"The file {shown} is too large ({_megabytes(upload.size)}); the limit is "
                      f"{_megabytes(limit)} per file." if limit else
                      f"The file {shown} is too large ({_megabytes(upload.size)}).")
    kind = upload.content_type
    if kind in REFUSED:
        raise Refused(f"The file {shown} is a web page or script ({kind}); such files cannot be uploaded.")
    family = FAMILY.get(datatype)
    if family and not kind.startswith(family):
        raise Refused(f"The file {shown} is not {'an' if family[0] in 'aeiou' else 'a'} "
                      f"{family[:-1]} file (it is {kind}).")
    if accept and not accepts(accept, kind, upload.filename):
        raise Refused(f"The file {shown} is of a type this question does not take ({kind}); "
                      f"it takes {accept}.")
    return kind


def accept_list(code: Any, evaluate: Callable[[str], Any]) -> str | None:
    """A field's `accept`: Python code giving HTML's accept list, as in docassemble (`"image/*"` with
    its quotes); a plain list that is not Python (`image/*, .pdf`) is taken as written."""
    text = str(code).strip()
    try:
        found = evaluate(text)
    except SyntaxError:
        return text or None
    return str(found) if found else None


def accepts(accept: str, kind: str, filename: str) -> bool:
    """HTML's `accept` list (types, `image/*`, `.ext`) against the sniffed type; an extension counts
    only when the bytes agree with what the extension names."""
    import mimetypes

    for item in (part.strip().strip('"').strip("'").lower() for part in accept.split(",")):
        if not item:
            continue
        if item.startswith("."):
            if filename.lower().endswith(item) and mimetypes.guess_type("f" + item)[0] in (kind, None):
                return True
        elif item.endswith("/*"):
            if kind.startswith(item[:-1]):
                return True
        elif item == kind:
            return True
    return False


def from_data_url(text: str, max_bytes: int | None = None) -> Upload:
    """The signature pad's drawing: a `data:image/png;base64,...` URL, which must hold a PNG."""
    import base64
    import binascii

    prefix = "data:image/png;base64,"
    if not text.startswith(prefix):
        raise Refused("The signature did not arrive as a PNG image; please sign again.")
    encoded = text[len(prefix):]
    if max_bytes is not None and len(encoded) * 3 // 4 > max_bytes:
        return Upload(SIGNATURE_FILENAME, "image/png", b"", len(encoded) * 3 // 4, too_large=True,
                      limit=max_bytes)
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise Refused("The signature could not be read; please sign again.") from None
    upload = Upload(SIGNATURE_FILENAME, "image/png", data, len(data))
    if upload.content_type != "image/png":
        raise Refused("The signature did not arrive as a PNG image; please sign again.")
    return upload


def named_for(filename: str, kind: str) -> str:
    """The file's name with an extension that says what its bytes are (a PNG called x.html becomes
    x.html.png), so that a saved copy opens as what it is."""
    import mimetypes

    if kind == "application/octet-stream" or mimetypes.guess_type(filename)[0] == kind:
        return filename
    extension = mimetypes.guess_extension(kind) or ""
    return filename + extension


def _megabytes(size: int | None) -> str:
    size = size or 0
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{max(1, round(size / 1000))} KB"
