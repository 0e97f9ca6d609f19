"""An attacker's names: actions and variable names from requests are data, never code.

Each test sends what an anonymous visitor (a `?action=` link, a check-in), an API-key holder
(`POST /api/session` variables) or a tampered stored session can send, and asserts that nothing ran,
nothing was set, and the refusal names the problem.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from offstage.errors import BadRequest
from offstage.interview import load_interview_text

from tests.support.doubles import OneInterview
from tests.support.harness import Harness
from tests.support.interviews import FRUITS

# Each runs code that creates the marker file if anything evaluates it.
RUNS_CODE = [
    "fruits[__import__('os').system('touch {marker}')]",
    "__import__('os').system('touch {marker}')",
    "fruits[open('{marker}', 'w').close()]",
    "fruits.append(open('{marker}', 'w')).there_is_another",
    "fruits[(lambda: open('{marker}', 'w'))()]",
    "fruits[0].__class__.__init__.__globals__['os'].system('touch {marker}')",
    "[open('{marker}', 'w') for _ in 'x'][0]",
    "fruits[open('{marker}','w') and 0]",
    "fruits[i if open('{marker}', 'w') else 0]",
]

# No call in them, but each reaches what no interview may name.
PRIVATE = [
    "fruits.__class__", "fruits[0].__globals__", "x.__class__", "final_screen.__doc__",
    "fruits._internal", "_internal", "__builtins__", "fruits[__name__]", "fruits[_]",
    "fruits.\uff3f\uff3fclass\uff3f\uff3f",  # fullwidth low lines: Python reads them as `__class__`
]

MALFORMED = [
    "a" * 100_000, "fruits" + ".there_is_another" * 5_000, "fruits" + "[0]" * 5_000, "[" * 100_000,
    "fruits[" * 50_000 + "0" + "]" * 50_000, "fruits\u200b[0]", "fruits[0]\x00", "fruits[i]\n.x",
    "fruits[0] or 1", "fruits[0]; 1", "fruits[0:1]", "fruits[0][", "fruits.", "fruits..x", "fruits[]",
    "fruits[0.5]", "fruits['a' 'b']", "fruits['\\x41']", "class", "fruits.import", "", " ", "1fruits",
    "fruits[\u202e0]", "fruits[-]", "fruits['unterminated]",
]


@pytest.fixture
def visitor() -> Harness:
    """A session at its first question ("What fruit?") with one fruit named."""
    h = Harness(load_interview_text(FRUITS, "fruits.yml"))
    h.answer({"Fruit": "apple"})
    assert "Another fruit?" in h.text
    return h


def _saved(h: Harness) -> bytes:
    """The session as stored: what a later request would load."""
    from offstage.answers.codec import dumps

    return dumps(h.answers)


def _unchanged(h: Harness, before: bytes) -> None:
    assert _saved(h) == before
    h.refresh()
    assert "Another fruit?" in h.text
    assert not h.answers["_internal"].get("event_stack")


@pytest.mark.parametrize("template", RUNS_CODE)
def test_an_action_that_is_code_runs_nothing_and_is_refused(visitor, tmp_path, template):
    marker = tmp_path / "pwned"
    before = _saved(visitor)
    with pytest.raises(BadRequest) as refused:
        visitor.action(template.format(marker=marker))
    assert not marker.exists()
    assert refused.value.code == "unknown_action"
    assert refused.value.status == 400
    assert "action" in refused.value.message
    _unchanged(visitor, before)
    assert not marker.exists()


@pytest.mark.parametrize("name", PRIVATE + MALFORMED)
def test_private_and_malformed_action_names_are_refused_with_a_clear_message(visitor, name):
    before = _saved(visitor)
    with pytest.raises(BadRequest) as refused:
        visitor.action(name)
    assert refused.value.code == "unknown_action"
    assert len(refused.value.message) < 400  # a 100,000-character name is not echoed whole
    _unchanged(visitor, before)


def test_a_well_formed_action_the_interview_does_not_define_is_refused_by_name(visitor):
    before = _saved(visitor)
    with pytest.raises(BadRequest) as refused:
        visitor.action("no_such_event")
    assert "no_such_event" in refused.value.message
    assert refused.value.code == "unknown_action"
    with pytest.raises(BadRequest):
        visitor.action("fruits.there_are_any.real")  # defined (by code), but no block defines it so
    _unchanged(visitor, before)


def test_actions_the_interview_defines_still_run(visitor):
    visitor.action("show_first")
    assert "Your first fruit is apple." in visitor.text
    visitor.action("fruits[1]")
    assert "What fruit?" in visitor.text
    visitor.answer({"Fruit": "pear"})
    visitor.action("final_screen")
    assert "You like apple and pear." in visitor.text


def test_a_stored_pending_action_that_is_code_is_dropped_not_run(visitor, tmp_path):
    """Sessions saved by older versions may hold such an action in their event stack."""
    marker = tmp_path / "pwned"
    visitor.answers["_internal"]["event_stack"] = [
        {"action": f"fruits[__import__('os').system('touch {marker}')]", "arguments": {}}]
    visitor.refresh()
    assert not marker.exists()
    assert "Another fruit?" in visitor.text
    assert not visitor.answers["_internal"].get("event_stack")


def test_a_stored_question_binding_that_is_code_is_not_run(tmp_path):
    """The question on screen keeps how its index was spelled; older versions kept any text there."""
    marker = tmp_path / "pwned"
    h = Harness(load_interview_text(FRUITS, "fruits.yml"))
    h.answers["_internal"]["current"]["bindings"] = {"i": f"__import__('os').system('touch {marker}')"}
    h.answer({"Fruit": "apple"})
    assert not marker.exists()
    assert "What fruit?" in h.text  # the answer to a question it cannot place is not taken


# --- variables posted to the JSON API ---------------------------------------------------------------


@pytest.mark.parametrize("name", [
    "value.__globals__['offstage_pwned']", "define.__globals__['offstage_pwned']",
    "fruits.__class__.offstage_pwned", "fruits.__dict__['offstage_pwned']", "__builtins__",
    "fruits.\uff3f\uff3fclass\uff3f\uff3f.offstage_pwned", "_internal", "fruits[0].__globals__",
    "fruits[__import__('os').getpid()]", "a" * 10_000,
])
def test_an_api_variable_with_a_private_name_is_refused_and_nothing_is_set(visitor, name):
    import offstage.engine.functions as functions

    before = _saved(visitor)
    result = visitor.step(posted={name: "x", "favorite": "pear"}, raw_values=False, interface="api")
    assert name in result.validation_errors
    assert "not a variable name" in result.validation_errors[name]
    assert "offstage_pwned" not in vars(functions)
    assert not hasattr(type(visitor.answers["fruits"]), "offstage_pwned")
    assert _saved(visitor) == before  # not even the valid one beside it


def test_a_browser_form_key_that_is_not_a_name_is_a_400_naming_it(visitor):
    before = _saved(visitor)
    block = visitor.screen.block_id
    with pytest.raises(BadRequest) as refused:
        visitor.step(question_id=block, posted={"fruits.there_is_another": "yes",
                             "fruits.__class__.x": "1"})
    assert "fruits.__class__.x" in refused.value.message
    assert _saved(visitor) == before


def test_an_event_list_naming_something_that_is_not_a_name_is_refused(visitor):
    with pytest.raises(BadRequest) as refused:
        visitor.step(button="refresh", event_list=["fruits.there_is_another", "fruits.__class__"])
    assert "fruits.__class__" in refused.value.message


# --- background tasks, callbacks and cron -----------------------------------------------------------


def test_a_background_task_with_a_code_action_fails_without_running_it(visitor, tmp_path):
    from offstage.engine.background import run_callback
    from offstage.ports import QueuedTask

    marker = tmp_path / "pwned"
    evil = f"fruits[__import__('os').system('touch {marker}')]"
    task = QueuedTask(task_id="t1", session_id=visitor.session_id, interview="fruits.yml", action=evil,
                      arguments={})
    visitor.tasks.send(task)
    visitor.run_background()  # the worker's own use case
    state = visitor.tasks.get("t1")
    assert state.status == "failed"
    assert state.error_type == "UnknownAction"
    _value, result = run_callback(visitor.interview, visitor.answers, evil, {}, visitor.ports(), task)
    assert result.kind == "error"
    assert result.error["type"] == "UnknownAction"
    assert not result.save
    assert not marker.exists()


def test_a_cron_run_of_an_action_that_is_code_fails_without_running_it(visitor, tmp_path):
    from offstage.engine.cron import run_cron_event

    marker = tmp_path / "pwned"
    result = run_cron_event(visitor.interview, visitor.answers, f"fruits[open('{marker}', 'w') and 0]",
                            session_id=visitor.session_id, interview_name="fruits.yml", ports=visitor.ports())
    assert result.kind == "error"
    assert result.error["type"] == "UnknownAction"
    assert not result.save
    assert not marker.exists()


def test_a_check_in_with_a_code_action_is_refused(visitor, tmp_path):
    from offstage.engine.checkin import run_checkin

    marker = tmp_path / "pwned"
    with pytest.raises(BadRequest):
        visitor.step(run_checkin, action=f"fruits[open('{marker}', 'w') and 0]", interface="checkin")
    assert not marker.exists()


# --- the author functions ----------------------------------------------------------------------------


def test_value_and_defined_take_names_only(tmp_path):
    marker = tmp_path / "pwned"
    source = FRUITS + f"""\
