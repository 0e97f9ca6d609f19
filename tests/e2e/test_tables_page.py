"""A table's Delete with `confirm` (cancel keeps the item, OK deletes it), its reorder arrows, a term's
popover and an embedded field (tests/e2e/interviews/tables_page.yml), and an `input type: ajax` field's
suggestions (tables_ajax.yml), in a real browser."""

from __future__ import annotations

import pytest
from offstage.engine.actions import encode_action
from playwright.sync_api import expect

from tests.e2e.accessibility import violations
from tests.e2e.tabs import watched_tab

pytestmark = pytest.mark.e2e



@pytest.fixture
def page(browser, stack):
    with watched_tab(browser, viewport={"width": 1005, "height": 900}) as tab:
        tab.goto(f"{stack.url}/interview?i=tables_page.yml&reset=1")
        yield tab


def go_on(page):
    with page.expect_navigation():
        page.locator("//button[text()='Continue' or text()='Yes' or text()='No']").first.click()


def fruit_names(page):
    return [cell.strip() for cell in page.locator("table tbody tr td:first-child").all_inner_texts()]


def test_a_term_opens_its_definition_from_the_keyboard_and_an_embedded_field_sits_in_the_sentence(page):
    term = page.locator("a.daterm")
    assert term.inner_text() == "fruit"
    assert not page.locator(".popover").is_visible()
    page.keyboard.press("Tab")
    while page.evaluate("document.activeElement.className") != "daterm":
        page.keyboard.press("Tab")
    assert page.locator(".popover").inner_text() == "The part of a plant that holds its seeds."
    embedded = page.get_by_label("Side dish")
    assert embedded.evaluate("el => el.closest('.da-subquestion') !== null")
    assert violations(page) == []
    embedded.fill("toast")
    go_on(page)
    assert "What fruit is number 1?" in page.inner_text("body")


def test_delete_asks_first_cancel_keeps_the_item_and_the_arrows_reorder_it(page):
    page.get_by_label("Side dish").fill("toast")
    go_on(page)
    for n, name in enumerate(("apple", "banana", "cherry")):
        if n:
            with page.expect_navigation():
                page.locator("//button[text()='Yes']").click()
        page.get_by_label("Name").fill(name)
        go_on(page)
    with page.expect_navigation():
        page.locator("//button[text()='No']").click()
    assert fruit_names(page) == ["apple", "banana", "cherry"]
    assert violations(page) == []
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("tr", has_text="banana").locator("a.daremovebutton").focus()
    page.keyboard.press("Enter")  # from the keyboard as with the mouse
    assert asked == ["Are you sure you want to delete this item?"]
    assert fruit_names(page) == ["apple", "banana", "cherry"]  # cancelled: still there
    with page.expect_navigation():
        page.locator("tr", has_text="cherry").locator("a.datableup").click()
    assert fruit_names(page) == ["apple", "cherry", "banana"]
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator("tr", has_text="apple").locator("a.daremovebutton").click()
    assert fruit_names(page) == ["cherry", "banana"]
    go_on(page)
    assert "Done with cherry and banana and toast." in page.inner_text("body")


def test_an_ajax_field_offers_its_actions_suggestions_and_sends_the_value_of_the_label_picked(browser, stack):
    with watched_tab(browser, viewport={"width": 1005, "height": 900}) as tab:
        tab.goto(f"{stack.url}/interview?i=tables_ajax.yml&reset=1")
        box = tab.get_by_label("Word", exact=True)
        box.press_sequentially("a")
        tab.wait_for_timeout(800)  # one letter: fewer than `trigger at`, nothing asked
        assert tab.locator("datalist option").count() == 0
        box.press_sequentially("p")
        expect(tab.locator("datalist option")).to_have_count(2)
        assert tab.locator("datalist option").evaluate_all("os => os.map(o => o.value)") == ["apple", "apricot"]
        assert violations(tab) == []
        box.fill("apricot")  # the label the user picks; its value is what is sent
        with tab.expect_navigation():
            tab.locator("//button[text()='Continue']").click()
        assert "Your word is APRICOT." in tab.inner_text("body")


def test_an_ajax_field_shows_the_label_of_a_value_it_already_holds(browser, stack):
    with watched_tab(browser, viewport={"width": 1005, "height": 900}) as tab:
        tab.goto(f"{stack.url}/interview?i=tables_ajax.yml&reset=1")
        tab.goto(f"{stack.url}/interview?i=tables_ajax.yml&action=" + encode_action("set_banana", {}))
        expect(tab.get_by_label("Word", exact=True)).to_have_value("banana")  # BANANA, shown by its label
        with tab.expect_navigation():
            tab.locator("//button[text()='Continue']").click()
        assert "Your word is BANANA." in tab.inner_text("body")
