"""A barrage of bad input against every route of the local stack, over raw HTTP.

The cases are generated from a table of families (every route x malformed / deeply nested / huge JSON,
wrong types for every parameter, strange `i`, bad cookies and action links, unknown sessions, tampered
secrets, non-UTF-8 bodies, wrong content types, oversized bodies, odd methods). Every reply must be a
4xx naming the problem (or a 2xx where the input is in fact fine), never a 5xx, never a traceback; the
process answers afterwards, and a session saved before the barrage still has its answers.
"""

from __future__ import annotations

import base64
import http.client
import json
import socket
from dataclasses import dataclass, field
from pathlib import Path

import pytest

EX = "docassemble.base:data/questions/examples/"
UNDER = EX + "under.yml"
REPO = Path(__file__).resolve().parents[2]
LEAKS = ("Traceback", 'File "/', "/work/", "site-packages", ".py\", line")


@dataclass
class Case:
    name: str
    method: str
    target: bytes
    body: bytes = b""
    headers: dict[str, bytes] = field(default_factory=dict)
    key: bool = True


@dataclass
class Reply:
    status: int
    content_type: str
    text: str


def send(stack, case: Case) -> Reply:
    """One request written byte for byte (no client library cleans it up first)."""
    host, port = stack.url.removeprefix("http://").split(":")
    head = [case.method.encode() + b" " + case.target + b" HTTP/1.1", b"Host: " + host.encode(),
            b"Connection: close", b"Content-Length: " + str(len(case.body)).encode()]
    headers = dict(case.headers)
    if case.key and "X-API-Key" not in headers:
        headers.setdefault("X-API-Key", stack.api_key.encode())
    head += [name.encode() + b": " + value for name, value in headers.items()]
    with socket.create_connection((host, int(port)), timeout=120) as sock:
        sock.sendall(b"\r\n".join(head) + b"\r\n\r\n" + case.body)
        response = http.client.HTTPResponse(sock, method=case.method)
        response.begin()
        data = response.read()
    return Reply(response.status, response.getheader("Content-Type") or "", data.decode("utf-8", "replace"))


def json_body(data: object, **headers: bytes) -> tuple[bytes, dict[str, bytes]]:
    return json.dumps(data).encode(), {"Content-Type": b"application/json", **headers}


# ----------------------------------------------------------------------------- the table of families
def api_params(route: tuple[str, str], session: dict) -> dict:
    """A request to the route that is well formed, to be spoiled one parameter at a time."""
    base = {"i": UNDER, "session": session["session"], "secret": session["secret"]}
    method, path = route
    if path == "/api/session/new":
        return {"i": UNDER}
    if (method, path) == ("POST", "/api/session"):
        return {**base, "variables": {"not_asked_anywhere": "1"}, "question_name": "q"}
    if (method, path) == ("DELETE", "/api/session"):
        return {**base, "session": "0" * 32}  # never the session the barrage must leave intact
    if path == "/api/session/back":  # going back is a change: on a session of its own
        return {**base, "session": session["scratch"]["session"], "secret": session["scratch"]["secret"]}
    if path == "/api/session/action":
        return {**base, "action": "no_such_action", "arguments": {}}
    if path == "/checkin":
        return {**base, "parameters": {}, "do_action": "no_such_action", "checkinCode": "x"}
    return base


WRONG_VALUES = [5, 1.5, True, None, ["x"], {"a": 1}, "", "x" * 5000, "\ud800", "\x00"]
COMMON = ["i", "session", "secret"]
PARAMETERS = {  # what each route reads (and one it does not), each spoiled in turn
    "/api/interviews": ["i"],
    "/api/openapi.json": ["i", "secret"],
    "/api/session/new": ["i", "secret", "key", "url_arg"],
    "/api/session/question": COMMON,
    "GET /api/session": COMMON,
    "POST /api/session": [*COMMON, "variables", "event_list", "question_name", "question", "overwrite", "uploads"],
    "DELETE /api/session": COMMON,
    "/api/session/action": [*COMMON, "action", "arguments", "persistent", "read_only"],
    "/api/session/back": [*COMMON, "question"],
    "/api/session/upload": [*COMMON, "field", "size", "type"],
    "/checkin": [*COMMON, "parameters", "do_action", "checkinCode", "csrf_token"],
}
STRANGE_I = ["x" * 5000, "../../../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%00", "a%00.yml", "%C3%A9.yml",
             "%F0%9F%99%82", "%ED%A0%80", "%FF%FE", "/etc/passwd", "C:%5Cwindows", "%2e%2e", "\\..\\..",
             "under.yml%0d%0aSet-Cookie:x=1", "docassemble.base:", ":::", "x" * 300 + ".yml"]
