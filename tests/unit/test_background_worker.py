"""The background worker use case (offstage.app.background.process_task) with in-memory fakes."""

from __future__ import annotations

import random
import threading
import types

import pytest
from offstage.app.background import (
    RESERVE_SECONDS,
    MalformedTask,
    NotEnoughTime,
    parse_task,
    process_task,
    reject_malformed,
)
from offstage.engine.step import Question

from tests.unit.test_background_fakes import (  # noqa: F401 - scripted_engine is a fixture
    ScriptedInterview,
    Sessions,
    error,
    make_deps,
    queued,
    respond,
    respond_action,
    scripted_engine,
)


def setup(actions, answers=None, on_error=None):
    interview = ScriptedInterview(actions, on_error)
    deps = make_deps(interview)
    deps.sessions.add("sess-1", answers or {"value_to_add": 2})
    return deps, interview


def add_553(answers, args):
    answers["scratch"] = "phase one was here"  # must not survive: phase 1 runs on a private copy
    return respond(553 + args["additional"])


# --- background_response ------------------------------------------------------------------------

def test_value_is_stored_and_phase_one_changes_are_discarded():
    deps, _ = setup({"bg_task": add_553})
    process_task(deps, queued(additional=2))
    state = deps.ports.tasks.get("task-1")
    assert (state.status, state.value, state.error_type) == ("done", 555, None)
    assert "scratch" not in deps.sessions.answers("sess-1")
    assert deps.ports.tasks.take_notifications("sess-1") == []  # no ui_notification: nothing to say


@pytest.mark.parametrize(("mode", "value", "expected"), [
    ("flash", "The answer is 555.", {"value": "The answer is 555.", "extra": "flash"}),
    ("flash", ["The answer is 555.", "flash"], {"value": "The answer is 555.", "extra": "flash"}),
    ("javascript", "alert('The answer is 555.');", {"value": "alert('The answer is 555.');", "extra": "javascript"}),
    ("fields", {"the_number": 555}, {"value": {"the_number": 555}, "extra": "fields"}),
    ("fields", {"pargs": [{"a": 1}, "fields"], "kwargs": {"x": 2}}, {"value": {"a": 1}, "extra": "fields"}),
    ("refresh", "anything", {"value": None, "extra": "refresh"}),
    ("flash", {"target": "feedback", "content": "<b>hi</b>"},
     {"value": {"target": "feedback", "content": "<b>hi</b>"}, "extra": "backgroundresponse"}),
    ("refresh", [{"target": "a", "content": "1"}, {"target": "b", "content": "2"}],
     {"value": None, "extra": "refresh"}),
    ("javascript", [{"target": "a", "content": "1"}, {"target": "b", "content": "2"}],
     {"value": [{"target": "a", "content": "1"}, {"target": "b", "content": "2"}], "extra": "backgroundresponse"}),
])
def test_notification_shapes(mode, value, expected):
    deps, _ = setup({"bg_task": lambda answers, args: respond(value)})
    process_task(deps, queued(mode=mode))
    assert deps.ports.tasks.take_notifications("sess-1") == [expected]
    assert deps.ports.tasks.take_notifications("sess-1") == []  # each notification is handed out once


# --- background_response_action -----------------------------------------------------------------

def bg_resp(answers, args):
    answers["answer"] = args["ans"]
    return respond({})


def test_callback_saves_on_the_live_session_and_task_value_is_its_response():
    deps, interview = setup({"bg_task": lambda a, args: respond_action("bg_resp", ans=553 + a["value_to_add"]),
                             "bg_resp": bg_resp})
    process_task(deps, queued())
    assert deps.sessions.answers("sess-1")["answer"] == 555
    assert deps.ports.tasks.get("task-1").value == {}
    assert [c[0] for c in interview.calls] == ["bg_task", "bg_resp"]


def test_callback_without_response_gives_the_action_dict_like_docassemble():
    def bg_resp_question(answers, args):
        answers["answer"] = args["ans"]
        return Question()  # the interview went on to its next screen

    deps, _ = setup({"bg_task": lambda a, args: respond_action("bg_resp", ans=7), "bg_resp": bg_resp_question},)
    process_task(deps, queued(mode="flash"))
    assert deps.ports.tasks.get("task-1").value == {"action": "bg_resp", "arguments": {"ans": 7}}
    assert deps.sessions.answers("sess-1")["answer"] == 7


