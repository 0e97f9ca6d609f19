"""DARedis: a small shared key-value store for interviews (docassemble's Redis), over the KeyValue port.

Values come back as bytes, like redis does: `r.lpop(key).decode()`.
"""

from __future__ import annotations

import json
from typing import Any, cast

from offstage.answers.registry import register
from offstage.context import current
from offstage.library.objects import DAObject


def _bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8")


def _kv() -> Any:
    kv = current().ports.kv
    if kv is None:
        raise RuntimeError("no key-value store is configured for this interview run")
    return kv


@register
class DARedis(DAObject):
    """A shared store: `r.key('log')`, `r.rpush(k, v)`, `r.lpop(k)`, `r.get(k)`, `r.set(k, v)`, `r.delete(k)`."""

    def key(self, keyname: str) -> str:
        """A key name kept apart from other interviews: 'da:<interview>:<keyname>'."""
        return f"da:{current().interview_name}:{keyname}"

    def rpush(self, key: str, *values: Any) -> int:
        """Append values to the list at `key`; returns the new length."""
        length = 0
        for value in values:
            length = _kv().rpush(key, _bytes(value))
        return length

    def lpop(self, key: str) -> bytes | None:
        """Take the first value of the list at `key` (bytes), or None when it is empty."""
        return cast("bytes | None", _kv().lpop(key))

    def get(self, key: str) -> bytes | None:
        return cast("bytes | None", _kv().get(key))

    def set(self, key: str, value: Any, ex: int | None = None) -> None:
        """Store a value (bytes or text) at `key`, optionally expiring after `ex` seconds."""
        _kv().set(key, _bytes(value), expire_seconds=ex)

    def delete(self, *keys: str) -> None:
        for key in keys:
            _kv().delete(key)

    def set_data(self, key: str, data: Any, expire: int | None = None) -> None:
        """Store JSON-able data (lists, dicts, text, numbers) at `key`."""
        self.set(key, json.dumps(data), ex=expire)

    def get_data(self, key: str) -> Any:
        """The data stored with set_data(), or None."""
        raw = self.get(key)
        return None if raw is None else json.loads(raw.decode("utf-8"))