STRANGE_I_JSON = ["\ud800", "\udfff.yml", "a\x00b", "x" * 5000, "\u202e.yml", "\\\\server\\share"]


def query_string(params: dict) -> bytes:
    """Parameters as a query, JSON-encoding what is not text (as a client would)."""
    from urllib.parse import quote

    parts = []
    for name, value in params.items():
        text = value if isinstance(value, str) else json.dumps(value)
        parts.append(f"{quote(name)}={quote(text, safe='', errors='surrogatepass')}")
    return "&".join(parts).encode()


def request_for(route: tuple[str, str], params: dict, name: str) -> Case:
    method, path = route
    if method == "GET":
        return Case(name, method, path.encode() + b"?" + query_string(params))
    try:
        body = json.dumps(params).encode()
    except ValueError:
        body = json.dumps(params, allow_nan=True).encode()
    return Case(name, method, path.encode(), body, {"Content-Type": b"application/json"})


def json_routes(routes):
    return [r for r in routes if r[1].startswith("/api/") or r[1] == "/checkin"]


def build_cases(routes: list[tuple[str, str]], session: dict) -> list[Case]:
    cases: list[Case] = []
    api = json_routes(routes)
    for route in api:
        base = api_params(route, session)
        label = f"{route[0]} {route[1]}"
        parameters = PARAMETERS.get(label) or PARAMETERS[route[1]]
        # wrong types for every parameter, one at a time
        cases.extend(request_for(route, {**base, parameter: value}, f"{label} {parameter}={value!r:.20}")
                     for parameter in parameters for value in WRONG_VALUES)
        # strange `i` in the query, percent-encoded as a client sends it
        cases.extend(Case(f"{label} i={i[:20]}", route[0],
                          route[1].encode() + b"?i=" + i.encode() + b"&session=" + session["session"].encode())
                     for i in STRANGE_I)
        # and as JSON escapes (lone surrogates, NUL) in a body
        cases.extend(request_for(route if route[0] != "GET" else ("POST", route[1]), {**base, "i": i},
                                 f"{label} json i={i[:20]!r}")
                     for i in STRANGE_I_JSON)
        cases.append(Case(f"{label} raw surrogate bytes in i", route[0],
                          route[1].encode() + b"?i=\xed\xa0\x80&session=\xff\xfe"))
    for route in routes:  # bodies: malformed, nested, huge, not UTF-8, wrong content types, odd methods
        method, path = route
        target = path.replace("{proxy+}", "x.css").encode()
        label = f"{method} {path}"
        query = b"?i=" + UNDER.encode()
        for body_name, body, content_type in [
            ("malformed json", b'{"i": ', b"application/json"),
            ("json array", b"[1, 2]", b"application/json"),
            ("json string", b'"x"', b"application/json"),
            ("deep arrays", b"[" * 100_000 + b"]" * 100_000, b"application/json"),
            ("deep objects", b'{"a":' * 50_000 + b"1" + b"}" * 50_000, b"application/json"),
            ("deep variables", b'{"i": "' + UNDER.encode() + b'", "variables": ' + b'{"a":' * 3000 + b"1"
             + b"}" * 3000 + b"}", b"application/json"),
            ("huge number", b'{"i": 1' + b"0" * 100_000 + b"}", b"application/json"),
            ("NaN", b'{"i": NaN, "session": Infinity}', b"application/json"),
            ("lone surrogate key", b'{"\\ud800": 1, "i": "' + UNDER.encode() + b'"}', b"application/json"),
            ("lone surrogate value", b'{"i": "' + UNDER.encode() + b'", "variables": {"x": "\\udc00"}}',
             b"application/json"),
            ("raw surrogate bytes", b'{"i": "\xed\xa0\x80"}', b"application/json"),
            ("not utf-8 json", b'{"i": "\xff\xfe"}', b"application/json"),
            ("not utf-8 form", b"i=\xff\xfe&session=\xc3", b"application/x-www-form-urlencoded"),
            ("binary form", b"\x00\x01\xff" * 100, b"application/octet-stream"),
            ("json as text/plain", b'{"i": 5}', b"text/plain"),
            ("xml", b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>", b"application/xml"),
            ("multipart", b"--b\r\nContent-Disposition: form-data; name=i\r\n\r\nx\r\n--b--",
             b"multipart/form-data; boundary=b"),
            ("form with %", b"i=%&_csrf=%zz&%=%", b"application/x-www-form-urlencoded"),
            ("empty content type", b"{", b""),
            ("huge json (under the limit)", b'{"i": "' + b"x" * 900_000 + b'"}', b"application/json"),
            ("oversized body", b"x" * (2 * 1024 * 1024), b"application/x-www-form-urlencoded"),
        ]:
            cases.append(Case(f"{label} {body_name}", "POST" if method == "GET" else method, target + query,
                              body, {"Content-Type": content_type} if content_type else {}))
            if method == "GET":  # a GET with a body too: API Gateway passes it on
                cases.append(Case(f"{label} GET {body_name}", "GET", target + query, body,
                                  {"Content-Type": content_type} if content_type else {}))
        cases.extend(Case(f"{label} method {odd}", odd, target + query)
                     for odd in ("HEAD", "OPTIONS", "PUT", "PATCH", "TRACE", "FOO", "CONNECT"))
        cases.append(Case(f"{label} no api key", method, target + query, key=False))
        cases.append(Case(f"{label} wrong api key", method, target + query, headers={"X-API-Key": b"x" * 5000}))
        cases.append(Case(f"{label} bearer garbage", method, target + query, key=False,
                          headers={"Authorization": b"Bearer \xff\xfe"}))
    cases += browser_cases(session)
    cases += session_cases(session)
    return cases


def browser_cases(session: dict) -> list[Case]:
    from offstage.http.cookies import cookie_name

    cookie = cookie_name(UNDER).encode()
    target = b"/interview?i=" + UNDER.encode()
    cases = []
    for value in [b"garbage", b"a.b.c", b"..", b"x" * 5000 + b".y.z", b"\xff\xfe.\xed\xa0\x80.c",
                  b"%00.%00.%00", session["session"].encode() + b".tampered.csrf",
                  session["session"].encode() + b"." + session["secret"][::-1].encode() + b".csrf",
                  b"../../x.-.c", b'";\x01.x.y']:
        cases.append(Case(f"cookie {value[:20]!r}", "GET", target, headers={"Cookie": cookie + b"=" + value}))
        cases.append(Case(f"cookie post {value[:20]!r}", "POST", target, b"_csrf=c&x=1",
                          {"Cookie": cookie + b"=" + value, "Content-Type": b"application/x-www-form-urlencoded"}))
    cases.append(Case("many cookies", "GET", target, headers={"Cookie": b"; ".join([b"a=b"] * 2000)}))
    actions = [b"garbage", b"%%%", b"!!!!", base64.urlsafe_b64encode(b"not json"),
               base64.urlsafe_b64encode(b"[1,2]"), base64.urlsafe_b64encode(b'{"action": 5}'),
               base64.urlsafe_b64encode(b'{"action": "x", "arguments": []}'),
               base64.urlsafe_b64encode(b'{"action": "\\ud800"}'),
               base64.urlsafe_b64encode(b'{"action": "x[__import__(\'os\')]"}'),
               base64.urlsafe_b64encode(b'{"action": "' + b"[" * 5000 + b'"}'),
               base64.urlsafe_b64encode(b"[" * 100_000), b"x" * 5000, b"\xff\xfe"]
    cases.extend(Case(f"action {action[:20]!r}", "GET", target + b"&action=" + action) for action in actions)
    queries = [b"&session=" + b"x" * 5000, b"&session=%00", b"&reset=1&session=x", b"&i=x&i=y",
               b"&cache=%ED%A0%80", b"&json=1&from_list=" + b"[" * 1000, b"&" * 5000]
    cases.extend(Case(f"interview query {query[:20]!r}", "GET", target + query) for query in queries)
    cases.append(Case("interview without i", "GET", b"/interview"))
    cases.append(Case("static traversal", "GET", b"/static/..%2F..%2Fetc%2Fpasswd"))
    cases.append(Case("static long", "GET", b"/static/" + b"x" * 5000))
    cases.append(Case("static NUL", "GET", b"/static/a%00.css"))
    cases.append(Case("unknown route", "GET", b"/nothing/here"))
    cases.append(Case("very long path", "GET", b"/" + b"a" * 6000))
    return cases


def session_cases(session: dict) -> list[Case]:
    """Unknown sessions and tampered secrets, on every route that names a session."""
    cases = []
    sid, secret = session["session"], session["secret"]
    variants = [("unknown session", "f" * 32, secret), ("tampered secret", sid, secret[:-2] + "xx"),
                ("empty secret", sid, ""), ("secret of another length", sid, "x"),
                ("secret with NUL", sid, "\x00"), ("huge secret", sid, "s" * 10_000),
                ("session with slash", "../" + sid, secret), ("huge session", "a" * 10_000, secret)]
    for label, s, k in variants:
        q = query_string({"i": UNDER, "session": s, "secret": k})
        cases.append(Case(f"question {label}", "GET", b"/api/session/question?" + q))
        cases.append(Case(f"variables {label}", "GET", b"/api/session?" + q))
        body, headers = json_body({"i": UNDER, "session": s, "secret": k, "variables": {"x": 1}})
        cases.append(Case(f"set {label}", "POST", b"/api/session", body, headers))
        body, headers = json_body({"i": UNDER, "session": s, "secret": k})
        cases.append(Case(f"back {label}", "POST", b"/api/session/back", body, headers))
        body, headers = json_body({"i": UNDER, "session": s, "secret": k, "action": "x"})
        cases.append(Case(f"action {label}", "POST", b"/api/session/action", body, headers))
        body, headers = json_body({"i": UNDER, "session": s, "secret": k})
        cases.append(Case(f"checkin {label}", "POST", b"/checkin", body, headers))
    return cases


# ----------------------------------------------------------------------------- the run
@pytest.fixture(scope="module")
def stack(corpus):
    from offstage.local.stack import LocalStack

    with LocalStack(interviews=[corpus], with_poller=False) as running:
        yield running


@pytest.fixture(scope="module")
def saved(stack):
    """A session with an answer, saved before the barrage."""
    reply = send(stack, Case("new", "GET", b"/api/session/new?i=" + UNDER.encode()))
    assert reply.status == 200, reply.text
    session = json.loads(reply.text)
    body, headers = json_body({"i": UNDER, "session": session["session"], "secret": session["secret"],
                               "variables": {"swallow_velocity": "40 mph"}})
    reply = send(stack, Case("answer", "POST", b"/api/session", body, headers))
    assert reply.status == 200, reply.text
    reply = send(stack, Case("new", "GET", b"/api/session/new?i=" + UNDER.encode()))
    return {**session, "scratch": json.loads(reply.text)}


@pytest.fixture(scope="module")
def barrage(stack, saved):
    from offstage.local.resources import http_routes, template

    routes = [(m, p) for m, p, _ in http_routes(template(REPO / "template.yaml"))]
    cases = build_cases(routes, saved)
    return [(case, send(stack, case)) for case in cases]


def test_the_barrage_is_several_hundred_cases_over_every_route(barrage):
    from offstage.local.resources import http_routes, template

    assert len(barrage) >= 600
    touched = {case.target.split(b"?")[0].decode("latin-1") for case, _ in barrage}
    for method, path in [(m, p) for m, p, _ in http_routes(template(REPO / "template.yaml"))]:
        assert path.replace("{proxy+}", "x.css") in touched, (method, path)


def test_no_bad_input_gets_a_5xx(barrage):
    failures = [(case.name, reply.status, reply.text[:200]) for case, reply in barrage if reply.status >= 500]
    assert failures == []


def test_every_refusal_names_the_problem(barrage):
    vague = []
    for case, reply in barrage:
        if not 400 <= reply.status < 500 or case.method == "HEAD":
            continue
        if "json" in reply.content_type:
            data = json.loads(reply.text)
            message = data.get("message") or json.dumps(data.get("errors") or "")
        else:
            message = reply.text
        if len(message.strip()) < 8:
            vague.append((case.name, reply.status, reply.text[:120]))
    assert vague == []


def test_no_reply_carries_a_traceback_or_a_server_path(barrage):
    leaks = [(case.name, reply.status) for case, reply in barrage if any(leak in reply.text for leak in LEAKS)]
    assert leaks == []


def test_the_process_answers_and_the_saved_session_kept_its_answers(stack, saved, barrage):
    assert barrage  # the barrage ran first
    reply = send(stack, Case("list", "GET", b"/api/interviews"))
    assert reply.status == 200
    assert "under.yml" in reply.text
    q = query_string({"i": UNDER, "session": saved["session"], "secret": saved["secret"]})
    reply = send(stack, Case("variables", "GET", b"/api/session?" + q))
    assert reply.status == 200
    assert json.loads(reply.text)["swallow_velocity"] == "40 mph"


@pytest.mark.parametrize("body", ["!!!", "abc", "a===", "\u00ff\u00fe", "eyJp" * 3 + "*"])
@pytest.mark.parametrize(("function", "method", "path"), [("ScreenFunction", "POST", "/api/session"),
                                                         ("ScreenFunction", "POST", "/interview"),
                                                         ("CheckinFunction", "POST", "/checkin")])
def test_a_bad_base64_body_is_a_400(stack, saved, function, method, path, body):
    """API Gateway base64-encodes binary bodies; one that does not decode is the client's problem."""
    from offstage.local.http_front import build_event

    event = build_event(method, f"{path}?i={UNDER}", [("X-API-Key", stack.api_key),
                                                      ("Content-Type", "application/octet-stream")],
                        b"x", f"{method} {path}", {}, "127.0.0.1")
    event.update(body=body, isBase64Encoded=True)
    reply = stack.invoke(function, event)
    assert 400 <= reply["statusCode"] < 500, reply
