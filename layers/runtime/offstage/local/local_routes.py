"""The local stack's own pages under /_local/ (never part of the deployed API):

- GET /_local/outbox (HTML) and /_local/outbox.json: every e-mail sent since the stack started;
- POST /_local/cron {"type": "cron_daily", "at": ISO time}: fire one tick and wait for its runs.
"""

from __future__ import annotations

import json
from typing import Any

JSON = [("Content-Type", "application/json")]


def _json(status: int, data: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    return status, JSON, json.dumps(data, default=str).encode()


def answer(stack: Any, method: str, path: str, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
    from offstage.local import outbox

    if path == "/_local/outbox.json" and method in ("GET", "HEAD"):
        return _json(200, {"messages": outbox.messages()})
    if path == "/_local/outbox" and method in ("GET", "HEAD"):
        page = outbox.page(outbox.messages())
        return 200, [("Content-Type", "text/html; charset=utf-8"),
                     ("Content-Security-Policy", "default-src 'none'")], page.encode()
    if path == "/_local/cron":
        if method != "POST":
            return _json(405, {"message": "POST a JSON object {\"type\": \"cron_daily\", \"at\": ISO time}"})
        return _cron(stack, body)
    return _json(404, {"message": f"no local page {path}; there are /_local/outbox(.json) and /_local/cron"})


def _cron(stack: Any, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
    from offstage.app.cron import BadTick, parse_tick

    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return _json(400, {"message": "the body must be JSON such as {\"type\": \"cron_daily\"}"})
    if not isinstance(data, dict):
        return _json(400, {"message": "the body must be a JSON object such as {\"type\": \"cron_daily\"}"})
    try:
        tick = parse_tick({"type": data.get("type"), "scheduled_time": data.get("at")})
    except BadTick as problem:
        return _json(400, {"message": str(problem)})
    return _json(200, stack.cron(tick.kind, tick.at))