---
event: probe
code: |
  results = []
  for text in ["fruits[open('{marker}', 'w') and 0]", "fruits.__class__", "fruits[0]"]:
    try:
      results.append(repr(defined(text)))
    except ValueError as err:
      results.append('refused')
  try:
    value("__import__('os').system('touch {marker}')")
  except ValueError as err:
    results.append('refused')
  background_response(results)
"""
    h = Harness(load_interview_text(source, "probe.yml"))
    h.answer({"Fruit": "apple"})
    result = h.action("probe")
    assert result.value == ["refused", "refused", "True", "refused"]
    assert not marker.exists()


# --- caches ------------------------------------------------------------------------------------------


def test_many_distinct_request_names_leave_the_interviews_cache_as_it_was(visitor):
    visitor.action("fruits[1]")
    size = len(visitor.interview.cache)
    for n in range(300):
        visitor.action(f"fruits[{n + 2}]")
        with pytest.raises(BadRequest):
            visitor.action(f"nothing_{n}")
    assert len(visitor.interview.cache) == size


# --- the grammar on any text --------------------------------------------------------------------------

_NAMEISH = st.text(alphabet=string.ascii_letters + string.digits + "_.[]'\"()-\\ :;,+*=\n\uff3f\u0131",
                   max_size=80)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=200), _NAMEISH))
def test_the_parser_never_evaluates_and_only_ever_raises_its_own_error(text):
    import ast
    import builtins

    from offstage.engine import varpath

    def forbidden(*args, **kwargs):
        raise AssertionError("the parser evaluated or compiled request text")

    saved = builtins.eval, builtins.exec, builtins.compile, ast.parse
    builtins.eval = builtins.exec = builtins.compile = ast.parse = forbidden
    try:
        try:
            path = varpath.parse_name(text)
        except varpath.NotAName as refused:
            assert refused.reason  # noqa: PT017 - a property: refusing is one allowed outcome of two
            return
    finally:
        builtins.eval, builtins.exec, builtins.compile, ast.parse = saved
    assert not path.root.startswith("_")
    assert all(not getattr(step, "name", "x").startswith("_") for step in path.steps)
    assert varpath.parse_name(path.spelling) == path  # the canonical spelling reads back the same
    with pytest.raises(NameError):
        varpath.get(path, {})


def test_the_worker_marks_a_task_with_a_code_action_failed_and_goes_on(tmp_path):
    """The queue worker (fakes for the stores, the real engine): the task fails, the session is kept."""
    from offstage.app.background import process_task
    from offstage.app.deps import Deps
    from offstage.context import Ports
    from offstage.ports import QueuedTask

    from tests.unit.test_background_fakes import Queue, Sessions, Settings, Tasks

    marker = tmp_path / "pwned"
    evil = f"fruits[__import__('os').system('touch {marker}')]"
    callback = FRUITS + f"""\
