"""Step an interview with scripted answers and actions, no server (tests only: not in the deployed layer).

Background tasks run through the worker's own use case (offstage.app.background.process_task), on
this harness's session, so a test of a task exercises what production runs.

    h = Harness("background_action.yml")
    h.answer({"Number": "2"})        # by label or variable name
    h.run_background()               # runs queued background tasks in process
    h.press("Continue")              # a button by its label or value
    assert "The answer is 555." in h.text
    h.cron("cron_hourly", at=datetime(...))  # a scheduled event, the clock moved; h.mailer.outbox
"""

from __future__ import annotations

import copy
import datetime as _dt
import html
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from offstage.app.deps import Deps
from offstage.context import Ports, UserInfo
from offstage.engine.checkin import checkin_commands, notification_command, run_checkin
from offstage.engine.cron import cron_actions, run_cron_event
from offstage.engine.run import run_step
from offstage.engine.screen import Screen
from offstage.engine.step import StepRequest, StepResult, screen_of
from offstage.errors import SessionConflict
from offstage.interview import Interview, load_interview_file
from offstage.ports import Clock, SessionRecord
from offstage.sessions.cron import allows_cron

from tests.support.doubles import MemoryKV, MovableClock, OneInterview, OutboxMailer
from tests.support.executor import InProcessTasks

_BLOCK_TAG = re.compile(r"</?(p|br|div|li|ul|ol|h[1-6]|blockquote|table|tr|td|th|pre)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")


class _HarnessSessions:
    """The SessionStore port over the harness's one session, versioned as the real stores are."""

    def __init__(self, harness: Harness) -> None:
        self.harness = harness

    def load(self, session_id: str, *, secret: str | None = None) -> SessionRecord:
        h = self.harness
        return SessionRecord(session_id, h.interview.name, copy.deepcopy(h.answers), version=h.version,
                             multi_user=bool(h.answers.get("multi_user")))

    def save(self, record: SessionRecord, answers: dict[str, Any], *, secret: str | None = None,
             new_step: bool = True, delete_days: int = 90) -> SessionRecord:
        h = self.harness
        if record.version != h.version:
            raise SessionConflict("the session was saved by someone else")
        h.answers = h._stored(answers)  # a background callback: who ran it is not known, so no access noted
        h.version += 1
        return self.load(record.session_id)

    def delete(self, session_id: str) -> None:
        self.harness.delete(session_id)


