"""The JSON API, shaped like docassemble's /api/session* endpoints (API key required, see resolver)."""

from __future__ import annotations

from typing import Any, cast

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

from offstage.answers.jsonsafe import json_safe
from offstage.app import sessions
from offstage.app.screen import ScreenRequest, run_action, screen
from offstage.errors import BadRequest
from offstage.http import request
from offstage.http.context import api_user, interview_param
from offstage.http.observability import correlate, keep_out_of_logs
from offstage.http.present import file_response, screen_dict
from offstage.http.responses import debug_errors, empty, json_response
from offstage.http.wiring import get_deps

SESSION_NEW_PARAMS = {"i", "secret", "key"}


def list_interviews(p: request.Params) -> Response[Any]:  # noqa: ARG001 - every route takes the request's parameters
    items = [{"filename": n, "title": t, "link": f"/interview?i={n}"} for n, t in get_deps().interviews.list()]
    return json_response(items)


def new(p: request.Params) -> Response[Any]:
    deps = get_deps()
    name, _ = interview_param(p, deps)
    url_args = {k: p.get(k) for k in p.names() if k not in SESSION_NEW_PARAMS}
    chosen = request.text_param(p, "secret")
    record, secret = sessions.new_session(deps, name, secret=chosen, url_args=url_args)
    # docassemble assembles the new interview: its initial blocks run (and what the first screen needs),
    # so the client's first POST finds them done; an interview error shows at the first question instead
    screen(deps, ScreenRequest(record.session_id, secret, name, user=api_user(), interface="api",
                               raw_values=False, new_step=False))
    reply: dict[str, Any] = {"i": name, "session": record.session_id, "encrypted": secret is not None}
    if secret is not None and not chosen:
        reply["secret"] = secret
    return json_response(reply)


def question(p: request.Params) -> Response[Any]:
    deps, name, sid, secret = session_params(p)
    return question_reply(screen(deps, ScreenRequest(sid, secret, name, user=api_user(), interface="api", raw_values=False)))


def get_variables(p: request.Params) -> Response[Any]:
    deps, name, sid, secret = session_params(p)
    return json_response(sessions.variables(deps, sid, secret, name))


def set_variables(p: request.Params) -> Response[Any]:
    deps, name, sid, secret = session_params(p)
    variables = request.json_param(p, "variables", dict, "variables") or {}
    variables.update(uploaded(p))  # a multipart POST's files, as docassemble's API takes them
    variables.update(sent_to_s3(p, sid, secret))  # big files the client sent straight to S3
    event_list = request.json_param(p, "event_list", list, "event list")
    question_name = request.text_param(p, "question_name")
    # no variables but a question named: that question is answered as it is (an event's Continue)
    outcome = screen(deps, ScreenRequest(sid, secret, name, posted=variables if variables or question_name else None,
                     question_id=question_name,
                     user=api_user(), interface="api", event_list=event_list, raw_values=False,
                     new_step=str(p.get("overwrite", "0")) != "1"))
    if outcome.result.validation_errors:
        return json_response({"errors": outcome.result.validation_errors}, 400)
    return empty() if str(p.get("question", "1")) == "0" else question_reply(outcome)


def uploaded(p: request.Params) -> dict[str, Any]:
    """Files sent with the request by variable: the upload's own name, or the variable `file_variables`
    maps it to (docassemble's `{"upload name": "user.relative['aunt']"}`)."""
    from offstage.documents.uploads import Upload  # loaded by a request that sends files, not at import

    names = request.json_param(p, "file_variables", dict, "file variables") or {}
    found: dict[str, Any] = {}
    for name in p.names():
        files = [v for v in p.getlist(name) if isinstance(v, Upload)]
        if not files:
            continue
        target = names.get(name, name)
        if not isinstance(target, str):
            raise BadRequest(f"Malformed file variable: file_variables maps {name!r} to something that is not a name.")
        found[target] = files
    return found


def sent_to_s3(p: request.Params, session_id: str, secret: str | None) -> dict[str, Any]:
    """`uploads`: [{"field", "key", "filename"}] of files sent to S3 with /api/session/upload's forms."""
    references = request.json_param(p, "uploads", list, "uploads")
    if not references:
        return {}
    from offstage.http import direct_uploads

    return dict(direct_uploads.read_uploads(references, session_id, direct_uploads.api_binder(secret)))


def upload_form(p: request.Params) -> Response[Any]:
    """A presigned POST for one big file of a variable of the session (docassemble has none: its API
    takes every file in the request, which Lambda's payload limit stops at about 4 MB)."""
    from offstage.app.evaluation import load
    from offstage.http import direct_uploads

    deps, name, sid, secret = session_params(p)
    load(deps, sid, secret, name)  # a real session, opened with its secret
    return json_response(direct_uploads.signed_form(deps, p, sid, direct_uploads.api_binder(secret)))


