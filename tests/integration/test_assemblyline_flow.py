"""AssemblyLine's background assembly, end to end on the local stack, with AssemblyLine's code unchanged.

The interviews run docassemble.AssemblyLine 4's own al_document.py and al_document.yml (the wheel from the
package index, installed by tests/support/assemblyline.py): the seed's interview
(../shared/reference/assemblyline/background_usage_example.yml, read from ../shared) and two of ours
(assemblyline_interviews/): a bundle of the four kinds (a PDF form, a DOCX template, a Markdown document,
an ALStaticDocument), and a bundle whose one document cannot be made.

generate_downloads_task -> al_download_waiting_screen -> download_list_html(use_previously_cached_files=
True, include_full_pdf=True): the background action's renders are planned by offstage's rehearsal and
rendered side by side by the assembly state machine; every link of the download screen opens a real file.

The seed's `include: assembly_line.yml` is AssemblyLine's whole framework (it also pulls in
docassemble.ALToolbox and GithubFeedbackForm, and al_courts, which needs pandas); here `assembly_line.yml`
is a stand-in written by the test: AssemblyLine's al_document module, the package's own
`docassemble.AssemblyLine:al_document.yml` (included from the installed wheel), and the three button
labels that AssemblyLine's ql_baseline.yml defines.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import time
import zipfile
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED
from tests.support import assemblyline as wheel
from tests.support.api import api_call
from tests.support.files import docx_with, pdf_text

pytestmark = pytest.mark.integration
REFERENCE = SHARED / "reference" / "assemblyline"
HERE = Path(__file__).resolve().parent / "assemblyline_interviews"
NAME = "Ada Löve"

STAND_IN = """\
modules:
  - docassemble.AssemblyLine.al_document
---
include:
  - docassemble.AssemblyLine:al_document.yml
---
generic object: ALDocumentBundle
template: x.view_label
content: View
---
generic object: ALDocumentBundle
template: x.download_label
content: Download
---
generic object: ALDocumentBundle
template: x.send_label
content: Send
"""


@pytest.fixture(scope="module")
def assemblyline():
    with wheel.on_path() as target:
        yield target


def lay_out(folder: Path) -> Path:
    """The interviews, the stand-in and the templates in `folder` (the e2e test uses it too)."""
    from offstage.documents.convert import docx_to_pdf

    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.fail("these tests need LibreOffice and poppler-utils: run `make libreoffice`")
    seed = (REFERENCE / "background_usage_example.yml").read_text(encoding="utf-8")
    (folder / "background_usage_example.yml").write_text(seed, encoding="utf-8")
    (folder / "assembly_line.yml").write_text(STAND_IN, encoding="utf-8")
    for interview in HERE.glob("*.yml"):
        shutil.copy(interview, folder / interview.name)
    for sample in ("test_aldocument_pdf_1.pdf", "test_aldocument_docx_1.docx", "exhibit_cover_sheet.docx"):
        shutil.copy(REFERENCE / "samples" / sample, folder / sample)
    (folder / "not_a_form.pdf").write_bytes(b"this is not a PDF")
    (folder / "static").mkdir()
    (folder / "static" / "guide.pdf").write_bytes(docx_to_pdf(docx_with("A guide to the court for everyone")))
    return folder


@pytest.fixture(scope="module")
def stack(assemblyline, tmp_path_factory):
    from offstage.local.stack import LocalStack

    folder = lay_out(tmp_path_factory.mktemp("assemblyline-flow"))
    with pytest.MonkeyPatch.context() as patch:
        # the broken bundle's download screen makes its documents in the screen's request (AssemblyLine's
        # own fallback): a LibreOffice conversion on a busy machine
        patch.setenv("SCREEN_TIME_LIMIT_SECONDS", "25")
        with LocalStack(interviews=[folder], with_http=True) as running:
            yield running


class Walk:
    """One session of one interview over the JSON API, with the page's check-ins in between."""

    def __init__(self, stack: Any, interview: str) -> None:
        self.stack, self.interview = stack, interview
        status, body = api_call(stack, "GET", f"/api/session/new?i={interview}")
        assert status == 200, body
        self.session, self.secret = body["session"], body["secret"]
        self.progress: list[tuple[int, int]] = []

    def screen(self) -> dict[str, Any]:
        status, body = api_call(self.stack, "GET", f"/api/session/question?i={self.interview}"
                                                   f"&session={self.session}&secret={self.secret}")
        assert status == 200, body
        return dict(body)

    def answer(self, variables: dict[str, Any]) -> dict[str, Any]:
        status, body = api_call(self.stack, "POST", "/api/session", {
            "i": self.interview, "session": self.session, "secret": self.secret, "variables": variables})
        assert status == 200, body
        return dict(body)

    def wait(self, seconds: float = 240) -> dict[str, Any]:
        """Check in as the waiting page does until no task is left, then the screen its reload shows."""
        from offstage.app.checkin import checkin
        from offstage.aws.wiring import deps

        ends = time.monotonic() + seconds
        while time.monotonic() < ends:
            reply = checkin(deps(), self.session, self.secret, None, None, 1)
            self.progress.extend((entry["done"], entry["total"]) for entry in reply.get("assembly", []))
            if not reply.get("assembly") and reply["pending_tasks"] == 0 and self._settled():
                return self.screen()
            time.sleep(0.2)
        raise AssertionError(f"the bundle did not finish; progress seen: {self.progress}")

    def _settled(self) -> bool:
        """The reload leaves the waiting screen (the task's ready() became true)."""
        status, body = api_call(self.stack, "GET", f"/api/session/question?i={self.interview}"
                                                   f"&session={self.session}&secret={self.secret}")
        return status != 200 or "wait" not in str(body.get("questionText", "")).lower()

    def links(self, screen: dict[str, Any]) -> dict[str, str]:
        """The download screen's buttons: their CSS class (al_download, al_zip, ...) + label -> href."""
        html = screen.get("subquestionText", "")
        found = {}
        for attributes, label in re.findall(r"<a ([^>]*)>(.*?)</a>", html, flags=re.S):
            href = unescape(re.search(r'href="([^"]*)"', attributes).group(1))
            kind = re.search(r"(al_download|al_view|al_zip|al_full_pdf)", attributes).group(1)
            found[f"{kind}: {' '.join(unescape(re.sub(r'<[^>]+>', ' ', unescape(label))).split())}"] = href
        return found

    def fetch(self, href: str) -> bytes:
        import urllib.request

        headers = {"X-Session-Secret": self.secret, "X-API-Key": self.stack.api_key}
        request = urllib.request.Request(self.stack.url + href, headers=headers)
        with urllib.request.urlopen(request) as response:
            assert response.status == 200
            return bytes(response.read())


