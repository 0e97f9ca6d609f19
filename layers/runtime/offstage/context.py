"""The one piece of ambient state: the interview being evaluated right now.

docassemble keeps per-request state in a thread-local referenced all over; here the author-facing
functions reach it through `current()` only, set by the evaluation loop with `use()`. It sits below the
library and the engine (it needs only the ports), so the library reads it without importing the engine.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the ports module is imported when a Ports is first made
    from offstage.ports import Clock, Converter, FileStore, KeyValue, Mailer, QueuedTask, TaskQueue, TaskStore


@dataclass
class UserInfo:
    """Who is driving the session (the browser user, an API key owner, the cron user)."""

    id: str | None = None
    email: str | None = None
    first_name: str = ""
    last_name: str = ""
    privileges: list[str] = field(default_factory=lambda: ["user"])
    logged_in: bool = False
    language: str = "en"

    @classmethod
    def cron(cls) -> UserInfo:
        return cls(id="cron", email="cron@localhost", first_name="Cron", last_name="User",
                   privileges=["cron"], logged_in=True)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "email": self.email, "first_name": self.first_name,
                "last_name": self.last_name, "privileges": list(self.privileges),
                "logged_in": self.logged_in, "language": self.language}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> UserInfo:
        data = data or {}
        return cls(id=data.get("id"), email=data.get("email"), first_name=data.get("first_name", ""),
                   last_name=data.get("last_name", ""), privileges=list(data.get("privileges", ["user"])),
                   logged_in=bool(data.get("logged_in")), language=data.get("language", "en"))


@dataclass
class Ports:
    """The adapters an evaluation may use; any may be None where the caller has none."""

    clock: Clock = field(default_factory=lambda: _system_clock())
    queue: TaskQueue | None = None
    tasks: TaskStore | None = None
    mailer: Mailer | None = None
    kv: KeyValue | None = None
    files: FileStore | None = None
    converter: Converter | None = None  # None: LibreOffice in this process (documents/convert.py)


@dataclass
class InterviewContext:
    """Everything the author-facing functions may read or add to during one evaluation."""

    interview: Any  # offstage.interview.Interview
    answers: dict[str, Any]
    session_id: str
    interview_name: str
    user: UserInfo
    ports: Ports
    interface: str = "web"  # web | api | checkin | worker | cron
    action: str | None = None
    arguments: dict[str, Any] = field(default_factory=dict)
    outbox: list[QueuedTask] = field(default_factory=list)  # sent only after the save succeeds
    secret: str | None = None
    url_root: str = ""
    on_error: dict[str, Any] | None = None  # background_error_action(...)
    save_status: str = "new"  # new | overwrite | ignore  (set_save_status)
    log: list[dict[str, str]] = field(default_factory=list)  # log(msg, priority) for the screen
    # groups whose gather() started in this request: their text no longer starts gathering again
    # (the "is there another?" question may show the list gathered so far)
    gathering: set[str] = field(default_factory=set)
    evaluator: Any = None  # offstage.engine.evaluate.Evaluation running now (need(), force_ask() ...)


def _system_clock() -> Clock:
    from offstage.ports import SystemClock

    return SystemClock()


_current: contextvars.ContextVar[InterviewContext] = contextvars.ContextVar("offstage_interview")


def current() -> InterviewContext:
    """The interview being evaluated; an author function called outside one is a programming error."""
    try:
        return _current.get()
    except LookupError:
        raise RuntimeError("this function can only be called while an interview is being evaluated") from None


def maybe_current() -> InterviewContext | None:
    return _current.get(None)


@contextlib.contextmanager
def use(ctx: InterviewContext) -> Iterator[InterviewContext]:
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
