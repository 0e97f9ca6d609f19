"""Big files sent by the browser straight to S3, and the screen POST that names them.

A screen's form goes through the function, and in AWS a body over ~4.4 MB cannot reach it. So the page
asks POST /interview/upload for a presigned POST of one file (this browser's session, one field, the
file's size and type), sends the file to S3 with it, and posts the form with a reference
(`_upload`: {"field", "key", "filename"}) instead of the bytes. The screen POST checks that each key
was made for this session and field, reads the object and hands the engine the same Upload a
multipart form gives, so the type and `accept` checks are the usual ones (offstage.library.uploads).

Keys are `<session id>/<field tag>/<nonce>`: the tag is an HMAC of the field name under the cookie's
CSRF token, so a key names one session, one field and one browser session; anything else is a 400
before anything is read or saved.

The JSON API does the same (POST /api/session/upload, then `uploads` in POST /api/session): there the
tag is keyed by the session's secret (a multi_user session has none; its keys are bound to the session
and field only, as anyone with the API key and the session id may answer it anyway).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

from offstage.documents.uploads import Upload, safe_filename
from offstage.errors import BadRequest, OffstageError, SessionNotFound, WrongSecret
from offstage.http import cookies, request
from offstage.http.context import interview_param
from offstage.http.observability import correlate
from offstage.http.responses import json_response
from offstage.http.wiring import get_deps

PATH = "/interview/upload"
REFERENCE = "_upload"  # the form's field that names an uploaded key
MAX_REFERENCES = 50  # files of one screen sent this way
_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}")
_KEY = re.compile(r"([A-Za-z0-9_-]{16,64})/([A-Za-z0-9_-]{22})/([A-Za-z0-9_-]{22})")


class UploadRefused(BadRequest):
    code = "upload_refused"


def register(app: APIGatewayHttpResolver) -> None:
    @app.post(PATH)
    def presign() -> Response[Any]:
        event = app.current_event.raw_event
        try:
            return json_response(upload_form(request.query(event), request.body(event), event))
        except OffstageError as exc:  # the page shows the message next to the field
            return json_response({"error": exc.code, "message": exc.message}, exc.status)


def limits(deps: Any) -> tuple[int, int]:
    """(files over this many bytes go straight to S3, the most one such file may have); (0, 0) when the
    deployment has no direct uploads (then every file goes through the function)."""
    from offstage import settings as defaults

    found = getattr(deps, "settings", None)
    if getattr(deps, "uploads", None) is None:
        return 0, 0
    over = getattr(found, "direct_upload_over_bytes", defaults.DIRECT_UPLOAD_OVER_BYTES)
    most = getattr(found, "max_direct_upload_bytes", defaults.MAX_DIRECT_UPLOAD_BYTES)
    return (int(over), int(most)) if over else (0, 0)


def field_tag(binder: str, session_id: str, field: str) -> str:
    """22 URL-safe characters that bind a key to one field of one session (and, by `binder`, to one
    browser session's CSRF token or the session's secret)."""
    import base64

    digest = hmac.new(binder.encode(), f"{session_id}\n{field}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:22]


def upload_form(q: request.Params, body: request.Params, event: dict[str, Any]) -> dict[str, Any]:
    """The presigned POST for one file of a field of this browser's session."""
    deps = get_deps()
    name, _ = interview_param(q, deps)
    current = _session(deps, name, event, body.get("_csrf"))
    return signed_form(deps, body, current.session_id, current.csrf)


def api_binder(secret: str | None) -> str:
    """What an API upload's key is bound with: the session's secret, or (multi_user) the session alone."""
    return secret or "multi_user"


def signed_form(deps: Any, body: request.Params, session_id: str, binder: str) -> dict[str, Any]:
    """{url, fields, key}: a presigned POST for one file (`field`, `size`, `type` of `body`) of the session."""
    from offstage import settings as defaults

    field = _field(body.get("field"))
    _, most = limits(deps)
    if not most:
        raise UploadRefused("This server takes files only with the form (direct uploads are off).")
    size = body.get("size")
    if not body.is_json and isinstance(size, str) and size.isdigit() and len(size) < 16:  # a form's text
        size = int(size)
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise UploadRefused("The file's size must be given as a whole number of bytes.")
    if size > most:
        raise UploadRefused(f"The file is too large ({size / 1_000_000:.1f} MB); the limit is "
                            f"{most / 1_000_000:.1f} MB per file.")
    declared = str(body.get("type") or "").strip().lower()
    content_type = declared if _TYPE.fullmatch(declared) else "application/octet-stream"
    key = f"{session_id}/{field_tag(binder, session_id, field)}/{secrets.token_urlsafe(16)}"
    form = deps.uploads.form(key, content_type=content_type, max_bytes=most, seconds=defaults.DIRECT_UPLOAD_SECONDS)
    return {"url": form["url"], "fields": form["fields"], "key": key}


