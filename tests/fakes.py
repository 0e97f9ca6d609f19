"""In-memory fakes of the ports, for unit tests of the pure layers (use cases, rendering)."""

from __future__ import annotations

import copy
import datetime as _dt
import itertools
import secrets
from typing import Any

from offstage.errors import CannotGoBack, SessionConflict, SessionNotFound, WrongSecret
from offstage.ports import QueuedTask, SessionRecord, TaskState


class FixedClock:
    def __init__(self, now: _dt.datetime | None = None) -> None:
        self.current = now or _dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=_dt.UTC)

    def now(self) -> _dt.datetime:
        return self.current


class FakeSessionStore:
    """Sessions in a dict: version-checked saves, a step history for `back`, secrets checked on load."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}
        self.saves = 0
        self.fail_saves = 0  # the next N saves raise SessionConflict (another writer got there first)
        self.on_save: Any = None  # called before each save (to simulate a concurrent writer)

    def create(self, interview, answers, *, secret, multi_user=False, delete_days=90):
        sid = secrets.token_urlsafe(16)
        self.items[sid] = {"interview": interview, "steps": [copy.deepcopy(answers)], "version": 1,
                           "secret": None if multi_user else secret, "multi_user": multi_user,
                           "delete_days": delete_days}
        return self.load(sid, secret=secret)

    def _item(self, session_id, secret):
        item = self.items.get(session_id)
        if item is None:
            raise SessionNotFound(f"session {session_id} does not exist or has expired")
        if item["secret"] is not None and item["secret"] != secret:
            raise WrongSecret("the answers of this session cannot be decrypted with the secret given")
        return item

    def load(self, session_id, *, secret):
        item = self._item(session_id, secret)
        return SessionRecord(session_id=session_id, interview=item["interview"],
                             answers=copy.deepcopy(item["steps"][-1]), version=item["version"],
                             multi_user=item["multi_user"], steps=len(item["steps"]) - 1)

    def save(self, record, answers, *, secret, new_step=True, delete_days=90):
        if self.on_save is not None:
            self.on_save(record)
        if record.session_id not in self.items:
            raise SessionNotFound(f"session {record.session_id} does not exist or has expired")
        item = self.items[record.session_id] if record.multi_user else self._item(record.session_id, secret)
        if self.fail_saves:
            self.fail_saves -= 1
            raise SessionConflict("the session was saved by someone else")
        if item["version"] != record.version:
            raise SessionConflict("the session was saved by someone else")
        if new_step:
            item["steps"].append(copy.deepcopy(answers))
        else:
            item["steps"][-1] = copy.deepcopy(answers)
        item["version"] += 1
        item["multi_user"] = record.multi_user
        if record.multi_user:
            item["secret"] = None
        item["delete_days"] = delete_days
        self.saves += 1
        return self.load(record.session_id, secret=secret)

    def back(self, session_id, *, secret):
        item = self._item(session_id, secret)
        if len(item["steps"]) < 2:
            raise CannotGoBack("the interview is at its first step")
        item["steps"].pop()
        item["version"] += 1
        return self.load(session_id, secret=secret)

    def delete(self, session_id):
        self.items.pop(session_id, None)

    def answers(self, session_id):
        return self.items[session_id]["steps"][-1]


class FakeTaskStore:
    def __init__(self) -> None:
        self.states: dict[str, TaskState] = {}
        self.sessions: dict[str, str] = {}
        self.with_notification: set[str] = set()
        self.notes: dict[str, list[dict[str, Any]]] = {}
        self.log: list[tuple[str, str]] = []  # ("create", task_id) in order, shared with FakeQueue

    def create(self, task: QueuedTask) -> None:
        self.log.append(("create", task.task_id))
        self.states[task.task_id] = TaskState(task.task_id)
        self.sessions[task.task_id] = task.session_id
        if task.ui_notification:
            self.with_notification.add(task.task_id)

    def get(self, task_id, *, secret=None):
        return self.states.get(task_id)

    def finish(self, state, notification, session_id, *, secret=None, more=()):
        if self.states.get(state.task_id) is not None and self.states[state.task_id].ready:
            return False
        self.states[state.task_id] = state
        for note in (notification, *more):
            if note:
                self.notes.setdefault(session_id, []).append(note)
        return True

    def start(self, task_id, lease_seconds=900):
        """A claim whose lease has always ended by the next delivery: only a finished task is refused."""
        state = self.states.setdefault(task_id, TaskState(task_id))
        if state.ready:
            return False
        state.status = "running"
        return True

    def add_notification(self, session_id, notification, *, secret=None):
        self.notes.setdefault(session_id, []).append(notification)

    def revoke(self, task_id):
        self.states[task_id].status = "revoked"
        return True

    def take_notifications(self, session_id, *, secret=None):
        return self.notes.pop(session_id, [])

    def pending_notifications(self, session_id):
        return sum(1 for tid in self.with_notification
                   if self.sessions[tid] == session_id and not self.states[tid].ready)


class FakeQueue:
    def __init__(self, log: list[tuple[str, str]] | None = None) -> None:
        self.sent: list[QueuedTask] = []
        self.log = log if log is not None else []

    def send(self, task: QueuedTask) -> None:
        self.log.append(("send", task.task_id))
        self.sent.append(task)

    def run_here(self, task_id: str) -> bool:
        return False  # like SQS: a worker elsewhere runs it


_ids = itertools.count(1)


def queued_task(session_id: str, action: str = "bg_task", ui_notification: str | None = None) -> QueuedTask:
    return QueuedTask(task_id=f"t{next(_ids)}", session_id=session_id, interview="x.yml", action=action,
                      arguments={}, ui_notification=ui_notification)


# --- API Gateway v2 (HTTP API) events and the Lambda context, for calling handlers in-process -------------

class LambdaContext:
    function_name = "offstage-test"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:offstage-test"
    aws_request_id = "test-request"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def http_event(method: str, path: str, query: dict[str, str] | None = None, body: Any = None,
               headers: dict[str, str] | None = None, cookies: list[str] | None = None) -> dict[str, Any]:
    """An HTTP API payload 2.0 event; a dict body is sent as JSON, a str body as is."""
    from urllib.parse import urlencode

    headers = {k.lower(): v for k, v in (headers or {}).items()}
    if isinstance(body, dict):
        import json

        body = json.dumps(body)
        headers.setdefault("content-type", "application/json")
    raw_query = urlencode(query or {})
    return {
        "version": "2.0", "routeKey": f"{method} {path}", "rawPath": path, "rawQueryString": raw_query,
        "cookies": list(cookies or []), "headers": headers,
        "queryStringParameters": dict(query or {}) or None,
        "requestContext": {"http": {"method": method, "path": path, "protocol": "HTTP/1.1",
                                    "sourceIp": "127.0.0.1", "userAgent": "test"},
                           "requestId": "req", "routeKey": f"{method} {path}", "stage": "$default",
                           "accountId": "123456789012", "apiId": "api", "domainName": "localhost",
                           "domainPrefix": "localhost", "time": "01/Jan/2026:00:00:00 +0000",
                           "timeEpoch": 0},
        "body": body, "isBase64Encoded": False,
    }


def load_handler(function: str) -> Any:
    """functions/<function>/app.py as a module (every handler file is named app.py)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "functions" / function / "app.py"
    spec = importlib.util.spec_from_file_location(f"offstage_function_{function}", path)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