---
event: bg_task
code: |
  background_response_action("{evil}")
"""
    interview = load_interview_text(callback, "fruits.yml")

    deps = Deps(sessions=Sessions(), interviews=OneInterview(interview), ports=Ports(queue=Queue(), tasks=Tasks()), settings=Settings())  # type: ignore[arg-type]  # a partial double: only what this test reaches
    deps.sessions.add("sess-1", {"fruits_known": True}, interview="fruits.yml")
    for task_id, action in (("task-1", evil), ("task-2", "bg_task")):
        process_task(deps, QueuedTask(task_id=task_id, session_id="sess-1", interview="fruits.yml",
                                      action=action, arguments={}, user={"id": "u1"}, secret="s3cret"))
        state = deps.ports.tasks.get(task_id)
        assert (state.status, state.error_type) == ("failed", "UnknownAction")
    assert deps.sessions.answers("sess-1") == {"fruits_known": True}
    assert not marker.exists()


@pytest.mark.parametrize("name", ["people.object_type.offstage_pwned", "people.object_type.using",
                                  "people.gather.offstage_pwned", "people.elements.offstage_pwned"])
def test_an_api_variable_cannot_change_a_class_or_anything_shared_with_other_sessions(name):
    """A class reached through an object's attribute is shared by every session the process serves."""
    from offstage.library import exports

    source = "objects:\n  - people: DAList.using(object_type=DAObject)\n---\nmandatory: True\n" \
             "question: Hello ${ people.instanceName }\n"
    h = Harness(load_interview_text(source, "people.yml"))
    assert "Hello people" in h.text
    before = _saved(h)
    result = h.step(posted={name: "x"}, raw_values=False, interface="api")
    assert name in result.validation_errors
    assert not hasattr(dict(exports())["DAObject"], "offstage_pwned")
    assert _saved(h) == before


