"""A task runs only after the request that queued it saved the session: waiting for it in that request
fails at once with a message that says what to do, and ready() is simply False."""

from __future__ import annotations

import pytest
from offstage.interview import load_interview_text

from tests.support.harness import Harness

WAITS_AT_ONCE = """\
mandatory: True
code: |
  the_task = background_action('echo', None, word='hi')
---
mandatory: True
question: |
  The task says ${ the_task.%s }.
---
event: echo
code: |
  background_response(action_argument('word'))
"""

CHECKS_READY = """\
mandatory: True
code: |
  the_task = background_action('echo', None, word='hi')
---
mandatory: True
question: |
  % if the_task.ready():
  The task says ${ the_task.get() }.
  % else:
  Waiting.
  % endif
---
event: echo
code: |
  background_response(action_argument('word'))
"""


@pytest.mark.parametrize("call", ["get()", "result()", "failed()", "wait()"])
def test_waiting_for_a_task_of_this_request_is_an_error_screen_saying_why(call):
    h = Harness(load_interview_text(WAITS_AT_ONCE % call, "waits.yml"))
    result = h.refresh()
    assert result.kind == "error"
    assert result.error["type"] == "TaskNotStarted"
    assert "started in this same request" in result.error["message"]
    assert "task.ready()" in result.error["message"]


def test_ready_is_false_in_the_request_that_queued_the_task_and_true_once_it_ran():
    h = Harness(load_interview_text(CHECKS_READY, "ready.yml"))
    h.refresh()
    assert h.text == "Waiting."
    h.run_background()
    h.refresh()
    assert h.text == "The task says hi."


WAITS_FOR_A_LOST_TASK = """\
mandatory: True
code: |
  from offstage.engine.tasks import TaskHandle
  lost = TaskHandle('not-a-task-of-this-executor')
  finished = lost.wait(timeout=30)
---
mandatory: True
question: |
  Finished: ${ finished }.
"""


def test_a_wait_the_in_process_executor_cannot_end_returns_at_once_without_polling(monkeypatch):
    """The executor runs what it holds; a task it does not hold never ends there, so the request does
    not sit in a sleep loop until its time limit."""
    import offstage.engine.tasks as tasks

    def no_sleep(seconds):
        raise AssertionError(f"the request slept {seconds} s polling a task the executor cannot run")

    monkeypatch.setattr(tasks.time, "sleep", no_sleep)
    h = Harness(load_interview_text(WAITS_FOR_A_LOST_TASK, "lost.yml"))
    assert h.text == "Finished: False."
