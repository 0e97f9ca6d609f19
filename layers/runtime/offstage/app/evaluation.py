"""One evaluation of a stored session: load, evaluate, save with the version read, then send.

A request that changes nothing (a check-in whose action sets nothing, a reload) neither encodes nor
writes the answers: the record's watch (offstage.answers.tracking) sees no change, and the access
time is recorded at most once a minute (record_access). An interview whose code could write past
the watch's hooks (into an object's __dict__) is not watched: its saves encode and compare bytes.

The order is the point: the outbox (background tasks) is sent only after the save succeeded, so a
failed save sends nothing, and each task is recorded in the task store before it is queued, so nothing
queued is lost. A concurrent writer (a background callback, another tab) makes the save fail with
SessionConflict: the session is re-read and the evaluation re-run (offstage.app.locking).
"""

from __future__ import annotations

import datetime as _dt
import functools
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from offstage.app.deps import Deps
from offstage.app.locking import retry_on_conflict
from offstage.errors import SessionNotFound
from offstage.ports import QueuedTask, SessionRecord
from offstage.settings import INTERVIEW_DELETE_DAYS, SCREEN_TIME_LIMIT_SECONDS

log = logging.getLogger(__name__)

ACCESS_RECORD_SECONDS = 60  # how old a user's recorded access time gets before a request records it again
RESERVE_SECONDS = 4.0  # kept back from the invocation's remaining time to save and answer
MIN_TIME_LIMIT = 0.5

Evaluate = Callable[[Any, SessionRecord], Any]  # (interview, record) -> StepResult


@dataclass
class Outcome:
    result: Any  # offstage.engine.step.StepResult
    record: SessionRecord
    saved: bool = False

    def __iter__(self) -> Any:
        """`result, record = screen(...)` works too."""
        return iter((self.result, self.record))


def engine(deps: Deps) -> Callable[..., Any]:
    if deps.run_step is not None:
        return deps.run_step
    # lazily: the engine is the heavy part of a cold start (and its module, not the package's lazy
    # __getattr__, gives mypy run_step's type)
    from offstage.engine.run import run_step

    return run_step


def canonical_name(deps: Deps, name: str) -> str:
    """The name sessions are stored under: the file's (`pkg:data/questions/X.yml` -> `X.yml`), but an
    installed package's interview keeps its package reference (that is where it is found again)."""
    from offstage.errors import InterviewNotFound
    from offstage.library.package_files import package_folders

    try:
        path = deps.interviews.resolve(name)
    except InterviewNotFound:
        return name
    package = name.partition(":")[0] if ":" in name else ""
    if package and any(path.is_relative_to(folder) for folder in package_folders(package)):
        return name
    return path.name


def interview_for(deps: Deps, name: str) -> Any:
    """The parsed interview; raises InterviewNotFound or InterviewInvalid (file and line)."""
    return deps.interviews.get(name)


def delete_days(deps: Deps, interview: Any) -> int:
    """Idle days before a session is deleted: the interview's own setting, else the deployment's, else the default."""
    own = [getattr(interview, "delete_days", None)]
    for part in ("features", "metadata"):
        found = getattr(interview, part, None)
        own.append(found.get("interview delete days") if isinstance(found, dict) else None)
    for source in (*own, getattr(deps.settings, "interview_delete_days", None)):
        if source is not None:
            try:
                return max(0, int(source))
            except (TypeError, ValueError):
                continue
    return INTERVIEW_DELETE_DAYS


def load(deps: Deps, session_id: str, secret: str | None, interview_name: str | None) -> SessionRecord:
    record = deps.sessions.load(session_id, secret=secret)
    if interview_name is not None and record.interview not in (interview_name, canonical_name(deps, interview_name)):
        raise SessionNotFound(f"there is no session {session_id} of the interview {interview_name}")
    return record


def record_access(answers: dict[str, Any], user: Any, now: _dt.datetime) -> None:
    """Remember who touched the session when, for last_access_time() (docassemble: every save).

    Not again within ACCESS_RECORD_SECONDS of the same user's last record: then a request that changes
    nothing else leaves the answers as they were read, and the store writes nothing (issue 13), at the
    price of a last_access_time() up to that long behind."""
    from offstage.library.access import record_access as library_record_access

    since = now - _dt.timedelta(seconds=ACCESS_RECORD_SECONDS)
    if not recorded_since(answers, user, since if since.tzinfo is not None else since.replace(tzinfo=_dt.UTC)):
        library_record_access(answers, user, now)


