"""docassemble's own browser scenarios (../shared/.../features/scenarios.feature, read unchanged) run
against the local stack in headless Chromium, with our own step definitions (pytest-bdd).

Each "I wait N seconds" is timed: when the next step looks for a phrase, the runner notes how long the
phrase actually took to appear, and prints a report at the end of the run.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from tests.conftest import SHARED

FEATURE = SHARED / "reference" / "docassemble" / "features" / "scenarios.feature"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
WAIT_MS = 20_000
TIMINGS = Path(__file__).resolve().parents[2] / ".offstage" / "scenario-timings.jsonl"  # read by conftest

pytestmark = pytest.mark.e2e

if not FEATURE.is_file():
    raise RuntimeError(f"the scenarios are read from ../shared and are missing: {FEATURE}")

OWN = Path(__file__).with_name("features") / "offstage.feature"
scenarios(str(FEATURE), str(OWN))


def step(pattern: str):
    """A step usable as Given, When or Then (And takes the keyword before it)."""
    matcher = parsers.re(pattern)

    def register(fn):
        # stacklevel: register the step fixtures in this module, not in this helper's frame
        return given(matcher, stacklevel=2)(when(matcher, stacklevel=2)(then(matcher, stacklevel=2)(fn)))

    return register


class Browser:
    """The page plus the runner's bookkeeping for waits."""

    def __init__(self, page, stack, name):
        self.page, self.stack, self.scenario = page, stack, name
        self.wait_started: float | None = None
        self.wait_until: float | None = None
        self.waited = 0.0
        self.alerts: list[str] = []
        self.alerts_accepted = 0

    def settle(self, phrase: str | None = None) -> None:
        """Finish a pending 'I wait N seconds', timing how soon `phrase` appeared meanwhile."""
        if self.wait_until is None:
            return
        appeared = None
        while time.monotonic() < self.wait_until:
            if phrase is not None and appeared is None and phrase in self.visible_text():
                appeared = time.monotonic() - self.wait_started
            self.page.wait_for_timeout(100)
        if phrase is not None:
            if appeared is None and phrase in self.visible_text():
                appeared = time.monotonic() - self.wait_started
            import json

            TIMINGS.parent.mkdir(exist_ok=True)
            with TIMINGS.open("a") as out:  # a file: pytest-xdist workers are separate processes
                out.write(json.dumps([self.scenario, phrase, self.waited, appeared]) + "\n")
        self.wait_until = None
        self.idle()

    def visible_text(self) -> str:
        try:
            return self.page.inner_text("body")
        except Exception:  # noqa: BLE001 - the page is between two documents
            return ""

    def idle(self) -> None:
        self.page.wait_for_load_state("load")
        self.page.wait_for_function("() => !window.jQuery || jQuery.active === 0", timeout=WAIT_MS)


@pytest.fixture(scope="module")
def stack(corpus):
    from offstage.local.stack import LocalStack

    with LocalStack(interviews=[corpus]) as running:
        yield running


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def ui(request, stack, chromium):
    context = chromium.new_context(viewport={"width": 1005, "height": 1400})
    page = context.new_page()
    ui = Browser(page, stack, request.node.name)

    def accept(dialog):  # Chromium blocks the page while a dialog is open: accept it, note its text
        ui.alerts.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    yield ui
    context.close()


@step(r'I start the interview "(?P<name>[^"]+)"')
def start(ui, name):
    interview = name.split(":", 1)[-1].rsplit("/", 1)[-1]
    ui.page.goto(f"{ui.stack.url}/interview?i={name if ':' in name else interview}&reset=2")
    ui.idle()
    assert ui.page.title() != "Error", ui.visible_text()[:500]


@step(r"I should see the phrase [\"'](?P<phrase>.+)[\"']$")
def should_see(ui, phrase):
    ui.settle(phrase)
    if phrase not in ui.visible_text():
        ui.page.get_by_text(phrase, exact=False).first.wait_for(state="visible", timeout=2000)
    text = ui.visible_text()
    assert phrase in text, f"{phrase!r} is not on the page; it shows: {text[:600]!r}"


@step(r"I should not see the phrase [\"'](?P<phrase>.+)[\"']$")
def should_not_see(ui, phrase):
    ui.settle()
    assert phrase not in ui.visible_text()


@step(r'I set "(?P<label>[^"]+)" to "(?P<value>[^"]*)"')
def set_field(ui, label, value):
    ui.settle()
    control = ui.page.locator(f'xpath=//label[normalize-space(text())="{label}"]').first.get_attribute("for")
    field = ui.page.locator(f'[id="{control}"]')
    field.fill("")
    field.press_sequentially(value)  # typing fires no change event until the field loses focus


@step(r"I unfocus")
def unfocus(ui):
    ui.settle()
    ui.page.evaluate("() => document.activeElement && document.activeElement.blur()")


@step(r"I wait (?P<seconds>\d+) seconds?")
def wait(ui, seconds):
    ui.settle()
    ui.waited = int(seconds) + random.random()
    ui.wait_started = time.monotonic()
    ui.wait_until = ui.wait_started + ui.waited


@step(r'I click the button "(?P<label>[^"]+)"')
def click_button(ui, label):
    ui.settle()
    ui.page.evaluate("() => document.activeElement && document.activeElement.blur()")
    button = ui.page.locator(f'xpath=//button[normalize-space(.)="{label}"]')
    target = button.first if button.count() else ui.page.locator(f'xpath=//a[normalize-space(.)="{label}"]').first
    target.click()
    ui.idle()


@step(r'I click the link "(?P<label>[^"]+)"')
def click_link(ui, label):
    ui.settle()
    ui.page.locator(f'xpath=//a[normalize-space(.)="{label}"]').first.click()
    ui.idle()


@step(r'I click the option "(?P<option>[^"]+)" under "(?P<legend>[^"]+)"')
def click_option(ui, option, legend):
    ui.settle()
    group = ui.page.locator(f'xpath=//div[contains(@class,"da-legend")][normalize-space(text())="{legend}"]'
                            '/following-sibling::div[1]')
    group.locator(f'xpath=.//span[normalize-space(text())="{option}"]/ancestor::label[1]').first.click()


@step(r'I select "(?P<value>[^"]+)" as the "(?P<label>[^"]+)"')
def select_option(ui, value, label):
    ui.settle()
    control = ui.page.locator(f'xpath=//label[normalize-space(text())="{label}"]').first.get_attribute("for")
    ui.page.locator(f'[id="{control}"]').select_option(label=value)


@step(r'I upload the file "(?P<path>[^"]+)"')
def upload(ui, path):
    raise AssertionError(f"file uploads are not supported by offstage yet (the scenario uploads {path})")


@step(r"I click accept in the alert")
def accept_alert(ui):
    ui.settle()
    assert len(ui.alerts) > ui.alerts_accepted, "no alert was shown"
    ui.alerts_accepted = len(ui.alerts)


@step(r'I should have seen the alert "(?P<text>[^"]+)"')
def saw_alert(ui, text):
    assert text in ui.alerts, f"the alerts shown were {ui.alerts}"

