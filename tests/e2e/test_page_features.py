"""docassemble's page in a real browser (tests/e2e/interviews/page_features.yml): Bootstrap and jQuery,
the navbar (title, Back, Help tab, menu), field help, the error summary after a failed submit, the page
JavaScript API, and the error screen with its way out; axe-core checks each screen."""

from __future__ import annotations

import pytest

from tests.e2e.accessibility import violations
from tests.e2e.tabs import watched_tab

pytestmark = pytest.mark.e2e

NAME = "page_features.yml"


@pytest.fixture
def page(browser, stack):
    with watched_tab(browser, viewport={"width": 1005, "height": 900}) as tab:
        tab.goto(f"{stack.url}/interview?i={NAME}&reset=1")
        yield tab


def answer_first_question(page):
    page.fill("#" + page.locator('//label[text()="Name"]').get_attribute("for"), "Ada")
    page.locator("//label[span[text()='Apple']]").click()
    page.locator("//label[span[text()=\"I don\u2019t know\"]]").click()
    with page.expect_navigation():
        page.locator('//button[text()="Continue"]').click()


def test_the_page_runs_bootstrap_and_jquery_and_author_html_with_bootstrap_classes_is_styled(page):
    assert page.evaluate("jQuery.fn.jquery").startswith("3.7")
    assert page.evaluate("typeof bootstrap.Modal") == "function"
    button = page.locator("#author-button")
    colour = button.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")  # .btn-primary from Bootstrap's CSS
    assert page.locator("#daform #daMainQuestion").inner_text() == "What do you like?"
    assert page.locator("#dapagetitle").inner_text() == "Page features"
    assert page.evaluate("window.pageLoads") == 1  # daPageLoad fired once
    assert violations(page) == []


def test_the_help_tab_shows_the_question_and_interview_help_and_goes_back(page):
    assert not page.locator("#dahelp").is_visible()
    page.locator("#dahelptoggle").click()
    assert page.locator("#dahelp").is_visible()
    assert not page.locator("#daquestion").is_visible()
    text = page.locator("#dahelp").inner_text()
    assert "Pick the fruits you like." in text
    assert "About this interview" in text
    assert violations(page) == []
    page.locator("#dabackToQuestion").click()
    assert page.locator("#daquestion").is_visible()
    assert page.evaluate("document.activeElement.id") == "daMainQuestion"


def test_field_help_opens_under_its_field(page):
    toggle = page.locator(".dafieldhelp").first
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.get_by_text("Your full name.").is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator(".dahelptext em", has_text="full").is_visible()


def test_a_failed_submit_moves_the_focus_to_a_summary_that_links_to_each_field(page):
    # a checkbox group with "None of the above" is answered in the page before anything is sent (as in
    # docassemble: tests/e2e/test_page_gaps.py); the server then finds the fields left empty
    page.locator("//label[span[text()='Pear']]").click()
    with page.expect_navigation():
        page.locator('//button[text()="Continue"]').click()
    assert page.evaluate("document.activeElement.id") == "daerrorsummary"
    links = page.locator("#daerrorsummary a")
    assert links.count() == 2
    assert "Name" in links.nth(0).inner_text()
    assert "Sure" in links.nth(1).inner_text()
    links.nth(0).click()
    assert page.evaluate("document.activeElement.name") == "user_name"
    assert page.locator(".da-required .da-label", has_text="Name").count() == 1  # marked as required
    assert violations(page) == []


def test_none_of_the_above_clears_the_other_boxes_and_the_page_api_reads_and_sets_fields(page):
    page.locator("//label[span[text()='Apple']]").click()
    assert page.evaluate("val('fruits')") == ["Apple"]
    assert page.evaluate("val(\"fruits['Apple']\")") is True
    page.locator("//label[span[text()='None of the above']]").click()
    assert page.evaluate("val('fruits')") == []
    assert page.evaluate("val('fruits[nota]')") is True
    page.evaluate("setField('fruits', ['Pear'])")
    assert page.evaluate("val('fruits')") == ["Pear"]
    page.evaluate("setField('user_name', 'Grace')")
    assert page.evaluate("val('user_name')") == "Grace"
    assert page.evaluate("getField('user_name').id") == page.locator('//label[text()="Name"]').get_attribute("for")
    assert page.evaluate("getField('fruits').tagName") == "FIELDSET"
    assert set(page.evaluate("getFields()")) >= {"user_name", "fruits", 'fruits["Apple"]', "sure"}
    page.evaluate("flash('Saved <b>it</b>', 'warning')")
    assert page.locator("#daflash .alert-warning b", has_text="it").count() == 1
    page.evaluate("daShowSpinner()")
    assert page.locator("#daSpinner").is_visible()
    page.evaluate("daHideSpinner()")
    assert page.locator("#daSpinner").count() == 0


