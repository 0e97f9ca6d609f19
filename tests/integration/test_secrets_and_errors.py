"""Secrets stay out of logs and URLs; error replies name a reference, never a traceback or a server path."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

import pytest

from tests.conftest import reread_settings

EX = "docassemble.base:data/questions/examples/"
UNDER = EX + "under.yml"


@pytest.fixture(scope="module")
def stack(corpus, tmp_path_factory):
    from offstage.local.stack import LocalStack

    extra = tmp_path_factory.mktemp("interviews")
    (extra / "fails.yml").write_text("mandatory: True\ncode: |\n  1 / 0\n---\nquestion: never\n")
    with LocalStack(interviews=[corpus, extra], with_poller=False) as running:
        yield running


class Lines(logging.Handler):
    """Every log line of the functions, formatted as they are written (JSON with the appended keys)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        from offstage.http.observability import logger

        self.lines.append(logger.registered_formatter.format(record))


@pytest.fixture
def logs(capsys):
    from offstage.http.observability import logger

    handler = Lines()
    logger.addHandler(handler)
    try:
        yield lambda: "\n".join([*handler.lines, capsys.readouterr().err])  # + the local access log
    finally:
        logger.removeHandler(handler)


def call(stack, method, path, body=None, headers=None, key=True):
    h = {"Content-Type": "application/json", **(headers or {})}
    if key:
        h["X-API-Key"] = stack.api_key
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(stack.url + path, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req) as r:
            text = r.read().decode()
            is_json = r.headers.get("Content-Type", "").startswith("application/json")
            return r.status, (json.loads(text) if text and is_json else text), dict(r.headers)
    except urllib.error.HTTPError as e:
        text = e.read().decode()
        try:
            return e.code, json.loads(text), dict(e.headers)
        except ValueError:
            return e.code, text, dict(e.headers)


def new(stack):
    status, body, _ = call(stack, "GET", f"/api/session/new?i={UNDER}")
    assert status == 200
    return body


def test_the_secret_is_accepted_in_a_header(stack):
    s = new(stack)
    status, q, _ = call(stack, "GET", f"/api/session/question?i={UNDER}&session={s['session']}",
                        headers={"X-Session-Secret": s["secret"]})
    assert status == 200
    assert "airspeed velocity" in q["questionText"]
    status, q, _ = call(stack, "POST", "/api/session", {"i": UNDER, "session": s["session"],
                                                        "variables": {"swallow_velocity": "9 mph"}},
                        headers={"X-Session-Secret": s["secret"]})
    assert status == 200
    assert "9 mph" in q["questionText"] + q.get("subquestionText", "")


def test_a_header_secret_and_a_parameter_secret_that_differ_are_refused(stack):
    s = new(stack)
    status, body, _ = call(stack, "GET", f"/api/session?i={UNDER}&session={s['session']}&secret={s['secret']}",
                           headers={"X-Session-Secret": s["secret"] + "x"})
    assert status == 400
    assert "X-Session-Secret" in body["message"]
    status, _, _ = call(stack, "GET", f"/api/session?i={UNDER}&session={s['session']}&secret={s['secret']}",
                        headers={"X-Session-Secret": s["secret"]})
    assert status == 200  # the same secret twice is fine


def test_a_wrong_header_secret_is_refused_like_a_wrong_parameter(stack):
    s = new(stack)
    status, body, _ = call(stack, "GET", f"/api/session?i={UNDER}&session={s['session']}",
                           headers={"X-Session-Secret": "not-" + s["secret"]})
    assert status == 403
    assert body["error"] == "wrong_secret"


