"""The ports: what the engine and the use cases need from the outside world.

Adapters live in `offstage.aws` (boto3 / pynamodb) and `offstage.local` (in-process). The engine only
ever sees these protocols, so it runs the same in a Lambda, in the local stack and in unit tests.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


class Interviews(Protocol):
    """Interview names -> parsed interviews (offstage.interview.registry.InterviewRegistry)."""

    def get(self, name: str) -> Any:
        """The parsed interview; raises InterviewNotFound or InterviewInvalid (file and line)."""
        ...

    def resolve(self, name: str) -> Path:
        """The file a name (`X.yml`, `pkg:data/questions/X.yml`) stands for; raises InterviewNotFound."""
        ...


class Clock(Protocol):
    """The time source; tests and `offstage cron --at` move it."""

    def now(self) -> _dt.datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> _dt.datetime:
        return _dt.datetime.now(_dt.UTC)


@dataclass
class QueuedTask:
    """A background action the evaluation asked for; sent only after the session save succeeds."""

    task_id: str
    session_id: str
    interview: str
    action: str
    arguments: dict[str, Any]
    ui_notification: str | None = None
    user: dict[str, Any] = field(default_factory=dict)
    secret: str | None = None  # travels with the message so the worker can decrypt the session


@dataclass
class TaskState:
    """What a task handle reads: pending / running / done / failed, with docassemble's result fields."""

    task_id: str
    status: str = "pending"  # pending | running | done | failed | revoked
    value: Any = None
    error_type: str | None = None
    error_message: str | None = None
    error_trace: str | None = None
    variables: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.status in ("done", "failed", "revoked")


class TaskQueue(Protocol):
    """Sends background actions to the worker (SQS in AWS, an in-process executor in tests)."""

    def send(self, task: QueuedTask) -> None: ...

    def run_here(self, task_id: str) -> bool:
        """Run the task (and those queued before it) in this process, when this queue runs tasks in the
        caller's process (the tests' executor); False when a worker elsewhere runs them (SQS)."""
        ...


class TaskStore(Protocol):
    """Durable task states and the per-session notifications the check-in hands out exactly once.

    `secret` is the session's secret (None for multi_user sessions): a store that keeps data at rest
    encrypts a task's value, error texts and notifications with it, like the session's answers.
    """

    def create(self, task: QueuedTask) -> None: ...

    def get(self, task_id: str, *, secret: str | None = None) -> TaskState | None: ...

    def start(self, task_id: str, lease_seconds: float = 900) -> bool:
        """Claim the task for one delivery (a lease); False when another delivery holds it or it ended."""
        ...

    def finish(self, state: TaskState, notification: dict[str, Any] | None, session_id: str, *,
               secret: str | None = None, more: Sequence[dict[str, Any]] = ()) -> bool:
        """Store the outcome and the page's notification(s) together (`more`: the refresh after a
        failure's flash), so no check-in sees one without the other; False when the task had already
        finished (a duplicate delivery)."""
        ...

    def add_notification(self, session_id: str, notification: dict[str, Any], *,
                         secret: str | None = None) -> None:
        """A further notification for the page (the refresh after a failure's flash)."""
        ...

    def pending_notifications(self, session_id: str) -> int:
        """How many of the session's tasks will still notify the page (it checks in faster meanwhile)."""
        ...

    def revoke(self, task_id: str) -> bool: ...

    def take_notifications(self, session_id: str, *, secret: str | None = None) -> list[dict[str, Any]]:
        """Pending notifications of a session, each returned once, in the order they were made."""
        ...


class Mailer(Protocol):
    """Sends e-mail (SES in AWS, an outbox page locally)."""

    def send(self, *, to: list[str], subject: str, body_text: str, body_html: str | None = None,
             sender: str | None = None, cc: list[str] | None = None, bcc: list[str] | None = None,
             attachments: list[Any] | None = None) -> bool: ...


class KeyValue(Protocol):
    """A small shared key-value store with lists (what DARedis gives interviews)."""

    def rpush(self, key: str, value: bytes) -> int: ...

    def lpop(self, key: str) -> bytes | None: ...

    def get(self, key: str) -> bytes | None: ...

    def set(self, key: str, value: bytes, expire_seconds: int | None = None) -> None: ...

    def delete(self, key: str) -> None: ...


