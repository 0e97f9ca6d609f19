"""The docassemble-shaped JSON API over HTTP on the local stack, and what bad input gets."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

EX = "docassemble.base:data/questions/examples/"


@pytest.fixture(scope="module")
def stack(corpus, tmp_path_factory):
    from offstage.local.stack import LocalStack

    extra = tmp_path_factory.mktemp("interviews")
    (extra / "broken.yml").write_text("question: |\n  Hello\nfields:\n  - Name: name\n---\nqestion: oops\n")
    with LocalStack(interviews=[corpus, extra], with_poller=False) as running:
        yield running


def call(stack, method, path, body=None, key=True, raw=None, headers=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    h = {"Content-Type": "application/json", **(headers or {})}
    if key:
        h["X-API-Key"] = stack.api_key
    req = urllib.request.Request(stack.url + path, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req) as r:
            text = r.read().decode()
            return r.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as e:
        text = e.read().decode()
        try:
            return e.code, json.loads(text)
        except ValueError:
            return e.code, text


def new(stack, name):
    status, body = call(stack, "GET", f"/api/session/new?i={EX}{name}")
    assert status == 200
    return body


def question(stack, s):
    return call(stack, "GET", f"/api/session/question?i={s['i']}&session={s['session']}&secret={s['secret']}")


def post(stack, s, variables):
    return call(stack, "POST", "/api/session", {"i": s["i"], "session": s["session"], "secret": s["secret"],
                                                 "variables": variables})


def test_walk_under_yml(stack):
    s = new(stack, "under.yml")
    status, q = question(stack, s)
    assert status == 200
    assert "airspeed velocity" in q["questionText"]
    assert q["fields"][0]["variable_name"] == "swallow_velocity"
    status, q = post(stack, s, {"swallow_velocity": "40 mph"})
    assert status == 200
    assert "The velocity is 40 mph" in q["questionText"] + q.get("subquestionText", "")


def test_variables_can_be_set_before_the_first_question_is_asked(stack):
    """docassemble's API sets the variables it is given; the question that asks them is then skipped."""
    s = new(stack, "under.yml")
    status, q = post(stack, s, {"swallow_velocity": "11 m/s"})
    assert status == 200
    assert "The velocity is 11 m/s" in q["questionText"] + q.get("subquestionText", "")


def test_a_name_that_is_not_a_variable_is_a_400_naming_it(stack):
    s = new(stack, "under.yml")
    status, body = post(stack, s, {"swallow_velocity": "1", "__class__": "x"})
    assert status == 400
    assert "__class__" in json.dumps(body)
    _, q = question(stack, s)
    assert "airspeed velocity" in q["questionText"]  # nothing was set


def test_walk_dialog_box(stack):
    s = new(stack, "dialog-box.yml")
    _, q = question(stack, s)
    assert "The current date is" in q["questionText"]


def test_no_api_key_is_refused(stack):
    status, body = call(stack, "GET", f"/api/session/new?i={EX}under.yml", key=False)
    assert status == 403
    assert body["error"] == "access_denied"


def test_malformed_json_is_a_400(stack):
    status, body = call(stack, "POST", "/api/session", raw=b"{not json")
    assert status == 400
    assert "JSON" in body["message"]


def test_unknown_session_is_a_404(stack):
    s = new(stack, "under.yml")
    status, _body = question(stack, {**s, "session": "0" * 32})
    assert status == 404


def test_wrong_secret_is_a_403_and_the_answers_stay(stack):
    s = new(stack, "under.yml")
    question(stack, s)
    post(stack, s, {"swallow_velocity": "12 mph"})
    status, _ = question(stack, {**s, "secret": "not-the-secret"})
    assert status == 403
    status, q = question(stack, s)
    assert status == 200
    assert "12 mph" in json.dumps(q)


def test_tampered_answers_are_refused(stack):
    import boto3

    s = new(stack, "under.yml")
    question(stack, s)
    table = boto3.resource("dynamodb", endpoint_url=stack.endpoint).Table(stack.resources["SessionsTable"])
    item = table.get_item(Key={"pk": s["session"], "sk": "current"})["Item"]
    blob = bytearray(item["blob"].value)
    blob[-1] ^= 1
    table.update_item(Key={"pk": s["session"], "sk": "current"}, UpdateExpression="SET #b = :b",
                      ExpressionAttributeNames={"#b": "blob"}, ExpressionAttributeValues={":b": bytes(blob)})
    status, body = question(stack, s)
    assert status == 403
    assert "decrypt" in body["message"]


def test_expired_session_reads_as_gone(stack):
    import boto3

    s = new(stack, "under.yml")
    table = boto3.resource("dynamodb", endpoint_url=stack.endpoint).Table(stack.resources["SessionsTable"])
    table.update_item(Key={"pk": s["session"], "sk": "current"}, UpdateExpression="SET expires_at = :t",
                      ExpressionAttributeValues={":t": 1})
    status, body = question(stack, s)
    assert status == 404
    assert "expired" in body["message"]


def test_invalid_field_value_saves_nothing(stack):
    s = new(stack, "background_action.yml")
    question(stack, s)
    status, body = post(stack, s, {"value_to_add": "two"})
    assert status == 400
    assert "value_to_add" in json.dumps(body)
    _, q = question(stack, s)
    assert "How much shall I add to 553?" in q["questionText"]


def test_body_over_a_megabyte_is_a_413(stack):
    status, _ = call(stack, "POST", "/api/session", raw=b"{" + b" " * (1024 * 1024 + 10) + b"}")
    assert status == 413


def test_interview_outside_the_roots_is_not_found(stack):
    status, _ = call(stack, "GET", "/api/session/new?i=../../../etc/passwd")
    assert status == 404


def test_interview_with_a_yaml_error_names_file_and_line(stack):
    status, body = call(stack, "GET", "/api/session/new?i=broken.yml")
    assert status == 400
    assert "broken.yml" in body["message"]
    assert "line" in body["message"]


def test_browser_gets_an_error_page_not_a_500(stack):
    with pytest.raises(urllib.error.HTTPError, match="HTTP Error 400") as refused:
        urllib.request.urlopen(stack.url + "/interview?i=broken.yml")
    e = refused.value
    page = e.read().decode()
    assert e.code == 400
    assert "broken.yml" in page
    assert "<title>Error</title>" in page


def test_unknown_route_is_a_404(stack):
    status, _ = call(stack, "GET", "/no/such/route")
    assert status == 404