def delete(p: request.Params) -> Response[Any]:
    deps, _name, sid, _ = session_params(p, need_secret=False)
    sessions.delete(deps, sid)
    return empty()


def action(p: request.Params) -> Response[Any]:
    deps, name, sid, secret = session_params(p)
    action_name = request.text_param(p, "action")
    if not action_name:
        raise BadRequest("Parameters i, session, and action are required")
    arguments = request.json_param(p, "arguments", dict, "arguments") or {}
    outcome = run_action(deps, sid, secret, name, action_name, arguments, api_user(),
                         persistent=str(p.get("persistent", "0")) == "1",
                         read_only=str(p.get("read_only", "0")) == "1")
    from offstage.engine.step import BackgroundValue, Response

    match outcome.result:
        case Response(response=response) if response is not None:
            return file_response(response, [])
        case BackgroundValue(value=value):
            return json_response(json_safe(value))
        case _:
            return empty()


def go_back(p: request.Params) -> Response[Any]:
    deps, name, sid, secret = session_params(p)
    sessions.back(deps, sid, secret, name)
    if str(p.get("question", "1")) == "0":
        return empty()
    return question_reply(screen(deps, ScreenRequest(sid, secret, name, user=api_user(), interface="api",
                                 raw_values=False, new_step=False)))


ROUTES = [
    ("GET", "/api/interviews", list_interviews),
    ("GET", "/api/session/new", new),
    ("GET", "/api/session/question", question),
    ("GET", "/api/session", get_variables),
    ("POST", "/api/session", set_variables),
    ("DELETE", "/api/session", delete),
    ("POST", "/api/session/action", action),
    ("POST", "/api/session/back", go_back),
    ("POST", "/api/session/upload", upload_form),
]


def register(app: APIGatewayHttpResolver) -> None:
    """One route per endpoint; each reads its parameters (query, plus the body for POST/DELETE)."""
    for method, path, handler in ROUTES:
        app.route(path, method)(bind(app, handler, with_body=method != "GET"))


def bind(app: APIGatewayHttpResolver, handler: Any, *, with_body: bool) -> Any:
    def route() -> Response[Any]:
        event = app.current_event.raw_event
        q = request.query(event)
        p = request.body(event).merged(q) if with_body else q
        secret = request.session_secret(event, p)
        keep_out_of_logs(secret)  # also when it came in the body
        return cast("Response[Any]", handler(p.replaced("secret", secret)))

    route.__name__ = handler.__name__
    return route


def session_params(p: request.Params, need_secret: bool = True) -> tuple[Any, str, str, str | None]:
    deps = get_deps()
    sid = request.session_id_param(p)
    if not p.get("i") or not sid:
        raise BadRequest("Parameters i and session are required")
    name, _ = interview_param(p, deps)
    correlate(session_id=sid)
    secret = request.text_param(p, "secret")
    return deps, name, sid, secret if need_secret else None


def question_reply(outcome: Any) -> Response[Any]:
    """The current question as docassemble's API shows it; other outcomes by their kind."""
    result = outcome.result
    if result.validation_errors:
        return json_response({"errors": result.validation_errors}, 400)
    from offstage.engine.step import BackgroundValue, CommandStep, Message, Question, Response, StepError

    match result:
        case StepError():  # docassemble: 400 "Failure to assemble interview"
            error = public_error(result.error)
            return json_response({"error": "interview_error", "message": f"Failure to assemble interview: "
                                  f"{error.get('message', '')}", "details": error}, 400)
        case Question(screen=shown) | Message(screen=shown) if shown is not None:
            data = screen_dict(shown)
            data["can_go_back"] = bool(data.get("can_go_back", True)) and sessions.back_allowed(outcome.record)
            return json_response(data)
        case Response():
            content = getattr(result.response, "content", result.value)
            return json_response({"questionType": "response", "response": json_safe(content)})
        case CommandStep():
            return json_response({"questionType": result.command, "url": result.command_url})
        case BackgroundValue():
            return json_response({"questionType": "backgroundresponse", "value": json_safe(result.value)})
        case _:  # a template, a callback: nothing the API shows
            return json_response({"questionType": result.kind, "variable": None, "error": None})


def public_error(error: Any) -> dict[str, Any]:
    """An interview error as the API shows it: the traceback (server paths) only with OFFSTAGE_DEBUG."""
    shown = json_safe(error or {})
    if isinstance(shown, dict) and not debug_errors():
        shown.pop("trace", None)
    return shown if isinstance(shown, dict) else {"message": str(shown)}
