"""The HTTP handlers in-process (API Gateway v2 events), with the real engine and in-memory stores."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl

import pytest
from offstage.app.deps import Deps
from offstage.context import Ports
from offstage.http.wiring import use_deps
from offstage.interview.registry import InterviewRegistry

from tests.fakes import (
    FakeQueue,
    FakeSessionStore,
    FakeTaskStore,
    FixedClock,
    LambdaContext,
    http_event,
    load_handler,
)

KEY = "test-key"
EX = "docassemble.base:data/questions/examples/"


class Client:
    """Calls a handler like a browser would: keeps cookies, sends the API key for /api."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.functions = {"screen": load_handler("screen"), "checkin": load_handler("checkin")}
        self.cookies: dict[str, str] = {}

    def call(self, method, path, query=None, body=None, headers=None, key=KEY, follow=True):
        headers = dict(headers or {})
        if path.startswith("/api") and key:
            headers["X-API-Key"] = key
        event = http_event(method, path, query, body, headers, [f"{k}={v}" for k, v in self.cookies.items()])
        function = "checkin" if path == "/checkin" else "screen"
        reply = self.functions[function].lambda_handler(event, LambdaContext())
        for cookie in reply.get("cookies") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";")[0]
            if "Max-Age=0" in cookie:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        location = (reply.get("headers") or {}).get("Location")
        if reply["statusCode"] in (302, 303) and location and follow:  # as a browser follows it
            target, _, query = location.partition("?")
            return self.call("GET", target, dict(parse_qsl(query)), headers=headers, key=key)
        return reply

    def json(self, *args, **kwargs):
        reply = self.call(*args, **kwargs)
        return reply["statusCode"], json.loads(reply["body"]) if reply["body"] else None


@pytest.fixture
def client(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "1")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "OffstageTest")
    (tmp_path / "broken.yml").write_text("question: |\n  Hi\nfields:\n  - Name: name\n    datatype: [unclosed\n")
    tasks = FakeTaskStore()
    deps = Deps(sessions=FakeSessionStore(), interviews=InterviewRegistry([corpus, tmp_path]),
                ports=Ports(clock=FixedClock(), tasks=tasks, queue=FakeQueue(tasks.log)),
                api_keys=frozenset({KEY}))
    use_deps(deps)
    yield Client(deps)
    use_deps(None)


def new_session(client, name):
    status, data = client.json("GET", "/api/session/new", {"i": EX + name})
    assert status == 200, data
    return {"i": data["i"], "session": data["session"], "secret": data["secret"]}


def test_api_walks_under_yml_from_new_session_to_the_final_screen(client):
    s = new_session(client, "under.yml")

    status, question = client.json("GET", "/api/session/question", s)
    assert status == 200
    assert question["fields"][0]["label"] == "Velocity"
    assert "improve your cultural literacy" in question["underText"]

    status, final = client.json("POST", "/api/session", body={**s, "variables": {"swallow_velocity": "40 mph"}})
    assert status == 200
    assert final["questionText"] == "The velocity is 40 mph."

    status, variables = client.json("GET", "/api/session", s)
    assert variables["swallow_velocity"] == "40 mph"
    assert "_internal" not in variables


def test_api_walks_dialog_box_yml_by_pressing_its_button(client):
    s = new_session(client, "dialog-box.yml")
    status, shown = client.json("GET", "/api/session/question", s)
    assert "The current date is" in shown["questionText"]
    assert [b["label"] for b in shown["buttons"]] == ["Ok"]

    status, after = client.json("POST", "/api/session", body={**s, "variables": {}, "question_name": shown["block_id"]})

    assert status == 200
    assert after["questionText"] == "Ok, the interview is now over."


def test_api_background_action_yml_reaches_the_waiting_screen_and_queues_the_task_after_saving(client):
    s = new_session(client, "background_action.yml")
    client.json("GET", "/api/session/question", s)

    status, waiting = client.json("POST", "/api/session", body={**s, "variables": {"value_to_add": 2}})

    assert status == 200
    assert "Hang tight." in waiting["questionText"]
    assert waiting["reload_after"] == 10000
    sent = client.deps.ports.queue.sent
    assert [t.action for t in sent] == ["bg_task"]
    assert sent[0].arguments == {"additional": 2}


