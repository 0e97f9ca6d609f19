"""Ports that hold every side effect back: what a planning pass runs with (offstage.app.assembly).

The pass is a rehearsal: the real pass does everything again. So nothing may leave it: no task is
queued, no e-mail sent, no task stored or revoked, no file or key written where anyone else could see
it. Reads go through, and a write is kept in memory, so the code reads back what it wrote (a DAFile it
just made, a key it just set) and takes the same path as it will in the real pass.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any


class HeldQueue:
    def __init__(self) -> None:
        self.held: list[Any] = []

    def send(self, task: Any) -> None:
        self.held.append(task)


class HeldMailer:
    def __init__(self) -> None:
        self.held: list[dict[str, Any]] = []

    def send(self, **message: Any) -> bool:
        self.held.append(message)
        return True  # as a send that worked: the code goes on as it will in the real pass


class ReadOnlyTasks:
    """Task states read through; creating, finishing, revoking and taking notifications are held."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def get(self, task_id: str, *, secret: str | None = None) -> Any:
        return self.inner.get(task_id, secret=secret)

    def create(self, task: Any) -> None:  # noqa: ARG002 - the port's signature: held work does nothing
        return None

    def finish(self, *args: Any, **kwargs: Any) -> bool:  # noqa: ARG002 - the port's signature: held work does nothing
        return True

    def revoke(self, task_id: str) -> bool:  # noqa: ARG002 - the port's signature: held work does nothing
        return True

    def take_notifications(self, session_id: str, *, secret: str | None = None) -> list[dict[str, Any]]:  # noqa: ARG002 - the port's signature: held work does nothing
        return []  # taking them would hand them out: the page would never see them


class OverlayKeyValue:
    """DARedis for a rehearsal: writes stay here, reads see them first."""

    _GONE = object()

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.values: dict[str, Any] = {}
        self.lists: dict[str, list[bytes]] = {}

    def get(self, key: str) -> bytes | None:
        if key in self.values:
            value = self.values[key]
            return None if value is self._GONE else value
        return self.inner.get(key) if self.inner is not None else None

    def set(self, key: str, value: bytes, expire_seconds: int | None = None) -> None:  # noqa: ARG002 - the port's signature: held work does nothing
        self.values[key] = value

    def delete(self, key: str) -> None:
        self.values[key] = self._GONE
        self.lists[key] = []

    def rpush(self, key: str, value: bytes) -> int:
        self.lists.setdefault(key, []).append(value)
        return len(self.lists[key])

    def lpop(self, key: str) -> bytes | None:
        held = self.lists.get(key)
        return held.pop(0) if held else None  # taking from the shared list would take it from others


class OverlayFiles:
    """A session's files for a rehearsal: new files stay in memory, stored ones are read through."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.held: dict[str, bytes] = {}

    def put(self, key: str, data: bytes, content_type: str) -> None:  # noqa: ARG002 - the port's signature: held work does nothing
        self.held[key] = data

    def get(self, key: str) -> bytes:
        if key in self.held:
            return self.held[key]
        if self.inner is None:
            raise FileNotFoundError(key)
        return bytes(self.inner.get(key))

    def url(self, key: str, filename: str | None = None) -> str:
        return "" if key in self.held or self.inner is None else str(self.inner.url(key, filename))


def held_ports(ports: Any) -> Any:
    """`ports` (offstage.context.Ports) with every side effect held back."""
    return replace(ports, queue=HeldQueue(), mailer=HeldMailer(),
                   tasks=None if ports.tasks is None else ReadOnlyTasks(ports.tasks),
                   kv=OverlayKeyValue(ports.kv), files=OverlayFiles(ports.files))
