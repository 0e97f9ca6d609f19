"""Runaway interview code on the local stack, over HTTP: every piece of work ends, says why, and leaves
other users alone. Screens stop at their time limit (1 s here), a task waited for in the request that
queued it fails at once, and a background action past its deadline is stopped, recorded as failed and
reported to the page, while another user's task runs meanwhile."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from typing import Any

import pytest

from tests.support.interviews import RUNAWAY_TASK

pytestmark = pytest.mark.integration

INTERVIEWS = {
    "runaway_code.yml": """\
mandatory: True
question: Hello
fields:
  - Your name: name
---
mandatory: True
code: |
  spins = 0
  while True:
    spins += 1
---
mandatory: True
question: Never shown
""",
    "runaway_mako.yml": """\
mandatory: True
question: |
  % while True:
  spinning
  % endwhile
""",
    "runaway_catches.yml": """\
mandatory: True
code: |
  while True:
    try:
      while True:
        pass
    except Exception:
      pass
""",
    "same_request_task.yml": """\
mandatory: True
code: |
  the_task = background_action('echo', None, word='hi')
---
mandatory: True
question: |
  The task says ${ the_task.get() }.
---
event: echo
code: |
  background_response(action_argument('word'))
""",
    "runaway_task.yml": RUNAWAY_TASK,
    "quick_task.yml": """\
mandatory: True
code: |
  quick_task = background_action('echo', 'flash', word='quick-result')
---
mandatory: True
question: |
  % if quick_task.ready():
  The task says ${ quick_task.get() }.
  % else:
  Waiting for the task.
  % endif
---
event: echo
code: |
  background_response(action_argument('word'))
""",
    "runaway_checkin.yml": """\
mandatory: True
question: Type a word
fields:
  - Word: word
check in: spin_checkin
---
event: spin_checkin
code: |
  checked = action_argument('word')
  while True:
    pass
""",
    "plain.yml": """\
mandatory: True
question: What is your favorite fruit?
fields:
  - Fruit: fruit
