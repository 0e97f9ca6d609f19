"""Reading an API Gateway v2 (HTTP API) event: query, body (JSON or form), cookies, with size limits."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import parse_qs

from offstage.errors import BadRequest, PayloadTooLarge

DEFAULT_MAX_BODY_BYTES = 1024 * 1024


class Params:
    """Request parameters by name; form fields may repeat (getlist), JSON values keep their types."""

    def __init__(self, values: dict[str, list[Any]], *, is_json: bool = False) -> None:
        self.values = values
        self.is_json = is_json

    def get(self, name: str, default: Any = None) -> Any:
        found = self.values.get(name)
        return found[-1] if found else default

    def getlist(self, name: str) -> list[Any]:
        return list(self.values.get(name) or [])

    def names(self) -> list[str]:
        return list(self.values)

    def merged(self, other: Params) -> Params:
        return Params({**other.values, **self.values}, is_json=self.is_json)


def header(event: dict[str, Any], name: str) -> str | None:
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == name:
            return value
    return None


def query(event: dict[str, Any]) -> Params:
    raw = event.get("rawQueryString")
    if raw is not None:
        return Params(parse_qs(raw, keep_blank_values=True))
    return Params({k: [v] for k, v in (event.get("queryStringParameters") or {}).items()})


def body_size(event: dict[str, Any]) -> int:
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        return (len(body) * 3) // 4
    return len(body.encode("utf-8")) if isinstance(body, str) else len(body)


def check_body_size(event: dict[str, Any], limit: int) -> None:
    if body_size(event) > limit:
        raise PayloadTooLarge(f"The request body is larger than the limit of {limit} bytes.")


def raw_body(event: dict[str, Any]) -> bytes:
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            return base64.b64decode(body)
        except ValueError as exc:
            raise BadRequest("The request body is not valid base64.") from exc
    return body.encode("utf-8") if isinstance(body, str) else body


def body(event: dict[str, Any]) -> Params:
    """The body as parameters: a JSON object, or form-encoded fields."""
    data = raw_body(event)
    if not data.strip():
        return Params({})
    content_type = (header(event, "content-type") or "").split(";")[0].strip().lower()
    if content_type == "application/json" or (not content_type and data.lstrip()[:1] == b"{"):
        try:
            parsed = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadRequest(f"Malformed JSON in the request body: {exc}") from exc
        if not isinstance(parsed, dict):
            raise BadRequest("The JSON request body must be an object.")
        return Params({k: [v] for k, v in parsed.items()}, is_json=True)
    if content_type.startswith("multipart/"):
        raise BadRequest("File uploads (multipart bodies) are not supported; send JSON or a form.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest("The request body is not UTF-8 text.") from exc
    return Params(parse_qs(text, keep_blank_values=True))


def json_param(params: Params, name: str, expected: type, what: str) -> Any:
    """A parameter that is JSON (a string in forms, already decoded in JSON bodies), of the expected type."""
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str) and not (params.is_json and expected is str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise BadRequest(f"Malformed {what}: {exc}") from exc
    if not isinstance(value, expected):
        raise BadRequest(f"The {what} must be a JSON {'object' if expected is dict else 'array'}.")
    return value


def cookies(event: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    items = list(event.get("cookies") or [])
    if not items and header(event, "cookie"):
        items = (header(event, "cookie") or "").split(";")
    for item in items:
        name, _, value = item.strip().partition("=")
        if name:
            found[name] = value
    return found