def recorded_since(answers: dict[str, Any], user: Any, since: _dt.datetime) -> bool:
    """Whether the answers already record `user` (and the same privileges) at `since` or later."""
    internal = answers.get("_internal")
    if not isinstance(internal, dict):
        return False
    key = str(user.id) if user is not None and user.id is not None else "-1"  # as the library keys it
    times, privileges = internal.get("accesstime"), internal.get("access_privileges")
    if not isinstance(times, dict) or not isinstance(privileges, dict):
        return False
    if privileges.get(key) != (list(user.privileges) if user is not None else ["user"]):
        return False
    try:
        moment = _dt.datetime.fromisoformat(str(times.get(key)))
    except ValueError:
        return False
    return (moment if moment.tzinfo is not None else moment.replace(tzinfo=_dt.UTC)) >= since


def time_limit(deps: Deps) -> float:
    """The interview code's time for this request: the setting, and never past the invocation's end
    less a reserve (the save and the page must still fit in the function's timeout)."""
    from offstage.engine import deadline

    limit = float(getattr(deps.settings, "screen_time_limit_seconds", None) or SCREEN_TIME_LIMIT_SECONDS)
    left = deadline.invocation_left()
    if left is not None:
        limit = min(limit, max(MIN_TIME_LIMIT, left - RESERVE_SECONDS))
    return limit


def limited(interview: Any, ends: float, limit: float, work: Callable[[], Any]) -> Any:
    """work() (one engine evaluation) stopped at `ends` (time.monotonic()), the end of the request's
    `limit`; past it, the error screen."""
    from offstage.engine import deadline

    try:
        return deadline.call(max(0.0, ends - time.monotonic()), work)
    except deadline.TimeLimitExceeded:
        problem = deadline.TimeLimitExceeded(limit)  # the user is told the limit, not what was left of it
        log.warning("interview %s: %s", getattr(interview, "name", "?"), problem)
        return out_of_time(interview, problem)


def out_of_time(interview: Any, problem: Exception) -> Any:
    """The error screen of interview code stopped at its time limit (nothing of it is saved)."""
    from offstage.engine.screen import Screen
    from offstage.engine.step import StepError
    from offstage.text import escape

    message = str(problem)
    message = message[:1].upper() + message[1:] + ". Nothing was saved: please try again later."
    info: dict[str, Any] = {"type": "TimeLimitExceeded", "message": message, "trace": None,
            "block": str(getattr(interview, "name", "")), "variables": []}
    screen = Screen("error", question_text="Error", title=str(getattr(interview, "title", "") or ""), error=info,
                    subquestion_text=f"<p>{escape(message)}</p>")
    return StepError(screen=screen, error=info, save=False)


# what could change an object past its hooks; reading `x.__dict__.keys()` or `k in x.__dict__` cannot
_PAST_HOOKS = re.compile(r"__setattr__|__delattr__|__setstate__|\bvars\b"
                         r"|__dict__(?!\s*\.\s*(?:keys|items|values|get|copy)\s*\()")
_READS_DICT = re.compile(r"\bin\s+[\w.]+\.__dict__\b")
_PACKAGE_TEXT_LIMIT = 20_000_000  # characters of a package's modules read at most; past it, assume the worst


def watch_changes(record: SessionRecord, interview: Any) -> None:
    """Let the store trust the record's watch (skip encoding unchanged answers) when the interview's
    code cannot write past the watch's hooks. Until this is called a save encodes and compares."""
    if record.watch is not None and not writes_past_hooks(interview):
        record.watch.trusted = True


