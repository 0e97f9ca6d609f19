"""The background worker use case: run one queued task (docassemble's `background_action` task).

This is the task lifecycle's one implementation: the Lambda, the local stack's poller and the tests'
in-process executor all run process_task; its pure parts (each phase's step, what a step means for
the task, the notifications' shapes) are offstage.engine.background.

Phase 1 runs the action on a private copy of the answers; whatever it changes is thrown away, as in
docassemble, because the user keeps answering questions meanwhile. Its outcome is one of:

- `background_response(value)`: the task is done with that value;
- `background_response_action(name, **kw)`: the callback `name` runs on the LIVE session, re-read and
  saved with the version it read (optimistic locking, retried on conflict), so answers the user saved
  meanwhile are kept; the task's value is the callback's background_response value, or the action dict;
- an error, a question asked, or the deadline passed: the task is marked failed with docassemble's
  error fields, the `background_error_action` (if any) runs on the live session, and the browser is told.

`process_task` raises only for transient infrastructure errors, so that SQS delivers the message again.
Everything the author's code did wrong is recorded on the task instead (a retry would fail the same way).
"""

from __future__ import annotations

import copy
import functools
import logging
import os
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from offstage.answers.jsonsafe import json_safe
from offstage.app import evaluation
from offstage.app.deps import Deps
from offstage.app.locking import retry_on_conflict
from offstage.app.messages import UnreadableMessage, message_object, missing_texts
from offstage.errors import (
    AnswersCorrupt,
    InterviewInvalid,
    InterviewNotFound,
    SessionNotFound,
    WrongSecret,
)
from offstage.ports import QueuedTask, SessionRecord, TaskState

log = logging.getLogger(__name__)

RESERVE_SECONDS = 8.0  # kept back from the Lambda's remaining time to record the outcome and run the error action
MIN_RUN_SECONDS = 3.0  # below this a task is handed back to SQS rather than started and killed
GRACE_SECONDS = 2.0  # an action stopped at its deadline has this long to unwind before it counts as stuck
APPLIED_KEY = "background_applied"  # answers['_internal'][...]: task ids whose callback is saved
APPLIED_KEEP = 50
# Errors that say "this session cannot be worked on": retrying would fail the same way.
_SESSION_GONE = (SessionNotFound, WrongSecret, AnswersCorrupt, InterviewNotFound, InterviewInvalid)


class MalformedTask(ValueError):
    """The queue message is not a task this worker can read (a poison message)."""

    def __init__(self, message: str, task_id: str | None = None, session_id: str | None = None) -> None:
        super().__init__(message)
        self.task_id = task_id
        self.session_id = session_id


class NotEnoughTime(RuntimeError):
    """Too little of the invocation is left to start the task: let SQS deliver it again later."""


class TaskTimeout(Exception):
    """The action ran past its deadline; `stuck` when it did not stop either (a long call into C)."""

    def __init__(self, stuck: bool = False) -> None:
        super().__init__("stuck" if stuck else "stopped")
        self.stuck = stuck


# Actions of this execution environment that could not be stopped: their threads still run.
_stuck_actions: list[str] = []
_exit: Callable[[int], Any] = os._exit  # tests replace it


@dataclass
class Run:
    """A task being processed: the message plus what the worker learned so far."""

    task: QueuedTask
    deadline: float  # time.monotonic() by which the author's code must have finished
    on_error: dict[str, Any] | None = None
    stuck: bool = False  # an action of this task did not stop at its deadline


# --- reading the message -------------------------------------------------------------------------

_REQUIRED = ("task_id", "session_id", "interview", "action")


def parse_task(body: str | bytes | dict[str, Any]) -> QueuedTask:
    """The QueuedTask in an SQS message body (JSON); raises MalformedTask naming what is wrong."""
    try:
        data = message_object(body)
    except UnreadableMessage as exc:
        raise MalformedTask(f"the message body {exc}") from None
    task_id = data.get("task_id") if isinstance(data.get("task_id"), str) else None
    session_id = data.get("session_id") if isinstance(data.get("session_id"), str) else None
    missing = missing_texts(data, _REQUIRED)
    if missing:
        raise MalformedTask(f"the message lacks {', '.join(missing)}", task_id, session_id)
    arguments = data.get("arguments") or {}
    user = data.get("user") or {}
    mode = data.get("ui_notification")
    if not isinstance(arguments, dict) or not isinstance(user, dict):
        raise MalformedTask("arguments and user must be JSON objects", task_id, session_id)
    if mode is not None and mode not in _modes():
        raise MalformedTask(f"unknown ui_notification {mode!r}", task_id, session_id)
    secret = data.get("secret")
    return QueuedTask(task_id=task_id or "", session_id=session_id or "", interview=data["interview"],
                      action=data["action"], arguments=arguments, ui_notification=mode, user=user,
                      secret=secret if isinstance(secret, str) else None)