def test_action_call_and_get_interview_variables_reach_the_session(page):
    answer = page.evaluate("""() => new Promise(done => action_call('api_add', {a: 2, b: 3}, done))""")
    assert answer == {"sum": 5}
    data = page.evaluate("""() => new Promise(done => get_interview_variables(done))""")
    assert data["success"] is True
    assert data["i"] == NAME
    assert "menu_items" in data["variables"]
    assert page.evaluate("url_action('counted', {})").startswith(f"/interview?i={NAME}&action=")


def test_the_menu_runs_menu_items_and_back_in_the_navbar_returns(page):
    answer_first_question(page)
    assert "Hello Ada, sure is None." in page.inner_text("body")
    page.locator("a.dropdown-toggle").click()
    with page.expect_navigation():
        page.locator('//a[text()="Count a visit"]').first.click()
    assert "Visits: 1." in page.inner_text("body")
    with page.expect_navigation():
        page.locator("button.dabackicon").click()
    assert page.locator("#daMainQuestion").inner_text() == "What do you like?"


def test_an_error_in_interview_code_shows_a_plain_error_with_a_reference_and_a_way_out(page):
    answer_first_question(page)
    with page.expect_navigation() as navigation:
        page.locator('//button[text()="Continue"]').click()
    assert navigation.value.status == 500
    assert page.title() == "Error"
    assert page.locator("h1", has_text="Error").count() == 1
    assert "Reference:" in page.inner_text("body")
    assert "ZeroDivisionError" not in page.inner_text("body")
    assert violations(page) == []
    with page.expect_navigation():
        page.locator('//a[text()="Back"]').click()
    assert "Hello Ada" in page.inner_text("body")
    page.goto(page.url)  # Restart from the error page starts a new session
    with page.expect_navigation():
        page.locator('//button[text()="Continue"]').click()
    with page.expect_navigation():
        page.locator('//a[text()="Restart"]').click()
    assert page.locator("#daMainQuestion").inner_text() == "What do you like?"


def test_exit_in_the_menu_ends_the_session_and_shows_the_interviews(page, stack):
    page.fill("#" + page.locator('//label[text()="Name"]').get_attribute("for"), "Ada")
    page.locator("a.dropdown-toggle").click()
    with page.expect_navigation():
        page.locator('//a[text()="Exit"]').first.click()
    assert page.url.rstrip("/") == stack.url.rstrip("/")
    assert page.locator("h1", has_text="Interviews").count() == 1


def test_an_unknown_interview_offers_the_list_of_interviews_not_a_loop(page, stack):
    response = page.goto(f"{stack.url}/interview?i=no_such_interview.yml")
    assert response.status == 404
    assert page.title() == "Error"
    assert page.locator('//a[text()="Restart"]').count() == 0
    with page.expect_navigation():
        page.locator('//a[text()="All interviews"]').click()
    assert page.locator("h1", has_text="Interviews").count() == 1


def test_the_error_summary_and_the_help_tab_pass_the_accessibility_check_in_dark_mode(browser, stack):
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
    tab = context.new_page()
    tab.goto(f"{stack.url}/interview?i={NAME}&reset=1")
    assert tab.evaluate("document.documentElement.dataset.bsTheme") == "dark"
    tab.locator("//label[span[text()='Pear']]").click()
    with tab.expect_navigation():
        tab.locator('//button[text()="Continue"]').click()
    found = violations(tab)
    tab.locator("#dahelptoggle").click()
    found += violations(tab)
    context.close()
    assert found == []


def test_on_a_phone_the_menu_opens_from_the_toggler(browser, stack):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(f"{stack.url}/interview?i={NAME}&reset=1")
    assert not tab.locator("a.dropdown-toggle").is_visible()
    tab.locator("#damobile-toggler").click()
    restart = tab.locator('//a[text()="Restart"]').nth(1)  # the phone list; the dropdown's is hidden
    restart.wait_for(state="visible")
    with tab.expect_navigation():
        restart.click()
    assert tab.locator("#daMainQuestion").inner_text() == "What do you like?"
    context.close()


def test_the_question_can_be_answered_with_the_keyboard_alone(page):
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the question"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # from the question's area: the author's link in the subquestion
    assert page.evaluate("document.activeElement.id") == "author-button"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "user_name"
    page.keyboard.type("Ada")
    page.keyboard.press("Tab")  # the field's Help button
    page.keyboard.press("Enter")
    assert page.locator(".dahelptext").first.is_visible()
    page.keyboard.press("Tab")  # Apple
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the first radio of Sure
    page.keyboard.press("Space")
    assert page.evaluate("val('fruits')") == ["Apple"]
    assert page.evaluate("val('sure')") == "True"
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # on Continue
    assert "Hello Ada, sure is True." in page.inner_text("body")
