"""Building responses, and the one mapping from exceptions to responses.

/api and /checkin get JSON ({"error": code, "message": ...}); browser routes get an HTML error page.
An unexpected error's reply names a reference (API Gateway's request id, also on the log line) and
never carries a traceback or a server path.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from aws_lambda_powertools.event_handler import Response

from offstage.errors import OffstageError
from offstage.http.observability import logger, metrics

NO_STORE = {"Cache-Control": "no-store"}
UNEXPECTED = "Something went wrong on our side. Nothing you entered was lost; please try again in a moment."


def debug_errors() -> bool:
    """OFFSTAGE_DEBUG=1 (never in production): interview errors keep their Python traceback."""
    from offstage.settings import settings

    return settings().debug


def json_response(data: Any, status: int = 200, cookies: list[Any] | None = None) -> Response[Any]:
    return Response(status_code=status, content_type="application/json", body=json.dumps(data),
                    headers={**NO_STORE, "X-Content-Type-Options": "nosniff"}, cookies=cookies or [])


def html_response(page: str, status: int = 200, cookies: list[Any] | None = None,
                  headers: dict[str, str] | None = None) -> Response[Any]:
    """Every HTML page goes out here: a fresh CSP nonce, no framing, no sniffing, no referrer to others."""
    from offstage.web.security import protect

    body, protection = protect(page)
    return Response(status_code=status, content_type="text/html; charset=utf-8", body=body,
                    headers={**NO_STORE, **protection, **(headers or {})}, cookies=cookies or [])


def redirect(location: str, cookies: list[Any] | None = None) -> Response[Any]:
    return Response(status_code=303, headers={"Location": location, **NO_STORE}, body="", cookies=cookies or [])


def empty(status: int = 204) -> Response[Any]:
    return Response(status_code=status, headers=dict(NO_STORE), body="")


def wants_json(path: str) -> bool:
    return path.startswith("/api") or path.startswith("/checkin")


def error_response(path: str, status: int, code: str, message: str, query: str = "",
                   reference: str | None = None) -> Response[Any]:
    if reference:
        message = f"{message} (Reference: {reference}.)"
    if wants_json(path):
        extra = {"reference": reference} if reference else {}
        return json_response({"error": code, "message": message, **extra}, status)
    from offstage.web.page import render_error

    restart = None
    # a session that is gone or not this browser's can start again; an interview that does not exist
    # cannot (the page offers the list of interviews instead)
    if path.startswith("/interview") and status in (403, 404) and "i=" in query and code != "interview_not_found":
        from urllib.parse import parse_qs, urlencode

        name = parse_qs(query).get("i", [""])[0]
        restart = "/interview?" + urlencode({"i": name, "reset": "1"})
    return html_response(render_error(status, message, restart_url=restart), status)


def install_error_handlers(app: Any) -> None:
    """The only place errors become HTTP responses."""

    def where() -> tuple[str, str]:
        event = app.current_event
        return event.path, event.raw_event.get("rawQueryString") or ""

    def reference() -> str:
        """API Gateway's id of this request: in its access log, in our log lines (correlation_id)."""
        context = app.current_event.raw_event.get("requestContext") or {}
        return str(context.get("requestId") or "") or uuid.uuid4().hex

    @app.exception_handler(OffstageError)  # type: ignore[untyped-decorator]  # powertools' decorator is unannotated
    def offstage_error(exc: OffstageError) -> Response[Any]:
        path, query = where()
        logger.info("request refused", extra={"status": exc.status, "code": exc.code, "problem": exc.message})
        return error_response(path, exc.status, exc.code, exc.message, query)

    @app.exception_handler(Exception)  # type: ignore[untyped-decorator]  # powertools' decorator is unannotated
    def unexpected(exc: Exception) -> Response[Any]:  # noqa: ARG001 - every error handler takes the exception
        path, query = where()
        ref = reference()
        logger.exception("unexpected error", extra={"reference": ref})
        metrics.add_metric(name="UnexpectedErrors", unit="Count", value=1)
        return error_response(path, 500, "internal_error", UNEXPECTED, query, reference=ref)

    @app.not_found  # type: ignore[untyped-decorator]  # powertools' decorator is unannotated
    def not_found(exc: Exception) -> Response[Any]:  # noqa: ARG001 - every error handler takes the exception
        path, query = where()
        return error_response(path, 404, "not_found", f"There is nothing at {path}.", query)
