"""Turning a step's outcome into a browser response: a page, a redirect, a file, a wait page."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from aws_lambda_powertools.event_handler import Response

from offstage.answers.jsonsafe import json_safe
from offstage.app.checkin import pending_tasks
from offstage.app.sessions import back_allowed
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
                 posted: dict[str, Any] | None = None) -> Response[Any]:
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
            return command_response(name, result, keep)
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
    with_features(data, interview, name)
    data["can_go_back"] = bool(data.get("can_go_back", True)) and back_allowed(outcome.record)
    if data.get("questionType") == "error":
        return error_page(name, current, data, keep, answered=posted is not None,
                          error_help=error_help(interview))
    ctx = PageContext(interview=name, action_url=interview_url(name), csrf=current.csrf,
                      checkin_url="/checkin?" + urlencode({"i": name}),
                      checkin_interval_ms=checkin_interval_ms(deps, interview),
                      pending_tasks=pending_tasks(deps, current.session_id),
                      values=dict(posted or {}) if result.validation_errors else {},
                      errors=dict(result.validation_errors), interview_title=getattr(interview, "title", "") or "",
                      interview_help=interview_help(interview), help_labels=help_labels(interview),
                      menu=menu(name, getattr(outcome.record, "answers", {}).get("menu_items")),
                      variables_url="/interview/variables?" + urlencode({"i": name}),
                      question_back_button=bool((getattr(interview, "features", None) or {}).get("question back button")),
                      question_help_button=bool((getattr(interview, "features", None) or {}).get("question help button")))
    status = 400 if result.validation_errors else 200
    return html_response(render_question_page(data, ctx), status, cookies=keep)


def with_features(data: dict[str, Any], interview: Any, name: str) -> None:
    """`features: css` / `javascript` files (a package's static files, or web addresses) in the page's
    head and scripts, before the question's own; a file that cannot be found is the interview's error."""
    from html import escape

    from offstage.library.package_files import FileNotProvided
    from offstage.library.package_static import feature_urls

    try:
        urls = feature_urls(interview, name)
    except FileNotProvided as exc:
        from offstage.errors import InterviewInvalid

        raise InterviewInvalid(f"{getattr(interview, 'name', name)}: {exc}") from None
    links = "".join(f'<link rel="stylesheet" href="{escape(u)}">' for u in urls["css"])
    scripts = "".join(f'<script src="{escape(u)}"></script>' for u in urls["javascript"])
    if links:
        data["css"] = links + str(data.get("css") or "")
    if scripts:
        data["script"] = scripts + str(data.get("script") or "")


def menu(name: str, menu_items: Any) -> list[Any]:
    """The navbar's menu: the interview's `menu_items` (dicts of url and label, as `action_menu_item()`
    makes them), then docassemble's Exit and Restart. A link that is not http(s) or on this site is left out."""
    from urllib.parse import urlsplit

    from offstage.web.page import MenuItem

    items = []
    for item in menu_items if isinstance(menu_items, list) else []:
        url, label = (item.get("url"), item.get("label")) if isinstance(item, dict) else (None, None)
        if isinstance(url, str) and label and urlsplit(url).scheme in ("", "http", "https"):
            items.append(MenuItem(str(label), url))
    return [*items, MenuItem("Restart", interview_url(name, reset="1")), MenuItem("Exit", interview_url(name, exit="1"))]


def interview_help(interview: Any) -> str:
    """The interview's `interview help` (text, or a dict with heading and content) as HTML."""
    found = next((b.data["interview help"] for b in getattr(interview, "blocks", []) or []
                  if isinstance(getattr(b, "data", None), dict) and "interview help" in b.data), None)
    if not found:
        return ""
    from offstage.text import markdown_to_html

    if isinstance(found, dict):
        heading = f"### {found['heading']}\n\n" if found.get("heading") else ""
        return markdown_to_html(heading + str(found.get("content") or ""))
    return markdown_to_html(str(found))


def help_labels(interview: Any) -> tuple[str, str]:
    """(the `interview help` dict's `label`, the metadata's `help label`), as text ('' when not set)."""
    found = next((b.data["interview help"] for b in getattr(interview, "blocks", []) or []
                  if isinstance(getattr(b, "data", None), dict) and "interview help" in b.data), None)
    own = str(found.get("label") or "").strip() if isinstance(found, dict) else ""
    metadata = getattr(interview, "metadata", None) or {}
    return own, str(metadata.get("help label") or "").strip()


# what each kind of interview error says about the step (the status a client can act on)
ERROR_STATUS = {"TimeLimitExceeded": 503}
# errors whose message is written for the reader already (a time limit; a document that cannot be made names
# its template and the problem, never code or answers): shown as they are, in production too
TOLD_AS_WRITTEN = frozenset({"TimeLimitExceeded", "DocumentError"})
PLAIN_ERROR = ("The interview ran into a problem and cannot show this step. Your earlier answers are kept: "
               "go back, or start again.")


def error_help(interview: Any) -> str:
    """The metadata's `error help` (Markdown) as HTML: what the author tells users when something breaks."""
    found = (getattr(interview, "metadata", None) or {}).get("error help")
    if isinstance(found, dict):  # by language: offstage's screens are English, so English (or '*') first
        found = found.get("en") or found.get("*") or next(iter(found.values()), "")
    if not isinstance(found, str) or not found.strip():
        return ""
    from offstage.text import markdown_to_html

    return markdown_to_html(found)


def error_page(name: str, current: cookies.BrowserSession, data: dict[str, Any], keep: list[Any],
               answered: bool = False, error_help: str = "") -> Response[Any]:
    """An error in interview code: the author's error screen (block, file, line, message) with
    OFFSTAGE_DEBUG, a plain message and a reference id otherwise; the details go to the log with that id.

    Back returns to the question just answered when the answer caused the error (nothing of it was
    saved, so the question shows again), and otherwise to the step before."""
    import re
    import uuid

    from offstage.http.observability import logger
    from offstage.http.responses import debug_errors
    from offstage.web.page import ErrorDetails, render_error

    info = data.get("error") or {}
    kind = str(info.get("type") or "Error")
    status = ERROR_STATUS.get(kind, 500)
    reference = uuid.uuid4().hex[:16]
    logger.error("interview error", extra={"reference": reference, "interview": name, "error_type": kind,
                                           "block": info.get("block"), "problem": info.get("message"),
                                           "trace": info.get("trace")})
    details = None
    message = PLAIN_ERROR
    if kind in TOLD_AS_WRITTEN:
        message = str(info.get("message") or PLAIN_ERROR)
    if debug_errors():
        where = re.match(r"(?P<file>.+?), block (?P<block>.+?) at line (?P<line>\d+)$", str(info.get("block") or ""))
        details = ErrorDetails(message=f"{kind}: {info.get('message') or ''}",
                               block=where["block"] if where else info.get("block"),
                               file=where["file"] if where else None,
                               line=int(where["line"]) if where else None, trace=info.get("trace"))
    page = render_error(status, message, restart_url=interview_url(name, reset="1"),
                        back_url=interview_url(name) if answered or data.get("can_go_back") else None,
                        back_posts=not answered, csrf=current.csrf, reference=reference, details=details,
                        help_html=error_help if message == PLAIN_ERROR else "")
    return html_response(page, status, cookies=keep)


# The author's own `response()` content is sent as written (no CSP: it is the author's page), but it is
# never framed by another site nor read as another type than the one the author gave.
CONTENT_HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"}


def file_response(response: Any, keep: list[Any]) -> Response[Any]:
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


def command_response(name: str, result: Any, keep: list[Any]) -> Response[Any]:
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


def leave_for(url: str, keep: list[Any]) -> Response[Any]:
    """A redirect, or, to another site, a page that goes there: browsers hold a form post's redirect to
    the page's `form-action 'self'` policy, and the answer to a form post may send the visitor away."""
    from urllib.parse import urlsplit

    if not urlsplit(url).netloc and not url.startswith("//"):
        return redirect(url, cookies=keep)
    from offstage.web.page import render_leaving

    return html_response(render_leaving(url), cookies=keep)