def test_api_invalid_field_value_gives_400_with_the_message_and_saves_nothing(client):
    s = new_session(client, "background_action.yml")
    client.json("GET", "/api/session/question", s)
    saves = client.deps.sessions.saves

    status, data = client.json("POST", "/api/session", body={**s, "variables": {"value_to_add": "many"}})

    assert status == 400
    assert "value_to_add" in data["errors"]
    assert client.deps.sessions.saves == saves
    assert client.deps.ports.queue.sent == []


def test_malformed_json_gives_400_naming_the_problem(client):
    status, data = client.json("POST", "/api/session", body='{"i": "x", ',
                               headers={"content-type": "application/json"})
    assert status == 400
    assert data["error"] == "bad_request"
    assert "Malformed JSON" in data["message"]


def test_malformed_variables_in_a_form_post_give_400(client):
    s = new_session(client, "under.yml")
    form = f"i={s['i']}&session={s['session']}&secret={s['secret']}&variables=%7Bnope"
    status, data = client.json("POST", "/api/session", body=form,
                               headers={"content-type": "application/x-www-form-urlencoded"})
    assert status == 400
    assert "Malformed variables" in data["message"]


def test_unknown_session_gives_404(client):
    status, data = client.json("GET", "/api/session/question", {"i": EX + "under.yml", "session": "nope", "secret": "x"})
    assert status == 404
    assert data["error"] == "session_not_found"


def test_wrong_secret_gives_403_and_the_session_still_works_with_the_right_one(client):
    s = new_session(client, "under.yml")
    status, data = client.json("GET", "/api/session/question", {**s, "secret": "tampered"})
    assert status == 403
    assert data["error"] == "wrong_secret"
    assert client.json("GET", "/api/session/question", s)[0] == 200


def test_missing_or_wrong_api_key_is_access_denied(client):
    assert client.json("GET", "/api/interviews", key=None) == (403, {"error": "access_denied", "message": "Access Denied"})
    status, _ = client.json("GET", "/api/interviews", headers={"Authorization": "Bearer wrong"}, key=None)
    assert status == 403
    status, listed = client.json("GET", "/api/interviews", headers={"Authorization": f"Bearer {KEY}"}, key=None)
    assert status == 200
    assert any(i["filename"] == "under.yml" for i in listed)


def test_a_body_over_one_mebibyte_is_refused_with_413_before_it_is_read(client):
    status, data = client.json("POST", "/api/session", body="x" * (1024 * 1024 + 1),
                               headers={"content-type": "application/json"})
    assert status == 413
    assert data["error"] == "payload_too_large"


def test_an_interview_outside_the_roots_is_not_found(client):
    for name in ("../../../etc/passwd", "/etc/passwd", "nope.yml"):
        status, data = client.json("GET", "/api/session/new", {"i": name})
        assert status == 404, name
        assert data["error"] == "interview_not_found", name
    page = client.call("GET", "/interview", {"i": "../secrets.yml"})
    assert page["statusCode"] == 404
    assert "<title>Error</title>" in page["body"]


def test_an_interview_with_a_yaml_error_names_file_and_line(client):
    status, data = client.json("GET", "/api/session/new", {"i": "broken.yml"})
    assert status == 400
    assert data["error"] == "interview_invalid"
    assert "broken.yml" in data["message"]
    assert re.search(r"line \d+", data["message"])
    page = client.call("GET", "/interview", {"i": "broken.yml"})
    assert page["statusCode"] == 400
    assert "broken.yml" in page["body"]


def test_delete_then_the_session_is_gone(client):
    s = new_session(client, "under.yml")
    assert client.call("DELETE", "/api/session", body=s)["statusCode"] == 204
    assert client.json("GET", "/api/session", s)[0] == 404


def test_back_returns_to_the_previous_question_and_refuses_at_the_first(client):
    s = new_session(client, "under.yml")
    client.json("GET", "/api/session/question", s)
    client.json("POST", "/api/session", body={**s, "variables": {"swallow_velocity": "fast"}})

    status, shown = client.json("POST", "/api/session/back", body=s)
    assert status == 200
    assert shown["fields"][0]["variable_name"] == "swallow_velocity"
    while status == 200:
        status, data = client.json("POST", "/api/session/back", body=s)
    assert status == 400
    assert data["error"] == "cannot_go_back"


