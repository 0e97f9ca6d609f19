"""Background tasks: outcomes of phase 1, callbacks, error actions, task handles and the screen JSON."""

from __future__ import annotations

import json

from offstage.interview import load_interview_text

from tests.support.harness import Harness

TASKS = """\
code: |
  task = background_action(which, 'flash', n=3)
---
mandatory: True
code: |
  if task.ready():
    if task.failed():
      outcome = task.result()
      shown = 'failed ' + outcome.error_type + ' ' + ','.join(outcome.variables)
    else:
      shown = 'got ' + repr(task.get())
    final
  else:
    waiting
---
question: Which task?
fields:
  - Task: which
---
event: waiting
question: Waiting
reload: 2
---
event: final
question: ${ shown }
---
event: returns
code: |
  background_response(action_argument('n') * 2)
---
event: asks
code: |
  favourite_colour
---
question: Colour?
fields:
  - Colour: favourite_colour
---
event: breaks
code: |
  {}['missing']
---
event: calls_back
code: |
  background_response_action('store', value=action_argument('n') + 1)
---
event: store
code: |
  stored = action_argument('value')
"""


def _run(which):
    h = Harness(load_interview_text(TASKS, "tasks.yml"))
    h.answer({"which": which})
    assert h.text == "Waiting"
    assert h.screen.reload_after == 4000  # at least 4 seconds
    h.run_background()
    notes = h.checkin()
    h.refresh()
    return h, notes


def test_value_and_notification():
    h, notes = _run("returns")
    assert h.text == "got 6"
    assert notes == [{"value": 6, "extra": "flash"}]


def test_a_question_in_the_background_is_an_error_the_browser_is_told_about():
    h, notes = _run("asks")
    assert h.text == "failed QuestionError favourite_colour"
    # the worker's notifications for a failed task with a ui_notification: a flash, then a refresh
    assert notes == [{"value": "A background task could not finish (asks): QuestionError. Please try again.",
                      "extra": "flash"}, {"value": None, "extra": "refresh"}]
    assert "favourite_colour" not in h.answers  # phase 1 ran on a private copy


def test_an_exception_is_reported_with_its_trace():
    h, _ = _run("breaks")
    assert h.text.startswith("failed KeyError")
    state = h.tasks.get(h.tasks.sent[0].task_id)
    assert state.status == "failed"
    assert "Traceback" in state.error_trace


def test_callback_sets_live_answers_and_returns_the_action():
    h, notes = _run("calls_back")
    assert h.answers["stored"] == 4
    assert h.text == "got {\u2018action\u2019: \u2018store\u2019, \u2018arguments\u2019: {\u2018value\u2019: 4}}"
    assert notes[0]["value"] == {"action": "store", "arguments": {"value": 4}}


def test_handles_wait_and_revoke():
    h = Harness(load_interview_text(TASKS, "tasks.yml"))
    h.answer({"which": "returns"})
    task_id = h.tasks.sent[0].task_id
    assert h.tasks.revoke(task_id) is True
    assert h.run_background() == 0
    h.refresh()
    assert h.text.startswith("got None") or h.text.startswith("failed")


def test_task_ids_are_unguessable_and_outbox_is_left_to_the_caller():
    h = Harness(load_interview_text(TASKS, "tasks.yml"))
    result = h.answer({"which": "returns"})
    assert len(result.outbox) == 1
    assert len(result.outbox[0].task_id) == 32
    assert result.outbox[0].session_id == h.session_id
    assert result.outbox[0].ui_notification == "flash"


def test_screen_json_uses_docassemble_keys():
    h = Harness(load_interview_text(TASKS, "tasks.yml"))
    data = json.loads(json.dumps(h.screen.to_json()))
    assert data["questionType"] == "fields"
    assert data["questionText"] == "Which task?"
    assert data["fields"] == [{"variable_name": "which", "label": "Task", "datatype": "text", "required": True}]
    assert data["block_id"] == "block-3"
    assert data["event_list"] == ["which"]


CHAIN = """\
mandatory: True
code: |
  first = background_action('start')
---
mandatory: True
question: |
  % if defined('second') and second.ready():
  Second says ${ second.get() }.
  % else:
  Working.
  % endif
reload: True
---
event: start
code: |
  background_response_action('chain', n=20)
---
event: chain
code: |
  second = background_action('double', n=action_argument('n'))
  background_response()
---
event: double
code: |
  background_response(action_argument('n') * 2)
"""


def test_a_task_queued_by_a_callback_is_sent_after_the_callback_is_saved():
    h = Harness(load_interview_text(CHAIN, "chain.yml"))
    assert h.text == "Working."
    sent = []
    original = h.tasks.send

    def send(task):  # at sending time the saved answers already hold the handle of the task
        handle = h.answers.get("second")
        sent.append((task.action, handle is not None and handle.task_id == task.task_id))
        original(task)

    h.tasks.send = send
    assert h.run_background() == 2
    assert sent == [("double", True)]
    h.refresh()
    assert h.text == "Second says 40."


PASSES = """\
initial: True
code: |
  passes = passes + 1 if defined('passes') else 1
---
event: count
code: |
  background_response(passes)
---
mandatory: True
question: Counting
check in: count
fields:
  - Note: note
"""


def test_a_check_in_evaluates_the_interview_before_running_its_action():
    h = Harness(load_interview_text(PASSES, "passes.yml"))
    assert h.answers["passes"] == 1
    commands = h.checkin(values={"note": ""}, initial=True)
    # the plain pass counted once more before the action ran (docassemble assembles twice)
    assert commands == [{"action": "count", "value": 2, "extra": "backgroundresponse"}]
    assert h.answers["passes"] == 2
