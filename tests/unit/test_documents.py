"""The document renderers on their own: Markdown content with docassemble's markup -> DOCX, filling a
PDF form (text and checkbox, editable or flattened), docx templates' errors and undefined names."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from offstage.documents import DocumentError
from offstage.documents.docx_template import render_docx_template
from offstage.documents.docx_writer import markdown_to_docx
from offstage.documents.pdf_fill import fill_pdf
from offstage.documents.render import Document, formats_for, render

from tests.conftest import SHARED
from tests.support.files import docx_with

SAMPLES = SHARED / "reference" / "assemblyline" / "samples"


def paragraphs(data: bytes):
    import docx

    return [p for p in docx.Document(io.BytesIO(data)).paragraphs if p.text or p.runs]


def test_markup_headings_emphasis_lists_and_unicode_reach_the_docx():
    data = markdown_to_docx("## Ünïcödé — 名前\n\n[CENTER] Centered\n\nSome **bold**, *italic* and `code`.\n\n"
                            "1. one\n2. two\n    - inner\n\n[FLUSHRIGHT] Right[BR]second line\n\n"
                            "[INDENTBY 1in] Indented\n\nA[TAB]B[NBSP]C[EMDASH]D\n\n[PAGEBREAK]\n\nLast")
    found = {p.text: p for p in paragraphs(data)}
    assert found["Ünïcödé — 名前"].style.name == "Heading 2"
    assert found["Centered"].alignment == 1
    runs = {r.text: r for r in found["Some bold, italic and code."].runs}
    assert runs["bold"].bold
    assert runs["italic"].italic
    assert runs["code"].font.name == "Courier New"
    assert [found["one"].style.name, found["two"].style.name, found["inner"].style.name] == \
        ["List Number", "List Number", "List Bullet 2"]
    assert found["Right\nsecond line"].alignment == 2
    assert found["Indented"].paragraph_format.left_indent.inches == 1
    assert "A\tB\u00a0C\u2014D" in found
    assert b'w:type="page"' in _document_xml(data)


def test_text_that_only_looks_like_a_tag_stays_as_written():
    found = [p.text for p in paragraphs(markdown_to_docx("See [note] and [CENTERED] here."))]
    assert found == ["See [note] and [CENTERED] here."]


def _document_xml(data: bytes) -> bytes:
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


def form_pdf() -> bytes:
    """A one-page form with a text field `name` and a checkbox `agree` whose "on" state is /Agreed."""
    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        TextStringObject,
    )

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    look = DecodedStreamObject()
    look.set_data(b"")
    look.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                 NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(20), FloatObject(20)])})
    look_ref = writer._add_object(look)

    def widget(**entries):
        item = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget")})
        item.update({NameObject(f"/{k}"): v for k, v in entries.items()})
        return writer._add_object(item)

    rect = lambda y: ArrayObject([FloatObject(100), FloatObject(y), FloatObject(300), FloatObject(y + 20)])  # noqa: E731
    text = widget(FT=NameObject("/Tx"), T=TextStringObject("name"), Rect=rect(700),
                  DA=TextStringObject("/Helv 10 Tf 0 g"))
    box = widget(FT=NameObject("/Btn"), T=TextStringObject("agree"), Rect=rect(650), V=NameObject("/Off"),
                 AS=NameObject("/Off"), AP=DictionaryObject({NameObject("/N"): DictionaryObject(
                     {NameObject("/Agreed"): look_ref, NameObject("/Off"): look_ref})}))
    page[NameObject("/Annots")] = ArrayObject([text, box])
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): ArrayObject([text, box]), NameObject("/DA"): TextStringObject("/Helv 0 Tf 0 g"),
        NameObject("/DR"): DictionaryObject({NameObject("/Font"): DictionaryObject(
            {NameObject("/Helv"): writer._add_object(font)})})})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_checkbox_is_set_to_its_own_on_state_and_text_fields_take_the_value():
    from pypdf import PdfReader

    filled = PdfReader(io.BytesIO(fill_pdf(form_pdf(), {"name": "Zoë", "agree": True})))
    fields = filled.get_fields()
    assert fields["name"]["/V"] == "Zoë"
    assert fields["agree"]["/V"] == "/Agreed"
    unticked = PdfReader(io.BytesIO(fill_pdf(form_pdf(), {"agree": False}))).get_fields()
    assert unticked["agree"]["/V"] == "/Off"


def test_not_editable_leaves_no_form_but_keeps_the_text():
    from pypdf import PdfReader

    flat = PdfReader(io.BytesIO(fill_pdf(form_pdf(), {"name": "Zoë Flat"}, editable=False)))
    assert not flat.get_fields()
    assert "Zoë Flat" in flat.pages[0].extract_text()


def test_a_field_the_pdf_does_not_have_is_left_out_and_a_warning_names_template_and_field(caplog):
    from pypdf import PdfReader

    filled = PdfReader(io.BytesIO(fill_pdf(form_pdf(), {"nmae": "x", "name": "Zoë"}, name="form.pdf"))).get_fields()
    assert filled["name"]["/V"] == "Zoë"
    assert "nmae" not in filled
    assert "form.pdf has no field named 'nmae' (left out; its fields: 'agree', 'name')" in caplog.text


def test_a_docx_template_variable_not_defined_yet_is_a_name_error_the_engine_seeks():
    template = (SAMPLES / "exhibit_cover_sheet.docx").read_bytes()
    with pytest.raises(NameError) as raised:
        render_docx_template(template, {}, name="exhibit_cover_sheet.docx")
    assert raised.value.name == "exhibit_label"

    with pytest.raises(NameError) as raised:  # an object's attribute: named in full, as the engine seeks it
        render_docx_template(docx_with("Dear {{ client.name.first }}"), {"client": _Missing("client")}, name="x.docx")
    assert raised.value.name == "client.name"


class _Missing:
    """The library's protocol: an object knows its name, and a missing attribute says which it is."""

    def __init__(self, name: str) -> None:
        self.instanceName = name

    def __getattr__(self, attribute: str):
        error = AttributeError(attribute)
        error.offstage_name = f"{self.instanceName}.{attribute}"
        raise error