def test_callback_flash_comes_from_its_background_response():
    def bg_resp_flash(answers, args):
        answers["answer"] = args["ans"]
        return respond(f"The answer is {args['ans']}.")

    deps, _ = setup({"bg_task": lambda a, args: respond_action("bg_resp", ans=555), "bg_resp": bg_resp_flash})
    process_task(deps, queued(mode="flash"))
    assert deps.ports.tasks.take_notifications("sess-1") == [{"value": "The answer is 555.", "extra": "flash"}]


@pytest.mark.parametrize("seed", range(40))
def test_callback_racing_the_users_saves_loses_no_answer(seed):
    """Given a user who saves answers while the callback runs, every answer and the callback's survive."""
    rng = random.Random(seed)
    deps, _ = setup({"bg_task": lambda a, args: respond_action("bg_resp", ans=555), "bg_resp": bg_resp},
                    answers={"value_to_add": 2})
    sessions: Sessions = deps.sessions
    user_answers = [f"q{i}" for i in range(rng.randint(1, 6))]
    pending = list(user_answers)

    def the_user_saves_meanwhile(record):
        # at a random moment before the callback's write, the user's own screen save lands first
        while pending and rng.random() < 0.6:
            name = pending.pop(0)
            latest = sessions.load("sess-1", secret="s3cret")
            latest.answers[name] = f"typed {name}"
            sessions.before_save, hook = None, sessions.before_save
            sessions.save(latest, latest.answers, secret="s3cret")
            sessions.before_save = hook

    sessions.before_save = the_user_saves_meanwhile
    process_task(deps, queued())
    sessions.before_save = None
    for name in pending:  # the rest of the user's answers come after the callback
        latest = sessions.load("sess-1", secret="s3cret")
        latest.answers[name] = f"typed {name}"
        sessions.save(latest, latest.answers, secret="s3cret")
    final = sessions.answers("sess-1")
    assert final["answer"] == 555
    assert all(final[name] == f"typed {name}" for name in user_answers)
    assert deps.ports.tasks.get("task-1").status == "done"