def writes_past_hooks(interview: Any) -> bool:
    """Whether the interview's code, or a module it names (or another module of that module's package),
    could change an object without its tracking hooks (`obj.__dict__[...] = `, `vars(obj)`,
    `object.__setattr__`): then a save always encodes. Looked for in the text, once per interview;
    a false alarm only costs an encode."""
    cache = getattr(interview, "cache", {})
    found = cache.get("writes_past_hooks")
    if found is None:
        found = cache["writes_past_hooks"] = (
            any(_mentions(getattr(block, "data", None)) for block in getattr(interview, "blocks", ()))
            or any(map(_module_mentions, (*getattr(interview, "modules", ()), *getattr(interview, "imports", ())))))
    return bool(found)


def _suspect(text: str) -> bool:
    return _PAST_HOOKS.search(_READS_DICT.sub("", text)) is not None


def _mentions(data: Any) -> bool:
    if isinstance(data, str):
        return _suspect(data)
    if isinstance(data, dict):
        return any(map(_mentions, data.keys())) or any(map(_mentions, data.values()))
    if isinstance(data, list | tuple):
        return any(map(_mentions, data))
    return False


def _module_mentions(name: str) -> bool:
    """An author's module: its source text (offstage's own, docassemble's stand-ins and the standard
    library's are known not to write into the answers' objects past their hooks)."""
    import importlib
    import sys

    from offstage.compat.finder import SERVED

    if name in SERVED or name.split(".")[0] in {"offstage", *sys.stdlib_module_names}:
        return False
    try:
        module = importlib.import_module(name)  # the engine imports it anyway
    except Exception:  # noqa: BLE001 - a module that cannot be imported is the evaluation's to report
        return True  # meanwhile assume the worst
    path = getattr(module, "__file__", None)
    if not path:
        return True
    return _package_mentions(str(Path(path).parent) if module.__package__ else path)


@functools.cache
def _package_mentions(where: str) -> bool:
    """Whether a module outside any package, or any module of a package's folder (what a module named
    by the interview is likely to call), is suspect. Once per process, as the modules are imported once."""
    read = 0
    found = Path(where)
    try:
        for path in sorted(found.glob("*.py")) if found.is_dir() else [found]:
            text = path.read_text(encoding="utf-8", errors="replace")
            read += len(text)
            if read > _PACKAGE_TEXT_LIMIT or _suspect(text):
                return True
    except OSError:
        return True
    return False


def send_outbox(deps: Deps, outbox: list[QueuedTask], secret: str | None, record: SessionRecord) -> None:
    """Record each task as pending, then queue it: a task is never queued without a durable state."""
    for task in outbox:
        if task.secret is None and not record.multi_user:
            task.secret = secret
        if deps.ports.tasks is not None:
            deps.ports.tasks.create(task)
        if deps.ports.queue is not None:
            deps.ports.queue.send(task)


def evaluate_session(deps: Deps, session_id: str, secret: str | None, interview_name: str | None,
                     evaluate: Evaluate, *, new_step: bool, user: Any = None) -> Outcome:
    """Load -> evaluate -> save (retrying on conflict) -> send; nothing is saved when validation failed.

    The interview code of all attempts together runs within time_limit(); past it, the error screen.
    """
    limit = time_limit(deps)
    ends = time.monotonic() + limit

    def attempt(_: int) -> Outcome:
        record = load(deps, session_id, secret, interview_name)  # re-read on every try
        interview = interview_for(deps, record.interview)
        watch_changes(record, interview)
        # docassemble's step count, which interviews read (AssemblyLine hides its menu on the first screen):
        # 1 on the first screen, one more for each answered step (this one's included), one less for Back
        record.answers.setdefault("_internal", {})["steps"] = record.steps + 1 + int(new_step)
        result = limited(interview, ends, limit, lambda: evaluate(interview, record))
        if result.validation_errors:
            return Outcome(result, record)
        if result.delete_session:
            deps.sessions.delete(session_id)
            return Outcome(result, record)
        if not result.save:
            send_outbox(deps, result.outbox, secret, record)
            return Outcome(result, record)
        record_access(record.answers, user, deps.ports.clock.now())
        record.multi_user = bool(result.multi_user or record.multi_user)
        saved = deps.sessions.save(record, record.answers, secret=None if record.multi_user else secret,
                                   new_step=new_step, delete_days=delete_days(deps, interview))
        send_outbox(deps, result.outbox, secret, saved)
        return Outcome(result, saved, saved=True)

    return retry_on_conflict(attempt)
