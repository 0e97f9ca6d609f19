"""Actions in URLs: `url_action()` encodes {action, arguments}; the web layer decodes it into a StepRequest."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import urlencode

from offstage.errors import BadRequest


def encode_action(action: str, arguments: dict[str, Any]) -> str:
    raw = json.dumps({"action": action, "arguments": arguments}, separators=(",", ":"), default=str)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_action(text: str) -> tuple[str, dict[str, Any]]:
    """The (action, arguments) of an `action=` URL parameter; BadRequest if it is not one."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("the action in the link is not valid") from None
    if not isinstance(data, dict) or not isinstance(data.get("action"), str) \
            or not isinstance(data.get("arguments", {}), dict):
        raise BadRequest("the action in the link is not valid")
    return data["action"], data.get("arguments", {})


def interview_link(url_root: str, interview: str, session: str | None = None, **params: Any) -> str:
    query = {"i": interview}
    if session:
        query["session"] = session
    query.update({k: v for k, v in params.items() if v is not None})
    return f"{url_root.rstrip('/')}/interview?{urlencode(query)}"
