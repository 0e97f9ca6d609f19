"""CheckinFunction: POST /checkin, the page's periodic check-in (docassemble's JSON shape)."""

from __future__ import annotations

from typing import Any

from offstage.http import checkin_routes
from offstage.http.observability import instrument
from offstage.http.resolver import build_app

app = build_app(checkin_routes.register)


@instrument
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from offstage.engine import deadline  # at the first request, not at import (cold start)

    with deadline.invocation(context):  # time limits of interview code end before the function's
        return app.resolve(event, context)
