"""ScreenFunction: the browser pages (/, /static, /packagestatic, /interview), the JSON API (/api/*) and its description.

Thin on purpose: routes live in offstage.http, use cases in offstage.app; the engine and the AWS
clients load on the first request, not at import.
"""

from __future__ import annotations

from typing import Any

from offstage.http import api, browser, direct_uploads, openapi, package_static
from offstage.http.observability import instrument
from offstage.http.resolver import build_app

app = build_app(browser.register, api.register, openapi.register, package_static.register, direct_uploads.register)


@instrument
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from offstage.engine import deadline  # at the first request, not at import (cold start)

    with deadline.invocation(context):  # time limits of interview code end before the function's
        return app.resolve(event, context)
