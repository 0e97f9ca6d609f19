"""Reading a multipart/form-data body (RFC 7578): the browser's form with files, the API's uploads.

The whole body is already in memory (API Gateway hands it over base64-encoded), so the parse is a few
splits, each bounded: the number of parts, the headers of a part and their length are limited, the
boundary must be one RFC 2046 allows, and a file over the per-file limit is kept only as its size (the
field then says it is too large, and the rest of the form is still read).
"""

from __future__ import annotations

import re
from typing import Any

from offstage.documents.uploads import Upload, safe_filename
from offstage.errors import BadRequest

MAX_PARTS = 200  # fields and files of one form
MAX_PART_HEADERS = 8  # a browser sends 1 or 2 (Content-Disposition, Content-Type)
MAX_HEADER_BYTES = 4096  # all the headers of one part
# RFC 2046: 1 to 70 of these characters, not ending with a space
_BOUNDARY = re.compile(r"[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]")
_PARAM = re.compile(r';\s*([A-Za-z0-9_.*-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)')


def boundary_of(content_type: str) -> bytes:
    """The boundary a Content-Type header gives, checked."""
    params = dict(_params(";" + content_type.partition(";")[2]))
    boundary = params.get("boundary")
    if not boundary:
        raise BadRequest("The multipart body has no boundary in its Content-Type header.")
    if not _BOUNDARY.fullmatch(boundary):
        raise BadRequest("The multipart boundary is not a valid one (1 to 70 letters, digits or '()+_,-./:=?).")
    return boundary.encode("ascii")


def parse(data: bytes, content_type: str, *, max_file_bytes: int) -> dict[str, list[Any]]:
    """Field values by name, in order: text as str, files as Upload. A file input left empty is ""."""
    boundary = boundary_of(content_type)
    if not content_type.split(";")[0].strip().lower() == "multipart/form-data":
        raise BadRequest("Only multipart/form-data bodies are read; send the form as a browser does.")
    pieces = (b"\r\n" + data).split(b"\r\n--" + boundary, MAX_PARTS + 1)
    if len(pieces) < 2:
        raise BadRequest("The multipart body does not contain its boundary.")
    values: dict[str, list[Any]] = {}
    closed = False
    for piece in pieces[1:]:
        if piece.startswith(b"--"):
            closed = True
            break
        if len(values) >= MAX_PARTS or sum(len(v) for v in values.values()) >= MAX_PARTS:
            raise BadRequest(f"The form has more than {MAX_PARTS} parts.")
        name, value = _part(piece, max_file_bytes)
        values.setdefault(name, []).append(value)
    if not closed:
        raise BadRequest(f"The multipart body does not end with its closing boundary (or has more than "
                         f"{MAX_PARTS} parts).")
    return values


def _split_part(piece: bytes) -> tuple[bytes, bytes]:
    """A part's (headers, content)."""
    line_end = piece.find(b"\r\n")
    if line_end < 0 or piece[:line_end].strip(b" \t"):
        raise BadRequest("A multipart boundary is followed by something other than a line break.")
    head, found, content = piece[line_end + 2:].partition(b"\r\n\r\n")
    if not found:
        if piece[line_end + 2:].startswith(b"\r\n"):  # a part with no headers at all
            head, content = b"", piece[line_end + 4:]
        else:
            raise BadRequest("A part of the multipart body has no end to its headers.")
    if len(head) > MAX_HEADER_BYTES:
        raise BadRequest(f"A part of the multipart body has more than {MAX_HEADER_BYTES} bytes of headers.")
    return head, content


def _part(piece: bytes, max_file_bytes: int) -> tuple[str, Any]:
    head, content = _split_part(piece)
    headers = _headers(head)
    disposition = headers.get("content-disposition", "")
    if disposition.split(";")[0].strip().lower() != "form-data":
        raise BadRequest("A part of the multipart body is not form-data (Content-Disposition: form-data).")
    params = dict(_params(";" + disposition.partition(";")[2]))
    name = params.get("name")
    if not name:
        raise BadRequest("A part of the multipart body has no name.")
    if "filename" not in params and "filename*" not in params:
        try:
            return name, content.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest(f"The form field {name[:100]!r} is not UTF-8 text.") from None
    filename = _filename(params)
    if not filename and not content:
        return name, ""  # a file input with no file chosen: answered, with nothing
    declared = headers.get("content-type", "application/octet-stream").split(";")[0].strip().lower()
    if len(content) > max_file_bytes:
        return name, Upload(safe_filename(filename), declared, b"", len(content), too_large=True,
                            limit=max_file_bytes)
    return name, Upload(safe_filename(filename), declared, content, len(content))


def _headers(head: bytes) -> dict[str, str]:
    lines = head.split(b"\r\n") if head else []
    if len(lines) > MAX_PART_HEADERS:
        raise BadRequest(f"A part of the multipart body has more than {MAX_PART_HEADERS} headers.")
    found: dict[str, str] = {}
    for line in lines:
        key, colon, value = line.partition(b":")
        if not colon or not key.strip():
            raise BadRequest("A part of the multipart body has a malformed header.")
        try:
            found[key.strip().decode("ascii").lower()] = value.strip().decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest("A part of the multipart body has a header that is not text.") from None
    return found


def _params(text: str) -> list[tuple[str, str]]:
    found = []
    for key, raw in _PARAM.findall(text):
        value = re.sub(r"\\(.)", r"\1", raw[1:-1]) if raw.startswith('"') else raw
        found.append((key.lower(), value))
    return found


def _filename(params: dict[str, str]) -> str:
    """RFC 5987's filename* (UTF-8''...) when given, else filename."""
    extended = params.get("filename*")
    if extended and "''" in extended:
        from urllib.parse import unquote

        charset, _, encoded = extended.partition("''")
        try:
            return unquote(encoded, encoding=charset or "utf-8", errors="strict")
        except (LookupError, UnicodeDecodeError):
            pass
    return params.get("filename", "")


def upload_limit() -> int:
    """Bytes one uploaded file may have (the deployment's MAX_UPLOAD_BYTES)."""
    return _setting("max_upload_bytes")


def request_limit() -> int:
    """Bytes a multipart body may have (MAX_UPLOAD_REQUEST_BYTES)."""
    return _setting("max_upload_request_bytes")


def _setting(name: str) -> int:
    from offstage import settings as defaults
    from offstage.http.wiring import get_deps

    found = getattr(getattr(get_deps(), "settings", None), name, None)
    return int(found or getattr(defaults, name.upper()))
