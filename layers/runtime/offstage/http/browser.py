"""Browser routes: the list of interviews, the static files, GET/POST /interview, and a session's files
(GET /interview/file)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

from offstage.app import sessions
from offstage.app.screen import ScreenRequest, run_action, screen
from offstage.errors import OffstageError, SessionNotFound, Unauthorized, WrongSecret
from offstage.http import cookies, direct_uploads, request
from offstage.http.auth import require_api_key
from offstage.http.context import browser_user, interview_param
from offstage.http.observability import correlate, keep_out_of_logs
from offstage.http.present import present_page
from offstage.http.responses import html_response, redirect
from offstage.http.wiring import get_deps
from offstage.web import static

FRESH_START = ("reset", "new_session")
# Fetch Metadata: where the navigation that brought a GET came from, as the browser tells it
# (absent in old browsers and API tools, which run as before)
OTHER_SITES = ("cross-site", "same-site")
RESERVED_QUERY = {"i", "reset", "new_session", "session", "action", "cache", "json", "from_list", "exit",
                  "forget_prior", "read_only"}


def register(app: APIGatewayHttpResolver) -> None:
    @app.get("/")
    def index() -> Response[Any]:
        from offstage.web.page import render_index

        return html_response(render_index(get_deps().interviews.list()))

    @app.get("/static/<name>")
    def static_file(name: str) -> Response[Any]:
        found = static.lookup(name)
        if found is None:
            raise_not_found(name)
        content, content_type, current = found  # type: ignore[misc]
        # the hash in the name is the content's: cached for a year; an old or no hash: checked each time
        cache = "public, max-age=31536000, immutable" if current else "no-cache"
        text = not content_type.startswith("font/")  # a font is binary (sent base64) and compressed already
        return Response(status_code=200, content_type=content_type, body=content.decode("utf-8") if text else content,
                        compress=text, headers={"Cache-Control": cache, "X-Content-Type-Options": "nosniff"})

    @app.get("/interview")
    def show() -> Response[Any]:
        return interview_get(request.query(app.current_event.raw_event), app.current_event.raw_event)

    @app.get("/interview/variables")
    def variables() -> Response[Any]:
        return interview_variables(request.query(app.current_event.raw_event), app.current_event.raw_event)

    @app.get("/interview/file")
    def session_file() -> Response[Any]:
        event = app.current_event.raw_event
        return file_download(request.query(event), event)

    @app.post("/interview")
    def answer() -> Response[Any]:
        event = app.current_event.raw_event
        return interview_post(request.query(event), request.body(event), event)


class FileNotFound(OffstageError):
    status = 404
    code = "not_found"


FILE_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
# shown in the browser (the rest always download): types a browser never runs as a page of our site
INLINE_TYPES = {"application/pdf", "text/plain", "text/markdown", "image/png", "image/jpeg", "image/gif"}
NO_SUCH_FILE = "There is no such file in your session."


def file_download(q: request.Params, event: dict[str, Any]) -> Response[Any]:
    """A file of the caller's own session: the browser's cookie for the interview, or (with `session`)
    the API key and the session's secret. Anything else is a 404, never a hint that the file exists."""
    from offstage.app.evaluation import load
    from offstage.documents.sealed import unseal_file
    from offstage.errors import AnswersCorrupt

    deps = get_deps()
    name, _ = interview_param(q, deps)
    file_id = q.get("file") or ""
    if not FILE_ID.fullmatch(file_id) or deps.ports.files is None:
        raise FileNotFound(NO_SUCH_FILE)
    if q.get("session"):
        require_api_key(event, deps.api_keys)
        session_id, secret = request.session_id_param(q), request.session_secret(event, q)
        keep_out_of_logs(secret)
    else:
        current = cookies.read(event, name)
        if current is None:
            raise FileNotFound(NO_SUCH_FILE)
        session_id, secret = current.session_id, current.secret
    if not session_id or not FILE_ID.fullmatch(session_id):
        raise FileNotFound(NO_SUCH_FILE)
    correlate(session_id=session_id)
    key = f"{session_id}/{file_id}"  # both parts checked: never a path taken from the request
    try:
        load(deps, session_id, secret, name)  # the session opens with this caller's secret: it is theirs
        stored = unseal_file(key, deps.ports.files.get(key), secret=secret)
    except (SessionNotFound, WrongSecret, AnswersCorrupt, FileNotFoundError):
        raise FileNotFound(NO_SUCH_FILE) from None
    inline = stored.content_type.split(";")[0].strip().lower() in INLINE_TYPES and not q.get("download")
    return Response(status_code=200, content_type=stored.content_type, body=stored.data,
                    headers={"Content-Disposition": content_disposition(download_name(q, stored.filename), inline),
                             "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store",
                             "X-Frame-Options": "SAMEORIGIN", "Referrer-Policy": "same-origin"})


