"""What interview code holds after `background_action()`: a handle on the task, stored in the answers.

The handle reads the task's state through `ports.tasks` and keeps the final state once seen, so a result
stays readable for the life of the session (docassemble's results vanish after a day and `ready()` then
returns False forever).

A task starts only after the request that queued it saved the session, so waiting for it within that
same request could never end: get(), result(), failed() and wait() fail at once there, and ready() is
False. Elsewhere a wait ends with the request's time limit at the latest.
"""

from __future__ import annotations

import copy
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from offstage.answers.registry import register  # the answers codec rebuilds only registered classes
from offstage.context import current, maybe_current
from offstage.engine.signals import Command
from offstage.ports import QueuedTask, TaskState


def queue_task(action: str, ui_notification: str | None = None, **kwargs: Any) -> TaskHandle:
    """A background task for `action`, held in the evaluation's outbox: sent only after the save succeeds."""
    ctx = current()
    task = QueuedTask(task_id=secrets.token_hex(16), session_id=ctx.session_id,
                      interview=ctx.interview_name, action=action, arguments=copy.deepcopy(kwargs),
                      ui_notification=ui_notification, user=ctx.user.as_dict(), secret=ctx.secret)
    ctx.outbox.append(task)
    return TaskHandle(task.task_id, ui_notification)


SAME_REQUEST = ("the background task {action} was started in this same request; it only runs after the screen "
                "is saved: show a waiting screen and check task.ready() on the next load")
WAIT_MARGIN = 0.5  # a wait ends this long before the request's time limit, to say why itself


class TaskNotStarted(RuntimeError):
    """A task was waited for in the request that queued it (it has not been sent yet)."""


@register
@dataclass
class BackgroundResult:
    """`the_task.result()`: the value, or what went wrong."""

    value: Any = None
    error_type: str | None = None
    error_message: str | None = None
    error_trace: str | None = None
    variables: list[str] = field(default_factory=list)


@register
class TaskHandle:
    """The task a `background_action()` started."""

    def __init__(self, task_id: str, ui_notification: str | None = None) -> None:
        self.task_id = task_id
        self.ui_notification = ui_notification
        self.final: dict[str, Any] | None = None  # the finished state, once seen

    def _state(self) -> TaskState | None:
        if self.final is not None:
            return TaskState(**self.final)
        ctx = maybe_current()
        store = ctx.ports.tasks if ctx else None
        state = store.get(self.task_id, secret=ctx.secret) if store is not None and ctx is not None else None
        if state is not None and state.ready:
            self.final = {"task_id": state.task_id, "status": state.status, "value": state.value,
                          "error_type": state.error_type, "error_message": state.error_message,
                          "error_trace": state.error_trace, "variables": list(state.variables)}
        return state

    def _queued_now(self) -> QueuedTask | None:
        """The task, when the request being evaluated queued it (it is not sent before the save)."""
        ctx = maybe_current()
        if ctx is None or self.final is not None:
            return None
        return next((task for task in ctx.outbox if task.task_id == self.task_id), None)

    def ready(self) -> bool:
        if self._queued_now() is not None:
            return False
        state = self._state()
        return bool(state and state.ready)

    def wait(self, timeout: float = 60.0) -> bool:
        """Block until the task is done; prefer ready() in interviews (a waiting request holds the session)."""
        queued = self._queued_now()
        if queued is not None:
            raise TaskNotStarted(SAME_REQUEST.format(action=repr(queued.action)))
        ctx = maybe_current()
        # a queue that runs tasks in this process (the tests' executor) runs it now, and what it does not
        # hold will never finish there, so there is nothing to poll for
        queue = ctx.ports.queue if ctx else None
        if queue is not None and (self.ready() or queue.run_here(self.task_id)):
            return self.ready()
        from offstage.engine.deadline import remaining

        left = remaining()  # within a request's time limit: stop before it, and say why
        if left is not None:
            timeout = min(timeout, max(0.0, left - WAIT_MARGIN))
        deadline = time.monotonic() + timeout
        while not self.ready():
            if time.monotonic() > deadline:
                return False
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
        return True

    def result(self) -> BackgroundResult:
        if not self.wait():
            raise TimeoutError(f"the background task {self.task_id} is not finished yet: "
                               "show a waiting screen until task.ready() is True")
        state = self._state()
        assert state is not None  # noqa: S101 - narrows the type for mypy; the code above guarantees it
        return BackgroundResult(state.value, state.error_type, state.error_message, state.error_trace,
                                list(state.variables))

    def get(self) -> Any:
        return self.result().value

    def failed(self) -> bool:
        return self.result().error_type is not None

    def revoke(self, terminate: bool = True) -> bool:  # noqa: ARG002 - docassemble's signature
        store = current().ports.tasks
        return bool(store and store.revoke(self.task_id))

    def status(self) -> str:
        state = self._state()
        return state.status if state else "pending"

    def __repr__(self) -> str:
        return f"<TaskHandle {self.task_id} {self.status() if maybe_current() else ''}>"


@register
class BackgroundAction:
    """An object (`objects: - bg: BackgroundAction`) whose run() starts a task once and waits for it."""

    def __init__(self, instance_name: str | None = None, **kwargs: Any) -> None:
        self.instanceName = instance_name
        self.task: TaskHandle | None = None
        for key, value in kwargs.items():
            setattr(self, key, value)

    def run(self, action: str, ui_notification: str | None = None, **kwargs: Any) -> Any:
        if self.task is None:
            self.task = queue_task(action, ui_notification, **kwargs)
            raise Command("wait", sleep=4)  # saved, so the task id survives
        if not self.task.ready():
            current().save_status = "ignore"  # nothing changed while waiting
            raise Command("wait", sleep=4)
        return self.task.get()