# --- the browser ------------------------------------------------------------------------------------


def form_of(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(_csrf|_question)" value="([^"]*)"', page))


def test_browser_walks_under_yml_with_a_cookie_and_csrf_token(client):
    first = client.call("GET", "/interview", {"i": EX + "under.yml", "reset": "2"})
    assert first["statusCode"] == 200
    assert "<label for=\"daf1\" class=\"form-label da-label\">Velocity</label>" in first["body"]
    cookie = next(iter(client.cookies))
    assert "HttpOnly" in first["cookies"][0]
    assert "SameSite=Lax" in first["cookies"][0]

    hidden = form_of(first["body"])
    body = f"_csrf={hidden['_csrf']}&_question={hidden['_question']}&swallow_velocity=40+mph"
    after = client.call("POST", "/interview", {"i": EX + "under.yml"}, body,
                        {"content-type": "application/x-www-form-urlencoded"})

    assert after["statusCode"] == 200
    assert "The velocity is 40 mph" in after["body"]
    assert cookie in client.cookies


def test_browser_walks_dialog_box_yml_by_clicking_ok(client):
    page = client.call("GET", "/interview", {"i": EX + "dialog-box.yml", "reset": "2"})["body"]
    assert "The current date is" in page
    ok = re.search(r'<button type="submit" name="(\w+)" value="(\w+)"[^>]*>Ok</button>', page)
    hidden = form_of(page)
    body = f"_csrf={hidden['_csrf']}&_question={hidden['_question']}&{ok.group(1)}={ok.group(2)}"
    after = client.call("POST", "/interview", {"i": EX + "dialog-box.yml"}, body,
                        {"content-type": "application/x-www-form-urlencoded"})
    assert "Ok, the interview is now over." in after["body"]


def test_browser_post_with_a_wrong_csrf_token_is_refused_and_changes_nothing(client):
    client.call("GET", "/interview", {"i": EX + "under.yml"})
    reply = client.call("POST", "/interview", {"i": EX + "under.yml"}, "_csrf=forged&swallow_velocity=1",
                        {"content-type": "application/x-www-form-urlencoded"})
    assert reply["statusCode"] == 403
    assert "<title>Error</title>" in reply["body"]
    assert client.deps.sessions.saves <= 1


def test_browser_invalid_answer_shows_the_same_question_with_the_message(client):
    client.call("GET", "/interview", {"i": EX + "background_action.yml"})
    page = client.call("GET", "/interview", {"i": EX + "background_action.yml"})["body"]
    hidden = form_of(page)
    reply = client.call("POST", "/interview", {"i": EX + "background_action.yml"},
                        f"_csrf={hidden['_csrf']}&_question={hidden['_question']}&value_to_add=lots",
                        {"content-type": "application/x-www-form-urlencoded"})
    assert reply["statusCode"] == 400
    assert 'aria-invalid="true"' in reply["body"]
    assert 'value="lots"' in reply["body"]
    assert client.deps.ports.queue.sent == []


def test_browser_reset_starts_a_fresh_session(client):
    client.call("GET", "/interview", {"i": EX + "under.yml"})
    before = set(client.deps.sessions.items)
    client.call("GET", "/interview", {"i": EX + "under.yml", "reset": "2"})
    assert len(set(client.deps.sessions.items) - before) == 1


def test_a_reset_redirects_to_the_url_without_it_so_reloading_keeps_the_session(client):
    reply = client.call("GET", "/interview", {"i": EX + "under.yml", "reset": "1", "lang": "en"}, follow=False)
    assert reply["statusCode"] in (302, 303)
    target = reply["headers"]["Location"]
    assert target.startswith("/interview?")
    assert "reset" not in target
    assert "lang=en" in target
    sessions = set(client.deps.sessions.items)
    first = client.call("GET", "/interview", dict(parse_qsl(target.partition("?")[2])))
    again = client.call("GET", "/interview", dict(parse_qsl(target.partition("?")[2])))
    assert first["statusCode"] == again["statusCode"] == 200
    assert set(client.deps.sessions.items) == sessions  # the reloads opened the same session


def test_check_in_runs_the_check_in_action_and_fills_the_target(client):
    page = client.call("GET", "/interview", {"i": EX + "target-code.yml"})["body"]
    assert '<span class="datargetfeedback"></span>' in page
    csrf = form_of(page)["_csrf"]

    status, reply = client.json("POST", "/checkin", {"i": EX + "target-code.yml"}, body={
        "action": "checkin", "checkinCode": "0.5", "csrf_token": csrf, "do_action": "question_food",
        "parameters": {"favorite_food": "soup", "_initial": False, "_changed": "favorite_food"}})

    assert status == 200
    assert reply["success"]
    assert reply["checkin_code"] == "0.5"
    assert reply["commands"] == [{"action": "question_food", "extra": "backgroundresponse",
                                  "value": {"target": "feedback", "content": "What? You like SOUP?"}}]


def test_check_in_accepts_docassemble_form_encoding_and_refuses_a_foreign_page(client):
    page = client.call("GET", "/interview", {"i": EX + "target-code.yml"})["body"]
    csrf = form_of(page)["_csrf"]
    params = json.dumps({"favorite_food": "", "_initial": True, "_changed": None})
    from urllib.parse import urlencode

    form = urlencode({"action": "checkin", "checkinCode": "1", "csrf_token": csrf, "do_action": "question_food",
                      "parameters": params})
    status, reply = client.json("POST", "/checkin", {"i": EX + "target-code.yml"}, form,
                                {"content-type": "application/x-www-form-urlencoded"})
    assert status == 200
    assert reply["commands"][0]["value"] == {"target": "feedback", "content": ""}

    status, refused = client.json("POST", "/checkin", {"i": EX + "target-code.yml"},
                                  {"checkinCode": "1", "csrf_token": "forged"})
    assert status == 403
    assert refused["error"] == "access_denied"


def test_static_files_are_served_with_long_cache_headers_and_unknown_ones_are_404(client):
    from offstage.web import static

    page = client.call("GET", "/interview", {"i": EX + "under.yml", "reset": "2"})["body"]
    for name in ("app.js", "jquery.min.js", "bootstrap.bundle.min.js", "bootstrap.min.css", "app.css"):
        url = static.url(name)
        assert re.fullmatch(rf"/static/[0-9a-f]{{12}}-{re.escape(name)}", url)
        assert url in page
        reply = client.call("GET", url)
        assert reply["statusCode"] == 200, name
        assert "immutable" in reply["headers"]["Cache-Control"], name
    assert "daCheckIn" in client.call("GET", static.url("app.js"))["body"]
    assert "jQuery v3.7" in client.call("GET", static.url("jquery.min.js"))["body"]
    assert "Bootstrap  v5.3" in client.call("GET", static.url("bootstrap.min.css"))["body"]
    # a name without (or with an old) hash still gets the file, but is checked again each time
    stale = client.call("GET", "/static/000000000000-app.js")
    assert stale["statusCode"] == 200
    assert stale["headers"]["Cache-Control"] == "no-cache"
    assert client.call("GET", "/static/../../etc/passwd")["statusCode"] == 404
    assert client.call("GET", "/static/0123456789ab-nothing.js")["statusCode"] == 404


def test_index_lists_interviews(client):
    reply = client.call("GET", "/")
    assert reply["statusCode"] == 200
    assert "/interview?i=under.yml" in reply["body"]


def test_a_url_action_link_runs_the_action_in_the_browser_session(client):
    from offstage.engine.actions import encode_action

    client.call("GET", "/interview", {"i": EX + "dialog-box.yml", "reset": "1"})
    page = client.call("GET", "/interview", {"i": EX + "dialog-box.yml", "action": encode_action("show_date", {})})
    assert page["statusCode"] == 200
    assert "The current date is" in page["body"]
    bad = client.call("GET", "/interview", {"i": EX + "dialog-box.yml", "action": "%%%"})
    assert bad["statusCode"] == 400


def test_a_session_named_in_the_link_that_this_browser_does_not_hold_is_refused(client):
    s = new_session(client, "under.yml")
    page = client.call("GET", "/interview", {"i": EX + "under.yml", "session": s["session"]})
    assert page["statusCode"] == 403
    assert "<title>Error</title>" in page["body"]


def test_a_cookie_naming_an_expired_session_starts_a_fresh_one(client):
    client.call("GET", "/interview", {"i": EX + "under.yml"})
    client.deps.sessions.items.clear()  # the session expired meanwhile
    page = client.call("GET", "/interview", {"i": EX + "under.yml"})
    assert page["statusCode"] == 200
    assert "airspeed velocity" in page["body"]
    assert len(client.deps.sessions.items) == 1


def test_check_in_hands_out_a_finished_tasks_notification_once(client):
    from offstage.ports import TaskState

    page = client.call("GET", "/interview", {"i": EX + "under.yml"})["body"]
    csrf = form_of(page)["_csrf"]
    sid = next(iter(client.deps.sessions.items))
    client.deps.ports.tasks.finish(TaskState("t-1", status="done", value=555),
                                   {"value": "The answer is 555.", "extra": "flash"}, sid)

    body = {"checkinCode": "7", "csrf_token": csrf}
    first = client.json("POST", "/checkin", {"i": EX + "under.yml"}, body)[1]
    second = client.json("POST", "/checkin", {"i": EX + "under.yml"}, body)[1]

    assert first["commands"] == [{"value": "The answer is 555.", "extra": "flash"}]
    assert second["commands"] == []


def test_api_action_returns_204_without_a_response_and_400_without_an_action(client):
    s = new_session(client, "target-code.yml")
    client.json("GET", "/api/session/question", s)
    status, _ = client.json("POST", "/api/session/action", body=s)
    assert status == 400
    reply = client.call("POST", "/api/session/action", body={**s, "action": "question_food",
                                                             "arguments": {"favorite_food": "soup"}})
    assert reply["statusCode"] == 200
    assert json.loads(reply["body"]) == {"target": "feedback", "content": "What? You like SOUP?"}


def test_check_in_naming_a_session_needs_its_secret(client):
    s = new_session(client, "under.yml")
    status, data = client.json("POST", "/checkin", {"i": EX + "under.yml"},
                               {"session": s["session"], "secret": "guess", "checkinCode": "1"})
    assert status == 403
    assert data["error"] == "wrong_secret"
    status, data = client.json("POST", "/checkin", {"i": EX + "under.yml"},
                               {"session": s["session"], "secret": s["secret"], "checkinCode": "1"})
    assert status == 200
    assert data["success"] is True


def test_an_unexpected_failure_is_a_500_with_a_generic_message_and_no_traceback(client):
    def broken(session_id, *, secret):
        raise RuntimeError("database on fire at line 42")

    client.deps.sessions.load = broken
    status, data = client.json("GET", "/api/session/question", {"i": EX + "under.yml", "session": "s", "secret": "x"})
    assert status == 500
    assert data["error"] == "internal_error"
    assert "fire" not in data["message"]
    assert "Traceback" not in data["message"]
    page = client.call("GET", "/interview", {"i": EX + "under.yml"})
    assert page["statusCode"] == 500
    assert "fire" not in page["body"]


@pytest.mark.parametrize("function", ["screen", "checkin"])
def test_importing_a_handler_leaves_the_engine_and_aws_clients_for_the_first_request(function):
    import subprocess
    import sys

    from tests.conftest import REPO

    probe = ("import sys; import app; "
             "print(sorted(m for m in ('boto3', 'pynamodb', 'offstage.engine', 'offstage.interview', 'mako', "
             "'yaml', 'aws_xray_sdk') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO / "functions" / function, capture_output=True,
                         text=True, check=True, env={"POWERTOOLS_TRACE_DISABLED": "1", "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "[]"


def test_an_error_in_interview_code_is_a_400_naming_the_problem_in_the_api(client, tmp_path):
    (tmp_path / "oops.yml").write_text("mandatory: True\ncode: |\n  x = 1 / 0\n")
    s = new_session(client, "oops.yml")
    status, data = client.json("GET", "/api/session/question", s)
    assert status == 400
    assert data["error"] == "interview_error"
    assert "ZeroDivisionError" in json.dumps(data)


# --- errors and dead ends ---------------------------------------------------------------------------

FAILING = """metadata:
  title: Failing
---
question: Your number?
fields:
  - Number: number
    datatype: integer
---
mandatory: True
code: |
  number
  result = 100 / number
---
mandatory: True
question: The result is ${ result }.
"""


def failing_step(client, tmp_path, monkeypatch, debug):
    if debug:
        monkeypatch.setenv("OFFSTAGE_DEBUG", "1")
    (tmp_path / "failing.yml").write_text(FAILING)
    first = client.call("GET", "/interview", {"i": "failing.yml", "reset": "1"})
    hidden = form_of(first["body"])
    return client.call("POST", "/interview", {"i": "failing.yml"},
                       f"_csrf={hidden['_csrf']}&_question={hidden['_question']}&number=0",
                       {"content-type": "application/x-www-form-urlencoded"})


def test_an_error_in_interview_code_in_production_is_a_500_with_a_reference_and_a_way_out(client, tmp_path,
                                                                                           monkeypatch, caplog):
    reply = failing_step(client, tmp_path, monkeypatch, debug=False)
    body = reply["body"]
    assert reply["statusCode"] == 500
    assert "<title>Error</title>" in body
    assert ">Error</h1>" in body
    reference = re.search(r'<code class="da-error-reference">([0-9a-f]+)</code>', body).group(1)
    assert "ZeroDivisionError" not in body
    assert "division by zero" not in body
    assert "line 9" not in body
    logged = [r for r in caplog.records if getattr(r, "reference", None) == reference]
    assert logged
    assert logged[0].error_type == "ZeroDivisionError"
    assert "failing.yml" in logged[0].block
    # a way out: Back to the question just answered, Restart, the list of interviews
    assert '<a href="/interview?i=failing.yml" class="btn btn-da btn-primary">Back</a>' in body
    assert 'href="/interview?i=failing.yml&amp;reset=1"' in body
    assert ">All interviews</a>" in body
    back = client.call("GET", "/interview", {"i": "failing.yml"})
    assert back["statusCode"] == 200
    assert "Your number?" in back["body"]  # nothing of the failed answer saved


def test_an_error_in_interview_code_in_development_shows_block_file_line_and_message(client, tmp_path,
                                                                                     monkeypatch):
    body = failing_step(client, tmp_path, monkeypatch, debug=True)["body"]
    where = re.search(r'<p class="da-error-where">(.*?)</p>', body).group(1)
    assert "block 3" in where
    assert "file failing.yml" in where
    assert "line 9" in where
    assert "ZeroDivisionError: division by zero" in body
    assert "Reference:" in body


def test_an_unknown_interview_is_a_404_that_offers_the_interview_list_and_no_restart_loop(client):
    reply = client.call("GET", "/interview", {"i": "no_such.yml"})
    assert reply["statusCode"] == 404
    assert "<title>Error</title>" in reply["body"]
    assert ">Restart</a>" not in reply["body"]
    assert '<a href="/" class="btn btn-da btn-primary">All interviews</a>' \
        in reply["body"]


def test_exit_deletes_the_session_and_a_link_from_another_site_asks_first(client):
    client.call("GET", "/interview", {"i": EX + "under.yml", "reset": "1"})
    assert len(client.cookies) == 1
    asked = client.call("GET", "/interview", {"i": EX + "under.yml", "exit": "1"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert asked["statusCode"] == 200
    assert "Continue to" in asked["body"]
    assert len(client.cookies) == 1
    left = client.call("GET", "/interview", {"i": EX + "under.yml", "exit": "1"}, follow=False)
    assert left["statusCode"] == 303
    assert left["headers"]["Location"] == "/"
    assert client.cookies == {}


def test_get_interview_variables_reads_only_this_browsers_session(client):
    assert client.call("GET", "/interview/variables", {"i": EX + "under.yml"})["statusCode"] == 404
    first = client.call("GET", "/interview", {"i": EX + "under.yml", "reset": "1"})
    hidden = form_of(first["body"])
    client.call("POST", "/interview", {"i": EX + "under.yml"},
                f"_csrf={hidden['_csrf']}&_question={hidden['_question']}&swallow_velocity=40+mph",
                {"content-type": "application/x-www-form-urlencoded"})
    status, data = client.json("GET", "/interview/variables", {"i": EX + "under.yml"})
    assert status == 200
    assert data["success"] is True
    assert data["variables"]["swallow_velocity"] == "40 mph"
    assert data["i"] == EX + "under.yml"
    assert data["steps"] >= 1
    assert "_internal" not in data["variables"]


PRIVATE = """mandatory: True
code: |
  set_status(variable_access=False)
---
question: Your secret?
fields:
  - Secret: secret
---
mandatory: True
question: Kept. Status ${ get_status('variable_access') }.
"""


def test_set_status_variable_access_false_refuses_get_interview_variables(client, tmp_path):
    (tmp_path / "private.yml").write_text(PRIVATE)
    first = client.call("GET", "/interview", {"i": "private.yml", "reset": "1"})
    hidden = form_of(first["body"])
    done = client.call("POST", "/interview", {"i": "private.yml"},
                       f"_csrf={hidden['_csrf']}&_question={hidden['_question']}&secret=swordfish",
                       {"content-type": "application/x-www-form-urlencoded"})
    assert "Kept. Status False." in done["body"]
    status, data = client.json("GET", "/interview/variables", {"i": "private.yml"})
    assert status == 403
    assert data["success"] is False
    assert "variable_access" in data["error"]
    assert "swordfish" not in json.dumps(data)


MAYBE = """question: Sure?
fields:
  - Sure: sure
    datatype: yesnomaybe
---
mandatory: True
question: Sure is ${ repr(sure) }.
"""


@pytest.mark.parametrize(("posted", "shown"), [("True", "True"), ("False", "False"), ("None", "None")])
def test_a_yesnomaybe_field_posted_from_the_page_sets_true_false_or_none(client, tmp_path, posted, shown):
    (tmp_path / "maybe.yml").write_text(MAYBE)
    first = client.call("GET", "/interview", {"i": "maybe.yml", "reset": "1"})
    assert "I don\u2019t know" in first["body"]
    hidden = form_of(first["body"])
    after = client.call("POST", "/interview", {"i": "maybe.yml"},
                        f"_csrf={hidden['_csrf']}&_question={hidden['_question']}&sure={posted}",
                        {"content-type": "application/x-www-form-urlencoded"})
    assert f"Sure is {shown}." in after["body"]  # repr: None and booleans, not the strings 'None', 'True'


PARTS = """metadata:
  title: Parts
  pre: This is the pre part.
  under: This is the under part.
  post: This is the post part.
  submit: This is the submit part.
  right: This is the right part.
  continue button label: Onward
  back button label: Go back
  help label: Help label
---
features:
  question back button: True
---
question: First?
fields:
  - First: first
---
question: Second?
under: Its own under.
fields:
  - Second: second
help: Some help.
---
mandatory: True
code: |
  first
  second
  set_parts(pre="Set by code.")
---
mandatory: True
question: Done.
"""


def test_the_metadatas_screen_parts_are_every_questions_unless_it_has_its_own(client, tmp_path):
    (tmp_path / "parts.yml").write_text(PARTS)
    first = client.call("GET", "/interview", {"i": "parts.yml", "reset": "1"})["body"]
    for part in ("pre", "under", "post", "submit", "right"):
        assert f"This is the {part} part." in first
    assert ">Onward</button>" in first
    hidden = form_of(first)
    second = client.call("POST", "/interview", {"i": "parts.yml"},
                         f"_csrf={hidden['_csrf']}&_question={hidden['_question']}&first=1",
                         {"content-type": "application/x-www-form-urlencoded"})["body"]
    assert "Its own under." in second
    assert "This is the under part." not in second
    assert ">Go back</button>" in second
    assert 'id="dahelptoggle"' in second
    assert ">Help label</a>" in second
    hidden = form_of(second)
    done = client.call("POST", "/interview", {"i": "parts.yml"},
                       f"_csrf={hidden['_csrf']}&_question={hidden['_question']}&second=2",
                       {"content-type": "application/x-www-form-urlencoded"})["body"]
    assert "Set by code." in done
    assert "This is the pre part." not in done


def test_the_interviews_error_help_replaces_the_plain_message_of_the_error_page(client, tmp_path):
    (tmp_path / "helped.yml").write_text("metadata:\n  error help: |\n    We are sorry. Call [us](tel:555).\n"
                                         "---\ncode: |\n  answer = 5/0\n---\nmandatory: True\n"
                                         "question: The answer is ${ answer }.\n")
    reply = client.call("GET", "/interview", {"i": "helped.yml", "reset": "1"})
    body = reply["body"]
    assert reply["statusCode"] == 500
    assert "We are sorry." in body
    assert '<a href="tel:555">us</a>' in body
    assert "The interview ran into a problem" not in body
    assert "Reference:" in body


def test_an_error_help_given_by_language_shows_the_english_one(client, tmp_path):
    (tmp_path / "helped2.yml").write_text("metadata:\n  error help:\n    fr: Désolé.\n    en: |\n      Sorry about that.\n"
                                          "---\nmandatory: True\nquestion: The answer is ${ 5/0 }.\n")
    body = client.call("GET", "/interview", {"i": "helped2.yml", "reset": "1"})["body"]
    assert "Sorry about that." in body
    assert not re.search(r"<h1[^>]*>Error</h1>", body)  # the author's words are the page, as in docassemble
    assert "Désolé" not in body
    assert "The interview ran into a problem" not in body


def test_a_url_action_link_naming_the_interview_by_its_file_keeps_the_session_started_by_its_package_name(client):
    long_name = EX + "under.yml"
    first = client.call("GET", "/interview", {"i": long_name, "reset": "1"})
    hidden = form_of(first["body"])
    client.call("POST", "/interview", {"i": long_name},
                f"_csrf={hidden['_csrf']}&_question={hidden['_question']}&swallow_velocity=40+mph",
                {"content-type": "application/x-www-form-urlencoded"})
    status, data = client.json("GET", "/interview/variables", {"i": "under.yml"})  # as url_action() writes it
    assert status == 200
    assert data["variables"]["swallow_velocity"] == "40 mph"


ACTION_BUTTONS = """\
code: |
  pears = 2
---
question: You get ${ pears } pears.
field: seen_pears
action buttons:
  - label: Another
    action: add_pears
    arguments:
      how_many: 1
    color: success
    icon: plus
  - label: Elsewhere
    action: https://example.com/
    placement: before
  - label: Hidden
    action: add_pears
    show if: pears > 10
---
event: add_pears
code: |
  pears += action_argument('how_many')
---
mandatory: True
code: |
  seen_pears
  final_pears
---
event: final_pears
question: In the end, ${ pears } pears.
"""


def test_action_buttons_are_links_that_run_their_action_with_its_arguments(client, tmp_path):
    (tmp_path / "pears.yml").write_text(ACTION_BUTTONS)
    body = client.call("GET", "/interview", {"i": "pears.yml", "reset": "1"})["body"]
    links = re.findall(r'<a href="([^"]*)" class="btn btn-da btn-(\w+) da-btn da-action-button">(.*?)</a>', body)
    assert [(color, re.sub(r"<[^>]+>", "", label).strip()) for _, color, label in links] == [
        ("primary", "Elsewhere"), ("success", "Another")]  # `placement: before` first; `show if` false: absent
    assert links[0][0] == "https://example.com/"
    assert 'class="fas fa-plus"' in links[1][2]
    assert body.index("Elsewhere") < body.index("Continue") < body.index("Another")
    address = links[1][0].replace("&amp;", "&")
    path, _, query = address.partition("?")
    again = client.call("GET", path, dict(parse_qsl(query)))["body"]
    assert "You get 3 pears." in again


DISABLE_OTHERS = """\
question: Favorite color?
fields:
  - Color: color
    choices:
      - Red
      - Blue
    disable others: True
  - Other: color
---
mandatory: True
question: The color is ${ color }.
"""


@pytest.mark.parametrize(("sent", "shown"), [("color=Red", "The color is Red."),
                                             ("color=&color=Teal", "The color is Teal.")])
def test_a_field_that_disables_others_is_marked_for_the_page_and_either_answer_is_taken(client, tmp_path, sent, shown):
    (tmp_path / "colors.yml").write_text(DISABLE_OTHERS)
    first = client.call("GET", "/interview", {"i": "colors.yml", "reset": "1"})
    assert 'data-disable-others="all"' in first["body"]
    hidden = form_of(first["body"])
    reply = client.call("POST", "/interview", {"i": "colors.yml"},
                        f"_csrf={hidden['_csrf']}&_question={hidden['_question']}&{sent}",
                        {"content-type": "application/x-www-form-urlencoded"})
    assert shown in reply["body"]
