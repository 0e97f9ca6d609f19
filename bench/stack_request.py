"""Warm in-process time of a screen request against the local stack, split into its parts."""

from __future__ import annotations

import json
import sys

from timing import CORPUS, REPO, median_ms

sys.path.insert(0, str(REPO / "tests"))


def screen_request(n: int = 30) -> dict[str, float]:
    from fakes import http_event
    from offstage.engine import run_step
    from offstage.engine.step import StepRequest
    from offstage.local.stack import LocalStack
    from offstage.web.page import PageContext, render_question_page

    name = "docassemble.base:data/questions/examples/under.yml"
    with LocalStack(interviews=[CORPUS], with_http=False, with_poller=False) as stack:
        new = json.loads(stack.invoke("ScreenFunction", http_event(
            "GET", "/api/session/new", {"i": name}, headers={"x-api-key": stack.api_key}))["body"])
        query = {"i": name, "session": new["session"], "secret": new["secret"]}
        event = http_event("GET", "/api/session/question", query, headers={"x-api-key": stack.api_key})
        whole = median_ms(lambda: stack.invoke("ScreenFunction", event), n)
        page_event = http_event("GET", "/interview", {"i": name})
        first = stack.invoke("ScreenFunction", page_event)
        cookies = [c.split(";")[0] for c in first.get("cookies", [])]
        page = median_ms(lambda: stack.invoke("ScreenFunction", http_event("GET", "/interview", {"i": name},
                                                                             cookies=cookies)), n)
        from offstage.http.wiring import get_deps

        deps = get_deps()
        interview = deps.interviews.get(name)
        record = deps.sessions.load(new["session"], secret=new["secret"])
        request = StepRequest(session_id=new["session"], interview_name=name)
        engine = median_ms(lambda: run_step(interview, dict(record.answers), request, deps.ports), n)

        def storage() -> None:
            r = deps.sessions.load(new["session"], secret=new["secret"])
            deps.sessions.save(r, r.answers, secret=new["secret"], new_step=False)

        store = median_ms(storage, n)
        screen = run_step(interview, dict(record.answers), request, deps.ports).screen.to_json()
        ctx = PageContext(interview=name, action_url="/interview")
        render = median_ms(lambda: render_question_page(screen, ctx), n)
    return {"api_question_ms": whole, "html_page_ms": page, "engine_ms": engine,
            "storage_load_save_ms": store, "render_ms": render}
