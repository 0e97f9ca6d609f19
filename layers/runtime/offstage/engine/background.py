"""Running a background task: the pure logic shared by the in-process executor and the queue worker.

Phase 1 runs the action on a private copy of the answers and saves nothing. If it asks for a callback
(`background_response_action`), phase 2 runs that action on the live answers, which the caller saves.
An error (or a question asked, which is an error in the background) runs `background_error_action`'s
action on the live answers when one was registered.

Tasks the code queues with `background_action()` go out only after the answers that hold their handles
are saved: perform_task() collects them in `outbox` for the caller to send once it returns.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from offstage.engine.context import Ports, UserInfo
from offstage.engine.run import run_step as _run_step
from offstage.engine.step import StepRequest, StepResult
from offstage.errors import UnknownAction
from offstage.interview import Interview
from offstage.ports import QueuedTask, TaskState


@dataclass
class TaskOutcome:
    """What phase 1 produced. kind: value | callback | error | command."""

    kind: str
    value: Any = None
    action: dict[str, Any] | None = None
    error: dict[str, Any] = field(default_factory=dict)  # type, message, trace, variables
    on_error: dict[str, Any] | None = None
    command: str | None = None
    outbox: list[QueuedTask] = field(default_factory=list)  # tasks queued in phase 1 (nothing saved)


class SessionAccess(Protocol):
    """How the task reaches the session: a private copy, and an update under the session's lock."""

    def snapshot(self, session_id: str) -> dict[str, Any]: ...

    def update(self, session_id: str, change: Callable[[dict[str, Any]], bool]) -> None:
        """Load the latest answers, call change(answers); save them if it returns True."""
        ...

    def delete(self, session_id: str) -> None: ...


def _request(message: QueuedTask, action: str, arguments: dict[str, Any]) -> StepRequest:
    return StepRequest(session_id=message.session_id, interview_name=message.interview,
                       user=UserInfo.from_dict(message.user), interface="worker", action=action,
                       arguments=dict(arguments), secret=message.secret)


def run_step(interview: Interview, answers: dict[str, Any], request: StepRequest, ports: Ports) -> StepResult:
    """run_step, with an action the interview does not define as this step's error: the task fails."""
    try:
        return _run_step(interview, answers, request, ports)
    except UnknownAction as refused:
        return refused_action(interview, refused)


def refused_action(interview: Interview, refused: UnknownAction) -> StepResult:
    """The error step of a task or scheduled event whose action was refused (nothing ran, nothing saved)."""
    error: dict[str, Any] = {"type": type(refused).__name__, "message": refused.message, "trace": None,
             "block": interview.name, "variables": []}
    return StepResult(kind="error", error=error, save=False)


def run_background_phase1(interview: Interview, answers_copy: dict[str, Any], message: QueuedTask,
                          ports: Ports) -> TaskOutcome:
    result = run_step(interview, answers_copy, _request(message, message.action, message.arguments), ports)
    outcome = _phase1_outcome(result, message)
    outcome.outbox = list(result.outbox)
    return outcome


def _phase1_outcome(result: StepResult, message: QueuedTask) -> TaskOutcome:
    if result.kind == "background_response":
        return TaskOutcome("value", value=result.value, on_error=result.on_error)
    if result.kind == "background_response_action":
        return TaskOutcome("callback", action=result.action, on_error=result.on_error)
    if result.kind == "command":
        return TaskOutcome("command", command=result.command, on_error=result.on_error)
    if result.kind == "response":
        return TaskOutcome("value", value=None, on_error=result.on_error)
    if result.kind in ("error", "undefined_variable"):
        error = result.error or {}
        return TaskOutcome("error", error={"type": error.get("type"), "message": error.get("message"),
                                           "trace": error.get("trace"),
                                           "variables": list(error.get("variables") or [])},
                           on_error=result.on_error)
    asked = result.screen.event_list if result.screen is not None else []
    return TaskOutcome("error", on_error=result.on_error, error={
        "type": "QuestionError",
        "message": f"the background action {message.action!r} asked a question instead of ending with "
                   "background_response()", "trace": None, "variables": list(asked)})


