"""Turning a step's outcome into a browser response: a page, a redirect, a file, a wait page."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from aws_lambda_powertools.event_handler import Response

from offstage.answers.jsonsafe import json_safe
from offstage.app.checkin import pending_tasks
from offstage.http import cookies
from offstage.http.context import checkin_interval_ms
from offstage.http.responses import html_response, json_response, redirect

LEAVING = {"exit", "leave", "logout", "exit_logout", "signin"}
STARTING_OVER = {"restart", "new_session"}
STAYING = {"refresh", "continue"}


def interview_url(name: str, **extra: str) -> str:
    return "/interview?" + urlencode({"i": name, **extra})


def screen_dict(screen: Any) -> dict[str, Any]:
    if screen is None:
        return {}
    return screen.to_json() if hasattr(screen, "to_json") else dict(screen)


def present_page(deps: Any, name: str, interview: Any, current: cookies.BrowserSession, outcome: Any,
                 posted: dict[str, Any] | None = None) -> Response:
    result = outcome.result
    keep = [cookies.make(name, current)]
    from offstage.engine.step import (
        BackgroundCallback,
        BackgroundValue,
        CommandStep,
        Response,
        UndefinedVariable,
        screen_of,
    )

    match result:
        case Response():
            return file_response(result.response, keep)
        case CommandStep():
            return command_response(name, result, current, keep)
        case BackgroundValue():
            return json_response(json_safe(result.value), cookies=keep)
        case BackgroundCallback():
            return json_response(json_safe(result.action), cookies=keep)
    shown = screen_of(result)
    if shown is None:
        from offstage.errors import InterviewInvalid

        variable = result.variable if isinstance(result, UndefinedVariable) else None
        raise InterviewInvalid(f"The interview shows nothing here (it needs a question that defines "
                               f"{variable or 'the next variable'}).")
    from offstage.web.page import PageContext, render_question_page

    data = screen_dict(shown)
    data["can_go_back"] = bool(data.get("can_go_back", True)) and outcome.record.steps > 0
    ctx = PageContext(interview=name, action_url=interview_url(name), csrf=current.csrf,
                      checkin_url="/checkin?" + urlencode({"i": name}),
                      checkin_interval_ms=checkin_interval_ms(deps, interview),
                      pending_tasks=pending_tasks(deps, current.session_id),
                      values=dict(posted or {}) if result.validation_errors else {},
                      errors=dict(result.validation_errors), interview_title=getattr(interview, "title", "") or "")
    if data.get("questionType") == "error":
        data.setdefault("title", "Error")
    status = 400 if result.validation_errors else 200
    return html_response(render_question_page(data, ctx), status, cookies=keep)


# The author's own `response()` content is sent as written (no CSP: it is the author's page), but it is
# never framed by another site nor read as another type than the one the author gave.
CONTENT_HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"}


def file_response(response: Any, keep: list[Any]) -> Response:
    """`response(...)`: the content as given (text, binary, a redirect) with its status."""
    if response is None:
        return Response(status_code=204, body="", cookies=keep)
    if getattr(response, "url", None):
        return leave_for(response.url, keep)
    body: Any = response.binary if response.binary is not None else response.content
    if body is not None and not isinstance(body, str | bytes):
        body = json.dumps(json_safe(body))
    return Response(status_code=int(response.response_code or 200), content_type=response.content_type,
                    body=body if body is not None else "", cookies=keep,
                    headers={"Cache-Control": "no-store", **CONTENT_HEADERS})


def command_response(name: str, result: Any, current: cookies.BrowserSession, keep: list[Any]) -> Response:
    kind = result.command or "exit"
    if kind in LEAVING:
        clear = [cookies.make(name, None)] if kind != "leave" else keep
        return leave_for(result.command_url or "/", clear)
    if kind in STARTING_OVER:
        return redirect(interview_url(name, reset="1"), cookies=[cookies.make(name, None)])
    if kind == "wait":
        from offstage.web.page import render_wait

        return html_response(render_wait("Please wait…", result.sleep or 4, interview_url(name)), cookies=keep)
    return redirect(interview_url(name), cookies=keep)


def leave_for(url: str, keep: list[Any]) -> Response:
    """A redirect, or, to another site, a page that goes there: browsers hold a form post's redirect to
    the page's `form-action 'self'` policy, and the answer to a form post may send the visitor away."""
    from urllib.parse import urlsplit

    if not urlsplit(url).netloc and not url.startswith("//"):
        return redirect(url, cookies=keep)
    from offstage.web.page import render_leaving

    return html_response(render_leaving(url), cookies=keep)
