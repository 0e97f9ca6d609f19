"""In-memory stand-ins for ports the harness wires: a key-value store, a movable clock, a mail outbox."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any


class MemoryKV:
    """The KeyValue port in a dict (what DARedis reaches in tests)."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}

    def rpush(self, key: str, value: bytes) -> int:
        items = self.data.setdefault(key, [])
        items.append(value if isinstance(value, bytes) else str(value).encode())
        return len(items)

    def lpop(self, key: str) -> bytes | None:
        items = self.data.get(key) or []
        return items.pop(0) if items else None

    def get(self, key: str) -> bytes | None:
        found = self.data.get(key)
        return found if isinstance(found, bytes) else None

    def set(self, key: str, value: bytes, expire_seconds: int | None = None) -> None:
        self.data[key] = value

    def delete(self, key: str) -> None:
        self.data.pop(key, None)


class MovableClock:
    """A Clock that stands still until moved (`Harness.cron(..., at=...)` moves it)."""

    def __init__(self, now: _dt.datetime | None = None) -> None:
        self.current = now or _dt.datetime.now(_dt.UTC)

    def now(self) -> _dt.datetime:
        return self.current

    def set(self, moment: _dt.datetime) -> None:
        self.current = moment if moment.tzinfo is not None else moment.replace(tzinfo=_dt.UTC)


class OutboxMailer:
    """The Mailer port keeping what was sent in `outbox` (a list of the send() keyword arguments)."""

    def __init__(self, accept: bool = True) -> None:
        self.outbox: list[dict[str, Any]] = []
        self.accept = accept

    def send(self, **message: Any) -> bool:
        if self.accept:
            self.outbox.append(message)
        return self.accept


class OneInterview:
    """An Interviews port that serves one interview under any name."""

    def __init__(self, interview: Any) -> None:
        self.interview = interview

    def get(self, name: str) -> Any:
        return self.interview

    def resolve(self, name: str) -> Path:
        return Path(name)
