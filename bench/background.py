"""Background actions on the local stack: worker throughput (split into load, run, save), the end-to-end
round trip of background_action.yml, and the time from a task finishing to the page showing it.

Everything runs in this process (the local stack invokes the handlers in-process), so the moment a task
finishes can be taken straight from the task store, and the browser's view from Chromium.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from timing import CORPUS

EX = "docassemble.base:data/questions/examples/"


def _timed(target: Any, name: str, bucket: list[float]) -> None:
    original = getattr(target, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            bucket.append(time.perf_counter() - t)

    setattr(target, name, wrapper)


def worker_throughput(n: int = 30) -> dict[str, float]:
    """Tasks per second of one worker process, and the per-task split: load, run, save."""
    from offstage.app.background import process_task
    from offstage.app.screen import ScreenRequest, screen
    from offstage.app.sessions import new_session
    from offstage.http.wiring import get_deps
    from offstage.local.stack import LocalStack

    with LocalStack(interviews=[CORPUS], with_http=False, with_poller=False):
        deps = get_deps()
        name = EX + "background_action.yml"
        sent: list[Any] = []
        real_send = deps.ports.queue.send
        deps.ports.queue.send = sent.append  # collect the tasks; this loop plays the worker
        for _ in range(n):
            record, secret = new_session(deps, name)
            screen(deps, ScreenRequest(record.session_id, secret, name))
            screen(deps, ScreenRequest(record.session_id, secret, name, posted={"value_to_add": "2"},
                   question_id=_question_id(deps, record.session_id, secret, name)))
        deps.ports.queue.send = real_send
        load: list[float] = []
        save: list[float] = []
        _timed(deps.sessions, "load", load)
        _timed(deps.ports.tasks, "finish", save)
        _timed(deps.ports.tasks, "start", save)
        t = time.perf_counter()
        for task in sent:
            process_task(deps, task)
        total = time.perf_counter() - t
    count = max(1, len(sent))
    per = total / count * 1000
    load_ms, save_ms = sum(load) / count * 1000, sum(save) / count * 1000
    return {"tasks": float(len(sent)), "tasks_per_second": count / total, "per_task_ms": per,
            "load_ms": load_ms, "save_ms": save_ms, "run_ms": per - load_ms - save_ms}


def _question_id(deps: Any, session_id: str, secret: str, name: str) -> str | None:
    from offstage.app.screen import ScreenRequest, screen

    result = screen(deps, ScreenRequest(session_id, secret, name))
    result = result[0] if isinstance(result, tuple) else result
    shown = getattr(result, "screen", None)
    return getattr(shown, "block_id", None)


def round_trip(n: int = 5) -> dict[str, float]:
    """POST the answer, then ask for the question until the task's answer shows (JSON API, real queue)."""
    import json
    import urllib.request

    from offstage.local.stack import LocalStack

    def call(stack: Any, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(stack.url + path, data=data, method="POST" if body else "GET",  # noqa: S310 - the URL of the local stack this bench started
                                     headers={"X-API-Key": stack.api_key, "Content-Type": "application/json"})
        with urllib.request.urlopen(req) as r:  # noqa: S310 - the URL of the local stack this bench started
            return json.loads(r.read() or b"{}")

    times = []
    with LocalStack(interviews=[CORPUS]) as stack:
        for _ in range(n):
            s = call(stack, f"/api/session/new?i={EX}background_action.yml")
            q = f"/api/session/question?i={s['i']}&session={s['session']}&secret={s['secret']}"
            call(stack, q)
            t = time.perf_counter()
            call(stack, "/api/session", {"i": s["i"], "session": s["session"], "secret": s["secret"],
                                         "variables": {"value_to_add": 2}})
            while "The answer is 555." not in json.dumps(call(stack, q)):
                time.sleep(0.02)
            times.append(time.perf_counter() - t)
    return {"round_trip_p50_ms": statistics.median(times) * 1000, "round_trip_max_ms": max(times) * 1000}


def notification_latency(n: int = 5) -> dict[str, float]:
    """From the task's result being stored to the page showing its flash (Chromium, the page's check-ins)."""
    from offstage.aws.tasks import DynamoTaskStore
    from offstage.local.stack import LocalStack
    from playwright.sync_api import sync_playwright

    finished: list[float] = []
    original: Callable[..., bool] = DynamoTaskStore.finish

    def finish(self: Any, *args: Any, **kwargs: Any) -> bool:
        stored = original(self, *args, **kwargs)
        if stored:
            finished.append(time.perf_counter())
        return stored

    DynamoTaskStore.finish = finish  # type: ignore[method-assign]
    latencies = []
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"]
    try:
        with LocalStack(interviews=[CORPUS]) as stack, sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
            for _ in range(n):
                page = browser.new_context().new_page()
                page.goto(f"{stack.url}/interview?i={EX}background_action_flash.yml&reset=2")
                page.fill("xpath=//label[text()='Number']/following::input[1]", "2")
                before = len(finished)
                page.click("xpath=//button[normalize-space(.)='Continue']")
                page.wait_for_function("() => document.body.innerText.includes('The answer is 555.')",
                                       polling=20, timeout=30_000)
                shown = time.perf_counter()
                if len(finished) > before:
                    latencies.append(shown - finished[before])
                page.context.close()
            browser.close()
    finally:
        DynamoTaskStore.finish = original  # type: ignore[method-assign]
    if not latencies:
        return {}
    return {"finish_to_page_p50_ms": statistics.median(latencies) * 1000,
            "finish_to_page_max_ms": max(latencies) * 1000}
