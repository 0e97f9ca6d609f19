"""A check-in: the `check in` action run on the session, and its outcome as docassemble's commands."""

from __future__ import annotations

import dataclasses
from typing import Any, cast

from offstage.context import Ports
from offstage.engine.background import MODES
from offstage.engine.step import BackgroundValue, StepError, StepRequest, StepResult, TemplateContent


def run_checkin(interview: Any, answers: dict[str, Any], request: StepRequest, ports: Ports, *,
                step: Any = None) -> StepResult:
    """Run a check-in on `answers` (changed in place) as docassemble does: assemble twice.

    First a plain pass with no action (the interview's `initial` code and the logic up to the current
    question run, as on any request), then the pass with `request.action` and its arguments (the raw
    field values plus `_initial` / `_changed`). The caller saves if the result says so (no new step:
    a check-in overwrites the current one) and then sends `result.outbox`, the tasks of both passes.
    An error in the plain pass is the result: the action does not run and nothing is saved.
    `step` stands in for run_step (the use cases' tests pass their own).
    """
    step = step or run_step
    plain = dataclasses.replace(request, action=None, arguments={}, posted=None, button=None,
                                interface="checkin")
    first = step(interview, answers, plain, ports)
    if isinstance(first, StepError):
        return first
    second = step(interview, answers, dataclasses.replace(request, interface="checkin"), ports)
    second.outbox = first.outbox + second.outbox
    second.save = second.save and first.save
    return cast("StepResult", second)


def checkin_commands(result: StepResult, action: str) -> list[dict[str, Any]]:
    """[{action, value, extra}] for a step run with the `check in` action (none for an ordinary screen)."""
    match result:
        case TemplateContent():
            return [{"action": action, "value": result.value, "extra": "backgroundresponse"}]
        case BackgroundValue():
            return [response_command(result.value, action)]
        case _:
            return []


def response_command(value: Any, action: str | None) -> dict[str, Any]:
    """A background_response value -> {action, value, extra}, the mode (flash, fields ...) pulled out."""
    command: dict[str, Any] = {} if action is None else {"action": action}
    if isinstance(value, dict) and set(value) == {"pargs", "kwargs"} and len(value["pargs"]) == 2 \
            and value["pargs"][1] in MODES:
        value = value["pargs"]
    if isinstance(value, list) and len(value) == 2 and value[1] in MODES:
        mode = value[1]
        shown = value[0]
        if mode == "fields" and isinstance(shown, dict):
            shown = {name: _field_update(v) for name, v in shown.items()}
        command.update(value=None if mode == "refresh" else shown, extra=mode)
    elif value == "refresh":
        command.update(value=None, extra="refresh")
    else:
        command.update(value=value, extra="backgroundresponse")
    return command


def run_step(*args: Any, **kwargs: Any) -> StepResult:
    from offstage.engine.run import run_step as step  # the evaluator, imported when a check-in runs

    return step(*args, **kwargs)


def notification_command(notification: dict[str, Any]) -> dict[str, Any]:
    """A finished task's notification as a command (no `action` key, like docassemble)."""
    return {"value": notification.get("value"), "extra": notification.get("extra")}


def _field_update(value: Any) -> Any:
    """{'choices': list | dict | pairs, 'value': v} -> choices as [{label, value}] (what the page expects)."""
    if isinstance(value, dict) and "choices" in value:
        from offstage.engine.ask import normalize_choices

        return dict(value, choices=normalize_choices(value["choices"]))
    return value
