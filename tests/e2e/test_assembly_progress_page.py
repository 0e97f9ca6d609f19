"""In headless Chromium: while a bundle of ten documents assembles in parallel (the state machine in the
local stack), the waiting page shows how many are ready, and then the documents."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import SHARED
from tests.e2e.tabs import watched_tab

pytestmark = pytest.mark.e2e

WAIT_MS = 180_000  # a guard against hanging: ten LibreOffice conversions on a busy 2-core machine
HERE = Path(__file__).resolve().parents[1] / "integration" / "assembly_interviews"
SAMPLES = SHARED / "reference" / "assemblyline" / "samples"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from offstage.local import LocalStack

    folder = tmp_path_factory.mktemp("bundle")
    shutil.copy(HERE / "bundle.yml", folder / "bundle.yml")
    for sample in ("exhibit_cover_sheet.docx", "test_aldocument_pdf_1.pdf"):
        shutil.copy(SAMPLES / sample, folder / sample)
    with LocalStack(interviews=[folder]) as running:
        yield running


def test_the_waiting_page_counts_the_documents_then_shows_them(browser, stack):
    with watched_tab(browser) as page:
        page.goto(f"{stack.url}/interview?i=bundle.yml")
        page.get_by_label("Name", exact=True).fill("Ada <b>Löve</b>")
        page.get_by_role("button", name="Continue").click()
        page.get_by_text("Please wait while your documents are assembled.").wait_for(state="visible", timeout=WAIT_MS)
        line = page.locator("#daAssemblyProgress")
        line.wait_for(state="visible", timeout=WAIT_MS)
        assert re.fullmatch(r"Assembling your documents: \d+ of 10 ready", line.inner_text().strip().split("\n")[0])
        page.get_by_text("Your documents are ready.").wait_for(state="visible", timeout=WAIT_MS)
        assert page.locator("#daAssemblyProgress").count() == 0
        body = page.inner_text("body")
        for name in ("Letter 1", "Cover 3", "Form 2"):
            assert name in body
