"""The resolver every HTTP function uses: routes + body limit + API keys + the error mapping."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.metrics import MetricUnit

from offstage.http import request
from offstage.http.auth import require_api_key
from offstage.http.observability import keep_out_of_logs, metrics
from offstage.http.openapi import PATH as OPENAPI_PATH
from offstage.http.responses import install_error_handlers
from offstage.http.wiring import get_deps


def max_body_bytes(event: dict[str, Any] | None = None) -> int:
    """The body limit: the uploads' one for a multipart body (a form with files), else the general one."""
    settings = getattr(get_deps(), "settings", None)
    if event is not None and request.is_multipart(event):
        from offstage.http.multipart import request_limit

        return request_limit()
    return int(getattr(settings, "max_body_bytes", None) or request.DEFAULT_MAX_BODY_BYTES)


def guard(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
    """Before any route: refuse oversized bodies unread, and /api/* without a valid API key (but the
    API's description, which is public)."""
    event = app.current_event.raw_event
    metrics.add_metric(name="Requests", unit=MetricUnit.Count, value=1)
    keep_out_of_logs(*request.secrets_in(event))
    request.check_body_size(event, max_body_bytes(event))
    if app.current_event.path.startswith("/api/") and app.current_event.path != OPENAPI_PATH:
        require_api_key(event, get_deps().api_keys)
    return next_middleware(app)


def build_app(*registrations: Callable[[APIGatewayHttpResolver], None]) -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver()
    install_error_handlers(app)
    app.use(middlewares=[guard])
    for register in registrations:
        register(app)
    return app


def event_of(app: APIGatewayHttpResolver) -> dict[str, Any]:
    return app.current_event.raw_event
