"""e2e hooks and fixtures: the timing report of docassemble's scenario waits, one browser and one stack of
tests/e2e/interviews per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.scenario_support import CHROMIUM, CHROMIUM_ARGS, TIMINGS, timing_report


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):  # the controller starts a fresh report
        TIMINGS.unlink(missing_ok=True)


def pytest_collection_modifyitems(config, items):
    # under `pytest-xdist --dist loadgroup` every scenario goes to one worker, whose browser threads
    # then run them side by side against one stack
    if config.pluginmanager.hasplugin("xdist"):
        for item in items:
            if getattr(item, "originalname", "") == "test_scenario":
                item.add_marker(pytest.mark.xdist_group("scenarios"))


def pytest_terminal_summary(terminalreporter):
    lines = timing_report()
    if lines:
        terminalreporter.section("docassemble scenarios: for each 'I wait N seconds' before 'I should see', "
                                 "when the phrase appeared")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium (Debian's) per test module, as the walks and attack tests drive it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def stack():
    """The local stack serving the interviews of tests/e2e/interviews, one per module; modules that
    serve other interviews override it."""
    from offstage.local import LocalStack

    with LocalStack(interviews=[Path(__file__).parent / "interviews"]) as running:
        yield running


@pytest.fixture
def page(browser):
    """A tab in a fresh browser context (no cookies from another test); modules that check more override it."""
    context = browser.new_context()
    tab = context.new_page()
    yield tab
    context.close()