def download_name(q: request.Params, stored: str) -> str:
    """The name in the link (DAFile.url_for puts the file's current name there) when it keeps the
    stored file's extension, so a crafted link can rename a download but never change its type."""
    asked = str(q.get("filename") or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
    same_type = asked.rpartition(".")[2].lower() == stored.rpartition(".")[2].lower()
    return asked if asked and "." in asked and same_type else stored


def content_disposition(filename: str, inline: bool) -> str:
    """RFC 6266: an ASCII name for old clients and the UTF-8 name (RFC 5987) for the rest."""
    from urllib.parse import quote

    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", filename) or "file"
    return f"{'inline' if inline else 'attachment'}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


class StaticNotFound(OffstageError):
    status = 404
    code = "not_found"


def raise_not_found(name: str) -> None:
    raise StaticNotFound(f"There is no static file {name!r}.")


def decode_action(value: str | None) -> tuple[str | None, dict[str, Any]]:
    """url_action()'s `action` parameter (the engine owns its encoding)."""
    if not value:
        return None, {}
    from offstage.engine.actions import decode_action as decode

    action, arguments = decode(value)
    request.check_json([action, arguments], "action in the link")  # lone surrogates, depth
    return action, arguments


def start(deps: Any, name: str, q: request.Params) -> cookies.BrowserSession:
    url_args = {k: q.get(k) for k in q.names() if k not in RESERVED_QUERY}
    record, secret = sessions.new_session(deps, name, url_args=url_args)
    return cookies.BrowserSession.fresh(record.session_id, secret)


def interview_get(q: request.Params, event: dict[str, Any]) -> Response[Any]:
    deps = get_deps()
    name, interview = interview_param(q, deps)
    from_elsewhere = request.header(event, "sec-fetch-site") in OTHER_SITES
    if q.get("action") and from_elsewhere:
        return confirm_action(interview, q)
    current = cookies.read(event, name)
    if q.get("exit"):
        return exit_interview(deps, interview, name, current, q, from_elsewhere)
    explicit = q.get("session")
    if explicit and (current is None or current.session_id != explicit):
        raise Unauthorized("This browser cannot open that session: its key is not here.")
    fresh_start = any(q.get(k) for k in FRESH_START) and not explicit
    if fresh_start and current is not None and from_elsewhere:
        return confirm_action(interview, q, resume=True)  # another site would drop the visitor's answers
    if current is None or fresh_start:
        current = start(deps, name, q)
    if fresh_start:
        # as docassemble does: the new session's page is at the URL without `reset`, so that reloading
        # it shows the page again instead of starting yet another session
        kept = [(k, v) for k in q.names() if k not in FRESH_START for v in q.getlist(k)]
        return redirect("/interview?" + urlencode(kept), cookies=[cookies.make(name, current)])
    action, arguments = decode_action(q.get("action"))
    correlate(session_id=current.session_id)
    if action and q.get("read_only") == "1":  # action_call(..., readOnly): run on the answers, save nothing
        outcome = run_action(deps, current.session_id, current.secret, name, action, arguments, browser_user(),
                             read_only=True)
        return present_page(deps, name, interview, current, outcome)
    try:
        outcome = screen(deps, ScreenRequest(current.session_id, current.secret, name, action=action, arguments=arguments,
                         user=browser_user(), forget_prior=bool(action) and q.get("forget_prior") == "1"))
    except (SessionNotFound, WrongSecret):
        if explicit:
            raise
        current = start(deps, name, q)  # the cookie names a session that expired: begin again
        outcome = screen(deps, ScreenRequest(current.session_id, current.secret, name, user=browser_user()))
    return present_page(deps, name, interview, current, outcome)


def exit_interview(deps: Any, interview: Any, name: str, current: cookies.BrowserSession | None,
                   q: request.Params, from_elsewhere: bool) -> Response[Any]:
    """The menu's Exit: the session's answers are deleted and the browser forgets it, as docassemble's
    exit does; a link from another site asks first."""
    if current is None:
        return redirect("/")
    if from_elsewhere:
        return confirm_action(interview, q)
    correlate(session_id=current.session_id)
    leave_to = exit_address(deps, interview, current, name)
    sessions.delete(deps, current.session_id)
    return redirect(leave_to, cookies=[cookies.make(name, None)])


def exit_address(deps: Any, interview: Any, current: cookies.BrowserSession, name: str) -> str:
    """Where Exit goes: the `exit url` set_parts() kept or the metadata's, else the list of interviews
    (a web address only: never javascript: nor another scheme)."""
    from offstage.app.evaluation import load

    url = (getattr(interview, "metadata", None) or {}).get("exit url")
    try:
        record = load(deps, current.session_id, current.secret, name)
        url = ((record.answers.get("_internal") or {}).get("parts") or {}).get("exit url") or url
    except OffstageError:
        pass  # the session is gone or not readable: the interview's own address, if any
    text = str(url or "").strip()
    web = text.lower().startswith(("https://", "http://")) or (text.startswith("/") and not text.startswith("//"))
    return text if web else "/"


def interview_variables(q: request.Params, event: dict[str, Any]) -> Response[Any]:
    """get_interview_variables() of the page: the answers of this browser's own session, as docassemble's
    JavaScript function receives them."""
    from offstage.app.evaluation import load
    from offstage.http.responses import json_response

    deps = get_deps()
    name, _ = interview_param(q, deps)
    current = cookies.read(event, name)
    if current is None:
        raise SessionNotFound("This browser has no session of that interview.")
    correlate(session_id=current.session_id)
    record = load(deps, current.session_id, current.secret, name)
    from offstage.engine.functions import variable_access_allowed

    if not variable_access_allowed(record.answers):
        return json_response({"success": False, "error": "Access to variables is not allowed: the interview "
                              "turned it off with set_status(variable_access=False)."}, 403)
    return json_response({"success": True, "variables": sessions.variables(deps, current.session_id, current.secret, name),
                          "i": name, "uid": current.session_id, "encrypted": True, "steps": record.steps})


def confirm_action(interview: Any, q: request.Params, resume: bool = False) -> Response[Any]:
    """A link followed from another site that would run a url_action() or start over the session this
    browser holds does not: the visitor is asked on our own page (a click there is same-origin), so
    another site cannot change a session through the visitor's browser."""
    from offstage.web.page import render_action_confirmation

    pairs = [(k, v) for k in q.names() for v in q.getlist(k)]
    same_link = "/interview?" + urlencode(pairs)
    resume_url = "/interview?" + urlencode([(k, v) for k, v in pairs if k not in FRESH_START]) if resume else None
    return html_response(render_action_confirmation(getattr(interview, "title", "") or "", same_link,
                                                    resume_url=resume_url))


def posted_answers(form: request.Params) -> dict[str, Any]:
    """Field values by variable name; checkbox groups (listed in _checkboxes) as lists of the values ticked."""
    groups = set(form.getlist("_checkboxes"))
    answers: dict[str, Any] = {}
    for key in form.names():
        if key.startswith("_"):
            continue
        values = form.getlist(key)
        has_files = any(not isinstance(v, str) for v in values)  # a file input's uploads (multipart)
        answers[key] = list(values) if key in groups or has_files else form.get(key)
    for group in groups - set(answers):
        answers[group] = []
    return answers


def interview_post(q: request.Params, form: request.Params, event: dict[str, Any]) -> Response[Any]:
    deps = get_deps()
    name, interview = interview_param(q, deps)
    current = cookies.read(event, name)
    if current is None:
        raise SessionNotFound("Your session has ended or cookies are blocked. Start the interview again.")
    if form.get("_csrf") != current.csrf:
        raise Unauthorized("This form has expired or did not come from this site. Reload the page and try again.")
    correlate(session_id=current.session_id)
    if form.get("_back"):
        sessions.back(deps, current.session_id, current.secret, name)
        outcome = screen(deps, ScreenRequest(current.session_id, current.secret, name, user=browser_user(), new_step=False))
        return present_page(deps, name, interview, current, outcome)
    answers = posted_answers(form)
    answers.update(direct_uploads.taken(form, current))  # files the page sent straight to S3
    event_list = request.json_param(form, "_event_list", list, "event list")
    # a Continue with no fields (field: x, a settrue screen) still answers the question it names
    posted = answers if answers or form.get("_question") else None
    outcome = screen(deps, ScreenRequest(current.session_id, current.secret, name, posted=posted,
                     question_id=request.text_param(form, "_question"), button=request.text_param(form, "_button"),
                     event_list=event_list, user=browser_user()))
    return present_page(deps, name, interview, current, outcome, posted=without_files(answers))


def without_files(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers to show again after a refusal: files cannot be put back into a file input."""
    return {key: value for key, value in answers.items()
            if not isinstance(value, list) or all(isinstance(item, str) for item in value)}
