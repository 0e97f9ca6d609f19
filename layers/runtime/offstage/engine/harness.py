"""Step an interview with scripted answers and actions, no server: for tests, the CLI and bench/.

    h = Harness("background_action.yml")
    h.answer({"Number": "2"})        # by label or variable name
    h.run_background()               # runs queued background tasks in process
    h.press("Continue")              # a button by its label or value
    assert "The answer is 555." in h.text
"""

from __future__ import annotations

import copy
import html
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from offstage.engine.checkin import checkin_commands, notification_command
from offstage.engine.context import Ports, UserInfo
from offstage.engine.executor import InProcessTasks
from offstage.engine.run import run_step
from offstage.engine.screen import Screen
from offstage.engine.step import StepRequest, StepResult
from offstage.interview import Interview, load_interview_file
from offstage.ports import Clock, SystemClock

_BLOCK_TAG = re.compile(r"</?(p|br|div|li|ul|ol|h[1-6]|blockquote|table|tr|td|th|pre)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")


class MemoryKV:
    """The KeyValue port in a dict (what DARedis reaches in tests)."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}

    def rpush(self, key: str, value: bytes) -> int:
        items = self.data.setdefault(key, [])
        items.append(value if isinstance(value, bytes) else str(value).encode())
        return len(items)

    def lpop(self, key: str) -> bytes | None:
        items = self.data.get(key) or []
        return items.pop(0) if items else None

    def get(self, key: str) -> bytes | None:
        found = self.data.get(key)
        return found if isinstance(found, bytes) else None

    def set(self, key: str, value: bytes, expire_seconds: int | None = None) -> None:
        self.data[key] = value

    def delete(self, key: str) -> None:
        self.data.pop(key, None)


class Harness:
    def __init__(self, source: str | Path | Interview, clock: Clock | None = None, user: UserInfo | None = None,
                 immediate_tasks: bool = False, url_root: str = "", start: bool = True) -> None:
        self.interview = source if isinstance(source, Interview) else load_interview_file(source)
        self.clock = clock or SystemClock()
        self.user = user or UserInfo()
        self.url_root = url_root
        self.session_id = secrets.token_urlsafe(16)
        self.answers: dict[str, Any] = {}
        self.kv = MemoryKV()
        self.tasks = InProcessTasks(lambda name: self.interview, self, self.ports, immediate=immediate_tasks)
        self.result: StepResult | None = None
        self.history: list[StepResult] = []
        self.extra_ports: dict[str, Any] = {}
        if start:
            self.step()

    # --- ports and sessions --------------------------------------------------------------------------

    def ports(self) -> Ports:
        return Ports(clock=self.clock, queue=self.tasks, tasks=self.tasks, kv=self.kv, **self.extra_ports)

    def snapshot(self, session_id: str) -> dict[str, Any]:
        return copy.deepcopy(self.answers)

    def update(self, session_id: str, change: Callable[[dict[str, Any]], bool]) -> None:
        working = copy.deepcopy(self.answers)
        if change(working):
            self.answers = working

    def delete(self, session_id: str) -> None:
        self.answers = {}

    # --- stepping ------------------------------------------------------------------------------------

    def step(self, **request: Any) -> StepResult:
        """One request; the answers are kept only if the step says to save them (like the server)."""
        req = StepRequest(session_id=self.session_id, interview_name=self.interview.name, user=self.user,
                          url_root=self.url_root, **request)
        working = copy.deepcopy(self.answers)
        result = run_step(self.interview, working, req, self.ports())
        if result.delete_session:
            self.answers = {}
        elif result.save:
            self.answers = working
        for task in result.outbox:
            self.tasks.send(task)
        self.history.append(result)
        if request.get("interface", "web") in ("web", "api"):
            self.result = result
        return result

    @property
    def screen(self) -> Screen | None:
        return self.result.screen if self.result else None

    @property
    def text(self) -> str:
        """The screen's visible text as a browser shows it: tags dropped, whitespace collapsed."""
        screen = self.screen
        raw = screen.text() if screen else ""
        return _plain(raw)

    def answer(self, values: dict[str, Any], raw: bool = True) -> StepResult:
        posted = {self._variable(k): v for k, v in values.items()}
        posted["_question_id"] = self.screen.block_id if self.screen else None
        return self.step(posted=posted, raw_values=raw, interface="web" if raw else "api")

    def press(self, button: str | bool) -> StepResult:
        screen = self.screen
        assert screen is not None, "there is no screen to press a button on"
        for candidate in screen.buttons:
            if button in (candidate.value, _plain(candidate.label)):
                if candidate.kind == "special":
                    return self.step(button=str(candidate.value),
                                     posted={"_question_id": screen.block_id})
                variable = screen.event_list[0] if screen.event_list else None
                return self.step(posted={"_question_id": screen.block_id, variable: candidate.value},
                                 raw_values=False)
        if str(button).lower() in ("continue", screen.continue_label.lower()):
            return self.step(button="continue", posted={"_question_id": screen.block_id})
        raise AssertionError(f"no button {button!r} on the screen (buttons: "
                             f"{[_plain(b.label) for b in screen.buttons]})")

    def refresh(self) -> StepResult:
        return self.step(button="refresh")

    def action(self, name: str, **arguments: Any) -> StepResult:
        return self.step(action=name, arguments=arguments)

    def checkin(self, action: str | None = None, values: dict[str, Any] | None = None,
                changed: str | None = None, initial: bool = False) -> list[dict[str, Any]]:
        """What the page's check-in gets: the `check in` action's commands, then task notifications."""
        commands: list[dict[str, Any]] = []
        action = action or (self.screen.checkin if self.screen else None)
        if action:
            arguments = {self._variable(k): v for k, v in (values or {}).items()}
            arguments.update({"_initial": initial, "_changed": changed})
            result = self.step(action=action, arguments=arguments, interface="checkin")
            commands.extend(checkin_commands(result, action))
        commands.extend(notification_command(n) for n in self.tasks.take_notifications(self.session_id))
        return commands

    def run_background(self) -> int:
        return self.tasks.run_pending()

    def _variable(self, key: str) -> str:
        for spec in self.screen.fields if self.screen else []:
            if spec.label is not None and _plain(spec.label) == key:
                return spec.variable_name or key
        return key


def _plain(label: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", label or ""))).split())
