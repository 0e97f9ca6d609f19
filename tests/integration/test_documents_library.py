"""The author's document functions over HTTP on the local stack: pdf_concatenate / zip_file /
docx_concatenate of attachments and interview files, include_docx_template and the markdown filters in
a DOCX template, AssemblyLine's table-of-exhibits sample, `skip undefined`, a misspelt PDF field, and
`raw: True` (tests/documents/library_documents.yml; the samples are read from ../shared)."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.conftest import SHARED
from tests.integration.test_documents_http import Browser, docx_document, pdf_text
from tests.support.files import docx_with
from tests.support.files import png as _png

SAMPLES = SHARED / "reference" / "assemblyline" / "samples"
OURS = Path(__file__).resolve().parents[1] / "documents"
USED_SAMPLES = ("exhibit_cover_sheet.docx", "test_aldocument_pdf_1.pdf", "exhibit_table_of_contents.docx")
NAME = "Olíve Oil"


def png(width: int, height: int) -> bytes:
    return _png(width, height, colour=b"\x20\x40\xa0")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from offstage.local.stack import LocalStack

    folder = tmp_path_factory.mktemp("library-interviews")
    for name in ("library_documents.yml", "notes.txt"):
        shutil.copy(OURS / name, folder / name)
    for sample in USED_SAMPLES:
        shutil.copy(SAMPLES / sample, folder / sample)
    # the templates of this test are written here, not kept as binary files in the repository
    (folder / "pleading.docx").write_bytes(docx_with(
        "{{p include_docx_template('party_block.docx', role='Plaintiff') }}", "{{p notes | markdown }}",
        "The tenant wrote to {{r short | inline_markdown }} twice.", "{%p for item in fruit %}",
        "Bring {{ item }}.", "{%p endfor %}", "Never asked: [{{ never_defined }}]"))
    (folder / "party_block.docx").write_bytes(docx_with("{{ client_name }}, {{ role }}"))
    (folder / "seal.png").write_bytes(png(60, 30))
    from offstage.documents.convert import docx_to_pdf  # a PDF shipped with the interview, made once here

    (folder / "simple_sample.pdf").write_bytes(docx_to_pdf((SAMPLES / "test_aldocument_docx_1.docx").read_bytes()))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SCREEN_TIME_LIMIT_SECONDS", "25")  # several LibreOffice conversions on one screen
        with LocalStack(interviews=[folder], with_poller=False) as running:
            yield running


@pytest.fixture(scope="module")
def done(stack):
    browser = Browser(stack)
    page = browser.open("library_documents.yml")
    for _ in range(2):  # the questions come in the order the documents need them
        field = "client_name" if 'name="client_name"' in page else "exhibit_label"
        page = browser.answer("library_documents.yml", **{field: NAME if field == "client_name" else "A-1"})
    assert "Your bundle is ready." in page, page
    return browser


def linked(browser: Browser, filename: str) -> bytes:
    href = re.search(rf'<a href="([^"]+)">{re.escape(filename)}</a>', browser.page)
    assert href, (filename, browser.page)
    status, _, data = browser.get(html.unescape(href.group(1)))
    assert status == 200
    return data


def test_pdf_concatenate_joins_a_converted_docx_a_filled_form_and_a_static_file(done):

    assert re.search(r"The bundle has 3 pages", done.page)
    pages = pdf_text(linked(done, "bundle.pdf")).split("\f")
    assert "Exhibit A-1" in pages[0]
    assert f"{NAME} signs" in pages[1]  # the misspelt field (blank: skip undefined) is left out, the rest filled
    assert "misspelt" not in pages[1]
    assert "Simple sample docx" in pages[2]


def test_the_bundle_renders_page_by_page(done, tmp_path):
    data = linked(done, "bundle.pdf")
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-", str(tmp_path / "page")], input=data, check=True,
                   capture_output=True)
    assert len(list(tmp_path.glob("page-*.png"))) == 3


def test_zip_file_holds_the_documents_in_their_folders(done):
    archive = zipfile.ZipFile(io.BytesIO(linked(done, "all documents.zip")))
    assert archive.namelist() == ["cover_sheet.docx", "forms/sample_form.pdf", "forms/notes.txt"]
    assert "Exhibit A-1" in [p.text for p in docx_document(archive.read("cover_sheet.docx")).paragraphs]
    assert f"{NAME} signs" in pdf_text(archive.read("forms/sample_form.pdf"))


def test_include_docx_template_and_the_markdown_filters_reach_the_pleading(done):
    links = done.links()
    _, _, data = done.get(links["Pleading"]["Download DOCX"])
    paragraphs = {p.text: p for p in docx_document(data).paragraphs if p.text.strip()}
    assert f"{NAME}, Plaintiff" in paragraphs  # the included document, with its keyword argument
    assert paragraphs["Facts"].style.name == "Heading 1"
    assert paragraphs["the rent is late"].style.name == "List Bullet"
    wrote = paragraphs["The tenant wrote to the landlord twice."]
    assert [r.text for r in wrote.runs if r.bold] == ["landlord"]
    assert "Bring apples." in paragraphs
    assert "Bring pears." in paragraphs  # raw field variables: a list
    assert "Never asked: []" in paragraphs  # skip undefined
    _, _, pdf = done.get(links["Pleading"]["Download PDF"])
    assert f"{NAME}, Plaintiff" in pdf_text(pdf)
    assert "the heat is off" in pdf_text(pdf)


def test_docx_concatenate_joins_the_cover_and_the_pleading(done):
    texts = [p.text for p in docx_document(linked(done, "joined.docx")).paragraphs if p.text.strip()]
    assert texts.index("Exhibit A-1") < texts.index(f"{NAME}, Plaintiff") < texts.index("the heat is off")


def test_the_table_of_exhibits_sample_does_its_page_arithmetic(done):
    _, _, data = done.get(done.links()["Table of exhibits"]["Download DOCX"])
    texts = [p.text for p in docx_document(data).paragraphs if p.text.strip()]
    assert texts == ["Table of Exhibits", "Exhibit A-1: Lease\t2", "Exhibit B: Rent ledger\t4"]


def test_raw_gives_the_assembled_text_file(done):
    notes = done.links()["Notes"]
    assert list(notes) == ["Download RAW"]
    status, headers, data = done.get(notes["Download RAW"])
    assert status == 200
    assert headers["Content-Type"].startswith("text/plain")
    assert "notes_for_Ol%C3%ADve_Oil.txt" in headers["Content-Disposition"]
    assert data.decode() == f"Notes for {NAME}, exhibit A-1.\n"


def test_every_docx_served_opens_in_libreoffice(done):
    from offstage.documents.convert import docx_to_pdf

    links = done.links()
    served = {"joined.docx": linked(done, "joined.docx"),
              "exhibits.docx": done.get(links["Table of exhibits"]["Download DOCX"])[2]}
    for name, data in served.items():
        text = pdf_text(docx_to_pdf(data, name=name))
        assert "Exhibit A-1" in text, (name, text)
        assert "the heat is off" in text or "Rent ledger" in text, (name, text)


def test_pictures_reach_a_markdown_document_and_its_pdf(done, tmp_path):
    from offstage.documents.convert import docx_to_pdf

    _, _, data = done.get(done.links()["Signed letter"]["Download DOCX"])
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert xml.count("<w:drawing>") == 2
    assert 'cx="914400"' in xml
    assert 'cx="457200"' in xml  # 1 in, 0.5 in
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(docx_to_pdf(data, name="signed_letter.docx"))
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, check=True).stdout.decode()
    assert len([line for line in listed.splitlines()[2:] if line.strip()]) == 2
    assert f"Dear {NAME}" in pdf_text(pdf.read_bytes())
    assert "[FILE" not in pdf_text(pdf.read_bytes())