def test_values_with_xml_characters_cannot_break_the_docx():
    template = (SAMPLES / "exhibit_cover_sheet.docx").read_bytes()
    data = render_docx_template(template, {"exhibit_label": "<w:p> & </w:t>"}, name="x.docx")
    assert "Exhibit <w:p> & </w:t>" in [p.text for p in paragraphs(data)]


def test_a_template_cannot_reach_python_internals():
    with pytest.raises(DocumentError, match=r"x\.docx"):
        render_docx_template(docx_with("{{ ''.__class__.__mro__[1].__subclasses__() }}"), {}, name="x.docx")


def test_valid_formats_are_narrowed_to_what_the_kind_makes():
    assert formats_for("content", None) == ("pdf", "rtf")  # docassemble's default for content
    assert formats_for("docx", None) == ("pdf", "docx")
    assert formats_for("content", ["rtf to docx"]) == ("docx",)
    assert formats_for("docx", ["docx"]) == ("docx",)
    assert formats_for("content", ["md", "pdf"]) == ("pdf", "md")
    with pytest.raises(DocumentError, match="rtf"):
        formats_for("pdf", ["rtf"])


def test_without_libreoffice_a_pdf_from_docx_is_a_clear_error_and_docx_alone_still_works(monkeypatch):
    monkeypatch.setenv("OFFSTAGE_SOFFICE", "/nonexistent/soffice")
    document = Document(kind="content", filename="letter", formats=("docx",), content="Hello")
    assert render(document, {})["docx"][:2] == b"PK"
    with pytest.raises(DocumentError, match="needs LibreOffice"):
        render(Document(kind="content", filename="letter", formats=("pdf",), content="Hello"), {})


def fake_soffice(tmp_path, body: str) -> str:
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(0o755)
    return str(script)


def test_libreoffice_that_hangs_is_stopped_with_its_children_and_the_error_says_so(tmp_path, monkeypatch):
    import offstage.documents.convert as convert

    pid_file = tmp_path / "child.pid"
    monkeypatch.setenv("OFFSTAGE_SOFFICE", fake_soffice(tmp_path, f"sleep 300 & echo $! > {pid_file}; wait"))
    monkeypatch.setattr(convert, "TIMEOUT_SECONDS", 1.0)
    with pytest.raises(DocumentError, match=r"letter.docx: .*did not finish within 1 s"):
        convert.docx_to_pdf(b"PK", name="letter.docx")
    child = int(pid_file.read_text())
    proc = Path(f"/proc/{child}/status")
    state = proc.read_text() if proc.exists() else "State:\tgone"
    assert "State:\tS" not in state
    assert "State:\tR" not in state  # killed: gone, or a zombie not yet reaped


def test_libreoffice_that_fails_is_tried_again_then_its_error_is_reported(tmp_path, monkeypatch):
    import offstage.documents.convert as convert

    count = tmp_path / "count"
    monkeypatch.setenv("OFFSTAGE_SOFFICE", fake_soffice(tmp_path, f"echo run >> {count}; echo 'broken profile' >&2; exit 3"))
    with pytest.raises(DocumentError, match="exited with 3: broken profile"):
        convert.docx_to_pdf(b"PK", name="letter.docx")
    assert count.read_text().count("run") == convert.ATTEMPTS


def test_a_screen_without_documents_never_loads_the_document_libraries():
    import subprocess
    import sys

    probe = """
import sys
from offstage.context import Ports
from offstage.engine.run import run_step
from offstage.engine.step import StepRequest
from offstage.interview import load_interview_text
interview = load_interview_text("question: What is your name?\\nfields:\\n  - Name: name\\n---\\nmandatory: True\\n"
                                "question: Hi ${ name }\\n")
result = run_step(interview, {}, StepRequest(session_id="s", interview_name="x.yml"), Ports())
assert result.screen is not None and "name" in result.screen.text()
print(sorted(m for m in ("docx", "docxtpl", "pypdf", "jinja2", "lxml", "offstage.documents") if m in sys.modules))
"""
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(("attachment", "problem"), [
    ("  name: Letter\n  content: hi\n  docx template file: a.docx\n", "it has content and docx template file"),
    ("  name: Letter\n  filename: letter\n", "it has none of them"),
    ("  name: Form\n  pdf template file: f.pdf\n  fields: just text\n", "fields must be a mapping or a list"),
])
def test_an_attachment_that_cannot_be_made_is_refused_when_the_interview_loads(attachment, problem):
    from offstage.errors import InterviewInvalid
    from offstage.interview import load_interview_text

    with pytest.raises(InterviewInvalid, match=problem) as refused:
        load_interview_text("question: Hi\nattachment:\n" + attachment, name="letters.yml")
    assert "letters.yml" in str(refused.value)
    assert "line 1" in str(refused.value)
