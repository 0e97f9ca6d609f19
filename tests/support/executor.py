"""An in-process TaskQueue + TaskStore: background tasks for the harness, no queue service.

`send()` records the task; `run_pending()` (or `run_until(task_id)`) runs each through the worker's
own use case, offstage.app.background.process_task, with the Deps the harness gives (its session,
its interview, its ports). With `immediate=True` a task runs as soon as it is sent.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any

from offstage.app.deps import Deps
from offstage.ports import QueuedTask, TaskState


class InProcessTasks:
    def __init__(self, deps: Callable[[], Deps], immediate: bool = False) -> None:
        self.deps = deps
        self.immediate = immediate
        self.states: dict[str, TaskState] = {}
        self.pending: list[QueuedTask] = []
        self.notifications: dict[str, list[dict[str, Any]]] = {}
        self.sent: list[QueuedTask] = []

    # --- TaskQueue ---------------------------------------------------------------------------------

    def send(self, task: QueuedTask) -> None:
        self.create(task)
        self.sent.append(task)
        self.pending.append(task)
        if self.immediate:
            self.run_pending()

    # --- TaskStore ---------------------------------------------------------------------------------

    def create(self, task: QueuedTask) -> None:
        self.states.setdefault(task.task_id, TaskState(task.task_id))

    def get(self, task_id: str, *, secret: str | None = None) -> TaskState | None:  # in memory: nothing at rest
        state = self.states.get(task_id)
        return copy.copy(state) if state is not None else None

    def start(self, task_id: str, lease_seconds: float = 0.0) -> bool:
        """The worker's claim: pending -> running; False when another delivery holds it or it ended."""
        state = self.states.setdefault(task_id, TaskState(task_id))
        if state.status != "pending":
            return False
        state.status = "running"
        return True

    def finish(self, state: TaskState, notification: dict[str, Any] | None, session_id: str, *,
               secret: str | None = None, more: Sequence[dict[str, Any]] = ()) -> bool:
        previous = self.states.get(state.task_id)
        if previous is not None and previous.ready:
            return False
        self.states[state.task_id] = state
        for note in (notification, *more):
            if note is not None:
                self.add_notification(session_id, note)
        return True

    def add_notification(self, session_id: str, notification: dict[str, Any], *, secret: str | None = None) -> None:
        self.notifications.setdefault(session_id, []).append(notification)

    def revoke(self, task_id: str) -> bool:
        state = self.states.get(task_id)
        if state is None or state.ready:
            return False
        state.status = "revoked"
        self.pending = [t for t in self.pending if t.task_id != task_id]
        return True

    def take_notifications(self, session_id: str, *, secret: str | None = None) -> list[dict[str, Any]]:
        return self.notifications.pop(session_id, [])

    def pending_notifications(self, session_id: str) -> int:
        return sum(1 for task in self.sent if task.session_id == session_id and task.ui_notification
                   and not self.states[task.task_id].ready)

    # --- running -----------------------------------------------------------------------------------

    def run_pending(self) -> int:
        """Run every queued task (and those they queue); the number run."""
        count = 0
        while self.pending:
            self._run(self.pending.pop(0))
            count += 1
        return count

    def run_here(self, task_id: str) -> bool:
        while self.pending and not (self.states.get(task_id) and self.states[task_id].ready):
            self._run(self.pending.pop(0))
        return True

    def _run(self, task: QueuedTask) -> None:
        from offstage.app.background import process_task

        process_task(self.deps(), task)
