"""Scheduled tasks: one tick (type + scheduled time) fanned out over every eligible session.

`dispatch` pages the sharded cron index (one thread per shard) and sends one message per session whose
interview defines the event; when the invocation runs low on time it returns a checkpoint (the last
key read per shard) to carry on from, never from the beginning. `run_message` runs one session's event
as the cron user, exactly once per (session, type, scheduled time), under optimistic locking.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from offstage.app.deps import Deps
from offstage.app.messages import UnreadableMessage, message_object, missing_texts

log = logging.getLogger(__name__)

DONE = "done"  # a shard's checkpoint once it has been read to the end
LEASE_SECONDS = 180.0  # how long a claimed run holds its mark: the worker's 120 s timeout and then some
PAGE = 1000  # index entries per query page (keys only: ~100 bytes each)


class BadTick(ValueError):
    """The scheduled event or the cron message cannot be read; the message says what is wrong."""


class CronBusy(RuntimeError):
    """Another delivery of the same tick runs this session now: this one is retried later."""


class CronRunFailed(RuntimeError):
    """The interview's cron code failed (the session is not saved; the next delivery or tick retries)."""


class _Skip(Exception):  # control flow: the session does not take part
    pass


@dataclass(frozen=True)
class Tick:
    """One firing of a schedule: the event to run (`cron_daily` ...) and the time it was scheduled for."""

    kind: str
    at: _dt.datetime

    @property
    def stamp(self) -> str:
        return self.at.astimezone(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def mark(self) -> str:
        return f"{self.kind}#{self.stamp}"


def parse_time(value: Any) -> _dt.datetime:
    """An ISO 8601 time (a zone-less one is UTC) as an aware UTC datetime; BadTick names the problem."""
    if isinstance(value, _dt.datetime):
        moment = value
    else:
        text = str(value).strip()
        try:
            moment = _dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
        except ValueError:
            raise BadTick(f"the time must be ISO 8601 such as 2026-03-01T06:25:00Z, not {text[:60]!r}") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=_dt.UTC)).astimezone(_dt.UTC)


def parse_tick(event: Any, now: Callable[[], _dt.datetime] | None = None) -> Tick:
    """The tick in a scheduler event {"type": "cron_daily", "scheduled_time": ISO} (time: now if absent)."""
    from offstage.engine.cron import valid_kind

    if not isinstance(event, dict):
        raise BadTick("the cron event must be a JSON object such as {\"type\": \"cron_daily\"}")
    try:
        kind = valid_kind(event.get("type"))
    except ValueError as exc:
        raise BadTick(str(exc)) from None
    raw = event.get("scheduled_time") or event.get("at")
    if raw is None or str(raw).startswith("<aws."):  # an unsubstituted context attribute: use now
        at = (now or (lambda: _dt.datetime.now(_dt.UTC)))()
    else:
        at = parse_time(raw)
    return Tick(kind, at.replace(microsecond=0))


# --- dispatching ---------------------------------------------------------------------------------

@dataclass
class DispatchReport:
    tick: Tick
    messages: int = 0
    listed: int = 0  # index entries read
    checkpoint: dict[str, Any] | None = None  # None: every shard was read to the end
    per_shard: dict[int, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.tick.kind, "scheduled_time": self.tick.stamp, "messages": self.messages,
                "listed": self.listed, "complete": self.checkpoint is None}


Page = Callable[[int, Any], tuple[list[tuple[str, str]], Any]]


def dispatch(tick: Tick, *, shards: int, page: Page, send: Callable[[list[dict[str, Any]]], int],
             defines: Callable[[str, str], bool], time_left: Callable[[], float] | None = None,
             reserve_seconds: float = 30.0, checkpoint: dict[str, Any] | None = None,
             threads: int = 16) -> DispatchReport:
    """Send a message for every eligible session of every shard; stop early with a checkpoint."""
    report = DispatchReport(tick)
    positions: dict[str, Any] = dict(checkpoint or {})
    lock = threading.Lock()
    known: dict[str, bool] = {}

    def wanted(interview: str) -> bool:
        if interview not in known:
            try:
                known[interview] = bool(defines(interview, tick.kind))
            except Exception:  # noqa: BLE001 - an interview that no longer loads is skipped, and said so
                log.warning("cron: the interview %s could not be loaded; its sessions are skipped", interview)
                known[interview] = False
        return known[interview]

    def walk(shard: int) -> None:
        start = positions.get(str(shard))
        while start != DONE:
            if time_left is not None and time_left() < reserve_seconds:
                return  # the position so far stays in `positions`
            entries, following = page(shard, start)
            bodies = [{"type": tick.kind, "scheduled_time": tick.stamp, "interview": name, "session_id": sid}
                      for name, sid in entries if wanted(name)]
            sent = send(bodies) if bodies else 0
            with lock:
                report.messages += sent
                report.listed += len(entries)
                report.per_shard[shard] = report.per_shard.get(shard, 0) + sent
                start = following or DONE
                positions[str(shard)] = start

    with ThreadPoolExecutor(max_workers=max(1, min(threads, shards)), thread_name_prefix="cron-shard") as pool:
        for future in [pool.submit(walk, shard) for shard in range(shards)]:
            future.result()
    unfinished = {k: v for k, v in positions.items() if v != DONE}
    report.checkpoint = positions if unfinished or len(positions) < shards else None
    return report