def _modes() -> tuple[str, ...]:
    from offstage.engine.background import MODES  # the engine's pure part: loaded on the first record

    return MODES


def reject_malformed(deps: Deps, problem: MalformedTask) -> None:
    """Mark the task a poison message names as failed, so its waiting screen can say so."""
    if not problem.task_id or deps.ports.tasks is None:
        return
    failure = _engine().Failure("MalformedTask", f"the background task message could not be read: {problem}")
    deps.ports.tasks.finish(_failed_state(problem.task_id, failure, None), None, problem.session_id or "")


# --- the use case --------------------------------------------------------------------------------

def process_task(deps: Deps, task: QueuedTask, *, time_left: Callable[[], float] | None = None,
                 prerendered: Any = None) -> None:
    """Run one background task to a recorded outcome; raise only when SQS should deliver it again.

    time_left() gives the seconds the invocation has left (the Lambda context's remaining time).
    `prerendered` (engine.render_plan.Prerendered): the assembly state machine delivering a task whose
    documents it rendered; the worker that handed the task over holds its claim, so none is taken.
    """
    run = Run(task, _deadline(deps, time_left))
    if not _claim(deps, run, taken=prerendered is not None):
        return
    try:
        record = deps.sessions.load(task.session_id, secret=task.secret)
        interview = evaluation.interview_for(deps, record.interview)
    except _SESSION_GONE as exc:
        _finish(deps, run, failure=_engine().Failure(type(exc).__name__, str(exc)), notify=False)
        return
    if prerendered is None and deps.assembly is not None:
        from offstage.app import assembly

        if assembly.hand_over(deps, run, interview, record):  # the state machine renders and delivers it
            return
    engine = _engine()
    outcome = _phase_one(deps, run, interview, record, prerendered)
    match outcome:
        case engine.Failure():
            _fail(deps, run, outcome)
        case engine.Callback():
            _callback(deps, run, outcome)
        case engine.Finished():
            _finish(deps, run, value=outcome.value)


def _claim(deps: Deps, run: Run, *, taken: bool = False) -> bool:
    """Whether this delivery should run the task: not when it already finished or another holds it.

    The claim (pending -> running, where the store offers one) carries a lease that ends with this
    invocation, so a worker that died mid-task does not leave the task claimed forever.
    """
    tasks, task_id = deps.ports.tasks, run.task.task_id
    if tasks is None:
        return True
    state = tasks.get(task_id)
    if state is not None and state.ready:
        log.info("task %s is already %s: duplicate delivery ignored", task_id, state.status)
        return False
    if taken:
        return True
    lease = max(1.0, run.deadline - time.monotonic() + RESERVE_SECONDS)
    if not tasks.start(task_id, lease_seconds=lease):
        log.info("task %s is being run by another delivery: this one is ignored", task_id)
        return False
    return True


@dataclass
class _Value:
    value: Any


def _engine() -> Any:
    from offstage.engine import background as engine_tasks  # lazily: the engine is most of a cold start

    return engine_tasks


def _stopped(result: Any) -> bool:
    """Whether a step's code did not complete (an error, a name nothing defines): nothing is saved."""
    from offstage.engine.step import StepError

    return isinstance(result, StepError)


def _phase_one(deps: Deps, run: Run, interview: Any, record: SessionRecord, prerendered: Any = None) -> Any:
    """Run the action on a private copy: engine.background's Finished, Callback or Failure."""
    engine, task, answers = _engine(), run.task, copy.deepcopy(record.answers)

    def action() -> Any:
        if prerendered is None:
            return engine.run_background_phase1(interview, answers, task, deps.ports)
        from offstage.engine import render_plan

        with render_plan.active(prerendered):  # set in the action's own thread
            return engine.run_background_phase1(interview, answers, task, deps.ports)

    try:
        result = _within(run.deadline, action)
    except TaskTimeout as timeout:
        return _timeout(run, timeout)
    except Exception as exc:  # noqa: BLE001 - the engine failing on this task is this task's failure
        return engine.Failure(type(exc).__name__, str(exc), traceback.format_exc())
    run.on_error = result.on_error
    outcome = engine.phase_one_outcome(result, task)
    if isinstance(outcome, engine.Failure):
        return outcome
    # tasks the action itself queued go out although its answers are dropped, as Celery sends at once
    evaluation.send_outbox(deps, list(result.outbox), task.secret, record)
    if isinstance(outcome, engine.Finished) and outcome.delete_session:
        deps.sessions.delete(task.session_id)  # command('exit') in a task deletes the session, as in docassemble
    return outcome