class FileStore(Protocol):
    """Stores a session's files: assembled documents and uploads (S3 in AWS and in the local stack).

    Keys are `<session id>/<file id>`; the bytes arrive sealed (offstage.documents.sealed), so the store
    never sees a file's name, type or (for encrypted sessions) content.
    """

    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def get(self, key: str) -> bytes:
        """The stored bytes; FileNotFoundError when there is no such file."""
        ...

    def url(self, key: str, filename: str | None = None) -> str:
        """A direct URL of the stored object (not given to browsers: they use the app's download route)."""
        ...


class DirectUploads(Protocol):
    """Files a browser sends straight to storage (S3's presigned POST), too big to pass through the
    function; keys are `<session id>/<field tag>/<nonce>` (offstage.http.direct_uploads)."""

    def form(self, key: str, *, content_type: str, max_bytes: int, seconds: int) -> dict[str, Any]:
        """{"url", "fields"}: the form the browser posts the file with, for this key only."""
        ...

    def size(self, key: str) -> int | None:
        """The uploaded file's size; None when there is none (never sent, already taken, expired)."""
        ...

    def take(self, key: str) -> bytes:
        """The uploaded bytes, removed from storage; FileNotFoundError when there are none."""
        ...


@dataclass
class SessionRecord:
    """One interview session as stored: the decoded answers and the bookkeeping around them."""

    session_id: str
    interview: str
    answers: dict[str, Any]
    version: int = 0  # optimistic locking: a save names the version it read
    multi_user: bool = False  # stored without encryption (docassemble's multi_user = True)
    created: _dt.datetime | None = None
    modified: _dt.datetime | None = None
    steps: int = 0  # how many earlier steps `back` can return to
    # the answers as the store read them: (multi_user, encoded bytes), None if unknown; a save that
    # encodes to the same writes nothing
    as_read: tuple[bool, bytes] | None = field(default=None, compare=False, repr=False)
    # what the answers looked like when read (offstage.answers.tracking.Watch), None if not watched: a
    # save of answers it finds unchanged neither encodes nor writes
    watch: Any = field(default=None, compare=False, repr=False)


class SessionStore(Protocol):
    """Sessions with optimistic locking; errors are the ones in offstage.errors."""

    def create(self, interview: str, answers: dict[str, Any], *, secret: str | None,
               multi_user: bool = False, delete_days: int = 90) -> SessionRecord: ...

    def load(self, session_id: str, *, secret: str | None) -> SessionRecord:
        """Raises SessionNotFound (unknown or expired) or WrongSecret (cannot decrypt / tampered)."""
        ...

    def save(self, record: SessionRecord, answers: dict[str, Any], *, secret: str | None,
             new_step: bool = True, delete_days: int = 90) -> SessionRecord:
        """Write if the stored version is still record.version; raises SessionConflict otherwise."""
        ...

    def back(self, session_id: str, *, secret: str | None) -> SessionRecord:
        """Return to the previous step; raises CannotGoBack at the first step."""
        ...

    def delete(self, session_id: str) -> None: ...


# --- parallel assembly (offstage.app.assembly) ----------------------------------------------------------

class Workflow(Protocol):
    """Starts the assembly state machine (Step Functions; moto's interpreter in the local stack)."""

    def start(self, name: str, payload: dict[str, Any]) -> None: ...


class AssemblyFiles(Protocol):
    """A bundle's working files: keys under `assembly/<session>/<task>/`."""

    def put(self, key: str, data: bytes) -> None: ...

    def get(self, key: str) -> bytes | None: ...

    def delete_prefix(self, prefix: str) -> None: ...


class Converter(Protocol):
    """Makes a PDF of a word-processing file or an image (LibreOffice): in this process where LibreOffice
    is installed, else by the render function (offstage.aws.render)."""

    def to_pdf(self, data: bytes, *, name: str, extension: str, pdfa: bool = False, tagged: bool = False) -> bytes:
        """The PDF (PDF/A-2b with `pdfa`, with a structure tree with `tagged`); DocumentError naming `name`
        and the problem when it cannot be made."""
        ...


class Progress(Protocol):
    """How many of a bundle's documents are rendered, for the waiting page's check-in."""

    def begin(self, session_id: str, task_id: str, total: int) -> None: ...

    def advance(self, session_id: str, task_id: str) -> None: ...

    def of_session(self, session_id: str) -> list[dict[str, Any]]: ...

    def end(self, session_id: str, task_id: str) -> None: ...