def test_no_log_line_carries_a_secret_or_an_api_key(stack, logs, monkeypatch):
    s = new(stack)
    sid, secret = s["session"], s["secret"]
    call(stack, "GET", f"/api/session/question?i={UNDER}&session={sid}&secret={secret}")
    call(stack, "GET", f"/api/session?i={UNDER}&session={sid}&Secret={secret}&key={secret}")
    call(stack, "POST", "/api/session", {"i": UNDER, "session": sid, "secret": secret, "variables": {"x": 1}})
    call(stack, "GET", f"/api/session?i={UNDER}&session={sid}", headers={"X-Session-Secret": secret})
    call(stack, "GET", f"/api/session?i={UNDER}&session={sid}&secret={secret}x")  # refused: wrong secret
    call(stack, "GET", f"/api/session/new?i={UNDER}&secret={secret}")  # a secret the client chose
    call(stack, "POST", "/checkin", {"i": UNDER, "session": sid, "secret": secret})
    call(stack, "GET", f"/interview?i={UNDER}&session={sid}&secret={secret}", key=False)
    from offstage.http.cookies import cookie_name

    cookie = f"{cookie_name(UNDER)}={sid}.{secret}.{'c' * 24}"
    call(stack, "GET", f"/interview?i={UNDER}", headers={"Cookie": cookie}, key=False)
    from offstage.http.wiring import get_deps

    def leaks() -> None:  # an error whose message spells out the secret it was given
        raise RuntimeError(f"could not open the session with secret {secret} and key {stack.api_key}")

    monkeypatch.setattr(get_deps().interviews, "list", leaks)
    status, _, _ = call(stack, "GET", "/api/interviews", headers={"X-Session-Secret": secret})
    assert status == 500
    status, _, _ = call(stack, "GET", f"/api/interviews?secret={secret}")
    assert status == 500
    written = logs()
    assert sid in written  # the log does say which session a line is about
    assert "could not open the session with secret *** and key ***" in written
    assert secret not in written
    assert stack.api_key not in written


def _fails():
    raise RuntimeError("the disk at /var/task/offstage is gone")


def test_an_unexpected_error_names_a_reference_that_is_in_the_log(stack, logs, monkeypatch):
    from offstage.http.wiring import get_deps

    monkeypatch.setattr(get_deps().interviews, "list", _fails)
    status, body, headers = call(stack, "GET", "/api/interviews")
    assert status == 500
    assert body["error"] == "internal_error"
    reference = body["reference"]
    assert reference
    assert reference in body["message"]
    assert "Traceback" not in json.dumps(body)
    assert "/var/task" not in json.dumps(body)
    assert headers.get("X-Content-Type-Options") == "nosniff"
    (line,) = [json.loads(x) for x in logs().splitlines() if x.startswith("{") and "unexpected error" in x]
    assert line["correlation_id"] == reference
    assert line["reference"] == reference


def test_an_unexpected_error_on_a_page_names_the_reference_without_a_traceback(stack, monkeypatch):
    from offstage.http.wiring import get_deps

    monkeypatch.setattr(get_deps().interviews, "list", _fails)
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(stack.url + "/")
    page = caught.value.read().decode()
    assert caught.value.code == 500
    assert "Reference:" in page
    assert "Traceback" not in page
    assert "/var/task" not in page
    assert "RuntimeError" not in page


def test_an_interview_error_keeps_docassemble_shape_without_the_traceback(stack):
    status, s, _ = call(stack, "GET", "/api/session/new?i=fails.yml")
    assert status == 200
    status, body, _ = call(stack, "GET", f"/api/session/question?i=fails.yml&session={s['session']}",
                           headers={"X-Session-Secret": s["secret"]} if s.get("secret") else {})
    assert status == 400
    assert body["message"].startswith("Failure to assemble interview")
    assert body["details"]["type"] == "ZeroDivisionError"
    assert "trace" not in body["details"]
    assert "Traceback" not in json.dumps(body)


def test_with_the_debug_setting_an_interview_error_keeps_its_traceback(stack, monkeypatch):
    monkeypatch.setenv("OFFSTAGE_DEBUG", "1")
    reread_settings()
    status, s, _ = call(stack, "GET", "/api/session/new?i=fails.yml")
    status, body, _ = call(stack, "GET", f"/api/session/question?i=fails.yml&session={s['session']}",
                           headers={"X-Session-Secret": s["secret"]} if s.get("secret") else {})
    assert status == 400
    assert "ZeroDivisionError" in body["details"]["trace"]