def _callback(deps: Deps, run: Run, callback: Any) -> None:
    """Phase 2: run background_response_action's callback on the live session, then record the task."""
    engine, name, arguments = _engine(), callback.action, callback.arguments

    def step(interview: Any, answers: dict[str, Any]) -> tuple[Any, Any]:
        return cast("tuple[Any, Any]", engine.run_callback(interview, answers, name, arguments, deps.ports, run.task))

    try:
        done = _update_live(deps, run, step, marker=run.task.task_id)
    except TaskTimeout as timeout:
        _fail(deps, run, _timeout(run, timeout))
        return
    except _SESSION_GONE as exc:
        _finish(deps, run, failure=engine.Failure(type(exc).__name__, str(exc)), notify=False)
        return
    if done is None:  # saved by an earlier delivery that died before recording the task
        _finish(deps, run, value={"action": name, "arguments": arguments})
        return
    value, result = done
    if _stopped(result):
        _fail(deps, run, engine.failure_of(result))
    else:
        _finish(deps, run, value=value)


def _fail(deps: Deps, run: Run, failure: Any) -> None:
    """Record the failure, run the interview's background_error_action, and tell the browser."""
    log.warning("background task %s (%s) failed: %s: %s", run.task.task_id, run.task.action,
                failure.error_type, failure.error_message)
    handled: Any = None
    if run.on_error and run.on_error.get("action"):
        engine, on_error = _engine(), run.on_error

        def step(interview: Any, answers: dict[str, Any]) -> tuple[Any, Any]:
            return cast("tuple[Any, Any]", engine.run_error_action(interview, answers, on_error, failure, deps.ports, run.task))

        try:
            done = _update_live(deps, run, step, marker=f"{run.task.task_id}:error", extra_seconds=RESERVE_SECONDS / 2)
            if done is not None and _stopped(done[1]):
                log.warning("the error action %s failed too: %s", on_error["action"], done[1].error)
            elif done is not None and isinstance(done[1], engine.step.BackgroundValue):
                handled = _Value(done[0])
        except (TaskTimeout, *_SESSION_GONE) as exc:
            run.stuck = run.stuck or getattr(exc, "stuck", False)
            log.warning("the error action %s could not run: %r", on_error["action"], exc)
    _finish(deps, run, failure=failure, handled=handled)


def fail_task(deps: Deps, task: QueuedTask, error_type: str, message: str, *,
              on_error: dict[str, Any] | None = None, time_left: Callable[[], float] | None = None) -> None:
    """Mark a task failed from outside its run (the assembly state machine's Catch), as a run would."""
    run = Run(task, _deadline(deps, time_left), on_error=on_error)
    state = deps.ports.tasks.get(task.task_id) if deps.ports.tasks is not None else None
    if state is not None and state.ready:
        return
    _fail(deps, run, _engine().Failure(error_type, message))


# --- writing to the live session ------------------------------------------------------------------

def _update_live(deps: Deps, run: Run, step: Callable[[Any, dict[str, Any]], tuple[Any, Any]], *, marker: str,
                 extra_seconds: float = 0.0) -> tuple[Any, Any] | None:
    """Run step(interview, latest answers) and save with the version read; re-read and retry on conflict.

    The marker (saved with the answers, in the same conditional write) makes a redelivered task skip a
    callback that was already saved. Returns (value, step result), or None when it was already applied.
    """
    task = run.task
    deadline = run.deadline + extra_seconds

    def attempt(_: int) -> tuple[Any, Any] | None:
        record = deps.sessions.load(task.session_id, secret=task.secret)  # re-read on every try
        if marker in _applied(record.answers):
            return None
        interview = evaluation.interview_for(deps, record.interview)
        evaluation.watch_changes(record, interview)
        value, result = _within(deadline, functools.partial(step, interview, record.answers))
        if _stopped(result):
            return value, result  # nothing is saved for code that did not complete
        if result.delete_session:
            deps.sessions.delete(task.session_id)
            return value, result
        if not result.save:  # set_save_status('ignore')
            evaluation.send_outbox(deps, result.outbox, task.secret, record)
            return value, result
        _mark_applied(record.answers, marker)
        record.multi_user = bool(result.multi_user or record.multi_user)
        saved = deps.sessions.save(record, record.answers, new_step=False,
                                   secret=None if record.multi_user else task.secret,
                                   delete_days=evaluation.delete_days(deps, interview))
        evaluation.send_outbox(deps, result.outbox, task.secret, saved)
        return value, result

    return retry_on_conflict(attempt)  # a conflict on the last try is transient: SQS delivers it again


def _applied(answers: dict[str, Any]) -> list[str]:
    internal = answers.get("_internal")
    return list(internal.get(APPLIED_KEY) or []) if isinstance(internal, dict) else []


def _mark_applied(answers: dict[str, Any], marker: str) -> None:
    internal = answers.setdefault("_internal", {})
    internal[APPLIED_KEY] = ([*_applied(answers), marker])[-APPLIED_KEEP:]


