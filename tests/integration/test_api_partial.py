"""The JSON API as docassemble's behaves (issue 11, item 6): a new session is assembled, and a POST may
set only some of the fields of the question on screen, still converted by datatype (400 when one does
not fit)."""

from __future__ import annotations

import json

import pytest

from tests.support.api import api_call as call

INTERVIEW = """\
objects:
  - client: DAObject
---
initial: True
code: |
  visits = 1
---
mandatory: True
question: About you
fields:
  - Name: client.name
  - Age: client.age
    datatype: integer
  - Likes: client.likes
    datatype: checkboxes
    choices:
      - Tea: tea
      - Coffee: coffee
---
mandatory: True
question: Done, ${ client.name } (${ client.age }), visit ${ visits }.
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from offstage.local.stack import LocalStack

    folder = tmp_path_factory.mktemp("interviews")
    (folder / "client.yml").write_text(INTERVIEW)
    with LocalStack(interviews=[folder], with_poller=False) as running:
        yield running


def new(stack):
    status, s = call(stack, "GET", "/api/session/new?i=client.yml")
    assert status == 200
    return s


def post(stack, s, variables):
    return call(stack, "POST", "/api/session", {"i": s["i"], "session": s["session"], "secret": s["secret"],
                                                 "variables": variables})


def variables(stack, s):
    status, body = call(stack, "GET", f"/api/session?i={s['i']}&session={s['session']}&secret={s['secret']}")
    assert status == 200
    return body


def test_a_new_session_is_assembled_and_an_objects_attribute_can_be_set_at_once(stack):
    s = new(stack)
    assert variables(stack, s).get("visits") == 1  # the initial block ran when the session was made
    status, q = post(stack, s, {"client.name": "Ann"})  # only one of the screen's three fields
    assert status == 200, q
    assert q["questionText"] == "About you"  # still asked: the other fields are not answered yet
    status, q = post(stack, s, {"client.age": "41"})  # converted by the screen's datatype
    assert status == 200, q
    status, q = post(stack, s, {"client.likes": ["tea"]})
    assert status == 200
    assert "Done, Ann (41), visit 1." in q["questionText"]


def test_a_value_that_does_not_fit_its_datatype_is_a_400_and_sets_nothing(stack):
    s = new(stack)
    status, body = post(stack, s, {"client.age": "forty", "client.name": "Bob"})
    assert status == 400
    assert "client.age" in body["errors"]
    assert "name" not in json.dumps(variables(stack, s).get("client") or {})