def _flat(text: str) -> str:
    return " ".join(text.split())


def _executions(stack: Any) -> list[dict[str, Any]]:
    """The assembly machine's finished executions, with their outputs."""
    sfn = stack.client("stepfunctions")
    found = sfn.list_executions(stateMachineArn=stack.resources["AssemblyStateMachine"])["executions"]
    return [json.loads(sfn.describe_execution(executionArn=e["executionArn"]).get("output") or "{}")
            for e in found if e["status"] == "SUCCEEDED"]


@pytest.fixture(scope="module")
def four(stack):
    walk = Walk(stack, "al_four_documents.yml")
    waiting = walk.answer({"client_name": NAME})
    assert waiting["questionText"] == "Please wait while we make your documents"
    assert "spinner-border" in waiting["subquestionText"]
    assert waiting.get("reload_after")
    return walk, walk.wait()


def test_the_four_kinds_reach_the_download_screen_with_a_row_each_the_zip_and_the_full_pdf(four):
    walk, screen = four
    assert screen["questionText"] == "Your documents are ready"
    links = walk.links(screen)
    downloads = sorted(label for label in links if label.startswith("al_download"))
    assert downloads == ["al_download: Download Case notes", "al_download: Download Court form",
                         "al_download: Download Cover letter", "al_download: Download Guide to the court"]
    assert len([label for label in links if label.startswith("al_view")]) == 4
    assert any(label.startswith("al_zip") for label in links)
    assert any(label.startswith("al_full_pdf") for label in links)


def test_each_document_link_opens_a_pdf_with_the_answers(four):
    walk, screen = four
    links = walk.links(screen)
    texts = {}
    for label, href in links.items():
        if label.startswith("al_download"):
            data = walk.fetch(href)
            assert data.startswith(b"%PDF"), label
            texts[label.split("Download ", 1)[1]] = _flat(pdf_text(data, layout=False))
    assert f"Filed by {NAME}" in texts["Court form"]
    assert f"Exhibit for {NAME}" in texts["Cover letter"]
    assert f"{NAME} asked for these papers." in texts["Case notes"]
    assert "A guide to the court for everyone" in texts["Guide to the court"]


