"""The page's surroundings in a real browser (tests/e2e/interviews/nav_parts.yml): the progress bar, the
section navigation (a sidebar on wide screens, a bar on phones, past sections as links that run the
section's action), the logo, the footer, a decoration and an image of the interview's own, light and
dark, with no serious or critical accessibility problem."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from tests.e2e.accessibility import violations
from tests.e2e.tabs import watched_tab

pytestmark = pytest.mark.e2e

NAME = "nav_parts.yml"
WIDE = {"width": 1200, "height": 900}
PHONE = {"width": 390, "height": 844}


def start(tab, stack):
    tab.goto(f"{stack.url}/interview?i={NAME}&reset=1")


def answer(tab, label, value):
    control = tab.locator("#" + tab.locator(f'//label[text()="{label}"]').get_attribute("for"))
    control.fill(value)
    with tab.expect_navigation():
        tab.locator("//button[text()='Continue']").click()


def test_wide_screen_shows_sidebar_progress_logo_decoration_footer_and_links_back_to_a_section(browser, stack):
    with watched_tab(browser, viewport=WIDE) as tab:
        start(tab, stack)
        assert tab.title() == "Nav parts tab"
        assert tab.locator("#thelogo").is_visible()
        assert not tab.locator("#theshortlogo").is_visible()
        sidebar = tab.locator("nav.danavdiv")
        assert sidebar.is_visible()
        assert sidebar.locator(".active").inner_text() == "Introduction"
        assert sidebar.locator(".danotavailableyet").all_inner_texts() == ["About you", "Conclusion"]
        bar = tab.locator("[role=progressbar]")
        assert bar.get_attribute("aria-valuenow") == "20"
        assert bar.inner_text() == "20%"
        assert tab.locator("#daMainQuestion img.daiconfloat").evaluate("i => i.complete && i.naturalWidth > 0")
        assert tab.locator(".da-subquestion img.daicon").evaluate("i => i.complete && i.naturalWidth > 0")
        assert tab.locator(".da-subquestion i.fa-bed").count() == 1
        assert "navparts-first" in tab.locator("body").get_attribute("class")
        assert "Star drawn for offstage" in tab.locator(".daattributions").inner_text()
        assert tab.locator("footer.dafooter a").get_attribute("href") == "https://example.com"
        assert violations(tab) == []

        answer(tab, "Name", "Ann")
        assert tab.locator("[role=progressbar]").get_attribute("aria-valuenow") == "60"
        assert sidebar.locator(".active").inner_text() == "Contact info"
        assert "navparts-first" not in (tab.locator("body").get_attribute("class") or "")
        with tab.expect_navigation():
            sidebar.locator("a[data-key=intro]").click()
        assert tab.locator("#daMainQuestion").inner_text().startswith("What is your name?")
        assert tab.locator("input[name=name]").input_value() == "Ann"
        answer(tab, "Name", "Bea")
        answer(tab, "E-mail", "bea@example.com")
        assert tab.locator("#daMainQuestion").inner_text() == "Thank you, Bea."
        assert tab.locator("nav.danavdiv .active").inner_text() == "Conclusion"


def test_a_phone_gets_the_short_logo_and_the_sections_as_a_bar_and_passes_axe_in_dark_mode(browser, stack):
    with watched_tab(browser, viewport=PHONE, color_scheme="dark") as tab:
        start(tab, stack)
        assert tab.evaluate("document.documentElement.dataset.bsTheme") == "dark"
        assert tab.locator("#theshortlogo").is_visible()
        assert not tab.locator("#thelogo").is_visible()
        assert not tab.locator("nav.danavdiv").is_visible()
        assert tab.locator("nav.danav-horizontal-bar .active").inner_text() == "Introduction"
        tab.locator("#damobile-toggler").click()
        leave = tab.locator("#danav li.d-md-none a", has_text="Leave the interview")
        leave.wait_for(state="visible")  # the `exit label` names the menu's Exit
        assert violations(tab) == []


def test_a_section_name_no_block_defines_is_refused_with_400(stack):
    from offstage.engine.actions import encode_action

    url = f"{stack.url}/interview?i={NAME}&action={encode_action('about', {})}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url)
    assert refused.value.code == 400


def test_the_sidebar_and_progress_bar_pass_axe_in_dark_mode_on_a_wide_screen(browser, stack):
    with watched_tab(browser, viewport=WIDE, color_scheme="dark") as tab:
        start(tab, stack)
        answer(tab, "Name", "Ann")
        assert tab.locator("nav.danavdiv a[data-key=intro]").is_visible()
        assert violations(tab) == []


def test_exit_under_its_own_label_ends_the_session_and_goes_to_the_exit_url(browser, stack):
    with watched_tab(browser, viewport=WIDE) as tab:
        start(tab, stack)
        answer(tab, "Name", "Ann")
        tab.locator("#damenuLabel").click()
        with tab.expect_navigation():
            tab.locator("a.dropdown-item", has_text="Leave the interview").click()
        assert tab.url.endswith("/?left=1")
        tab.goto(f"{stack.url}/interview?i={NAME}")
        assert tab.locator("#daMainQuestion").inner_text().startswith("What is your name?")
        assert tab.locator("input[name=name]").input_value() == ""  # the answers went with the session
