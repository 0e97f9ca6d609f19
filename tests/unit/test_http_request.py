"""Reading requests: what a hostile client sends is refused with a 400 naming it, never a crash later."""

from __future__ import annotations

import json

import pytest
from offstage.errors import BadRequest
from offstage.http import request
from offstage.local.http_front import loggable


def event(body: str = "", content_type: str = "application/json", query: str = "", **headers: str) -> dict:
    return {"body": body, "rawQueryString": query, "isBase64Encoded": False,
            "headers": {"content-type": content_type, **{k.replace("_", "-"): v for k, v in headers.items()}}}


@pytest.mark.parametrize(("body", "problem"), [
    ("[" * 100_000 + "]" * 100_000, "nested more than 32"),
    ('{"v": ' + "[" * 40 + "]" * 40 + "}", "nested more than 32"),
    ('{"v": "\\ud800"}', "lone surrogate"),
    ('{"\\udc00": 1}', "lone surrogate"),
    ('{"v": NaN}', "not finite"),
    ('{"v": [Infinity]}', "not finite"),
    ('{"v": 1' + "0" * 5000 + "}", "Malformed JSON in the request body"),
    ('{"v": ', "Malformed JSON in the request body"),
])
def test_a_body_that_cannot_be_stored_is_refused_naming_the_problem(body, problem):
    with pytest.raises(BadRequest) as refused:
        request.body(event(body))
    assert problem in refused.value.message


def test_nesting_up_to_the_limit_is_fine():
    nested = "[" * 31 + "]" * 31
    assert request.body(event('{"v": ' + nested + "}")).get("v") is not None


def test_a_form_parameter_holding_json_gets_the_same_checks():
    form = request.body(event("variables=" + "%5B" * 40 + "%5D" * 40, "application/x-www-form-urlencoded"))
    with pytest.raises(BadRequest) as refused:
        request.json_param(form, "variables", dict, "variables")
    assert "Malformed variables: nested more than 32" in refused.value.message


@pytest.mark.parametrize("value", [5, 1.5, True, [], ["x"], {"a": 1}])
def test_a_text_parameter_of_another_type_is_refused_naming_it(value):
    params = request.body(event(json.dumps({"secret": value})))
    with pytest.raises(BadRequest) as refused:
        request.text_param(params, "secret")
    assert "Parameter secret must be text" in refused.value.message


def test_a_text_parameter_too_long_is_refused():
    params = request.Params({"session": ["a" * 101]})
    with pytest.raises(BadRequest, match="session is longer than 100"):
        request.session_id_param(params)


def test_the_secret_may_come_in_a_header_and_must_agree_with_the_parameter():
    with_header = event(query="secret=abc123", x_session_secret="abc123")
    assert request.session_secret(with_header, request.query(with_header)) == "abc123"
    only_header = event(x_session_secret="  s3cret  ")
    assert request.session_secret(only_header, request.query(only_header)) == "s3cret"
    differ = event(query="secret=abc123", x_session_secret="other")
    with pytest.raises(BadRequest, match="differ"):
        request.session_secret(differ, request.query(differ))


def test_the_secrets_of_a_request_are_found_for_the_log_scrubber():
    e = event(query="i=x&secret=q-secret&api_key=q-key&session=sid1234", x_api_key="h-key",
              x_session_secret="h-secret", authorization="Bearer b-token")
    e["cookies"] = ["offstage_abc=sid1234.c-secret.c-csrf"]
    found = set(request.secrets_in(e))
    assert {"q-secret", "q-key", "h-key", "h-secret", "b-token", "c-secret", "c-csrf"} <= found
    assert "sid1234" not in found
    assert "x" not in found  # session ids and names stay readable


def test_the_local_access_log_masks_secret_parameters():
    line = loggable("/api/session?i=a.yml&session=s1&secret=TOPSECRET&X-Api-Key=K3Y&Secret=again")
    assert "TOPSECRET" not in line
    assert "K3Y" not in line
    assert "again" not in line
    assert line.startswith("/api/session?i=a.yml&session=s1&secret=***")