class Harness:
    def __init__(self, source: str | Path | Interview, clock: Clock | None = None, user: UserInfo | None = None,
                 immediate_tasks: bool = False, url_root: str = "", start: bool = True) -> None:
        self.interview = source if isinstance(source, Interview) else load_interview_file(source)
        self.clock = clock or MovableClock()
        self.mailer = OutboxMailer()
        self.deleted = 0  # how many times the session was deleted (exit, cron's command('exit'))
        self.user = user or UserInfo()
        self.url_root = url_root
        self.session_id = secrets.token_urlsafe(16)
        self.answers: dict[str, Any] = {}
        self.version = 0  # of the stored answers: a background callback saves with the version it read
        self.kv = MemoryKV()
        self.tasks = InProcessTasks(self.task_deps, immediate=immediate_tasks)
        self.result: StepResult | None = None
        self.history: list[StepResult] = []
        self.extra_ports: dict[str, Any] = {}
        if start:
            self.step()

    # --- ports and sessions --------------------------------------------------------------------------

    def ports(self) -> Ports:
        ports: dict[str, Any] = {"clock": self.clock, "queue": self.tasks, "tasks": self.tasks,
                                 "kv": self.kv, "mailer": self.mailer}
        return Ports(**(ports | self.extra_ports))

    def task_deps(self) -> Deps:
        """What the worker's use case needs to run this session's tasks."""
        return Deps(sessions=_HarnessSessions(self), interviews=OneInterview(self.interview), ports=self.ports())  # type: ignore[arg-type]  # a partial double: only what this test reaches

    def delete(self, session_id: str) -> None:
        self.answers = {}
        self.version += 1
        self.deleted += 1

    def _save(self, answers: dict[str, Any], user: UserInfo) -> None:
        """Keep the answers, noting who used the session when (what last_access_time() reads)."""
        from offstage.library.access import record_access

        record_access(answers, user, self.clock.now())
        self.answers = self._stored(answers)
        self.version += 1

    def _stored(self, answers: dict[str, Any]) -> dict[str, Any]:
        """The answers as a load after a save gives them: what cannot be stored (modules ...) left out."""
        from offstage.answers.codec import dumps, loads

        modules = self.interview.modules
        return loads(dumps(answers, allowed_modules=modules), allowed_modules=modules)

    # --- stepping ------------------------------------------------------------------------------------

    def step(self, runner: Callable[..., StepResult] = run_step, **request: Any) -> StepResult:
        """One request; the answers are kept only if the step says to save them (like the server)."""
        req = StepRequest(session_id=self.session_id, interview_name=self.interview.name, user=self.user,
                          url_root=self.url_root, **request)
        working = copy.deepcopy(self.answers)
        result = runner(self.interview, working, req, self.ports())
        if result.delete_session:
            self.delete(self.session_id)
        elif result.save:
            self._save(working, req.user)
        for task in result.outbox:
            self.tasks.send(task)
        self.history.append(result)
        if request.get("interface", "web") in ("web", "api"):
            self.result = result
        return result

    @property
    def screen(self) -> Screen | None:
        return screen_of(self.result)

    @property
    def text(self) -> str:
        """The screen's visible text as a browser shows it: tags dropped, whitespace collapsed."""
        screen = self.screen
        raw = screen.text() if screen else ""
        return _plain(raw)

    def answer(self, values: dict[str, Any], raw: bool = True) -> StepResult:
        posted = {self._variable(k): v for k, v in values.items()}
        return self.step(posted=posted, question_id=self.screen.block_id if self.screen else None,
                         raw_values=raw, interface="web" if raw else "api")

    def press(self, button: str | bool) -> StepResult:
        screen = self.screen
        assert screen is not None, "there is no screen to press a button on"
        for candidate in screen.buttons:
            if button in (candidate.value, _plain(candidate.label)):
                if candidate.kind == "special":
                    return self.step(button=str(candidate.value), posted={}, question_id=screen.block_id)
                variable = screen.event_list[0] if screen.event_list else None
                return self.step(posted={variable: candidate.value}, question_id=screen.block_id,
                                 raw_values=False)
        if str(button).lower() in ("continue", screen.continue_label.lower()):
            return self.step(button="continue", posted={}, question_id=screen.block_id)
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
            result = self.step(run_checkin, action=action, arguments=arguments, interface="checkin")
            commands.extend(checkin_commands(result, action))
        commands.extend(notification_command(n) for n in self.tasks.take_notifications(self.session_id))
        return commands

    def run_background(self) -> int:
        return self.tasks.run_pending()

    def cron(self, kind: str, at: _dt.datetime | None = None) -> StepResult | None:
        """Run a scheduled event on this session as docassemble's cron does, the clock moved to `at`.

        None when the session does not take part (no `allow_cron`, not multi_user) or the interview
        defines neither `kind` nor `kind_background`. The in-process action's result is returned; a
        `_background` variant is queued (run it with run_background()).
        """
        if at is not None:
            if not hasattr(self.clock, "set"):
                raise TypeError("this harness's clock cannot be moved")
            self.clock.set(at)
        if not allows_cron(self.answers):
            return None
        found = None
        for action in cron_actions(self.interview, kind):
            working = copy.deepcopy(self.answers)
            result = run_cron_event(self.interview, working, action, session_id=self.session_id,
                                    interview_name=self.interview.name, ports=self.ports())
            if result.delete_session:
                self.delete(self.session_id)
            elif result.save:
                self._save(working, UserInfo.cron())
            for task in result.outbox:
                self.tasks.send(task)
            self.history.append(result)
            found = found or result
            if result.delete_session:
                break
        return found

    def _variable(self, key: str) -> str:
        for spec in self.screen.fields if self.screen else []:
            if spec.label is not None and _plain(spec.label) == key:
                return spec.variable_name or key
        return key


def _plain(label: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", label or ""))).split())