def test_the_full_pdf_holds_every_document_in_order_and_the_zip_one_file_each(four):
    walk, screen = four
    links = walk.links(screen)
    full = walk.fetch(next(href for label, href in links.items() if label.startswith("al_full_pdf")))
    text = _flat(pdf_text(full, layout=False))
    order = [text.index(part) for part in (f"Filed by {NAME}", f"Exhibit for {NAME}",
                                           f"{NAME} asked for these papers.", "A guide to the court")]
    assert order == sorted(order)
    archive = zipfile.ZipFile(io.BytesIO(walk.fetch(next(href for label, href in links.items()
                                                          if label.startswith("al_zip")))))
    names = sorted(archive.namelist())
    assert names == ["case_notes.pdf", "court_form.pdf", "cover_letter.pdf", "guide.pdf"]
    assert all(archive.read(name).startswith(b"%PDF") for name in names)
    assert f"Filed by {NAME}" in _flat(pdf_text(archive.read("court_form.pdf"), layout=False))


def test_the_bundles_renders_ran_on_the_state_machine_and_the_waiting_page_counted_them(stack, four):
    walk, _ = four
    outputs = [o for o in _executions(stack) if o.get("delivered")]
    # the PDF form filled, the DOCX template and the Markdown document converted: three jobs, side by side;
    # the real pass found each rendered, and rendered nothing itself (the static PDF, the ZIP and the full
    # PDF need no render). (It may take one twice: getitem_fresh reconsiders a document once more.)
    assert any(sorted(r["kind"] for r in o["rendered"]) == ["convert", "convert", "fill"]
               and o["delivered"]["found"] >= 3 and o["delivered"]["rendered_in_place"] == 0 for o in outputs), outputs
    assert walk.progress, "no check-in saw the bundle's progress"
    assert {total for _, total in walk.progress} == {3}
    counts = [done for done, _ in walk.progress]
    assert counts == sorted(counts)


def test_the_seeds_interview_previews_then_downloads_with_docx(stack):
    walk = Walk(stack, "background_usage_example.yml")
    assert walk.screen()["questionText"] == "Intro screen"
    waiting = walk.answer({"intro_screen": True})
    assert waiting["questionText"] == "Please wait while we generate a preview of your document"
    preview = walk.wait()
    assert preview["questionText"] == "Preview the documents"
    href = unescape(re.search(r'href="([^"]*)"', preview["subquestionText"]).group(1))
    preview_pdf = walk.fetch(href)
    assert preview_pdf.startswith(b"%PDF")
    assert "Sample input" in _flat(pdf_text(preview_pdf, layout=False))
    waiting = walk.answer({"preview_screen": True})
    assert waiting["questionText"] == "Please wait while we make your documents"
    download = walk.wait()
    assert download["questionText"] == "Download the documents"
    links = walk.links(download)
    form = walk.fetch(next(h for label, h in links.items() if label.startswith("al_download") and "PDF 1" in label))
    assert form.startswith(b"%PDF")
    assert "Sample input" in _flat(pdf_text(form, layout=False))
    # the row shows the PDF (download_list_html's format="pdf"); generate_downloads_with_docx_task put the
    # DOCX template's own DOCX beside its PDF in the ZIP
    row = walk.fetch(next(h for label, h in links.items() if label.startswith("al_download") and "Docx 1" in label))
    assert row.startswith(b"%PDF")
    assert "Simple sample docx" in _flat(pdf_text(row, layout=False))
    archive = zipfile.ZipFile(io.BytesIO(walk.fetch(next(h for label, h in links.items()
                                                          if label.startswith("al_zip")))))
    assert sorted(archive.namelist()) == ["docx_doc_1.docx", "docx_doc_1.pdf", "pdf_doc_1.pdf"], archive.namelist()
    assert b"Simple sample docx" in zipfile.ZipFile(io.BytesIO(archive.read("docx_doc_1.docx"))).read("word/document.xml")
    full = walk.fetch(next(h for label, h in links.items() if label.startswith("al_full_pdf")))
    assert "Sample input" in _flat(pdf_text(full, layout=False))


def test_a_bundle_with_a_broken_document_names_it_and_does_not_spin(stack):
    walk = Walk(stack, "al_broken_bundle.yml")
    assert walk.answer({"client_name": NAME})["questionText"] == "Please wait while we make your documents"
    # the task fails; AssemblyLine's ready() is true and its download screen makes the bundle in place,
    # which fails naming the template that cannot be read
    status, body = api_call(stack, "GET", f"/api/session/question?i=al_broken_bundle.yml"
                                          f"&session={walk.session}&secret={walk.secret}")
    deadline = time.monotonic() + 240
    while status == 200 and "wait" in str(body.get("questionText", "")).lower() and time.monotonic() < deadline:
        time.sleep(0.5)
        status, body = api_call(stack, "GET", f"/api/session/question?i=al_broken_bundle.yml"
                                              f"&session={walk.session}&secret={walk.secret}")
    assert status == 400, body
    assert "not_a_form.pdf" in json.dumps(body)
