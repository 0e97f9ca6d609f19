"""Turning answers into JSON-safe data (the API's view of a session; docassemble's all_variables())."""

from __future__ import annotations

import datetime as _dt
import decimal
from typing import Any

MAX_DEPTH = 40


def json_safe(value: Any, depth: int = 0) -> Any:
    """Plain data stays as is; dates become ISO strings; objects their serializable form or their text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else str(value)
    if depth > MAX_DEPTH:
        return str(value)
    if isinstance(value, dict):
        return {str(k): json_safe(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v, depth + 1) for v in value]
    if isinstance(value, _dt.datetime | _dt.date | _dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return _object_safe(value, depth)


def _object_safe(value: Any, depth: int) -> Any:
    """An object: its serializable form when it has one, else its text."""
    serializable = getattr(value, "as_serializable", None)
    if callable(serializable):
        try:
            return json_safe(serializable(), depth + 1)
        except Exception:  # noqa: BLE001 - an object that cannot describe itself is shown as text
            return str(value)
    return str(value)
