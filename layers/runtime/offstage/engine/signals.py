"""Control flow of interview code: the author functions stop the evaluation by raising these.

docassemble does the same with exceptions (`background_response` raises, `message` raises, ...); the
evaluation loop turns each one into a step outcome. `SeekName` is raised by the loop itself when a
name is missing and by `need()`/`force_ask()`.
"""

from __future__ import annotations

from typing import Any


class InterviewSignal(Exception):
    """Base of every signal: never an error, always caught by the evaluation loop."""


class BackgroundResponse(InterviewSignal):
    """`background_response(...)`: the value of an action (a background task or a check-in)."""

    def __init__(self, value: Any) -> None:
        super().__init__("background_response")
        self.value = value


class BackgroundResponseAction(InterviewSignal):
    """`background_response_action(name, **kw)`: run `name` on the live session."""

    def __init__(self, action: str, arguments: dict[str, Any]) -> None:
        super().__init__(f"background_response_action({action})")
        self.action = action
        self.arguments = arguments


class Response(InterviewSignal):
    """`response(...)`: stop and answer with this content instead of a screen."""

    def __init__(self, content: Any = None, *, content_type: str = "text/plain; charset=utf-8",
                 null: bool = False, sleep: float | None = None, response_code: int = 200,
                 binary: bytes | None = None, url: str | None = None) -> None:
        super().__init__("response")
        self.content = content
        self.content_type = content_type
        self.null = null
        self.sleep = sleep
        self.response_code = response_code
        self.binary = binary
        self.url = url


class Command(InterviewSignal):
    """`command(kind)`: exit, restart, leave, new_session, logout, continue, refresh, wait ..."""

    def __init__(self, kind: str = "exit", *, url: str | None = None, sleep: float | None = None) -> None:
        super().__init__(f"command({kind})")
        self.kind = kind
        self.url = url
        self.sleep = sleep


class Message(InterviewSignal):
    """`message(title, subtitle)`: a one-off screen that is not a question of the interview."""

    def __init__(self, title: str, subtitle: str = "", *, show_leave: bool = False,
                 show_exit: bool | None = None, url: str | None = None, buttons: list[Any] | None = None,
                 show_restart: bool | None = None, dead_end: bool = False) -> None:
        super().__init__("message")
        self.title = title
        self.subtitle = subtitle
        self.show_leave = show_leave
        self.show_exit = show_exit
        self.show_restart = show_restart
        self.dead_end = dead_end
        self.url = url
        self.buttons = buttons or []

    def button_values(self) -> list[tuple[str, Any]]:
        """(label, value) of the screen's buttons: the author's, else docassemble's Exit / Leave / Restart
        (Exit unless turned off or replaced by Leave; Restart unless turned off); none for a dead end."""
        if self.dead_end:
            return []
        if self.buttons:
            found: list[tuple[str, Any]] = []
            for item in self.buttons:
                pairs = [(k, v) for k, v in item.items() if k not in ("url", "color", "icon", "css class")] \
                    if isinstance(item, dict) else [(str(item), item)]
                found += [(str(label), value) for label, value in pairs[:1]]
            return found
        found = []
        if self.show_exit is not False and not (self.show_leave is True and self.show_exit is None):
            found.append(("Exit", "exit"))
        if self.show_leave:
            found.append(("Leave", "leave"))
        if self.show_restart is not False:
            found.append(("Restart", "restart"))
        return found


class SeekName(InterviewSignal):
    """Ask the loop to define `name` (need(), force_ask(), a missing name in code or Mako)."""

    def __init__(self, name: str, *, force: bool = False) -> None:
        super().__init__(name)
        self.name = name
        self.force = force
