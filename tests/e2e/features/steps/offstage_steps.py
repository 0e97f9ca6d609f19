"""offstage's step definitions for docassemble's scenario vocabulary (see features/STEPS.md in ../shared).

Written for offstage with behave's decorators ("re" matcher: each pattern must match the whole step);
`context.ui` is the scenario's page (tests/e2e/scenario_support.Ui). A step the product cannot support
fails with the reason.
"""

from __future__ import annotations

import os
import time

from behave import step, use_step_matcher

from tests.e2e.scenario_support import xpath_text

use_step_matcher("re")

NTH = {"first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "sixth": 5, "seventh": 6, "eighth": 7,
       "ninth": 8, "tenth": 9}
START = "/interview?i={}&reset=2"


# ---------------------------------------------------------------- starting
@step(r'I start the interview "(?P<name>[^"]+)"')
def start_interview(context, name):
    context.ui.open(START.format(name))
    # as docassemble's step: no <h1> whose text is "Error"
    assert context.ui.page.locator('xpath=//h1[text()="Error"]').count() == 0, \
        f"{name} shows an error page:\n{context.ui.text()[:1500]}"
    context.ui.not_error_page()


@step(r'I start the possibly error-producing interview "(?P<name>[^"]+)"')
def start_interview_maybe_error(context, name):
    context.ui.errors_expected = True
    context.ui.open(START.format(name))


@step(r'I launch the interview "(?P<name>[^"]+)"')
def launch_interview(context, name):
    context.ui.page.goto(context.ui.base_url + START.format(name))
    time.sleep(1)


@step(r"I reload the screen")
def reload_screen(context):
    context.ui.open(context.ui.page.url.split("#", 1)[0].removeprefix(context.ui.base_url))


# ---------------------------------------------------------------- looking
@step(r"""I should see the phrase ["'](?P<phrase>.+)["']""")
def should_see(context, phrase):
    context.ui.see(phrase)


@step(r"""I should explicitly see the phrase ["'](?P<phrase>.+)["']""")
def should_explicitly_see(context, phrase):
    context.ui.see(phrase, check_error_page=False)


@step(r"""I should not see the phrase ["'](?P<phrase>.+)["']""")
def should_not_see(context, phrase):
    context.ui.not_see(phrase)


@step(r'I should see that "(?P<label>[^"]+)" is "(?P<value>[^"]*)"')
def should_see_value(context, label, value):
    shown = context.ui.control(label).input_value()
    assert shown == value, f"{label!r} holds {shown!r}, not {value!r}"


@step(r'I should see "(?P<title>[^"]+)" as the title of the page')
def should_see_title(context, title):
    assert context.ui.page.title() == title, f"the title is {context.ui.page.title()!r}"


# ---------------------------------------------------------------- typing and choosing
@step(r'I set "(?P<label>[^"]+)" to "(?P<value>[^"]*)"')
def set_field(context, label, value):
    context.ui.type_into(label, value)


@step(r'I set the (?P<nth>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth) '
      r'"(?P<label>[^"]+)" to "(?P<value>[^"]*)"')
def set_nth_field(context, nth, label, value):
    labels = context.ui.page.locator(f"xpath=//label[text()={xpath_text(label)}]")
    assert labels.count() > NTH[nth], f"there is no {nth} field labelled {label!r}"
    box = context.ui.page.locator(f"[id='{labels.nth(NTH[nth]).get_attribute('for')}']")
    box.fill("")
    box.press_sequentially(value)
    box.press("Tab")  # docassemble sends a tab here, so the change event fires


@step(r"I unfocus")
def unfocus(context):
    context.ui.blur()


@step(r'I click the option "(?P<option>[^"]+)" under "(?P<legend>[^"]+)"')
def click_option_under(context, option, legend):
    group = (f'//div[contains(concat(" ", normalize-space(@class), " "), " da-legend ")]'
             f"[text()={xpath_text(legend)}]/following-sibling::div")
    context.ui.click_first([f"{group}//span[text()={xpath_text(option)}]/parent::label",
                            f"{group}//span[text()={xpath_text(option)}]/ancestor::label[1]"],
                           f"option {option!r} under {legend!r}")


@step(r'I click the option "(?P<option>[^"]+)"')
def click_option(context, option):
    context.ui.click_first([f"//label[span[text()={xpath_text(option)}]]", f"//span[text()={xpath_text(option)}]"],
                           f"option {option!r}")


