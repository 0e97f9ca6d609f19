"""Scheduled events (cron): what one `cron_hourly` / `cron_daily` ... run does to one session.

docassemble's cron picks the sessions whose answers say `use_cron = True` (the seed's name) or
`allow_cron = True` (today's docassemble name) and are stored unencrypted (`multi_user = True`), and for
each event kind the interview defines:

- `<kind>` runs in process as the cron user (privilege 'cron', interface 'cron'): `response(...)` and
  `background_response()` stop and save, `response(null=True)` saves nothing, `command('exit')`
  (restart, exit_logout) deletes the session, `background_response_action(...)` runs that action right
  away on the same answers, then saves.
- `<kind>_background` is queued as a background task of the cron user; only its callback changes the
  session (through the worker, like any background action).

The caller (the app's cron use case, or the harness) loads the answers, calls `run_cron_event`, then
saves / deletes as the outcome says and only after that sends `outcome.outbox`.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the engine is loaded only to run a cron event
    from offstage.context import Ports, UserInfo
    from offstage.engine.step import StepResult
    from offstage.interview import Interview

KINDS = ("cron_hourly", "cron_daily", "cron_weekly", "cron_monthly")


def cron_actions(interview: Interview, kind: str) -> list[str]:
    """The actions a cron run of `kind` starts in this interview: `kind` and/or `kind_background`."""
    wanted = [kind] if kind.endswith("_background") else [kind, kind + "_background"]
    return [name for name in wanted if interview.definers(name)]


def valid_kind(kind: Any) -> str:
    """`kind` when it can name a cron event (docassemble's `-type`: any variable name), else ValueError."""
    import keyword

    if not isinstance(kind, str) or not kind.isidentifier() or keyword.iskeyword(kind) or len(kind) > 100:
        raise ValueError(f"the cron type must be a variable name such as cron_daily, not {str(kind)[:100]!r}")
    return kind


def run_cron_event(interview: Interview, answers: dict[str, Any], action: str, *, session_id: str,
                   interview_name: str, ports: Ports, user: UserInfo | None = None,
                   task_id: str | None = None) -> StepResult:
    """Run one cron action on `answers` (changed in place); the result says save / delete / send.

    A `*_background` action changes nothing here: the result carries it as a task in `outbox`.
    `task_id` names that task (the cron worker derives it from the tick, so a repeat is the same task).
    """
    from offstage.context import UserInfo
    from offstage.engine.background import DELETING_COMMANDS, run_step
    from offstage.engine.step import BackgroundCallback, CommandStep, Queued, StepRequest
    from offstage.ports import QueuedTask

    user = user or UserInfo.cron()
    if action.endswith("_background"):
        task = QueuedTask(task_id=task_id or secrets.token_hex(16), session_id=session_id, interview=interview_name,
                          action=action, arguments={}, user=user.as_dict())
        return Queued(save=False, outbox=[task])
    request = StepRequest(session_id=session_id, interview_name=interview_name, user=user, interface="cron",
                          action=action)
    result = run_step(interview, answers, request, ports)
    if isinstance(result, BackgroundCallback) and result.action:
        callback = StepRequest(session_id=session_id, interview_name=interview_name, user=user,
                               interface="cron", action=result.action["action"],
                               arguments=dict(result.action.get("arguments") or {}))
        follow = run_step(interview, answers, callback, ports)
        follow.outbox = result.outbox + follow.outbox
        result = follow
    if isinstance(result, CommandStep):
        result.delete_session = result.command in DELETING_COMMANDS
        result.save = result.save and not result.delete_session
    return result
