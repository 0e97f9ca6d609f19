"""An attacker's names over HTTP on the local stack: action links, check-ins and API variables.

The review's payload was one GET with no cookie, key or token: `/interview?i=...&action=` the base64
JSON of an action holding Python, against an interview with an ordinary list question. Each test sends
such a request and asserts a 4xx, that the marker file the code would create does not exist, and that
the session is as it was.
"""

from __future__ import annotations

import base64
import http.cookiejar
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.support.interviews import FRUITS


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from offstage.local.stack import LocalStack

    folder = tmp_path_factory.mktemp("interviews")
    (folder / "fruits.yml").write_text(FRUITS)
    with LocalStack(interviews=[folder], with_poller=False) as running:
        yield running


@pytest.fixture
def marker(tmp_path):
    found = tmp_path / "pwned"
    yield found
    assert not found.exists(), "a name sent in a request was run as code"


def _evil(marker) -> list[str]:
    return [f"fruits[__import__('os').system('touch {marker}')]",
            f"fruits[0].__class__.__init__.__globals__['os'].system('touch {marker}')",
            f"fruits.append(open('{marker}', 'w')).there_is_another"]


def _link(action: str) -> str:
    raw = json.dumps({"action": action, "arguments": {}}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def fetch(opener, url, data=None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(urllib.request.Request(url, data=body)) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


def call(stack, method, path, body=None):
    request = urllib.request.Request(stack.url + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json", "X-API-Key": stack.api_key})
    try:
        with urllib.request.urlopen(request) as reply:
            text = reply.read().decode()
            return reply.status, json.loads(text) if text else None
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read().decode())


def api_session(stack):
    status, s = call(stack, "GET", "/api/session/new?i=fruits.yml")
    assert status == 200
    assert question(stack, s) == "What fruit?"
    status, _ = call(stack, "POST", "/api/session", {"i": "fruits.yml", "session": s["session"],
                                                      "secret": s["secret"], "variables": {"fruits[0]": "apple"}})
    assert status == 200
    return s


def question(stack, s):
    status, q = call(stack, "GET", f"/api/session/question?i=fruits.yml&session={s['session']}&secret={s['secret']}")
    assert status == 200
    return q["questionText"]


def test_an_action_link_with_code_and_no_cookie_is_a_400_and_runs_nothing(stack, marker):
    for action in _evil(marker):
        url = f"{stack.url}/interview?i=fruits.yml&action={_link(action)}"
        status, page = fetch(urllib.request.build_opener(), url)
        assert status == 400
        assert "action" in page
        assert "Traceback" not in page


def test_an_action_link_with_code_in_a_browser_session_leaves_it_clean(stack, marker):
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    status, page = fetch(browser, f"{stack.url}/interview?i=fruits.yml")
    assert status == 200
    assert "What fruit?" in page
    for action in [*_evil(marker), "fruits.__class__", "no_such_event", "a" * 5000]:
        status, page = fetch(browser, f"{stack.url}/interview?i=fruits.yml&action={_link(action)}")
        assert status == 400
        assert "action" in page
    status, page = fetch(browser, f"{stack.url}/interview?i=fruits.yml")  # a reload: nothing was stored
    assert status == 200
    assert "What fruit?" in page
    status, page = fetch(browser, f"{stack.url}/interview?i=fruits.yml&action={_link('show_first')}")
    assert status == 200
    assert "What fruit?" in page  # a defined action still runs (and seeks fruits[0])


def test_a_check_in_with_a_code_action_is_a_400_and_runs_nothing(stack, marker):
    s = api_session(stack)
    for action in _evil(marker):
        status, body = fetch(urllib.request.build_opener(), f"{stack.url}/checkin",
                             {"i": "fruits.yml", "session": s["session"], "secret": s["secret"], "do_action": action})
        assert status == 400
        assert json.loads(body)["error"] == "unknown_action"
    assert question(stack, s) == "Another fruit?"


@pytest.mark.parametrize("read_only", ["0", "1"])
def test_an_api_action_with_code_is_a_400_and_runs_nothing(stack, marker, read_only):
    s = api_session(stack)
    for action in [*_evil(marker), "no_such_event"]:
        status, body = call(stack, "POST", "/api/session/action", {
            "i": "fruits.yml", "session": s["session"], "secret": s["secret"], "action": action,
            "read_only": read_only, "persistent": "1"})
        assert status == 400
        assert body["error"] == "unknown_action"
    assert question(stack, s) == "Another fruit?"
    status, _ = call(stack, "POST", "/api/session/action", {
        "i": "fruits.yml", "session": s["session"], "secret": s["secret"], "action": "show_first"})
    assert status == 204 or status == 200


def test_api_variables_with_private_names_are_400s_naming_them_and_the_process_lives(stack):
    import offstage.engine.functions as functions

    s = api_session(stack)
    for name in ["value.__globals__['offstage_pwned']", "define.__globals__['__builtins__']",
                 "fruits.__class__.__getitem__", "__builtins__", "fruits[0].__class__",
                 "fruits" + "[0]" * 60_000, "fruits" + ".x" * 60_000, "(" * 60_000]:
        status, body = call(stack, "POST", "/api/session", {"i": "fruits.yml", "session": s["session"],
                                                            "secret": s["secret"],
                                                            "variables": {name: 1, "fruits.there_is_another": False}})
        assert status == 400
        assert name in body["errors"]
        assert "not a variable name" in body["errors"][name]
    assert "offstage_pwned" not in vars(functions)
    assert question(stack, s) == "Another fruit?"  # alive, and not even the valid variable was set
