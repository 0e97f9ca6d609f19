"""Reading an API Gateway v2 (HTTP API) event: query, body (JSON or form), cookies, with size limits."""

from __future__ import annotations

import base64
import hmac
import json
import re
from typing import Any, cast
from urllib.parse import parse_qs

from offstage.errors import BadRequest, PayloadTooLarge

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 32  # answers nest a few levels (lists of objects of dicts); anything deeper is an attack
MAX_NAME_LENGTH = 1000  # a parameter's or variable's name
MAX_SESSION_ID = 100  # ours are 32 hex digits; DynamoDB refuses keys over 2 KB with an error of its own
SECRET_HEADER = "x-session-secret"  # noqa: S105 - a header's name, not a secret
SECRET_NAMES = re.compile(r"secret|key|token|password|passwd|csrf|auth|signature|credential", re.I)


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

    def replaced(self, name: str, value: Any) -> Params:
        values = {k: v for k, v in self.values.items() if k != name}
        if value is not None:
            values[name] = [value]
        return Params(values, is_json=self.is_json)


def header(event: dict[str, Any], name: str) -> str | None:
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == name:
            return cast("str | None", value)
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
    """The body as parameters: a JSON object, form-encoded fields, or a multipart form (its files as
    offstage.documents.uploads.Upload values)."""
    data = raw_body(event)
    if not data.strip():
        return Params({})
    content_type = (header(event, "content-type") or "").split(";")[0].strip().lower()
    if content_type == "application/json" or (not content_type and data.lstrip()[:1] == b"{"):
        parsed = parse_json(data, "JSON in the request body")
        if not isinstance(parsed, dict):
            raise BadRequest("The JSON request body must be an object.")
        return Params({k: [v] for k, v in parsed.items()}, is_json=True)
    if content_type.startswith("multipart/"):  # a form with files (offstage.http.multipart)
        from offstage.http.multipart import parse, upload_limit

        return Params(parse(data, header(event, "content-type") or "", max_file_bytes=upload_limit()))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest("The request body is not UTF-8 text.") from exc
    return Params(parse_qs(text, keep_blank_values=True))


def is_multipart(event: dict[str, Any]) -> bool:
    return (header(event, "content-type") or "").lstrip().lower().startswith("multipart/")


def json_param(params: Params, name: str, expected: type, what: str) -> Any:
    """A parameter that is JSON (a string in forms, already decoded in JSON bodies), of the expected type."""
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str) and not (params.is_json and expected is str):
        value = parse_json(value, what)
    if not isinstance(value, expected):
        raise BadRequest(f"The {what} must be a JSON {'object' if expected is dict else 'array'}.")
    return value


def parse_json(data: str | bytes, what: str) -> Any:
    """JSON from a client: well formed, at most MAX_JSON_DEPTH deep, text that is valid Unicode."""
    try:
        parsed = json.loads(data)
    except RecursionError:  # the C parser gives up on very deep nesting before we can count it
        raise BadRequest(f"Malformed {what}: nested more than {MAX_JSON_DEPTH} levels deep.") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"Malformed {what}: {str(exc)[:200]}") from None
    check_json(parsed, what)
    return parsed


def check_json(value: Any, what: str) -> None:
    """Refuse what would fail later, far from here: deep nesting, lone surrogates (not encodable as
    UTF-8, so not storable), and non-finite numbers (not JSON, not storable in DynamoDB)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise BadRequest(f"Malformed {what}: nested more than {MAX_JSON_DEPTH} levels deep.")
        if isinstance(item, str):
            check_text(item, what)
        elif isinstance(item, float) and item - item != 0:
            raise BadRequest(f"Malformed {what}: a number that is not finite (NaN or Infinity).")
        elif isinstance(item, dict):
            for key, child in item.items():
                check_text(key, what)
                stack.append((child, depth + 1))
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)


def check_text(value: str, what: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(f"Malformed {what}: text that is not valid Unicode (a lone surrogate such as "
                         f"\\ud800).") from None


def text_param(params: Params, name: str, *, max_length: int = MAX_NAME_LENGTH) -> str | None:
    """A parameter that must be text (JSON bodies may send any type): None when absent or empty."""
    value = params.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadRequest(f"Parameter {name} must be text, not {json_type(value)}.")
    if len(value) > max_length:
        raise BadRequest(f"Parameter {name} is longer than {max_length} characters.")
    check_text(value, f"parameter {name}")
    return value


def session_id_param(params: Params) -> str | None:
    return text_param(params, "session", max_length=MAX_SESSION_ID)


def session_secret(event: dict[str, Any], params: Params) -> str | None:
    """The session's secret: the X-Session-Secret header (which keeps it out of URLs, so out of access
    logs and browser histories) or the `secret` parameter; when both are given they must agree."""
    in_header = (header(event, SECRET_HEADER) or "").strip() or None
    given = text_param(params, "secret")
    if in_header is not None:
        check_text(in_header, "X-Session-Secret header")
        if len(in_header) > MAX_NAME_LENGTH:
            raise BadRequest(f"The X-Session-Secret header is longer than {MAX_NAME_LENGTH} characters.")
    if in_header and given and not hmac.compare_digest(in_header.encode(), given.encode()):
        raise BadRequest("The X-Session-Secret header and the secret parameter differ: send one of them.")
    return in_header or given


def secrets_in(event: dict[str, Any]) -> list[str]:
    """Every value in the request that is, or holds, a secret: secret-ish query parameters, the key and
    secret headers, the session cookies' secret part."""
    found: list[str] = []
    for name, values in query(event).values.items():
        if SECRET_NAMES.search(name):
            found.extend(v for v in values if isinstance(v, str))
    for name in (SECRET_HEADER, "x-api-key", "authorization"):
        value = header(event, name)
        if value:
            found.extend([value, value.partition(" ")[2]])
    for value in cookies(event).values():
        found.extend(value.split(".")[1:])  # session id . secret . CSRF token: the id may be logged
    return found


def json_type(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", list: "an array", dict: "an object"}
    return names.get(type(value), "null" if value is None else type(value).__name__)


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