@step(r'I select "(?P<value>[^"]+)" as the "(?P<label>[^"]+)"')
def select_option(context, value, label):
    context.ui.control(label).select_option(label=value)
    context.ui.idle()


@step(r'I upload the file "(?P<path>[^"]+)"')
def upload_file(context, path):
    assert os.path.isfile(path), (f"the scenario uploads {path}, which does not exist here (a file on "
                                  "docassemble's developer's machine)")
    inputs = context.ui.page.locator("input[type=file]")
    assert inputs.count(), "the screen has no file input"
    inputs.first.set_input_files(path)
    time.sleep(2)


@step(r"I click inside the signature area")
def click_signature(context):
    """docassemble's step: four clicks at different places of the pad (each leaves a dot)."""
    pad = context.ui.page.locator("#dasigcanvas")
    box = pad.bounding_box()
    assert box is not None, "the screen has no signature pad (#dasigcanvas)"
    for x, y in ((0.2, 0.3), (0.4, 0.6), (0.6, 0.4), (0.8, 0.7)):
        context.ui.page.mouse.click(box["x"] + box["width"] * x, box["y"] + box["height"] * y)


# ---------------------------------------------------------------- clicking and waiting
@step(r'I click the button "(?P<label>[^"]+)"')
def click_button(context, label):
    context.ui.blur()  # as docassemble clicks #daMainQuestion first: a typed field fires its change
    text = xpath_text(label)
    context.ui.click_first([f"//button[text()={text}]", f"//button[normalize-space(.)={text}]",
                            f"//a[text()={text}]", f"//a[normalize-space(.)={text}]", f"//button/span[text()={text}]"],
                           f"button {label!r}")


@step(r'I click the link "(?P<label>[^"]+)"')
def click_link(context, label):
    context.ui.click_first([f"//a[text()={xpath_text(label)}]", f"//a[text()={xpath_text(label + ' ')}]",
                            f"//a[normalize-space(.)={xpath_text(label)}]"], f"link {label!r}")


@step(r"I wait (?P<seconds>\d+(?:\.\d+)?) seconds?")
def wait_seconds(context, seconds):
    context.ui.wait(float(seconds))


# ---------------------------------------------------------------- alerts
@step(r"I click accept in the alert")
def accept_alert(context):
    # the page's dialog handler accepts at once (Chromium freezes the page meanwhile); here one must
    # have been shown that no earlier step accepted, within a few seconds
    ui = context.ui
    deadline = time.monotonic() + 5
    while len(ui.alerts) <= ui.alerts_accepted and time.monotonic() < deadline:
        ui.page.wait_for_timeout(100)
    assert len(ui.alerts) > ui.alerts_accepted, "no alert was shown"
    ui.alerts_accepted = len(ui.alerts)
    ui.idle()


@step(r'I should have seen the alert "(?P<text>[^"]+)"')
def saw_alert(context, text):
    assert text in context.ui.alerts, f"the alerts shown were {context.ui.alerts}"


# ---------------------------------------------------------------- the navbar, help and menu
@step(r"I click the back button")
def click_back_button(context):
    context.ui.click_first(["//button[contains(concat(' ', normalize-space(@class), ' '), ' dabackicon ')]"],
                           "back button (button.dabackicon)")


@step(r"I click the question back button")
def click_question_back_button(context):
    context.ui.click_first(["//*[contains(concat(' ', normalize-space(@class), ' '), ' daquestionbackbutton ')]",
                            "//button[contains(concat(' ', normalize-space(@class), ' '), ' dabackicon ')]"],
                           "question back button")


@step(r"I go to the help screen")
def go_to_help(context):
    context.ui.click_first(["//a[@id='dahelptoggle']"], "help tab (#dahelptoggle)")


@step(r"I go back to the question screen")
def back_to_question(context):
    context.ui.click_first(["//button[@id='dabackToQuestion']"], "back to question button (#dabackToQuestion)")


@step(r'I select "(?P<label>[^"]+)" from the menu')
def select_from_menu(context, label):
    context.ui.click_first(["//button[@id='damobile-toggler']", "//a[contains(@class, 'dropdown-toggle')]"],
                           "menu (#damobile-toggler or a.dropdown-toggle)")
    context.ui.page.wait_for_timeout(300)
    context.ui.click_first([f"//a[text()={xpath_text(label)}]"], f"menu item {label!r}")


