"""An in-process TaskQueue + TaskStore: background tasks for tests and the harness, no queue service.

`send()` records the task; `run_pending()` (or `run_until(task_id)`) runs tasks through the same logic
as the worker (offstage.engine.background), applying callbacks to sessions reached through a
SessionAccess. With `immediate=True` a task runs as soon as it is sent.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from offstage.engine.background import SessionAccess, perform_task
from offstage.engine.context import Ports
from offstage.interview import Interview
from offstage.ports import QueuedTask, TaskState


class InProcessTasks:
    def __init__(self, interviews: Callable[[str], Interview], sessions: SessionAccess,
                 ports: Callable[[], Ports], immediate: bool = False) -> None:
        self.interviews = interviews
        self.sessions = sessions
        self.ports = ports
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

    def finish(self, state: TaskState, notification: dict[str, Any] | None, session_id: str, *,
               secret: str | None = None) -> bool:
        previous = self.states.get(state.task_id)
        if previous is not None and previous.ready:
            return False
        self.states[state.task_id] = state
        if notification is not None:
            self.notifications.setdefault(session_id, []).append(notification)
        return True

    def revoke(self, task_id: str) -> bool:
        state = self.states.get(task_id)
        if state is None or state.ready:
            return False
        state.status = "revoked"
        self.pending = [t for t in self.pending if t.task_id != task_id]
        return True

    def take_notifications(self, session_id: str, *, secret: str | None = None) -> list[dict[str, Any]]:
        return self.notifications.pop(session_id, [])

    # --- running -----------------------------------------------------------------------------------

    def run_pending(self) -> int:
        """Run every queued task (and those they queue); the number run."""
        count = 0
        while self.pending:
            self._run(self.pending.pop(0))
            count += 1
        return count

    def run_until(self, task_id: str) -> None:
        while self.pending and not (self.states.get(task_id) and self.states[task_id].ready):
            self._run(self.pending.pop(0))

    def _run(self, task: QueuedTask) -> None:
        state = self.states.get(task.task_id)
        if state is not None and state.ready:
            return  # revoked, or a duplicate delivery
        self.states[task.task_id] = TaskState(task.task_id, status="running")
        interview = self.interviews(task.interview)
        outbox: list[QueuedTask] = []
        final, notification = perform_task(interview, task, self.ports(), self.sessions, outbox)
        self.states[task.task_id] = TaskState(task.task_id, status="pending")  # let finish() store it
        self.finish(final, notification, task.session_id)
        for queued in outbox:  # after the callback's save, as the worker does
            self.send(queued)
