"""The engine's one entry point: one evaluation pass over an interview ("between screens").

`run_step(interview, answers, request, ports)` mutates `answers` in place and returns a StepResult.
The caller (a use case in `offstage.app`) loads the answers, calls run_step, saves if `result.save`,
and only then sends `result.outbox`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from offstage.engine.context import UserInfo

if TYPE_CHECKING:
    from offstage.ports import QueuedTask


@dataclass
class StepRequest:
    session_id: str
    interview_name: str
    user: UserInfo = field(default_factory=UserInfo)
    interface: str = "web"  # web | api | checkin | worker | cron
    action: str | None = None  # an action to run (url_action, check in, a background task, cron)
    arguments: dict[str, Any] = field(default_factory=dict)
    posted: dict[str, Any] | None = None  # answers to the shown question: variable name -> raw value
    button: str | None = None  # the special button pressed, if any (continue, refresh, ...)
    event_list: list[str] | None = None  # the names the posted question was asked for
    secret: str | None = None
    url_root: str = ""
    raw_values: bool = True  # posted values are strings to convert (browser); False: JSON-typed (API)


@dataclass
class StepResult:
    """What one pass produced.

    kind is one of: question, response, command, background_response, background_response_action,
    template, message, undefined_variable, error.
    """

    kind: str
    screen: Any = None  # offstage.engine.screen.Screen for question / message / error / template
    value: Any = None  # background_response value, template content, response content
    response: Any = None  # the signals.Response for kind == response
    command: str | None = None  # exit, restart, leave, wait, refresh, ... for kind == command
    command_url: str | None = None
    sleep: float | None = None
    action: dict[str, Any] | None = None  # {'action', 'arguments'} for background_response_action
    variable: str | None = None  # the name no block defines, for undefined_variable
    validation_errors: dict[str, str] = field(default_factory=dict)
    outbox: list[QueuedTask] = field(default_factory=list)
    save: bool = True
    delete_session: bool = False
    error: dict[str, Any] | None = None  # {'type', 'message', 'trace', 'block', 'variables'}
    multi_user: bool = False  # answers say multi_user = True: stored without encryption
    on_error: dict[str, Any] | None = None  # background_error_action(...) registered during the step
