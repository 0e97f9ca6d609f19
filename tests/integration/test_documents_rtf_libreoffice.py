"""RTF documents as their readers see them: LibreOffice opens what the RTF writer makes, and docassemble's
own example document-links.yml (read from the docassemble peer's install, bench/.peer, as the conformance
tests read docassemble's examples; copied to a temporary folder, never into the repo) runs on the local
stack and offers its complaint as PDF and RTF."""

from __future__ import annotations

import html
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from tests.integration.test_documents_http import Browser
from tests.support.files import pdf_text

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def document_links() -> Path:
    """docassemble's document-links.yml, where the peer installed it."""
    sys.path.insert(0, str(REPO / "bench"))
    from conformance import examples_dir
    from timing import PEER

    python = PEER / "venv" / "bin" / "python"
    if not python.exists():  # installed by `make peer` (make test runs it), never from a test worker
        pytest.fail("docassemble's examples come from the peer install in bench/.peer: run `make peer`")
    return examples_dir(python) / "document-links.yml"


@pytest.fixture(scope="module")
def libreoffice() -> None:
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.fail("these tests need LibreOffice and poppler-utils: run `make libreoffice`")


def complaint_content(interview: Path) -> str:
    blocks = [block for block in yaml.safe_load_all(interview.read_text(encoding="utf-8")) if block]
    [attachment] = [block["attachment"] for block in blocks if "attachment" in block]
    return str(attachment["content"])


def test_libreoffice_reads_the_complaints_rtf_as_two_pages_with_its_text(libreoffice, document_links):
    from offstage.documents.convert import docx_to_pdf
    from offstage.documents.rtf_writer import markdown_to_rtf

    pdf = docx_to_pdf(markdown_to_rtf(complaint_content(document_links)), name="complaint.rtf", extension="rtf")
    pages = pdf_text(pdf).split("\f")
    assert "This is a complaint." in pages[0]
    assert "Blah, blah, blah" in pages[0]
    assert "certificate" not in pages[0]
    assert "This is the certificate of service." in pages[1]  # [PAGEBREAK]
    assert not "".join(pages[2:]).strip()


def test_libreoffice_reads_lists_tables_links_and_non_ascii_text(libreoffice):
    from offstage.documents.convert import docx_to_pdf
    from offstage.documents.rtf_writer import markdown_to_rtf

    content = ("# Motion of O\u2019Brien\n\n[CENTER] Ol\u00edve \u2014 \u00a7 12\n\n* apples\n* pears\n\n"
               "1. first\n2. second\n\n| Item | Amount |\n|---|---|\n| Rent | \u20ac900 |\n\n"
               "See [the court](https://court.example/).\n")
    text = pdf_text(docx_to_pdf(markdown_to_rtf(content), name="motion.rtf", extension="rtf"))
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    assert lines[0] == "Motion of O\u2019Brien"
    assert lines[1] == "Ol\u00edve \u2014 \u00a7 12"
    assert lines[2:6] == ["\u2022 apples", "\u2022 pears", "1. first", "2. second"]
    assert lines[6:8] == ["Item Amount", "Rent \u20ac900"]
    assert lines[8] == "See the court."


@pytest.fixture(scope="module")
def stack(tmp_path_factory, document_links):
    from offstage.local.stack import LocalStack

    folder = tmp_path_factory.mktemp("document-links")
    shutil.copy(document_links, folder / "document-links.yml")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SCREEN_TIME_LIMIT_SECONDS", "25")  # a PDF by LibreOffice on a loaded machine
        with LocalStack(interviews=[folder], with_poller=False) as running:
            yield running


def test_document_links_offers_the_complaint_as_pdf_and_rtf(libreoffice, stack):
    browser = Browser(stack)
    page = browser.open("document-links.yml")
    assert "This interview is all done." in page
    pleading = re.search(r'<a href="([^"]+)">download your pleading</a>', page)
    rtf_version = re.search(r'<a href="([^"]+)">RTF version</a>', page)
    assert pleading
    assert rtf_version

    status, headers, pdf = browser.get(html.unescape(pleading.group(1)))
    assert status == 200
    assert headers["Content-Type"] == "application/pdf"
    pages = pdf_text(pdf).split("\f")
    assert "This is a complaint." in pages[0]
    assert "This is the certificate of service." in pages[1]

    status, headers, rtf = browser.get(html.unescape(rtf_version.group(1)))
    assert status == 200
    assert headers["Content-Type"] == "application/rtf"
    assert "complaint.rtf" in headers["Content-Disposition"]
    assert rtf.startswith(b"{\\rtf1")
    assert b"{This is the certificate of service.}" in rtf