---
mandatory: True
question: You like ${ fruit }.
""",
}

SCREEN_LIMIT = 4  # seconds
BACKGROUND_LIMIT = 10  # seconds: long enough that the other user's task surely finishes first


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from offstage.local.stack import LocalStack

    folder = tmp_path_factory.mktemp("runaway")
    for name, text in INTERVIEWS.items():
        (folder / name).write_text(text)
    with pytest.MonkeyPatch.context() as patch:
        # short enough to keep the runaway-screen tests quick, long enough that an ordinary screen answers
        # while a runaway background action competes for the interpreter on a loaded 2-core machine
        patch.setenv("SCREEN_TIME_LIMIT_SECONDS", str(SCREEN_LIMIT))
        patch.setenv("BACKGROUND_TIMEOUT_SECONDS", str(BACKGROUND_LIMIT))
        with LocalStack(interviews=[folder]) as running:
            yield running


def call(stack, method, path, body=None, key=True):
    headers = {"Content-Type": "application/json"}
    if key:
        headers["X-API-Key"] = stack.api_key
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(stack.url + path, data=data, method=method, headers=headers)
    try:  # a generous socket timeout: a hang fails the test instead of stalling the suite
        with urllib.request.urlopen(request, timeout=120) as response:
            text = response.read().decode()
            return response.status, (json.loads(text) if text.startswith(("{", "[")) else text)
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        return error.code, (json.loads(text) if text.startswith("{") else text)


def new(stack, name):
    status, session = call(stack, "GET", f"/api/session/new?i={name}")
    assert status == 200, session
    return {"i": name, "session": session["session"], "secret": session["secret"]}


def question(stack, s):
    return call(stack, "GET", f"/api/session/question?i={s['i']}&session={s['session']}&secret={s['secret']}")


def answer(stack, s, variables):
    return call(stack, "POST", "/api/session", {**s, "variables": variables})


def check_in(stack, s):
    status, reply = call(stack, "POST", "/checkin", {**s}, key=False)
    assert status == 200, reply
    return reply["commands"]


def wait_until(check, rounds=600):
    """Poll a condition (a guard against hanging, not a timing assertion)."""
    for _ in range(rounds):
        value = check()
        if value:
            return value
        time.sleep(0.1)
    return check()


def action_threads():
    return [t for t in threading.enumerate() if t.name == "offstage-background-action" and t.is_alive()]


# --- screens ----------------------------------------------------------------------------------------

def test_a_code_block_that_never_ends_shows_the_time_limit_error_and_saves_nothing(stack):
    s = new(stack, "runaway_code.yml")
    assert question(stack, s)[1]["questionText"] == "Hello"
    status, reply = answer(stack, s, {"name": "Ada"})
    assert status == 400
    assert reply["error"] == "interview_error"
    assert f"did not finish within {SCREEN_LIMIT} seconds" in reply["message"]
    status, again = question(stack, s)
    assert status == 200
    assert again["questionText"] == "Hello"  # the answer of the stopped request was not kept
    assert call(stack, "GET", f"/api/session?i={s['i']}&session={s['session']}&secret={s['secret']}")[1].get(
        "name") is None


def test_a_mako_loop_shows_the_error_page_in_the_browser(stack):
    status, page = call(stack, "GET", "/interview?i=runaway_mako.yml", key=False)
    assert status == 503
    assert f"did not finish within {SCREEN_LIMIT} seconds" in page


def test_code_that_catches_exceptions_is_stopped_too(stack):
    status, reply = question(stack, new(stack, "runaway_catches.yml"))
    assert status == 400
    assert f"did not finish within {SCREEN_LIMIT} seconds" in reply["message"]


def test_a_check_in_action_that_never_ends_is_stopped_and_says_so_in_a_flash(stack):
    s = new(stack, "runaway_checkin.yml")
    assert question(stack, s)[1]["questionText"] == "Type a word"
    status, reply = call(stack, "POST", "/checkin", {**s, "do_action": "spin_checkin",
                                                     "parameters": json.dumps({"word": "hello"})}, key=False)
    assert status == 200
    assert [c["extra"] for c in reply["commands"]] == ["flash"]
    assert f"did not finish within {SCREEN_LIMIT} seconds" in reply["commands"][0]["value"]
    variables = call(stack, "GET", f"/api/session?i={s['i']}&session={s['session']}&secret={s['secret']}")[1]
    assert "checked" not in variables  # nothing of the stopped action was saved


def test_other_sessions_answer_while_a_runaway_screen_runs(stack):
    runaway = new(stack, "runaway_mako.yml")
    outcome: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: outcome.update(reply=question(stack, runaway)))
    thread.start()
    calm = new(stack, "plain.yml")
    assert question(stack, calm)[1]["questionText"] == "What is your favorite fruit?"
    assert answer(stack, calm, {"fruit": "apple"})[1]["questionText"] == "You like apple."
    thread.join(120)
    status, reply = outcome["reply"]
    assert status == 400
    assert "did not finish within" in reply["message"]


def test_a_task_waited_for_in_the_request_that_queued_it_fails_at_once_saying_why(stack):
    status, reply = question(stack, new(stack, "same_request_task.yml"))
    assert status == 400
    assert "started in this same request" in reply["message"]
    assert "task.ready()" in reply["message"]


# --- background actions -------------------------------------------------------------------------------

def test_a_runaway_background_action_is_stopped_failed_and_reported_while_another_users_task_runs(stack):
    spinning = new(stack, "runaway_task.yml")
    assert question(stack, spinning)[1]["questionText"] == "Waiting for the task."
    assert wait_until(action_threads)  # the runaway action is running

    quick = new(stack, "quick_task.yml")  # its task may finish before the first look: it is quick
    assert question(stack, quick)[1]["questionText"] in ("Waiting for the task.", "The task says quick-result.")
    assert wait_until(lambda: question(stack, quick)[1]["questionText"] == "The task says quick-result.")
    assert question(stack, spinning)[1]["questionText"] == "Waiting for the task."  # still running meanwhile
    at_rest = stack.client("dynamodb").scan(TableName=stack.resources["TasksTable"])["Items"]
    assert at_rest
    assert "quick-result" not in repr(at_rest)  # the value and its notification are encrypted
    assert check_in(stack, quick) == [{"value": "quick-result", "extra": "flash"}]

    notes = wait_until(lambda: check_in(stack, spinning))
    assert notes[0]["extra"] == "flash"
    assert "could not finish (spin): TimeoutError" in notes[0]["value"]
    assert wait_until(lambda: not action_threads())  # the action's thread was stopped, not left spinning
    assert question(stack, spinning)[1]["questionText"] == "The task failed."
