"""The observability singletons: one Logger, one Metrics, one Tracer for the whole process.

The Tracer is created on first use: building it loads the X-Ray SDK (~300 ms), which must not count
against the handler's import time.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths

SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "offstage")
logger = Logger(service=SERVICE)
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
        if not wrapped:
            wrapped.append(tracer().capture_lambda_handler(handler))
        return wrapped[0](event, context)

    # correlation_id: API Gateway's request id, the reference an unexpected error's reply names
    return logger.inject_lambda_context(clear_state=True, correlation_id_path=correlation_paths.API_GATEWAY_HTTP)(
        metrics.log_metrics(traced))
