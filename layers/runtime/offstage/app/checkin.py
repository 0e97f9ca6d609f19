"""The check-in use case: run the page's `check in` action and hand out the session's notifications.

Shaped like docassemble's /checkin: {"success", "commands": [{action?, value, extra}], "checkin_code"},
plus "pending_tasks" so the page can check in faster while tasks with a notification are running, and
"assembly" (bundles being rendered: how many of their documents are done) while there are any.
"""

from __future__ import annotations

import html
from typing import Any

from offstage.answers.jsonsafe import json_safe
from offstage.app import evaluation
from offstage.app.deps import Deps
from offstage.app.screen import step_request


def checkin(deps: Deps, session_id: str, secret: str | None, do_action: str | None,
            parameters: dict[str, Any] | None, checkin_code: Any, *, interview_name: str | None = None,
            user: Any = None) -> dict[str, Any]:
    commands: list[dict[str, Any]] = []
    if do_action:
        from offstage.context import UserInfo

        commands.extend(run_checkin_action(deps, session_id, secret, interview_name, do_action,
                                           parameters or {}, user or UserInfo()))
    commands.extend(take_notifications(deps, session_id, secret))
    reply = {"success": True, "commands": commands, "checkin_code": checkin_code,
             "pending_tasks": pending_tasks(deps, session_id)}
    progress = assembly_progress(deps, session_id)
    if progress:
        reply["assembly"] = progress
    return reply


def run_checkin_action(deps: Deps, session_id: str, secret: str | None, interview_name: str | None,
                       do_action: str, parameters: dict[str, Any], user: Any) -> list[dict[str, Any]]:
    """Evaluate as usual, then run the action with the raw field values; its changes are saved and the
    tasks either pass queued are sent after the save (the engine's run_checkin)."""
    from offstage.engine.checkin import run_checkin

    run_step = evaluation.engine(deps)

    def evaluate(interview: Any, record: Any) -> Any:
        request = step_request(session_id=session_id, interview_name=record.interview, user=user,
                               interface="checkin", secret=secret, action=do_action, arguments=dict(parameters))
        return run_checkin(interview, record.answers, request, deps.ports, step=run_step)

    outcome = evaluation.evaluate_session(deps, session_id, secret, interview_name, evaluate,
                                          new_step=False, user=user)
    from offstage.engine.step import StepError

    result = outcome.result
    if isinstance(result, StepError) and result.error.get("type") == "TimeLimitExceeded":
        # the page shows no error screen for a check-in: say it in a flash message instead
        return [{"action": do_action, "value": html.escape(str(result.error.get("message"))), "extra": "flash"}]
    command = command_for(do_action, outcome.result)
    return [] if command is None else [command]


def command_for(action: str, result: Any) -> dict[str, Any] | None:
    """docassemble's mapping of the action's outcome to one check-in command (the engine's rules)."""
    from offstage.engine.checkin import checkin_commands

    commands = checkin_commands(result, action)
    if not commands:
        return None
    command = dict(commands[0])
    command["value"] = json_safe(command.get("value"))
    return command


def take_notifications(deps: Deps, session_id: str, secret: str | None = None) -> list[dict[str, Any]]:
    """The session's finished-task notifications, each delivered once, without an `action` key (opened
    with the session's secret: they are stored encrypted like its answers)."""
    tasks = deps.ports.tasks
    if tasks is None:
        return []
    commands = []
    for note in tasks.take_notifications(session_id, secret=secret):
        extra = note.get("extra", note.get("mode"))
        if extra:
            commands.append({"value": json_safe(note.get("value")), "extra": extra})
    return commands


def pending_tasks(deps: Deps, session_id: str) -> int:
    """How many of the session's tasks with a page notification are still running (0 if unknown)."""
    tasks = deps.ports.tasks
    return 0 if tasks is None else tasks.pending_notifications(session_id)


def assembly_progress(deps: Deps, session_id: str) -> list[dict[str, Any]]:
    """The session's bundles being assembled: [{"task_id", "done", "total"}] (the page shows "3 of 10")."""
    parts = deps.assembly
    if parts is None:
        return []
    return list(parts.progress.of_session(session_id))
