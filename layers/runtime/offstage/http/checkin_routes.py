"""POST /checkin: the page's periodic check-in (form-encoded like docassemble's, or JSON)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

from offstage.app.checkin import checkin
from offstage.errors import SessionNotFound, Unauthorized
from offstage.http import cookies, request
from offstage.http.context import browser_user, interview_param
from offstage.http.observability import correlate, keep_out_of_logs
from offstage.http.responses import json_response
from offstage.http.wiring import get_deps


def register(app: APIGatewayHttpResolver) -> None:
    @app.post("/checkin")
    def check_in() -> Response[Any]:
        event = app.current_event.raw_event
        p = request.body(event).merged(request.query(event))
        given = request.session_secret(event, p)
        keep_out_of_logs(given)  # also when it came in the body
        p = p.replaced("secret", given)
        deps = get_deps()
        name, _ = interview_param(p, deps)
        sid, secret = session_of(event, p, name)
        correlate(session_id=sid)
        parameters = request.json_param(p, "parameters", dict, "parameters") or {}
        reply = checkin(deps, sid, secret, request.text_param(p, "do_action"), parameters,
                        p.get("checkinCode", p.get("checkin_code")), interview_name=name, user=browser_user())
        from offstage.web.security import safe_checkin_reply

        return json_response(safe_checkin_reply(reply))  # its HTML goes into the page: sanitized


def session_of(event: dict[str, Any], p: request.Params, name: str) -> tuple[str, str | None]:
    """The session from the interview's cookie (CSRF token checked), or given explicitly with its secret."""
    explicit = request.session_id_param(p)
    if explicit:  # no cookie: whoever names the session must hold its secret (checked by loading it)
        secret = request.text_param(p, "secret")
        get_deps().sessions.load(explicit, secret=secret)
        return explicit, secret
    current = cookies.read(event, name)
    if current is None:
        raise SessionNotFound("There is no session of this interview in this browser.")
    if p.get("csrf_token") != current.csrf:
        raise Unauthorized("The check-in did not come from this site's page.")
    return current.session_id, current.secret
