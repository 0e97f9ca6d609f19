"""A background task's pure parts: running its steps, deciding what each step means, shaping notifications.

The lifecycle itself (claim, phase 1 on a private copy, the callback or error action on the live
session under optimistic locking, the time limits, recording the outcome) is one use case,
offstage.app.background.process_task, which the Lambda, the local stack and the tests' in-process
executor all run. This module holds what needs no port:

- run_background_phase1 / run_callback / run_error_action: one engine step of each phase;
- phase_one_outcome / failure_of: what a step's result means for the task (a value, a callback, a
  failure in docassemble's error fields);
- notification_for / failure_notifications: what the browser's check-in is told.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from offstage.context import Ports, UserInfo
from offstage.engine import step
from offstage.errors import UnknownAction
from offstage.ports import QueuedTask

if TYPE_CHECKING:
    from offstage.interview import Interview

MODES = ("flash", "refresh", "javascript", "fields")  # a task's ui_notification, and a response's mode
FAILURE_MESSAGE = "A background task could not finish ({action}): {error_type}. Please try again."
DELETING_COMMANDS = ("exit", "restart", "exit_logout")  # command(...) in a task that deletes the session


@dataclass
class Failure:
    """Why a task failed, in docassemble's terms (BackgroundResult's error fields)."""

    error_type: str
    error_message: str
    error_trace: str | None = None
    variables: list[str] = field(default_factory=list)

    def as_arguments(self) -> dict[str, Any]:
        return {"error_type": self.error_type, "error_message": self.error_message,
                "error_trace": self.error_trace, "variables": list(self.variables)}


@dataclass
class Finished:
    """Phase 1 ended the task with this value (`delete_session`: it ran command('exit') or the like)."""

    value: Any = None
    delete_session: bool = False


@dataclass
class Callback:
    """Phase 1 asked for `action` to run on the live answers (background_response_action)."""

    action: str
    arguments: dict[str, Any]


PhaseOne = Finished | Callback | Failure


# --- running the steps ---------------------------------------------------------------------------

def _request(task: QueuedTask, action: str, arguments: dict[str, Any]) -> step.StepRequest:
    return step.StepRequest(session_id=task.session_id, interview_name=task.interview,
                       user=UserInfo.from_dict(task.user), interface="worker", action=action,
                       arguments=dict(arguments), secret=task.secret)


def run_step(interview: Interview, answers: dict[str, Any], request: step.StepRequest, ports: Ports) -> step.StepResult:
    """run_step, with an action the interview does not define as this step's error: the task fails."""
    from offstage.engine.run import run_step as engine_step  # the evaluator, when a step runs

    try:
        return engine_step(interview, answers, request, ports)
    except UnknownAction as refused:
        return refused_action(interview, refused)


def refused_action(interview: Interview, refused: UnknownAction) -> step.StepError:
    """The error step of a task or scheduled event whose action was refused (nothing ran, nothing saved)."""
    error: dict[str, Any] = {"type": type(refused).__name__, "message": refused.message, "trace": None,
                             "block": interview.name, "variables": []}
    return step.StepError(error=error, save=False)


def run_background_phase1(interview: Interview, answers_copy: dict[str, Any], task: QueuedTask,
                          ports: Ports) -> step.StepResult:
    """Phase 1: the task's action on a private copy of the answers (nothing of it is saved)."""
    return run_step(interview, answers_copy, _request(task, task.action, task.arguments), ports)


def run_callback(interview: Interview, live_answers: dict[str, Any], action: str, arguments: dict[str, Any],
                 ports: Ports, task: QueuedTask) -> tuple[Any, step.StepResult]:
    """Phase 2 on the live answers: the value of a final background_response, else the action dict."""
    result = run_step(interview, live_answers, _request(task, action, arguments), ports)
    if isinstance(result, step.BackgroundValue):
        return result.value, result
    return {"action": action, "arguments": arguments}, result


def run_error_action(interview: Interview, live_answers: dict[str, Any], on_error: dict[str, Any],
                     failure: Failure, ports: Ports, task: QueuedTask) -> tuple[Any, step.StepResult]:
    """The interview's background_error_action, told what went wrong, on the live answers."""
    arguments = {**dict(on_error.get("arguments") or {}), **failure.as_arguments()}
    result = run_step(interview, live_answers, _request(task, on_error["action"], arguments), ports)
    return (result.value if isinstance(result, step.BackgroundValue) else None), result


# --- what a step means for the task ----------------------------------------------------------------

def phase_one_outcome(result: step.StepResult, task: QueuedTask) -> PhaseOne:
    """What phase 1's step means: the task's value, a callback to run, or why it failed."""
    match result:
        case step.BackgroundValue():
            return Finished(result.value)
        case step.BackgroundCallback():
            return Callback(str(result.action.get("action")), dict(result.action.get("arguments") or {}))
        case step.CommandStep():
            return Finished(None, delete_session=result.command in DELETING_COMMANDS)
        case step.Response():
            return Finished(None)
        case step.StepError():
            return failure_of(result)
        case step.Question() | step.Message() | step.TemplateContent() | step.Queued():  # a screen: in the background, an error
            screen = step.screen_of(result)
            asked = list(screen.event_list) if screen is not None else []
            return Failure("QuestionError", f"the background action {task.action!r} asked a question instead "
                           "of ending with background_response()", None, asked)


def failure_of(result: step.StepError) -> Failure:
    """The Failure of a step whose code did not complete (an error, or a name nothing defines)."""
    err = result.error or {}
    variables = [str(v) for v in err.get("variables") or []]
    if not variables and isinstance(result, step.UndefinedVariable) and result.variable:
        variables = [str(result.variable)]
    return Failure(str(err.get("type") or "NameError"),
                   str(err.get("message") or f"{variables[0] if variables else 'a name'} is not defined"),
                   err.get("trace"), variables)


def says_something(value: Any) -> bool:
    """Whether an error action's response is a message for the user (background_response() gives {})."""
    return not (value is None or (isinstance(value, dict | list | str) and not value))


# --- what the browser is told ----------------------------------------------------------------------

def notification_for(mode: str | None, value: Any) -> dict[str, Any] | None:
    """The check-in command a finished task hands out, in docassemble's shapes; None without a mode.

    The value is as the task gave it: the caller makes it JSON-safe before storing it.
    """
    if mode is None:
        return None
    if mode == "refresh":
        return {"value": None, "extra": "refresh"}
    if _is_target(value):  # background_response(target=..., content=...): fill the [TARGET ...] areas
        return {"value": value, "extra": "backgroundresponse"}
    if isinstance(value, dict) and set(value) == {"pargs", "kwargs"}:
        value = value["pargs"][0] if value["pargs"] else None
    elif isinstance(value, list | tuple) and len(value) == 2 and value[1] in MODES:
        value = value[0]
    return {"value": value, "extra": mode}


def _is_target(value: Any) -> bool:
    if isinstance(value, dict):
        return "target" in value and "content" in value and set(value) <= {"target", "content"}
    return isinstance(value, list) and bool(value) and all(_is_target(item) for item in value)


def failure_notifications(task: QueuedTask, failure: Failure) -> list[dict[str, Any]]:
    """What the browser is told about a failed task: an escaped flash, then a refresh of the screen."""
    text = FAILURE_MESSAGE.format(action=task.action, error_type=failure.error_type)
    return [{"value": html.escape(text), "extra": "flash"}, {"value": None, "extra": "refresh"}]
