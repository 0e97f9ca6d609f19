"""In-memory ports and a fixed clock for the library tests (imported by the test_library_* modules)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from offstage.context import InterviewContext, Ports, UserInfo, use

from tests.conftest import reread_settings


class FixedClock:
    def __init__(self, now: dt.datetime) -> None:
        self.current = now

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, **kwargs: float) -> None:
        self.current += dt.timedelta(**kwargs)


class FakeMailer:
    def __init__(self, works: bool = True) -> None:
        self.works = works
        self.sent: list[dict[str, Any]] = []

    def send(self, **message: Any) -> bool:
        if not self.works:
            raise ConnectionError("mail server down")
        self.sent.append(message)
        return True


class FakeKV:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def rpush(self, key: str, value: bytes) -> int:
        self.values.setdefault(key, []).append(value)
        return len(self.values[key])

    def lpop(self, key: str) -> bytes | None:
        items = self.values.get(key) or []
        return items.pop(0) if items else None

    def get(self, key: str) -> bytes | None:
        return self.values.get(key)

    def set(self, key: str, value: bytes, expire_seconds: int | None = None) -> None:
        self.values[key] = value

    def delete(self, key: str) -> None:
        self.values.pop(key, None)


class FakeFiles:
    def __init__(self) -> None:
        self.data: dict[str, tuple[bytes, str]] = {}

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.data[key] = (data, content_type)

    def get(self, key: str) -> bytes:
        return self.data[key][0]

    def url(self, key: str, filename: str | None = None) -> str:
        return f"https://files.test/{key}"


NOW = dt.datetime(2024, 1, 5, 15, 30, tzinfo=dt.UTC)  # 10:30 AM in New York


def make_context(user: UserInfo | None = None, answers: dict[str, Any] | None = None) -> InterviewContext:
    ports = Ports(clock=FixedClock(NOW), mailer=FakeMailer(), kv=FakeKV(), files=FakeFiles())
    return InterviewContext(interview=None, answers=answers if answers is not None else {}, session_id="sess1",
                            interview_name="demo.yml", user=user or UserInfo(), ports=ports)


def entered_context(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Body of the `ctx` fixture of the library tests: a fresh context, current while the test runs."""
    monkeypatch.delenv("OFFSTAGE_TIMEZONE", raising=False)
    reread_settings()
    context = make_context()
    with use(context):
        yield context


@pytest.fixture
def ctx(monkeypatch: pytest.MonkeyPatch) -> Any:
    yield from entered_context(monkeypatch)


def test_the_fake_context_is_current_inside_use(ctx: InterviewContext) -> None:
    from offstage.context import current

    assert current() is ctx
    assert current().ports.clock.now() == NOW