def interview_defines(deps: Deps) -> Callable[[str, str], bool]:
    from offstage.engine.cron import cron_actions

    return lambda name, kind: bool(cron_actions(deps.interviews.get(name), kind))


# --- running one session -------------------------------------------------------------------------

@dataclass(frozen=True)
class CronMessage:
    tick: Tick
    session_id: str
    interview: str


def parse_message(body: str | bytes | dict[str, Any]) -> CronMessage:
    try:
        data = message_object(body)
    except UnreadableMessage as exc:
        raise BadTick(f"the cron message {exc}") from None
    missing = missing_texts(data, ("type", "scheduled_time", "session_id", "interview"))
    if missing:
        raise BadTick(f"the cron message lacks {', '.join(missing)}")
    return CronMessage(parse_tick(data), data["session_id"], data["interview"])


class _FixedClock:
    """The interview's clock during a tick: the scheduled time (so `offstage cron --at` moves it)."""

    def __init__(self, at: _dt.datetime) -> None:
        self.at = at

    def now(self) -> _dt.datetime:
        return self.at


def task_id_for(message: CronMessage, action: str) -> str:
    """A `*_background` task's id, the same for every delivery of one tick (so it is one task)."""
    seed = f"{message.session_id}|{action}|{message.tick.stamp}".encode()
    return hashlib.sha256(seed).hexdigest()[:32]


def run_message(deps: Deps, message: CronMessage, marks: Any, *, local_time: bool = False) -> str:
    """Run one session's event for one tick; returns what happened ("ran", "skipped: ...", "duplicate").

    Raises CronBusy (another delivery holds the tick) or CronRunFailed/infrastructure errors: the
    caller reports the message failed and SQS delivers it again; nothing was saved.
    """
    mark = message.tick.mark()
    claim = marks.claim(message.session_id, mark, LEASE_SECONDS)
    if claim == "done":
        return "duplicate"
    if claim == "busy":
        raise CronBusy(f"session {message.session_id} is being run for {mark} by another delivery")
    try:
        outcome = _run(deps, message, local_time=local_time)
    except BaseException as exc:
        marks.finish(message.session_id, mark, "failed", f"{type(exc).__name__}: {exc}")
        raise
    marks.finish(message.session_id, mark, "done", outcome)
    return outcome


def _cron_step(deps: Deps, run_deps: Deps, message: CronMessage, user: Any, interview: Any, record: Any) -> Any:
    """The session's cron actions of this tick run in turn (their mail kept); _Skip when it takes no part."""
    from offstage.app import evaluation
    from offstage.engine.cron import cron_actions, run_cron_event
    from offstage.engine.step import StepError
    from offstage.sessions.cron import allows_cron

    if record.interview != message.interview and record.interview != evaluation.canonical_name(
            deps, message.interview):
        raise _Skip("another interview")
    if not record.multi_user or not allows_cron(record.answers):
        raise _Skip("not eligible")
    actions = cron_actions(interview, message.tick.kind)
    if not actions:
        raise _Skip(f"the interview defines no {message.tick.kind}")
    result = None
    for action in actions:
        step = run_cron_event(interview, record.answers, action, session_id=record.session_id,
                              interview_name=record.interview, ports=run_deps.ports, user=user,
                              task_id=task_id_for(message, action))
        if isinstance(step, StepError):  # an undefined variable too: cron cannot answer a question
            error = step.error or {}
            raise CronRunFailed(f"{action} failed: {error.get('type')}: {error.get('message')}")
        if result is None:
            result = step
        elif not result.delete_session:
            result.outbox.extend(step.outbox)
    return result


def _run(deps: Deps, message: CronMessage, *, local_time: bool) -> str:
    from offstage.app import evaluation
    from offstage.context import UserInfo
    from offstage.errors import SessionNotFound

    sessions = deps.sessions
    eligible = getattr(sessions, "cron_eligible", None)
    if eligible is not None and not eligible(message.session_id):
        return "skipped: not eligible"  # gone, encrypted or opted out since it was listed: never opened
    clock = _FixedClock(message.tick.at)
    if local_time and hasattr(sessions, "now"):  # locally, expiry and stamps follow `offstage cron --at`
        import copy

        sessions = copy.copy(sessions)
        sessions.now = lambda: message.tick.at.timestamp()
    run_deps = dataclasses.replace(deps, sessions=sessions, ports=dataclasses.replace(deps.ports, clock=clock))
    user = UserInfo.cron()

    def evaluate(interview: Any, record: Any) -> Any:
        return _cron_step(deps, run_deps, message, user, interview, record)

    try:
        outcome = evaluation.evaluate_session(run_deps, message.session_id, None, None, evaluate,
                                              new_step=False, user=user)
    except _Skip as skip:
        return f"skipped: {skip}"
    except SessionNotFound:
        return "skipped: the session is gone"
    result = outcome.result
    if result.delete_session:
        return "ran: session deleted"
    return "ran: saved" if outcome.saved else "ran: nothing to save"
