"""In headless Chromium: a background action that runs past its deadline is stopped, and the page says
so; the failure message stays on the page after the refresh that shows the task's outcome."""

from __future__ import annotations

import pytest

from tests.e2e.tabs import watched_tab
from tests.support.interviews import RUNAWAY_TASK

pytestmark = pytest.mark.e2e

WAIT_MS = 60_000  # a guard against hanging: the deadline is 2 s, check-ins come every few seconds



@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from offstage.local import LocalStack

    folder = tmp_path_factory.mktemp("failing")
    (folder / "spins.yml").write_text(RUNAWAY_TASK)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BACKGROUND_TIMEOUT_SECONDS", "2")
        with LocalStack(interviews=[folder]) as running:
            yield running


def test_the_failure_of_a_runaway_task_stays_on_the_page_after_its_refresh(browser, stack):
    with watched_tab(browser) as page:
        page.goto(f"{stack.url}/interview?i=spins.yml")
        page.get_by_text("Waiting for the task.").wait_for(state="visible", timeout=WAIT_MS)
        page.get_by_text("The task failed.").wait_for(state="visible", timeout=WAIT_MS)  # the refresh came
        flash = page.locator("#daflash")
        flash.get_by_text("could not finish (spin): TimeoutError").wait_for(state="visible", timeout=WAIT_MS)
        page.reload()  # the user looks again: the message was for the page it came to, not forever
        page.get_by_text("The task failed.").wait_for(state="visible", timeout=WAIT_MS)
        assert "could not finish" not in page.inner_text("body")
