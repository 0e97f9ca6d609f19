"""Reading a queue message's JSON body: one set of rules for the background and the cron workers."""

from __future__ import annotations

import json
from typing import Any


class UnreadableMessage(ValueError):
    """The body is not a JSON object; the text says what is wrong with it."""


def message_object(body: str | bytes | dict[str, Any]) -> dict[str, Any]:
    """The message as a dict (SQS gives text; the local stack and tests may pass the dict itself)."""
    data: Any = body
    if isinstance(body, str | bytes):
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise UnreadableMessage(f"is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise UnreadableMessage("is not a JSON object")
    return data


def missing_texts(data: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
    """The keys whose value is not a non-empty string."""
    return [key for key in keys if not isinstance(data.get(key), str) or not data[key]]
