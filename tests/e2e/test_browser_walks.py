"""Headless Chromium walks through corpus interviews on the local stack, the way docassemble's
browser scenarios do: labels, buttons, check-in targets, and a look at the page on a phone."""

from __future__ import annotations

import pytest

from tests.e2e.accessibility import violations
from tests.e2e.tabs import watched_tab

pytestmark = pytest.mark.e2e

EX = "docassemble.base:data/questions/examples/"
WAIT_MS = 20_000  # docassemble's scenarios wait up to 20 s for the page to settle


@pytest.fixture(scope="module")
def stack(corpus):
    try:
        from offstage.local import LocalStack
    except ImportError as exc:
        pytest.fail(f"the browser walks need the local stack (offstage.local.LocalStack): {exc}")
    with LocalStack(interviews=[corpus]) as running:
        yield running


@pytest.fixture
def page(browser):
    with watched_tab(browser, viewport={"width": 1005, "height": 900}) as tab:
        tab.accessibility_problems = []  # every screen of a walk is checked with axe-core (audit())
        yield tab
    assert tab.accessibility_problems == [], "axe-core found serious or critical problems:\n" + "\n".join(
        tab.accessibility_problems)


def audit(page):
    page.accessibility_problems.extend(violations(page))


def start(page, stack, name):
    page.goto(f"{stack.url}/interview?i={EX}{name}&reset=2")
    assert page.title() != "Error"
    audit(page)


def set_field(page, label, value):
    """docassemble's `I set "Label" to "value"`: the input named by the label's `for`, no blur."""
    control = page.locator(f'//label[text()="{label}"]').get_attribute("for")
    page.locator(f"#{control}").fill(value)


def click_button(page, label):
    page.locator("#daMainQuestion").click(position={"x": 2, "y": 2})
    with page.expect_navigation():
        page.locator(f'//button[text()="{label}"]').click()
    audit(page)


def should_see(page, phrase):
    page.get_by_text(phrase, exact=False).first.wait_for(state="visible", timeout=WAIT_MS)
    assert phrase in page.inner_text("body")


def test_text_under_the_question(page, stack):
    start(page, stack, "under.yml")
    should_see(page, "What is the airspeed velocity of an unladen swallow?")
    set_field(page, "Velocity", "40 mph")
    should_see(page, "Note: if you did not catch this movie reference, you need to improve your cultural literacy.")
    click_button(page, "Continue")
    should_see(page, "The velocity is 40 mph")


def test_dialog_box(page, stack):
    start(page, stack, "dialog-box.yml")
    should_see(page, "The current date is")
    click_button(page, "Ok")
    should_see(page, "Ok, the interview is now over.")


def test_check_in_runs_code_and_fills_the_target(page, stack):
    start(page, stack, "target-code.yml")
    should_see(page, "What is your favorite food?")
    set_field(page, "Favorite food", "soup")  # no blur: the periodic check-in sends the value
    should_see(page, "What? You like SOUP?")
    assert page.evaluate("jQuery.active") == 0
    click_button(page, "Continue")
    should_see(page, "Your favorite food is soup.")


@pytest.mark.parametrize("width", [1005, 390])
def test_the_page_fits_the_screen_on_desktop_and_phone(browser, stack, tmp_path, width):
    context = browser.new_context(viewport={"width": width, "height": 844})
    tab = context.new_page()
    tab.accessibility_problems = []
    start(tab, stack, "ajax-refresh.yml")
    tab.screenshot(path=str(tmp_path / f"page-{width}.png"), full_page=True)
    overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    continue_box = tab.locator('//button[text()="Continue"]').bounding_box()
    context.close()
    assert overflow <= 0, "the page scrolls sideways"
    assert continue_box["width"] >= 44
    assert continue_box["height"] >= 44  # a comfortable touch target


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_first_screen_of_every_corpus_interview_has_no_serious_accessibility_problem(browser, stack, corpus,
                                                                                          scheme):
    context = browser.new_context(viewport={"width": 1005, "height": 900}, color_scheme=scheme)
    tab = context.new_page()
    found: list[str] = []
    names = sorted(p.name for p in corpus.glob("*.yml"))
    for name in names:
        tab.goto(f"{stack.url}/interview?i={EX}{name}&reset=2")
        found.extend(violations(tab))
    context.close()
    assert names
    assert found == [], "\n".join(found)


def test_the_accessibility_check_reports_a_serious_problem_when_there_is_one(browser):
    context = browser.new_context()
    tab = context.new_page()
    tab.set_content('<html lang="en"><title>t</title><main><img src="data:,"><button></button></main></html>')
    found = violations(tab)
    context.close()
    assert any("image-alt" in line for line in found)
    assert any("button-name" in line for line in found)