_ACTIONS = st.one_of(
    st.text(max_size=120), _NAMEISH,
    st.builds(lambda head, tail: head + tail,
              st.sampled_from(["fruits", "fruits[0]", "fruits[i]", "final_screen", "show_first",
                               "fruits.there_is_another"]),
              _NAMEISH))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(_ACTIONS)
def test_any_action_text_is_a_screen_or_a_400_never_a_crash(visitor, action):
    from offstage.errors import UnknownAction

    try:
        result = visitor.action(action)
    except UnknownAction as refused:
        assert refused.status == 400  # noqa: PT017 - a property: refusing is one allowed outcome of two
        assert refused.message  # noqa: PT017 - as above
    else:
        assert result.kind in ("question", "error", "undefined_variable", "message", "response")


def test_an_object_renamed_by_the_api_to_code_is_never_run_when_its_attribute_is_sought(tmp_path):
    """A library object names its missing attributes by its instanceName, which the API can set: the
    name sought later (for an anonymous visitor, say) must still be data."""
    marker = tmp_path / "pwned"
    source = """\
objects:
  - user: DAObject
---
mandatory: True
question: Hello ${ user.favorite }
---
generic object: DAObject
question: Favorite?
fields:
  - Favorite: x.favorite
"""
    h = Harness(load_interview_text(source, "generic.yml"))
    assert "Favorite?" in h.text
    evil = f"(__import__('os').system('touch {marker}') or user)"
    result = h.step(posted={"user.instanceName": evil}, raw_values=False, interface="api")
    assert not result.validation_errors
    h.refresh()
    assert not marker.exists()
