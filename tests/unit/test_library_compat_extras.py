"""What published packages (AssemblyLine) read from docassemble besides the standard classes:
getattr_fresh / getitem_fresh, this_thread.global_vars, docassemble.base.pdfa, value() outside an
interview, and the file URLs that end in the file's name."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from offstage.compat.standalone import defined, showifdef, value
from offstage.context import InterviewContext, Ports, UserInfo, use
from offstage.documents.sealed import unseal_file
from offstage.interview import load_interview_text
from offstage.library.files import DAFile
from offstage.library.info import set_info, this_thread
from offstage.library.objects import DADict, DAObject
from offstage.library.pdfa import PdfaError, pdf_to_pdfa

from tests.conftest import SHARED
from tests.support.files import pdf_text
from tests.support.harness import Harness
from tests.unit.test_documents_library import MemoryFiles

FRESH = """\
mandatory: True
code: |
  visits += 1
  final
---
code: |
  visits = 0
---
objects:
  - case: DAObject
  - papers: DADict
---
code: |
  case.label = "visit " + str(visits)
---
code: |
  papers['cover'] = "cover for visit " + str(visits)
---
event: final
question: |
  Fresh ${ case.getattr_fresh('label') }, ${ papers.getitem_fresh('cover') }.
"""


def test_getattr_fresh_and_getitem_fresh_recompute_code_defined_values_each_request() -> None:
    h = Harness(load_interview_text(FRESH, "fresh.yml"))
    assert h.text == "Fresh visit 1, cover for visit 1."
    for visit in (2, 3):  # without the fresh read, the code-defined values would stay at visit 1
        h.refresh()
        assert h.text == f"Fresh visit {visit}, cover for visit {visit}."
        assert h.answers["case"].label == f"visit {visit}"


def test_getattr_fresh_outside_an_interview_gives_the_value_as_it_is() -> None:
    papers = DADict("papers", elements={"cover": "as set"})
    case = DAObject("case", label="as set")
    assert papers.getitem_fresh("cover") == "as set"
    assert case.getattr_fresh("label") == "as set"
    with pytest.raises(KeyError, match=r"papers\['other'\]"):
        papers.getitem_fresh("other")


def test_global_vars_user_and_role_are_what_set_info_said() -> None:
    assert this_thread.global_vars.user is None
    assert this_thread.global_vars.role == "user"
    client = DAObject("client")
    set_info(user=client, role="advocate")
    try:
        assert this_thread.global_vars.user is client
        assert this_thread.global_vars.role == "advocate"
    finally:
        set_info(user=None, role=None)


def test_value_defined_showifdef_outside_an_interview_read_the_callers_names() -> None:
    client = DAObject("client", name="Ann")
    papers = {"cover": "Cover sheet"}
    assert value("client.name") == "Ann"
    assert value("papers['cover']") == "Cover sheet"
    assert defined("client.name")
    assert not defined("client.age")
    assert not defined("nobody")
    assert showifdef("client.age", "unknown") == "unknown"
    assert showifdef("papers['cover']") == "Cover sheet"
    with pytest.raises(NameError, match="nobody"):
        value("nobody")
    with pytest.raises(ValueError, match="name"):
        value("__import__('os').getcwd()")  # a name is parsed, never evaluated
    assert client
    assert papers


def test_pdf_to_pdfa_rewrites_the_file_as_pdf_a_2(tmp_path: Path) -> None:
    import pikepdf

    source = SHARED / "reference" / "assemblyline" / "samples" / "test_aldocument_pdf_1.pdf"
    target = tmp_path / "form.pdf"
    shutil.copy(source, target)
    pdf_to_pdfa(str(target))
    with pikepdf.open(target) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"
    assert pdf_text(target.read_bytes()).strip()


def test_pdf_to_pdfa_says_what_is_wrong(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"not a pdf at all")
    with pytest.raises(PdfaError, match=r"could not convert broken\.pdf"):
        pdf_to_pdfa(str(broken))
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(PdfaError, match=r"Ghostscript \(gs\) is not installed"):
        pdf_to_pdfa(str(broken))
    assert broken.read_bytes() == b"not a pdf at all"


def test_docassemble_base_pdfa_is_served() -> None:
    import docassemble.base.pdfa

    assert docassemble.base.pdfa.pdf_to_pdfa is pdf_to_pdfa


def test_a_download_is_named_as_its_link_says_only_when_the_type_stays() -> None:
    from offstage.http.browser import download_name
    from offstage.http.request import Params

    def named(asked: str) -> str:
        return download_name(Params({"filename": [asked]}), "letter.pdf")

    assert named("Motion to dismiss.pdf") == "Motion to dismiss.pdf"  # renamed by set_attributes
    assert named("../../etc/bundle.PDF") == "bundle.PDF"
    assert named("page.html") == "letter.pdf"
    assert named("pdf") == "letter.pdf"
    assert named("") == "letter.pdf"
    assert download_name(Params({}), "letter.pdf") == "letter.pdf"


@pytest.fixture
def session_files(tmp_path: Path) -> Iterator[InterviewContext]:
    context = InterviewContext(interview=SimpleNamespace(path=tmp_path / "interview.yml"), answers={},
                               session_id="0123456789abcdef0123456789abcdef", interview_name="interview.yml",
                               user=UserInfo(), ports=Ports(files=MemoryFiles()),  # type: ignore[arg-type]  # a partial double
                               url_root="https://x.test")
    with use(context):
        yield context


def test_a_change_made_at_path_is_what_the_file_then_gives(session_files: InterviewContext) -> None:
    form = DAFile("form")
    form.initialize(filename="form.pdf")
    form.write((SHARED / "reference" / "assemblyline" / "samples" / "test_aldocument_pdf_1.pdf").read_bytes())
    pdf_to_pdfa(form.path())  # what AssemblyLine's as_pdf(pdfa=True) does to a single document
    link = form.url_for(attachment=True, display_filename="Motion.pdf")
    assert link.endswith("&download=1&filename=Motion.pdf")
    stored = session_files.ports.files.get(form.storage_key)
    assert b"pdfaid" in unseal_file(form.storage_key, stored, secret=None).data  # written back on url_for
    import pikepdf

    with pikepdf.open(form.path()) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"


def test_commit_stores_a_change_and_write_refreshes_the_local_copy(session_files: InterviewContext) -> None:
    notes = DAFile("notes")
    notes.initialize(filename="notes.txt")
    notes.write("first")
    Path(notes.path()).write_text("changed in place, longer")
    notes.commit()
    assert unseal_file(notes.storage_key, session_files.ports.files.get(notes.storage_key),
                       secret=None).data == b"changed in place, longer"
    notes.write("second")
    assert Path(notes.path()).read_text() == "second"
    assert notes.slurp() == "second"


def _numbers(data: bytes) -> list[str]:
    import io

    from pypdf import PdfReader

    return [page.extract_text().split()[-1] for page in PdfReader(io.BytesIO(data)).pages]


@pytest.mark.usefixtures("session_files")
def test_bates_number_stamps_each_page_of_the_pdf() -> None:
    sample = (SHARED / "reference" / "assemblyline" / "samples" / "test_aldocument_pdf_1.pdf").read_bytes()
    form = DAFile("form")
    form.initialize(filename="form.pdf")
    form.write(sample)
    form.bates_number(prefix="CASE-", start=41, digits=4, area="TOP_LEFT")
    assert _numbers(form.content()) == ["CASE-0041"]
    assert form.filename == "form.pdf"
    assert "Sample PDF 1" in pdf_text(form.content())
    both = DAFile("both")
    both.bates_number(form, form, filename="exhibits")  # this file becomes the two, numbered on
    assert _numbers(both.content()) == ["TEST00001", "TEST00002"]
    assert both.filename == "exhibits.pdf"
    with pytest.raises(ValueError, match="area must be one of"):
        form.bates_number(area="MIDDLE")


@pytest.mark.usefixtures("session_files")
def test_ocr_says_it_is_not_provided_rather_than_asking_a_question() -> None:
    scan = DAFile("exhibit.ocr_version")
    with pytest.raises(NotImplementedError, match="make_ocr_pdf_in_background is not provided by offstage"):
        scan.make_ocr_pdf_in_background([scan], psm=1)
    with pytest.raises(NotImplementedError, match="make_ocr_pdf is not provided by offstage"):
        scan.make_ocr_pdf()


def test_docassemble_base_legal_has_court_and_util_s_names() -> None:
    from docassemble.base.legal import Court, Individual
    from docassemble.base.util import Individual as UtilIndividual

    court = Court("court", name="Boston Municipal Court")
    assert str(court) == "Boston Municipal Court"
    assert court.jurisdiction == []
    assert court.in_the_court() == "In the Boston Municipal Court"
    assert Individual is UtilIndividual
    with pytest.raises(ImportError, match="not provided by offstage"):
        from docassemble.base.legal import send_fax  # noqa: F401
