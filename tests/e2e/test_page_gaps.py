"""The page's smaller docassemble behaviours in a real browser (tests/e2e/interviews/page_gaps.yml): a
`script:` of bare JavaScript, the question help button and its label, `show if` naming a field of the
screen, "None of the above" asking for a choice, choice help, and action_call()'s forgetPrior / readOnly."""

from __future__ import annotations

import pytest

from tests.e2e.accessibility import violations
from tests.e2e.tabs import watched_tab

pytestmark = pytest.mark.e2e

NAME = "page_gaps.yml"


@pytest.fixture
def page(browser, stack):
    with watched_tab(browser, viewport={"width": 1005, "height": 900}) as tab:
        tab.goto(f"{stack.url}/interview?i={NAME}&reset=1")
        yield tab


def control(page, label):
    return page.locator("#" + page.locator(f'//label[text()="{label}"]').get_attribute("for"))


def call_action(page, action, forget_prior=False, read_only=False):
    return page.evaluate("([a, f, r]) => new Promise(done => action_call(a, {}, done, f, r))",
                         [action, forget_prior, read_only])


def test_a_script_of_bare_javascript_runs_with_the_page_and_is_not_shown_as_text(page):
    assert page.locator("#scripted").inner_text() == "Script ran"
    assert "$(" not in page.inner_text("body")


def test_the_question_help_button_carries_the_help_label_and_opens_the_help(page):
    button = page.locator("//button[text()='What is a fruit?']")
    assert button.is_visible()
    assert not page.locator("#dahelp").is_visible()
    button.click()
    assert page.locator("#dahelp").is_visible()
    assert "A fruit carries seeds." in page.locator("#dahelp").inner_text()
    page.locator("#dabackToQuestion").click()
    assert page.locator("#daquestion").is_visible()


def test_show_if_naming_a_field_follows_that_fields_answer(page):
    favorite = page.locator('[data-variable="favorite_fruit"]')
    assert not favorite.is_visible()
    page.locator("//label[span[text()='Yes']]").click()
    assert favorite.is_visible()
    page.locator("//label[span[text()='No']]").click()
    assert not favorite.is_visible()
    assert control(page, "Favorite fruit").is_disabled()


def test_none_of_the_above_must_be_chosen_explicitly(page):
    page.locator("//label[span[text()='No']]").click()
    page.locator("//button[text()='Continue']").click()
    message = page.locator(".da-nota-error")
    assert message.inner_text() == "Check at least one option, or check \u201cNot any season\u201d"
    assert "Tell us about fruit." in page.inner_text("body")  # nothing was sent
    assert violations(page) == []
    page.locator("//label[span[text()='Not any season']]").click()
    with page.expect_navigation():
        page.locator("//button[text()='Continue']").click()
    assert "Liked fruit: False, seasons: , visits: 0." in page.inner_text("body")
    # the next question's help has no label of its own: the button says the metadata's `help label`
    assert page.locator("//button[text()='Need a hand?']").is_visible()


def test_a_choice_with_help_has_a_help_button_that_shows_it_without_ticking_the_box(page):
    toggle = page.locator(".dachoicehelp")
    assert toggle.count() == 1
    assert toggle.get_attribute("aria-label") == "Help: Summer"
    assert not page.get_by_text("June to").is_visible()
    toggle.click()
    assert page.locator(".dahelptext em", has_text="August").is_visible()
    assert not page.locator("//label[span[text()='Summer']]/input").is_checked()


def test_action_call_read_only_saves_nothing_and_forget_prior_drops_a_pending_action(page, stack):
    assert call_action(page, "count_visit", read_only=True) == {"visits": 1}
    assert call_action(page, "count_visit", read_only=True) == {"visits": 1}  # the first was not kept
    assert call_action(page, "count_visit") == {"visits": 1}
    assert call_action(page, "count_visit") == {"visits": 2}
    # an action that shows a question stays pending: the page shows it again until it is answered ...
    page.evaluate("action_perform('detour', {})")
    page.wait_for_selector("text=A detour.")
    page.goto(f"{stack.url}/interview?i={NAME}")
    assert "A detour." in page.inner_text("body")
    # ... unless a call says forgetPrior
    assert call_action(page, "count_visit", forget_prior=True) == {"visits": 3}
    page.goto(f"{stack.url}/interview?i={NAME}")
    assert "Tell us about fruit." in page.inner_text("body")


def test_a_combobox_offers_the_choices_and_takes_a_typed_answer_by_keyboard(page, stack):
    page.goto(f"{stack.url}/interview?i=combobox_page.yml&reset=1")
    box = page.locator("input.dacombobox")
    assert box.get_attribute("role") is None
    assert page.evaluate("document.querySelector('input.dacombobox').list.options.length") == 2
    assert box.get_attribute("aria-labelledby") == "daMainQuestion"
    assert violations(page) == []
    box.focus()
    page.keyboard.type("green")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "And your second favorite?" in page.inner_text("body")
    assert violations(page) == []
    control(page, "Color").fill("Teal")
    with page.expect_navigation():
        page.locator("//button[text()='Continue']").click()
    assert "Colors: green and Teal." in page.inner_text("body")


def test_font_awesome_icons_are_drawn_and_its_stylesheet_loads_only_on_pages_with_icons(page, stack):
    icon = page.locator("i.fas.fa-sun")
    assert icon.get_attribute("aria-hidden") == "true"
    page.wait_for_function("document.fonts.check('900 16px \"Font Awesome 6 Free\"')")
    glyph = icon.evaluate("el => getComputedStyle(el, '::before').content")
    assert glyph not in ("none", "normal", "")
    assert icon.evaluate("el => getComputedStyle(el).fontFamily").startswith('"Font Awesome 6 Free"')
    assert page.locator('link[href*="fontawesome.min.css"]').count() == 1
    page.goto(f"{stack.url}/interview?i=combobox_page.yml&reset=1")
    assert page.locator('link[href*="fontawesome.min.css"]').count() == 0


def test_a_combobox_choice_picked_from_its_menu_answers_with_the_choices_value(page, stack):
    page.goto(f"{stack.url}/interview?i=combobox_page.yml&reset=1")
    page.locator("button.dacomboboxtoggle").click()
    page.locator("div.combobox-container a.dropdown-item", has_text="Green").click()
    assert page.locator("input.dacombobox").input_value() == "Green"
    with page.expect_navigation():
        page.locator("//button[text()='Continue']").click()
    assert "And your second favorite?" in page.inner_text("body")


def test_a_field_that_disables_others_turns_them_off_once_answered(page, stack):
    page.goto(f"{stack.url}/interview?i=disable_others_page.yml&reset=1")
    other = control(page, "Another tea")
    assert not other.is_disabled()
    control(page, "Tea").select_option(label="Black")
    assert other.is_disabled()  # not required, not posted
    with page.expect_navigation():
        page.locator("//button[text()='Continue']").click()
    assert "Tea: Black." in page.inner_text("body")
