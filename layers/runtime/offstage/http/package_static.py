"""GET /packagestatic/<package>/<file>: static files of installed packages and of interviews.

The URLs come from url_of() and `features: javascript/css` (offstage.library.package_static). Every
answer says nosniff and carries a sandboxing CSP, so an HTML or SVG file of a package never runs as a
page of this site; a URL whose `v=` is the content's hash is cached for a year, any other revalidates
with its ETag. Anything not found, or outside a static folder, is the same 404.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

from offstage.errors import InterviewInvalid, InterviewNotFound, OffstageError
from offstage.http import request
from offstage.http.wiring import get_deps

YEAR = "public, max-age=31536000, immutable"
SANDBOX = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox"
MAX_PATH = 1024


class PackageFileNotFound(OffstageError):
    status = 404
    code = "not_found"


def register(app: APIGatewayHttpResolver) -> None:
    # `<package>` is one path segment; the file may sit in a subfolder of data/static (the rest)
    @app.get("/packagestatic/<package>/.+")
    def package_file(package: str) -> Response[Any]:
        event = app.current_event.raw_event
        return serve(package, app.current_event.path, request.query(event), request.header(event, "if-none-match"))


def serve(package: str, path: str, query: Any, if_none_match: str | None) -> Response[Any]:
    from offstage.library.package_files import FileNotProvided, mimetype_of
    from offstage.library.package_static import PREFIX, digest, lookup

    relative = unquote(path[len(PREFIX) + len(package) + 1:]) if path.startswith(PREFIX) else ""
    if not relative or len(relative) > MAX_PATH or "\\" in relative:
        raise PackageFileNotFound("There is no such static file.")
    try:
        found = lookup(unquote(package), relative, _interview_path(query) if package == "-" else None)
    except FileNotProvided as exc:
        raise PackageFileNotFound(f"There is no such static file: {exc}") from None
    etag = f'"{digest(found)}"'
    headers = {"ETag": etag, "X-Content-Type-Options": "nosniff", "Content-Security-Policy": SANDBOX,
               "Cache-Control": YEAR if query.get("v") == etag.strip('"') else "no-cache"}
    if if_none_match == etag:
        return Response(status_code=304, body=b"", headers=headers)
    return Response(status_code=200, content_type=mimetype_of(found) or "application/octet-stream",
                    body=found.read_bytes(), headers=headers)


def _interview_path(query: Any) -> Any:
    """The file of the interview `i` names (its static folders are the ones served)."""
    name = query.get("i")
    if not isinstance(name, str) or not name or len(name) > MAX_PATH:
        raise PackageFileNotFound("There is no such static file: the URL names no interview.")
    try:
        return get_deps().interviews.resolve(name)
    except (InterviewNotFound, InterviewInvalid):
        raise PackageFileNotFound(f"There is no such static file: no interview named {name!r}.") from None