# --- time ----------------------------------------------------------------------------------------

def _deadline(deps: Deps, time_left: Callable[[], float] | None) -> float:
    """The monotonic time by which the author's code must end: the invocation's time minus a reserve."""
    limit = getattr(deps.settings, "background_timeout_seconds", None)
    budget = float(limit) if limit else None
    if time_left is not None:
        left = time_left() - RESERVE_SECONDS
        if left < MIN_RUN_SECONDS:
            raise NotEnoughTime(f"only {left + RESERVE_SECONDS:.1f} s left in this invocation")
        budget = left if budget is None else min(budget, left)
    return time.monotonic() + (budget if budget is not None else 600.0)


def _within(deadline_at: float, work: Callable[[], Any]) -> Any:
    """Run work() in a thread of its own, stopped at the deadline (offstage.engine.deadline).

    The stop is an exception raised in that thread: pure Python (a loop in an action) ends there. An
    action inside a long call into C does not; after a short grace it is reported as stuck, its thread
    left behind (see end_environment_if_stuck).
    """
    from offstage.engine import deadline

    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = deadline.call(max(0.0, deadline_at - time.monotonic()), work,
                                             what="the background action")
        except BaseException as exc:  # noqa: BLE001 - handed over to the waiting thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="offstage-background-action", daemon=True)
    thread.start()
    thread.join(max(0.0, deadline_at - time.monotonic()) + GRACE_SECONDS)
    if thread.is_alive():
        _stuck_actions.append(thread.name)
        raise TaskTimeout(stuck=True)
    error = outcome.get("error")
    if isinstance(error, deadline.TimeLimitExceeded):
        raise TaskTimeout()
    if error is not None:
        raise error
    return outcome.get("value")


def _timeout(run: Run, timeout: TaskTimeout) -> Any:
    run.stuck = run.stuck or timeout.stuck
    return _engine().Failure("TimeoutError", f"the background action {run.task.action} did not finish in time")


def end_environment_if_stuck() -> None:
    """In AWS, end this execution environment when an action could not be stopped (its thread would keep
    burning the CPU of every later invocation): call it once the batch's outcomes are stored. Lambda
    starts a fresh environment for the next batch; this batch's messages come back after the queue's
    visibility timeout and are dropped as duplicates (their tasks are finished). The local stack keeps
    running: its other environments serve the queue meanwhile."""
    from offstage.settings import settings

    if not _stuck_actions or not settings().lambda_function or settings().local:
        return
    log.error("%d background action(s) could not be stopped: ending this execution environment",
              len(_stuck_actions))
    logging.shutdown()  # flush the log lines above before the process goes
    _exit(1)


# --- recording the outcome and notifying the browser -----------------------------------------------

def notification_for(mode: str | None, value: Any) -> dict[str, Any] | None:
    """The check-in command a finished task hands out (engine.background's shape), its value JSON-safe."""
    note = _engine().notification_for(mode, value)
    return None if note is None else {**note, "value": json_safe(note["value"])}


def _failed_state(task_id: str, failure: Any, value: Any) -> TaskState:
    return TaskState(task_id=task_id, status="failed", value=value, error_type=failure.error_type,
                     error_message=failure.error_message, error_trace=failure.error_trace,
                     variables=list(failure.variables))


def _finish(deps: Deps, run: Run, *, value: Any = None, failure: Any = None,
            handled: _Value | None = None, notify: bool = True) -> None:
    """Store the outcome once; a duplicate delivery finds it stored and adds no notification."""
    task = run.task
    if failure is None:
        state = TaskState(task_id=task.task_id, status="done", value=value)
        notes = [n for n in [notification_for(task.ui_notification, value)] if n]
    else:
        state = _failed_state(task.task_id, failure, handled.value if handled else None)
        if handled is not None and _engine().says_something(handled.value):  # the error action's own message
            notes = [n for n in [notification_for(task.ui_notification, handled.value)] if n]
        else:
            notes = _engine().failure_notifications(task, failure) if task.ui_notification and notify else []
    if deps.ports.tasks is None:
        return
    tasks = deps.ports.tasks
    first = notes[0] if notes else None
    more = notes[1:]  # the refresh after a failure's flash, stored in the same write as the flash
    try:  # sealed with the session's secret (multi_user sessions have none: kept readable, as their answers)
        stored = tasks.finish(state, first, task.session_id, secret=task.secret, more=more)
    except (TypeError, ValueError):  # a value the store cannot serialize: keep its JSON-safe form
        state.value = json_safe(state.value)
        stored = tasks.finish(state, first, task.session_id, secret=task.secret, more=more)
    if not stored:
        log.info("task %s was already finished: outcome of this delivery dropped", task.task_id)