# ---------------------------------------------------------------- more of docassemble's typing and clicking
@step(r'I set the text area to "(?P<value>[^"]*)"')
def set_text_area(context, value):
    area = context.ui.page.locator("xpath=//textarea").first
    area.fill("")
    area.press_sequentially(value)


@step(r'I set the text box to "(?P<value>[^"]*)"')
def set_text_box(context, value):
    box = context.ui.page.locator("xpath=//input[contains(@alt, 'Input box')]").first
    box.fill("")
    box.press_sequentially(value)


@step(r'I select "(?P<value>[^"]+)" in the combobox')
def select_in_combobox(context, value):
    # as docassemble's step: open the first combobox's menu, click the item whose text is the value
    togglers = context.ui.page.locator("xpath=//button[contains(@class, 'dacomboboxtoggle')]")
    assert togglers.count() > 0, "no combobox toggle on the page"
    togglers.first.click()
    context.ui.page.wait_for_timeout(500)
    items = context.ui.page.locator("div.combobox-container a.dropdown-item")
    found = [n for n in range(items.count()) if items.nth(n).inner_text() == value]
    assert found, f"no combobox item {value!r}"
    items.nth(found[0]).click()


@step(r'I set the combobox text to "(?P<value>[^"]*)"')
def set_combobox_text(context, value):
    box = context.ui.page.locator("div.combobox-container input[type='text']").first
    box.fill("")
    box.press_sequentially(value)


@step(r'I set text box (?P<number>\d+) to "(?P<value>[^"]*)"')
def set_nth_text_box(context, number, value):
    boxes = context.ui.page.locator("xpath=//input[contains(@alt, 'Input box')]")
    assert boxes.count() >= int(number), f"there is no text box {number}"
    box = boxes.nth(int(number) - 1)
    box.fill("")
    box.press_sequentially(value)


@step(r'I click the (?P<nth>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth) link '
      r'"(?P<label>[^"]+)"')
def click_nth_link(context, nth, label):
    # docassemble's order: the link's own text, then a span of it (an icon before the word), each also
    # with a trailing space
    for xpath in (f"//a[text()={xpath_text(label)}]", f"//a/span[text()={xpath_text(label)}]",
                  f"//a[text()={xpath_text(label + ' ')}]", f"//a/span[text()={xpath_text(label + ' ')}]"):
        links = context.ui.page.locator(f"xpath=({xpath})[{NTH[nth] + 1}]")
        if links.count():
            links.first.click()
            context.ui.idle()
            return
    raise AssertionError(f"there is no {nth} link {label!r}")


@step(r'I click the final link "(?P<label>[^"]+)"')
def click_final_link(context, label):
    context.ui.click_first([f"//a[text()={xpath_text(label)}]"], f"link {label!r}")


@step(r'If I see it, I will click the link "(?P<label>[^"]+)"')
def click_link_if_there(context, label):
    links = context.ui.page.locator(f"xpath=//a[text()={xpath_text(label)}]")
    if links.count() and links.first.is_visible():
        links.first.click()
        context.ui.idle()


@step(r'I click the "(?P<option>[^"]+)" option under "(?P<legend>[^"]+)"')
def click_option_under_post(context, option, legend):
    click_option_under(context, option, legend)


@step(r'I click the "(?P<option>[^"]+)" option')
def click_option_post(context, option):
    context.ui.click_first([f'//form[@id="daform"]//label[span[text()={xpath_text(option)}]]',
                            f"//label[span[text()={xpath_text(option)}]]"], f"option {option!r}")


@step(r'I click the "(?P<label>[^"]+)" button')
def click_button_post(context, label):
    click_button(context, label)


@step(r'I choose "(?P<value>[^"]+)"')
def choose_in_only_select(context, value):
    context.ui.page.locator("xpath=//select").first.select_option(label=value)
    context.ui.idle()


@step(r'I should see "(?P<url>[^"]+)" as the URL of the page')
def should_see_url(context, url):
    assert context.ui.page.url == url, f"the URL is {context.ui.page.url!r}"


@step(r'I exit by clicking "(?P<label>[^"]+)"')
def exit_by_clicking(context, label):
    text = xpath_text(label)
    found = context.ui.page.locator(f"xpath=//button[text()={text}] | //button/span[text()={text}]")
    assert found.count(), f"no button {label!r}"
    found.first.click()
    time.sleep(1)


@step(r"I set the window size to (?P<width>\d+)x(?P<height>\d+)")
def window_size(context, width, height):
    context.ui.page.set_viewport_size({"width": int(width), "height": int(height)})
