"""One JSON API call to a running local stack, with the stack's API key, for the integration tests."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any


def _parsed(text: str) -> Any:
    """JSON bodies parsed, an empty body None, anything else (a plain message) as text."""
    if not text:
        return None
    return json.loads(text) if text[0] in "{[" else text


def api_call(stack: Any, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """(status, parsed body) of `method path` with `body` sent as JSON; HTTP errors are returned, not raised."""
    status, raw = _send(stack, method, path, body, {})
    return status, _parsed(raw.decode())


def raw_call(stack: Any, path: str, body: Any = None, **headers: str) -> tuple[int, bytes]:
    """(status, body bytes) of a GET, or a POST of `body` as JSON, with any extra headers (a session secret)."""
    return _send(stack, "POST" if body else "GET", path, body or None, headers)


def _send(stack: Any, method: str, path: str, body: Any, headers: dict[str, str]) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(stack.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json", "X-API-Key": stack.api_key,
                                              **headers})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
