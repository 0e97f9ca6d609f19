"""In headless Chromium: AssemblyLine's own background assembly (its al_document.py and al_document.yml,
unchanged) on the local stack. The waiting screen (AssemblyLine's spinner) counts the bundle's documents
as the state machine renders them, then AssemblyLine's download list offers each document, the ZIP and
the full PDF, and each link opens the file with the answers in it."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from tests.e2e.tabs import watched_tab
from tests.integration.test_assemblyline_flow import lay_out
from tests.support import assemblyline as wheel
from tests.support.files import pdf_text

pytestmark = pytest.mark.e2e

WAIT_MS = 180_000  # a guard against hanging: LibreOffice conversions on a busy 2-core machine


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from offstage.local import LocalStack

    with wheel.on_path():
        folder = lay_out(tmp_path_factory.mktemp("assemblyline-page"))
        with LocalStack(interviews=[folder]) as running:
            yield running


def test_the_waiting_screen_counts_then_every_download_opens_with_the_answers(browser, stack):
    with watched_tab(browser) as page:
        page.goto(f"{stack.url}/interview?i=al_four_documents.yml")
        page.get_by_label("Name", exact=True).fill("Ada <b>Löve</b>")
        page.get_by_role("button", name="Continue").click()
        page.get_by_text("Please wait while we make your documents").wait_for(state="visible", timeout=WAIT_MS)
        assert page.locator(".spinner-border").count() == 1
        line = page.locator("#daAssemblyProgress")
        line.wait_for(state="visible", timeout=WAIT_MS)
        assert re.fullmatch(r"Assembling your documents: \d of 3 ready", line.inner_text().strip().split("\n")[0])
        page.get_by_text("Your documents are ready").wait_for(state="visible", timeout=WAIT_MS)
        rows = page.locator(".al_doc_table .al_doc_title").all_inner_texts()
        assert [r.strip() for r in rows][:4] == ["Court form", "Cover letter", "Case notes", "Guide to the court"]
        texts = {}
        for link in page.locator("a.al_download").all():
            response = page.context.request.get(stack.url + link.get_attribute("href"))
            assert response.ok
            assert response.body().startswith(b"%PDF")
            texts[link.inner_text().strip()] = " ".join(pdf_text(response.body(), layout=False).split())
        # the name as typed (tags are not kept in answers, as in docassemble)
        assert any("Filed by Ada" in t and "Löve" in t for t in texts.values()), texts
        assert any("asked for these papers" in t for t in texts.values())
        full = page.context.request.get(stack.url + page.locator("a.al_full_pdf").get_attribute("href"))
        assert full.ok
        assert "A guide to the court" in " ".join(pdf_text(full.body(), layout=False).split())
        archive = page.context.request.get(stack.url + page.locator("a.al_zip").get_attribute("href"))
        assert len(zipfile.ZipFile(io.BytesIO(archive.body())).namelist()) == 4
        assert page.locator("a.al_view").count() == 4  # AssemblyLine's View buttons (URLs ending in .pdf)