def _session(deps: Any, name: str, event: dict[str, Any], csrf: Any) -> cookies.BrowserSession:
    """This browser's session of the interview, opened with its secret (so it is real and its own)."""
    from offstage.app.evaluation import load

    current = cookies.read(event, name)
    if current is None:
        raise UploadRefused("This browser has no session of this interview: reload the page and choose the file again.")
    if not isinstance(csrf, str) or not hmac.compare_digest(csrf, current.csrf):
        raise UploadRefused("The upload request did not come from this interview's page: reload the page and try again.")
    correlate(session_id=current.session_id)
    try:
        load(deps, current.session_id, current.secret, name)
    except (SessionNotFound, WrongSecret):
        raise UploadRefused("This browser's session of the interview has ended: reload the page.") from None
    return current


def _field(value: Any) -> str:
    from offstage.engine.varpath import NotAName, parse_name

    try:
        parse_name(value)
    except NotAName as exc:
        raise UploadRefused(f"The upload names no field of the form: {exc}") from None
    return str(value)


def taken(form: request.Params, current: cookies.BrowserSession) -> dict[str, list[Upload]]:
    """The files a screen POST names by key (`_upload`), read from S3 as Uploads, by field."""
    return read_uploads(form.getlist(REFERENCE), current.session_id, current.csrf)


def read_uploads(references: list[Any], session_id: str, binder: str) -> dict[str, list[Upload]]:
    """The files named by key, read from S3 as Uploads, by field. Every key is checked before any is
    read: a key of another session or field, or one never uploaded or expired, is a 400 and nothing is
    taken."""
    if not references:
        return {}
    deps = get_deps()
    _, most = limits(deps)
    if not most:
        raise UploadRefused("This server takes files only with the form (direct uploads are off).")
    if len(references) > MAX_REFERENCES:
        raise UploadRefused(f"A page may name at most {MAX_REFERENCES} uploaded files.")
    checked = [_checked(deps, reference, session_id, binder) for reference in references]
    found: dict[str, list[Upload]] = {}
    for field, key, filename, size in checked:
        if size > most:  # S3's content-length-range stops these in AWS; moto does not
            deps.uploads.take(key)
            upload = Upload(filename, "application/octet-stream", b"", size, too_large=True, limit=most)
        else:
            data = deps.uploads.take(key)
            upload = Upload(filename, "application/octet-stream", data, len(data))
        found.setdefault(field, []).append(upload)
    return found


def _checked(deps: Any, reference: Any, session_id: str, binder: str) -> tuple[str, str, str, int]:
    """(field, key, file name, size) of one reference, or UploadRefused naming what is wrong with it."""
    named = request.parse_json(reference, "uploaded file reference") if isinstance(reference, str) else reference
    if not isinstance(named, dict):
        raise UploadRefused('An uploaded file reference must be a JSON object {"field", "key", "filename"}.')
    field = _field(named.get("field"))
    key = str(named.get("key") or "")
    filename = safe_filename(str(named.get("filename") or ""))
    parts = _KEY.fullmatch(key)
    if parts is None:
        raise UploadRefused(f"The uploaded file {filename} has a key this server never gives out.")
    if parts.group(1) != session_id:
        raise UploadRefused(f"The uploaded file {filename} belongs to another session.")
    if not hmac.compare_digest(parts.group(2), field_tag(binder, session_id, field)):
        raise UploadRefused(f"The uploaded file {filename} was not uploaded for the field {field} of this page.")
    size = deps.uploads.size(key)
    if size is None:
        raise UploadRefused(f"The uploaded file {filename} is not there (never sent, already used, or expired): "
                            "choose it again.")
    return field, key, filename, size
