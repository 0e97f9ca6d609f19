"""Small fakes for the worker's unit tests: a scripted engine, a thread-safe session store, a task store.

The scripted engine maps each action name to a Python function (answers, arguments) -> StepResult, so the
tests exercise the worker's own logic (phases, locking, outcomes) and not the interview language.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from offstage.app.deps import Deps
from offstage.context import Ports
from offstage.engine.step import BackgroundCallback, BackgroundValue, StepError, StepResult
from offstage.errors import SessionConflict, SessionNotFound, WrongSecret
from offstage.ports import QueuedTask, SessionRecord, TaskState

from tests.support.doubles import OneInterview

Action = Callable[[dict[str, Any], dict[str, Any]], StepResult]


class ScriptedInterview:
    def __init__(self, actions: dict[str, Action], on_error: dict[str, Any] | None = None) -> None:
        self.actions = actions
        self.on_error = on_error  # what background_error_action() registered during phase 1
        self.calls: list[tuple[str, dict[str, Any]]] = []


def scripted_run_step(interview: ScriptedInterview, answers: dict[str, Any], request: Any, ports: Any) -> StepResult:
    interview.calls.append((request.action, dict(request.arguments)))
    result = interview.actions[request.action](answers, request.arguments)
    if interview.on_error and request.action not in (interview.on_error["action"],):
        result.on_error = interview.on_error
    return result


@pytest.fixture(autouse=True)
def scripted_engine(monkeypatch):
    """ENGINE's background functions, running the scripted actions instead of interview YAML."""
    import offstage.engine.background

    monkeypatch.setattr(offstage.engine.background, "run_step", scripted_run_step)


class Sessions:
    """Version-checked saves under a lock (a real race between threads is possible, a lost update is not)."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()
        self.before_save: Callable[[SessionRecord], None] | None = None
        self.conflicts = 0

    def add(self, session_id: str, answers: dict[str, Any], secret: str | None = "s3cret",
            interview: str = "x.yml") -> None:
        self.items[session_id] = {"answers": copy.deepcopy(answers), "version": 1, "secret": secret,
                                  "interview": interview}

    def load(self, session_id: str, *, secret: str | None) -> SessionRecord:
        with self.lock:
            item = self.items.get(session_id)
            if item is None:
                raise SessionNotFound(f"session {session_id} does not exist or has expired")
            if item["secret"] is not None and item["secret"] != secret:
                raise WrongSecret("cannot decrypt")
            return SessionRecord(session_id, item["interview"], copy.deepcopy(item["answers"]), item["version"])

    def save(self, record: SessionRecord, answers: dict[str, Any], *, secret: str | None, new_step: bool = True,
             delete_days: int = 90) -> SessionRecord:
        if self.before_save is not None:
            self.before_save(record)
        with self.lock:
            item = self.items.get(record.session_id)
            if item is None:
                raise SessionNotFound("gone")
            if item["version"] != record.version:
                self.conflicts += 1
                raise SessionConflict("the session was saved by someone else")
            item["answers"] = copy.deepcopy(answers)
            item["version"] += 1
            return SessionRecord(record.session_id, item["interview"], copy.deepcopy(answers), item["version"])

    def delete(self, session_id: str) -> None:
        self.items.pop(session_id, None)

    def answers(self, session_id: str) -> dict[str, Any]:
        return self.items[session_id]["answers"]


class Tasks:
    def __init__(self) -> None:
        self.states: dict[str, TaskState] = {}
        self.notes: dict[str, list[dict[str, Any]]] = {}
        self.lock = threading.Lock()

    def create(self, task: QueuedTask) -> None:
        self.states[task.task_id] = TaskState(task.task_id)

    def get(self, task_id: str, *, secret: str | None = None) -> TaskState | None:
        return self.states.get(task_id)

    def finish(self, state: TaskState, notification: dict[str, Any] | None, session_id: str, *,
               secret: str | None = None, more: Sequence[dict[str, Any]] = ()) -> bool:
        assert notification is None or isinstance(notification, dict)
        with self.lock:
            old = self.states.get(state.task_id)
            if old is not None and old.ready:
                return False
            self.states[state.task_id] = state
            for note in (notification, *more):
                if note is not None:
                    self.notes.setdefault(session_id, []).append(note)
            return True

    def add_notification(self, session_id: str, notification: dict[str, Any], *, secret: str | None = None) -> None:
        with self.lock:
            self.notes.setdefault(session_id, []).append(notification)

    def start(self, task_id: str, lease_seconds: float = 900) -> bool:
        with self.lock:
            state = self.states.setdefault(task_id, TaskState(task_id))
            if state.ready:  # leases are not modelled: they have always ended by the next delivery
                return False
            state.status = "running"
            return True

    def pending_notifications(self, session_id: str) -> int:
        return 0  # these tests never check in

    def revoke(self, task_id: str) -> bool:
        self.states[task_id].status = "revoked"
        return True

    def take_notifications(self, session_id: str, *, secret: str | None = None) -> list[dict[str, Any]]:
        return self.notes.pop(session_id, [])


class Queue:
    def __init__(self) -> None:
        self.sent: list[QueuedTask] = []

    def send(self, task: QueuedTask) -> None:
        self.sent.append(task)

    def run_here(self, task_id: str) -> bool:
        return False  # like SQS: the test runs the worker itself


class Settings:
    background_timeout_seconds: float | None = None
    interview_delete_days = 90


def make_deps(interview: ScriptedInterview, sessions: Sessions | None = None) -> Deps:
    return Deps(sessions=sessions or Sessions(), interviews=OneInterview(interview),  # type: ignore[arg-type]  # a partial double: only what this test reaches
                ports=Ports(queue=Queue(), tasks=Tasks()), settings=Settings(), run_step=scripted_run_step)


def queued(action: str = "bg_task", mode: str | None = None, task_id: str = "task-1", session_id: str = "sess-1",
           **arguments: Any) -> QueuedTask:
    return QueuedTask(task_id=task_id, session_id=session_id, interview="x.yml", action=action,
                      arguments=arguments, ui_notification=mode, user={"id": "u1"}, secret="s3cret")


def respond(value: Any) -> StepResult:
    return BackgroundValue(value=value)


def respond_action(name: str, **arguments: Any) -> StepResult:
    return BackgroundCallback(action={"action": name, "arguments": arguments})


def error(message: str, kind: str = "ZeroDivisionError", variables: list[str] | None = None) -> StepResult:
    return StepError(save=False,
                      error={"type": kind, "message": message, "trace": f"Traceback: {kind}",
                             "variables": variables or []})