def test_callback_and_user_threads_racing_lose_no_update():
    """Real threads: a user saving 30 answers with retries, and 5 callbacks; all 35 writes survive."""
    interview = ScriptedInterview({
        "bg_task": lambda a, args: respond_action("bg_resp", key=args["key"]),
        "bg_resp": lambda a, args: (a.__setitem__(args["key"], True), respond({}))[1],
    })
    deps = make_deps(interview)
    deps.sessions.add("sess-1", {})

    def user():
        for i in range(30):
            while True:
                record = deps.sessions.load("sess-1", secret="s3cret")
                record.answers[f"user{i}"] = i
                try:
                    deps.sessions.save(record, record.answers, secret="s3cret")
                    break
                except Exception:  # noqa: BLE001, S112 - a conflict: re-read and try again, like a screen save
                    continue

    def worker(n):
        process_task(deps, queued(task_id=f"t{n}", key=f"bg{n}"))

    threads = [threading.Thread(target=user)] + [threading.Thread(target=worker, args=(n,)) for n in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = deps.sessions.answers("sess-1")
    assert all(final[f"user{i}"] == i for i in range(30))
    assert all(final[f"bg{n}"] is True for n in range(5))


# --- failures -----------------------------------------------------------------------------------

def bg_failure(answers, args):
    answers["failure"] = dict(args)
    return respond(None) if "respond" not in args else respond(args["respond"])


def test_failing_action_is_recorded_runs_the_error_action_and_notifies_the_browser():
    deps, _interview = setup({"bg_task": lambda a, args: error("division by zero"), "bg_failure": bg_failure},
                            on_error={"action": "bg_failure", "arguments": {"stage": "calc", "error_type": "x"}})
    process_task(deps, queued(mode="flash"))
    state = deps.ports.tasks.get("task-1")
    assert (state.status, state.error_type, state.error_message) == ("failed", "ZeroDivisionError", "division by zero")
    assert state.error_trace == "Traceback: ZeroDivisionError"
    failure = deps.sessions.answers("sess-1")["failure"]  # the error action ran on the live session
    assert failure["stage"] == "calc"
    assert failure["error_type"] == "ZeroDivisionError"
    assert failure["error_message"] == "division by zero"
    assert failure["variables"] == []
    notes = deps.ports.tasks.take_notifications("sess-1")
    assert [n["extra"] for n in notes] == ["flash", "refresh"]
    assert "could not finish" in notes[0]["value"]
    assert "ZeroDivisionError" in notes[0]["value"]


def test_error_action_response_is_the_value_and_the_notification():
    deps, _ = setup({"bg_task": lambda a, args: error("boom", "ValueError"), "bg_failure": bg_failure},
                    on_error={"action": "bg_failure", "arguments": {"respond": "handled_error"}})
    process_task(deps, queued(mode="flash"))
    state = deps.ports.tasks.get("task-1")
    assert (state.status, state.value) == ("failed", "handled_error")
    assert deps.ports.tasks.take_notifications("sess-1") == [{"value": "handled_error", "extra": "flash"}]


def test_failure_without_ui_notification_is_recorded_silently():
    deps, _ = setup({"bg_task": lambda a, args: error("boom", "KeyError", ["b", "c"])})
    process_task(deps, queued())
    state = deps.ports.tasks.get("task-1")
    assert (state.status, state.error_type, state.variables) == ("failed", "KeyError", ["b", "c"])
    assert deps.ports.tasks.take_notifications("sess-1") == []


def test_failure_message_is_escaped():
    deps, _ = setup({"bg_task": lambda a, args: error("x", "<img src=x onerror=alert(1)>")})
    process_task(deps, queued(mode="javascript"))
    flash = deps.ports.tasks.take_notifications("sess-1")[0]
    assert flash["extra"] == "flash"
    assert "<img" not in flash["value"]
    assert "&lt;img" in flash["value"]


def test_engine_exception_is_a_failure_of_the_task():
    def explode(answers, args):
        raise RuntimeError("engine bug")

    deps, _ = setup({"bg_task": explode})
    process_task(deps, queued(mode="refresh"))
    state = deps.ports.tasks.get("task-1")
    assert (state.status, state.error_type, state.error_message) == ("failed", "RuntimeError", "engine bug")
    assert "Traceback" in state.error_trace


def test_action_that_asks_a_question_is_a_question_error():
    asked = Question(screen=types.SimpleNamespace(event_list=["favorite_food"]))
    deps, _ = setup({"bg_task": lambda a, args: asked})
    process_task(deps, queued())
    state = deps.ports.tasks.get("task-1")
    assert (state.status, state.error_type, state.variables) == ("failed", "QuestionError", ["favorite_food"])


def test_callback_error_fails_the_task_and_saves_nothing():
    deps, _ = setup({"bg_task": lambda a, args: respond_action("bg_resp"),
                     "bg_resp": lambda a, args: (a.__setitem__("half", 1), error("bad", "TypeError"))[1]})
    process_task(deps, queued())
    assert deps.ports.tasks.get("task-1").error_type == "TypeError"
    assert "half" not in deps.sessions.answers("sess-1")


def test_session_gone_marks_the_task_failed_without_retry():
    deps, _ = setup({"bg_task": add_553})
    deps.sessions.delete("sess-1")
    process_task(deps, queued(mode="flash", additional=1))  # does not raise: no retry
    state = deps.ports.tasks.get("task-1")
    assert (state.status, state.error_type) == ("failed", "SessionNotFound")


def test_session_deleted_before_the_callback_marks_the_task_failed():
    deps, _ = setup({"bg_task": lambda a, args: (deps.sessions.delete("sess-1"), respond_action("bg_resp"))[1],  # type: ignore[has-type]  # the closure runs after deps is assigned
                     "bg_resp": bg_resp})
    process_task(deps, queued())
    assert deps.ports.tasks.get("task-1").error_type == "SessionNotFound"


def test_transient_store_errors_raise_so_sqs_retries():
    deps, _ = setup({"bg_task": add_553})

    def unavailable(*args, **kwargs):
        raise ConnectionError("DynamoDB is unreachable")

    deps.sessions.load = unavailable
    with pytest.raises(ConnectionError):
        process_task(deps, queued(additional=1))
    state = deps.ports.tasks.get("task-1")
    assert state is None or not state.ready  # no outcome recorded: the retry decides
    del deps.sessions.load
    process_task(deps, queued(additional=1))  # SQS delivers it again once the store is back
    assert deps.ports.tasks.get("task-1").status == "done"


# --- duplicates ---------------------------------------------------------------------------------

def counting_callback(answers, args):
    answers["count"] = answers.get("count", 0) + 1
    return respond(f"count {answers['count']}")


def test_duplicate_delivery_has_one_effect():
    deps, interview = setup({"bg_task": lambda a, args: respond_action("bg_resp"), "bg_resp": counting_callback})
    process_task(deps, queued(mode="flash"))
    process_task(deps, queued(mode="flash"))
    assert deps.sessions.answers("sess-1")["count"] == 1
    assert deps.ports.tasks.take_notifications("sess-1") == [{"value": "count 1", "extra": "flash"}]
    assert [c[0] for c in interview.calls] == ["bg_task", "bg_resp"]  # the second delivery ran nothing


def test_redelivery_after_a_crash_between_save_and_finish_does_not_apply_the_callback_twice():
    deps, _ = setup({"bg_task": lambda a, args: respond_action("bg_resp"), "bg_resp": counting_callback})
    finish = deps.ports.tasks.finish

    def crash(*args, **kwargs):
        raise ConnectionError("the invocation died before recording the outcome")

    deps.ports.tasks.finish = crash
    with pytest.raises(ConnectionError):
        process_task(deps, queued())
    deps.ports.tasks.finish = finish
    process_task(deps, queued())  # SQS delivers it again
    assert deps.sessions.answers("sess-1")["count"] == 1
    assert deps.ports.tasks.get("task-1").status == "done"


def test_a_store_claim_refusal_skips_the_task():
    deps, interview = setup({"bg_task": add_553})
    deps.ports.tasks.start = lambda task_id, lease_seconds: False  # another delivery holds the claim
    process_task(deps, queued(additional=1))
    assert interview.calls == []
    assert deps.ports.tasks.get("task-1") is None


# --- time ---------------------------------------------------------------------------------------

def test_action_past_its_deadline_fails_with_timeout_error():
    release = threading.Event()

    def slow(answers, args):
        release.wait()
        return respond("too late")

    deps, _ = setup({"bg_task": slow})
    deps.settings.background_timeout_seconds = 0.2
    try:
        process_task(deps, queued(mode="flash"))
    finally:
        release.set()
    state = deps.ports.tasks.get("task-1")
    assert (state.status, state.error_type, state.value) == ("failed", "TimeoutError", None)
    assert [n["extra"] for n in deps.ports.tasks.take_notifications("sess-1")] == ["flash", "refresh"]


def test_too_little_time_left_hands_the_task_back_to_sqs():
    deps, interview = setup({"bg_task": add_553})
    with pytest.raises(NotEnoughTime):
        process_task(deps, queued(additional=1), time_left=lambda: RESERVE_SECONDS + 1)
    assert interview.calls == []


def test_deadline_comes_from_the_remaining_time():
    release = threading.Event()
    deps, _ = setup({"bg_task": lambda a, args: (release.wait(), respond(1))[1]})
    try:
        process_task(deps, queued(), time_left=lambda: RESERVE_SECONDS + 3.2)
    finally:
        release.set()
    assert deps.ports.tasks.get("task-1").error_type == "TimeoutError"


# --- messages -----------------------------------------------------------------------------------

def test_parse_task_reads_the_queue_message():
    task = parse_task('{"task_id": "t1", "session_id": "s1", "interview": "x.yml", "action": "bg_task", '
                      '"arguments": {"additional": 2}, "ui_notification": "flash", "user": {"id": "7"}, '
                      '"secret": "k"}')
    assert (task.task_id, task.action, task.arguments, task.ui_notification, task.secret) == \
        ("t1", "bg_task", {"additional": 2}, "flash", "k")


@pytest.mark.parametrize(("body", "problem", "task_id"), [
    ("not json", "not JSON", None),
    ("[1, 2]", "not a JSON object", None),
    ('{"task_id": "t9", "session_id": "s1", "interview": "x.yml"}', "lacks action", "t9"),
    ('{"task_id": "t9", "session_id": "s1", "interview": "x.yml", "action": "a", "ui_notification": "pop"}',
     "unknown ui_notification", "t9"),
])
def test_malformed_messages_are_named(body, problem, task_id):
    with pytest.raises(MalformedTask) as caught:
        parse_task(body)
    assert problem in str(caught.value)
    assert caught.value.task_id == task_id


def test_a_malformed_message_naming_a_task_marks_it_failed():
    deps, _ = setup({})
    try:
        parse_task('{"task_id": "t9", "session_id": "sess-1", "interview": "x.yml"}')
    except MalformedTask as problem:
        reject_malformed(deps, problem)
    state = deps.ports.tasks.get("t9")
    assert (state.status, state.error_type) == ("failed", "MalformedTask")
    assert "lacks action" in state.error_message


def test_the_claim_carries_a_lease_ending_with_the_invocation():
    deps, _ = setup({"bg_task": add_553})
    leases = []
    deps.ports.tasks.start = lambda task_id, lease_seconds: leases.append((task_id, lease_seconds)) or True
    process_task(deps, queued(additional=1), time_left=lambda: 60.0)
    assert deps.ports.tasks.get("task-1").value == 554
    assert leases[0][0] == "task-1"
    assert 0 < leases[0][1] <= 60.0


