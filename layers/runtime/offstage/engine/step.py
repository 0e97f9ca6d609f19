"""The engine's one entry point: one evaluation pass over an interview ("between screens").

`run_step(interview, answers, request, ports)` mutates `answers` in place and returns a StepResult:
one small dataclass per outcome (Question, Response, CommandStep, ...), which callers match on.
The caller (a use case in `offstage.app`) loads the answers, calls run_step, saves if `result.save`,
and only then sends `result.outbox`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from offstage.context import UserInfo

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
    question_id: str | None = None  # the question the posted answers (or the button) answer
    button: str | None = None  # the special button pressed, if any (continue, refresh, ...)
    event_list: list[str] | None = None  # the names the posted question was asked for
    secret: str | None = None
    url_root: str = ""
    raw_values: bool = True  # posted values are strings to convert (browser); False: JSON-typed (API)


@dataclass(kw_only=True)
class Outcome:
    """What every outcome of a pass carries: whether and how to save, and the tasks to send after.

    `kind` names the outcome on the wire (the JSON API's questionType); code matches on the class.
    """

    kind: ClassVar[str]
    outbox: list[QueuedTask] = field(default_factory=list)
    save: bool = True
    delete_session: bool = False
    multi_user: bool = False  # answers say multi_user = True: stored without encryption
    on_error: dict[str, Any] | None = None  # background_error_action(...) registered during the step
    validation_errors: dict[str, str] = field(default_factory=dict)  # posted answers refused: nothing saved


@dataclass(kw_only=True)
class Shown(Outcome):
    """An outcome that is a screen (offstage.engine.screen.Screen)."""

    screen: Any = None


@dataclass(kw_only=True)
class Question(Shown):
    """A question to show."""

    kind: ClassVar[str] = "question"


@dataclass(kw_only=True)
class Message(Shown):
    """message(...): a screen of its own, outside the interview's logic."""

    kind: ClassVar[str] = "message"


@dataclass(kw_only=True)
class TemplateContent(Outcome):
    """A template shown as a response to an action ({'target', 'content'})."""

    kind: ClassVar[str] = "template"
    value: Any = None


@dataclass(kw_only=True)
class Response(Outcome):
    """response(...): content instead of a screen."""

    kind: ClassVar[str] = "response"
    response: Any = None  # the signals.Response
    value: Any = None  # its content
    sleep: float | None = None


@dataclass(kw_only=True)
class CommandStep(Outcome):
    """command(...) or a special button: exit, restart, leave, wait, refresh ..."""

    kind: ClassVar[str] = "command"
    command: str | None = None
    command_url: str | None = None
    sleep: float | None = None


@dataclass(kw_only=True)
class BackgroundValue(Outcome):
    """background_response(value)."""

    kind: ClassVar[str] = "background_response"
    value: Any = None


@dataclass(kw_only=True)
class BackgroundCallback(Outcome):
    """background_response_action(name, **arguments): {'action', 'arguments'}."""

    kind: ClassVar[str] = "background_response_action"
    action: dict[str, Any] = field(default_factory=dict)


@dataclass(kw_only=True)
class StepError(Shown):
    """The interview's code failed: the error screen; nothing is saved."""

    kind: ClassVar[str] = "error"
    error: dict[str, Any] = field(default_factory=dict)  # {'type', 'message', 'trace', 'block', 'variables'}


@dataclass(kw_only=True)
class UndefinedVariable(StepError):
    """No block defines a name the interview needs (an error too)."""

    kind: ClassVar[str] = "undefined_variable"
    variable: str | None = None


@dataclass(kw_only=True)
class Queued(Outcome):
    """A scheduled `*_background` event: nothing ran here, its task is in `outbox`."""

    kind: ClassVar[str] = "queued"


StepResult = (Question | Message | TemplateContent | Response | CommandStep | BackgroundValue
              | BackgroundCallback | StepError | Queued)


def screen_of(result: StepResult | None) -> Any:
    """The screen an outcome shows (a question, a message, an error), else None."""
    return result.screen if isinstance(result, Shown) else None
