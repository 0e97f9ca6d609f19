"""API keys: /api/* needs `X-API-Key: <key>` or `Authorization: Bearer <key>` naming a known key."""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from typing import Any

from offstage.errors import Unauthorized
from offstage.http.request import header


def presented_key(event: dict[str, Any]) -> str | None:
    key = header(event, "x-api-key")
    if key:
        return key.strip()
    authorization = header(event, "authorization") or ""
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def require_api_key(event: dict[str, Any], known: Iterable[str]) -> None:
    key = presented_key(event)
    # compare_digest against every key: the time taken does not tell which prefix matched.
    matches = [hmac.compare_digest(key.encode(), k.encode()) for k in known] if key else []
    if not any(matches):
        raise Unauthorized("Access Denied")