def run_callback(interview: Interview, live_answers: dict[str, Any], action: str, arguments: dict[str, Any],
                 ports: Ports, message: QueuedTask) -> tuple[Any, StepResult]:
    """Phase 2 on the live answers: the value of a final background_response, else the action dict."""
    result = run_step(interview, live_answers, _request(message, action, arguments), ports)
    if result.kind == "background_response":
        return result.value, result
    return {"action": action, "arguments": arguments}, result


def run_error_action(interview: Interview, live_answers: dict[str, Any], on_error: dict[str, Any],
                     error: dict[str, Any], ports: Ports, message: QueuedTask) -> tuple[Any, StepResult]:
    arguments = dict(on_error.get("arguments") or {})
    arguments.update({"error_type": error.get("type"), "error_message": error.get("message"),
                      "error_trace": error.get("trace"), "variables": list(error.get("variables") or [])})
    result = run_step(interview, live_answers, _request(message, on_error["action"], arguments), ports)
    return (result.value if result.kind == "background_response" else None), result


def perform_task(interview: Interview, message: QueuedTask, ports: Ports, sessions: SessionAccess,
                 outbox: list[QueuedTask] | None = None) -> tuple[TaskState, dict[str, Any] | None]:
    """Run a task to its end: (final state, notification for the check-in or None).

    Tasks queued along the way are appended to `outbox` (those of a callback or error action only when
    its answers were saved); the caller sends them after this returns, so after the save.
    """
    outbox = outbox if outbox is not None else []
    outcome = run_background_phase1(interview, copy.deepcopy(sessions.snapshot(message.session_id)),
                                    message, ports)
    outbox.extend(outcome.outbox)
    state = TaskState(message.task_id, status="done")
    notify = True
    if outcome.kind == "value":
        state.value = outcome.value
    elif outcome.kind == "callback":
        action = outcome.action  # a local: the narrowing below holds inside callback()
        assert action is not None
        holder: dict[str, Any] = {}

        def callback(answers: dict[str, Any]) -> bool:
            holder["value"], result = run_callback(interview, answers, action["action"],
                                                   action["arguments"], ports, message)
            holder["result"] = result
            return _keep(result, holder)

        sessions.update(message.session_id, callback)
        outbox.extend(holder.get("outbox", []))
        state.value = holder.get("value")
        failed = holder.get("result")
        if failed is not None and failed.kind in ("error", "undefined_variable") and failed.error:
            outcome.error = {k: failed.error.get(k) for k in ("type", "message", "trace", "variables")}
            outcome.kind = "error"
    elif outcome.kind == "command":
        if outcome.command in ("exit", "restart", "exit_logout"):
            sessions.delete(message.session_id)
        notify = False
    if outcome.kind == "error":
        notify = _record_error(interview, message, ports, sessions, outcome, state, outbox)
    notification = None
    if notify and message.ui_notification:
        notification = {"value": state.value, "extra": message.ui_notification}
    return state, notification


def _keep(result: StepResult, holder: dict[str, Any]) -> bool:
    """Whether a step on the live answers is to be saved; its tasks are kept for sending if so."""
    keep = result.save and result.kind not in ("error", "undefined_variable")
    holder["outbox"] = list(result.outbox) if keep else []
    return keep


def _record_error(interview: Interview, message: QueuedTask, ports: Ports, sessions: SessionAccess,
                  outcome: TaskOutcome, state: TaskState, outbox: list[QueuedTask]) -> bool:
    """Fill the failed state; run the error action if one was registered. True: notify the browser."""
    state.status = "failed"
    state.error_type = outcome.error.get("type") or "Exception"
    state.error_message = outcome.error.get("message")
    state.error_trace = outcome.error.get("trace")
    state.variables = list(outcome.error.get("variables") or [])
    if not outcome.on_error:
        return False
    holder: dict[str, Any] = {}

    def on_error(answers: dict[str, Any]) -> bool:
        holder["value"], result = run_error_action(interview, answers, outcome.on_error or {},
                                                   outcome.error, ports, message)
        return _keep(result, holder)

    sessions.update(message.session_id, on_error)
    outbox.extend(holder.get("outbox", []))
    state.value = holder.get("value")
    return True
