"""prevent_going_back() bars the way back for good, as docassemble's does: on the local stack, through the
JSON API, the screens before the call cannot be reached again with Back (the page's Back button is drawn
from the same rule, app.sessions.back_allowed)."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest

from tests.support.api import api_call

APPLICATION = """\
code: |
  app_submitted = True
  prevent_going_back()
---
question: Your application for ${ service } is in.
need: app_submitted
field: first_after
mandatory: True
---
question: We will consider it.
field: second_after
mandatory: True
---
mandatory: True
question: You will hear from us.
---
question: Which service?
field: service
choices:
  - Tutoring
  - Writing
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory):
    from offstage.local.stack import LocalStack

    folder: Path = tmp_path_factory.mktemp("interviews")
    (folder / "application.yml").write_text(APPLICATION)
    with LocalStack(interviews=[folder], with_poller=False) as running:
        yield running


def _ask(stack, session: dict, **extra):
    query = urllib.parse.urlencode({"i": "application.yml", "session": session["session"],
                                    "secret": session["secret"], **extra})
    return api_call(stack, "GET", f"/api/session/question?{query}")


def _post(stack, session: dict, path: str, **body):
    return api_call(stack, "POST", path, {"i": "application.yml", "session": session["session"],
                                          "secret": session["secret"], **body})


def test_back_stops_at_the_screen_that_called_prevent_going_back_through_the_api(stack):
    status, session = api_call(stack, "GET", "/api/session/new?i=application.yml")
    assert status == 200, session
    status, shown = _post(stack, session, "/api/session", variables={"service": "Tutoring"})
    assert status == 200, shown
    assert "is in" in shown["questionText"]
    assert shown["can_go_back"] is False  # the screen the call led to
    status, shown = _post(stack, session, "/api/session", variables={"first_after": True})
    assert "consider" in shown["questionText"]
    assert shown["can_go_back"] is True  # one screen on, Back is allowed ...
    status, shown = _post(stack, session, "/api/session/back")
    assert status == 200, shown
    assert "is in" in shown["questionText"]
    assert shown["can_go_back"] is False  # ... but only as far as the barrier
    status, refused = _post(stack, session, "/api/session/back")
    assert status == 400
    assert "prevent_going_back" in str(refused)
    status, shown = _ask(stack, session)
    assert "is in" in shown["questionText"]  # the refusal changed nothing
    status, variables = api_call(stack, "GET", "/api/session?" + urllib.parse.urlencode(
        {"i": "application.yml", "session": session["session"], "secret": session["secret"]}))
    assert variables["service"] == "Tutoring"
