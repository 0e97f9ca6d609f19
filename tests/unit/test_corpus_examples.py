"""The corpus interviews step to the screens docassemble shows (phrases from scenarios.feature)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.harness import Harness

ADD_EXAMPLES = ["background_action", "background_action_with_response_action", "background_action_flash",
                "background_response_action_flash", "background_action_refresh",
                "background_action_javascript"]


@pytest.fixture
def run(corpus: Path):
    return lambda name, **kw: Harness(corpus / f"{name}.yml", **kw)


@pytest.mark.parametrize("name", ADD_EXAMPLES)
def test_background_examples_add_553(run, name):
    h = run(name)
    assert h.text.startswith("How much shall I add to 553?")
    h.answer({"Number": "2"})
    waiting = h.text
    assert "Hang tight." in waiting or "Your answer will appear shortly." in waiting
    assert len(h.tasks.sent) == 1
    assert h.tasks.sent[0].arguments == {"additional": 2}
    h.refresh()
    assert h.text == waiting  # not ready until the task has run
    assert h.run_background() == 1
    notifications = h.checkin()
    h.refresh()
    if name == "background_action_javascript":
        assert notifications == [{"value": "alert('The answer is 555.');", "extra": "javascript"}]
        assert h.text == "All done. The response was: alert(\u2018The answer is 555.\u2019);"
    elif name == "background_action_flash":
        assert notifications == [{"value": "The answer is 555.", "extra": "flash"}]
        assert h.text == "All done. The response was: The answer is 555."
    else:
        assert "The answer is 555." in h.text
    if name == "background_action_refresh":
        assert notifications == [{"value": None, "extra": "refresh"}]  # as the worker stores it
    if name == "background_response_action_flash":
        assert notifications == [{"value": "The answer is 555.", "extra": "flash"}]


def test_background_action_reload_and_task_handle(run):
    h = run("background_action")
    h.answer({"Number": "2"})
    assert h.screen.reload_after == 10000
    h.run_background()
    h.refresh()
    assert h.text == "The answer is 555."
    task = h.answers["the_task"]
    assert task.final["value"] == 555  # cached in the answers: no expiry can make it pending again
    h.tasks.states.clear()
    h.refresh()
    assert h.text == "The answer is 555."


def test_background_response_action_callback_value(run):
    h = run("background_action_with_response_action")
    h.answer({"Number": "2"})
    h.run_background()
    assert h.answers["answer"] == 555
    state = h.tasks.get(h.tasks.sent[0].task_id)
    assert state.status == "done"
    assert state.value == {}  # background_response() in the callback


def test_check_in_counts_and_collects_drafts(run):
    h = run("check-in")
    assert h.text == "What is your favorite food? Favorite food"
    assert h.screen.checkin == "track_drafts"
    assert h.checkin(values={"favorite_food": ""}, initial=True) == []
    h.checkin(values={"favorite_food": "apple"}, changed="favorite_food")
    h.checkin(values={"favorite_food": "soup"}, changed="favorite_food")
    h.answer({"Favorite food": "soup"})
    # drafts is a Python set: its order is not defined, in docassemble either
    assert h.text in (
        "Your favorite food Your favorite food is soup. You checked in 3 times. "
        f"Your draft choices were {pair}." for pair in ("apple and soup", "soup and apple"))


@pytest.mark.parametrize("name", ["target-template", "target-code-template", "target-code"])
def test_targets_are_filled_by_check_in(run, name):
    h = run(name)
    assert h.text == "What is your favorite food? Favorite food"
    assert h.screen.targets == ["feedback"]
    assert 'class="datargetfeedback"' in h.screen.under_text
    first = h.checkin(values={"favorite_food": ""}, initial=True)
    expected_first = "<em>What?</em>  You like nothing?" if name == "target-code-template" else ""
    assert first == [{"action": "question_food", "value": {"target": "feedback", "content": expected_first},
                      "extra": "backgroundresponse"}]
    soup = h.checkin(values={"Favorite food": "soup"}, changed="favorite_food")
    content = soup[0]["value"]["content"]
    assert content.replace("<em>", "").replace("</em>", "").replace("\n", " ") in (
        "What? You like SOUP?", "What?  You like SOUP?")
    h.answer({"Favorite food": "soup"})
    assert h.text == "Your favorite food is soup."


def test_target_code_multiple(run):
    h = run("target-code-multiple")
    assert h.screen.targets == ["feedback_one", "feedback_two"]
    commands = h.checkin(values={"favorite_food": "soup"})
    assert commands[0]["value"] == [{"target": "feedback_one", "content": "  (Please don't be gross.)"},
                                    {"target": "feedback_two", "content": "What? You like SOUP?"}]
    h.answer({"favorite_food": "soup"})
    assert h.text == "Your favorite food is soup."


def test_dialog_box(run):
    h = run("dialog-box")
    assert h.text.startswith("The current date is")
    h.press("Ok")
    assert h.text == "Ok, the interview is now over."
    h.refresh()
    assert h.text == "Ok, the interview is now over."


def test_reload_counts_views(run):
    h = run("reload")
    assert h.text == "You have viewed this screen 1 time."
    assert h.screen.reload_after == 10000
    h.refresh()
    assert h.text == "You have viewed this screen 2 times."
    h.press("Continue")
    assert h.text == "All done with the interview."


def test_refresh_under_and_flash(run):
    h = run("refresh")
    assert h.text.startswith("The current time is")
    assert h.screen.buttons[0].kind == "special"
    h.press("Tell me again")
    assert h.text.startswith("The current time is")
    h = run("under")
    assert h.text.startswith("What is the airspeed velocity of an unladen swallow?")
    assert "Note: if you did not catch this movie reference, you need to improve your cultural literacy." \
        in h.text
    h.answer({"Velocity": "40 mph"})
    assert h.text == "The velocity is 40 mph."
    h = run("flash")
    assert h.text == "The interview is complete."
    assert 'flash("Hello, user!")' in h.screen.script
    assert 'flash("Lookout, user!", "danger")' in h.screen.script


@pytest.mark.parametrize(("denominator", "phrase", "failed"), [("4", "The result was 2.5.", False),
                                                          ("0", "There was an error.", True)])
def test_background_error_action_demo(run, denominator, phrase, failed):
    h = run("background-error-action-demo")
    h.answer({"Numerator": "10", "Denominator": denominator})
    assert h.text == "Waiting for result\u2026"
    h.run_background()
    h.refresh()
    assert h.text == f"Result of task {phrase}"
    state = h.tasks.get(h.tasks.sent[0].task_id)
    assert (state.status == "failed") is failed
    if failed:
        assert state.error_type == "ZeroDivisionError"
        assert "division by zero" in state.error_message
        assert h.answers["computation_ok"] is False


def test_ajax_calc_and_flash(run):
    h = run("ajax-calc")
    assert h.text == "Let\u2019s calculate some stuff. A B C"
    assert h.checkin(values={"A": "4", "B": "5", "C": ""}, changed="var_b") == [
        {"action": "add_numbers", "value": {"var_c": 20.0}, "extra": "fields"}]
    h.answer({"A": "4", "B": "5", "C": "20.0"})
    assert h.text == "The correct answer is 20.0."
    h = run("ajax-flash")
    assert h.checkin(values={"favorite_food": "soup", "favorite_drink": ""}) == [
        {"action": "criticize_food", "value": "What? You like SOUP?", "extra": "flash"}]
    assert h.checkin(values={"favorite_food": "soup", "favorite_drink": ""})[0]["extra"] == \
        "backgroundresponse"  # the same food twice is not criticised again
    h.answer({"Favorite food": "soup", "Favorite drink": "water"})
    assert h.text == "Your favorite food is soup and your favorite drink is water."


def test_country_state(run):
    h = run("country-state")
    assert h.text == "Where do you live? Country State"
    assert {"label": "Canada", "value": "CA"} in h.screen.fields[0].choices
    assert {"label": "Alabama", "value": "AL"} in h.screen.fields[1].choices  # showifdef default US
    commands = h.checkin(values={"country": "CA", "state": "AL"}, changed="country")
    assert {"label": "Ontario", "value": "ON"} in commands[0]["value"]["state"]["choices"]
    assert h.answer({"country": "CA", "state": "TX"}).validation_errors == {
        "state": "Please choose one of the options."}  # Texas is not offered for Canada
    assert h.answer({"country": "XX", "state": "N/A"}).validation_errors["country"] == \
        "Please choose one of the options."
    assert "country" not in h.answers
    assert "state" not in h.answers
    h.answer({"country": "CA", "state": "ON"})
    assert h.text.startswith("You live in Ontario in Canada.")


def test_background_action_object(run):
    h = run("background_action_object")
    h.answer({"Number": "2"})
    assert h.result.kind == "command"
    assert h.result.command == "wait"
    assert h.result.sleep == 4
    again = h.refresh()
    assert again.command == "wait"
    assert again.save is False
    h.run_background()
    h.refresh()
    assert h.text == "The answer is 555."
