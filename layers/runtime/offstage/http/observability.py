"""The observability singletons: one Logger, one Metrics, one Tracer for the whole process.

The Tracer is created on first use: building it loads the X-Ray SDK (~300 ms), which must not count
against the handler's import time.
"""

from __future__ import annotations

import contextvars
import functools
import json
import os
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "offstage")
MASK = "***"
# the secrets this request carries (session secrets, API keys): no log line may spell them out
_request_secrets: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("request_secrets", default=())


def mask_only(*values: str | None) -> None:
    """A new unit of work (a request, a queued task) begins: mask exactly these values from now on."""
    _request_secrets.set(())
    keep_out_of_logs(*values)


def keep_out_of_logs(*values: str | None) -> None:
    """From now until the end of the request, these values are masked in every log line."""
    found = tuple(v for v in values if isinstance(v, str) and len(v) >= 4)
    if found:
        _request_secrets.set(_request_secrets.get() + found)


class ScrubbingFormatter(LambdaPowertoolsFormatter):
    """Powertools' JSON lines, with the request's secrets masked wherever they appear (an exception's
    message, a value a log call was given)."""

    def serialize(self, log: Any) -> str:
        line = super().serialize(log)
        for value in _request_secrets.get():
            line = line.replace(value, MASK)
            escaped = json.dumps(value)[1:-1]  # as it appears inside a JSON string
            if escaped != value:
                line = line.replace(escaped, MASK)
        return line


logger = Logger(service=SERVICE, logger_formatter=ScrubbingFormatter())
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "Offstage"), service=SERVICE)


@functools.cache
def tracer() -> Any:
    from aws_lambda_powertools import Tracer

    return Tracer(service=SERVICE)


def correlate(session_id: str | None = None, interview: str | None = None) -> None:
    """Every log line of this request names the session and the interview it concerns."""
    keys = {k: v for k, v in (("session", session_id), ("interview", interview)) if v}
    if keys:
        logger.append_keys(**keys)


def instrument(handler: Callable[[dict[str, Any], Any], Any]) -> Callable[[dict[str, Any], Any], Any]:
    """The decorator stack every HTTP entry point shares: logging context, metrics flush, tracing."""

    wrapped: list[Callable[[dict[str, Any], Any], Any]] = []

    @functools.wraps(handler)
    def traced(event: dict[str, Any], context: Any) -> Any:
        mask_only()
        if not wrapped:
            wrapped.append(tracer().capture_lambda_handler(handler))
        return wrapped[0](event, context)

    # correlation_id: API Gateway's request id, the reference an unexpected error's reply names
    # log_event=False whatever POWERTOOLS_LOGGER_LOG_EVENT says: an event carries secrets and answers
    return logger.inject_lambda_context(clear_state=True, log_event=False,
                                        correlation_id_path=correlation_paths.API_GATEWAY_HTTP)(
        metrics.log_metrics(traced))
