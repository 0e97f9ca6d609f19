"""The author's document functions: pdf_concatenate, zip_file, docx_concatenate, DAStaticFile, the file
objects' methods, include_docx_template and the Markdown filters inside DOCX templates, `skip undefined`,
`raw`, and a misspelt PDF field (left out with a warning, as docassemble leaves it empty)."""

from __future__ import annotations

import io
import logging
import shutil
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from offstage.context import InterviewContext, Ports, UserInfo, use
from offstage.documents import DocumentError
from offstage.documents.docx_template import render_docx_template
from offstage.documents.pdf_fill import fill_pdf
from offstage.library import files as library
from offstage.library.files import DAFile, DAFileCollection, DAFileList, DAStaticFile

from tests.conftest import SHARED
from tests.support.files import docx_with, pdf_text
from tests.support.files import png as _png

SAMPLES = SHARED / "reference" / "assemblyline" / "samples"


class MemoryFiles:
    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.data[key] = data

    def get(self, key: str) -> bytes:
        return self.data[key]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An interview's folder with a fillable PDF in data/static and a DOCX in data/templates."""
    (tmp_path / "data" / "static").mkdir(parents=True)
    (tmp_path / "data" / "templates").mkdir(parents=True)
    shutil.copy(SAMPLES / "test_aldocument_pdf_1.pdf", tmp_path / "data" / "static" / "form.pdf")
    (tmp_path / "data" / "templates" / "sub.docx").write_bytes(docx_with("To {{ grantee }} on {{ planet }}."))
    (tmp_path / "notes.txt").write_text("Plain notes\n", encoding="utf-8")
    (tmp_path / "interview.yml").write_text("question: hi\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def session(folder: Path) -> Any:
    context = InterviewContext(interview=SimpleNamespace(path=folder / "interview.yml"), answers={},
                               session_id="0123456789abcdef0123456789abcdef", interview_name="interview.yml",
                               user=UserInfo(), ports=Ports(files=MemoryFiles()), url_root="https://x.test")  # type: ignore[arg-type]  # a partial double: only what this test reaches
    with use(context):
        yield context


def docx_texts(data: bytes) -> list[str]:
    import docx

    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text.strip()]


def stored(name: str, data: bytes) -> DAFile:
    file = DAFile()
    file.initialize(filename=name)
    file.write(data)
    return file


def filled_form(text: str) -> bytes:
    return fill_pdf((SAMPLES / "test_aldocument_pdf_1.pdf").read_bytes(), {"sample_field": text}, editable=False)


# --- pdf_concatenate ------------------------------------------------------------------------------------------

def test_pdf_concatenate_joins_files_lists_collections_and_static_files_converting_docx(session):
    from pypdf import PdfReader

    first = stored("first.pdf", filled_form("First page text"))
    word = DAFileList(elements=[stored("letter.docx", docx_with("A letter from Word"))])
    collection = DAFileCollection()
    collection.pdf = stored("third.pdf", filled_form("Third page text"))
    collection.docx = stored("third.docx", docx_with("not this one: the PDF is taken"))
    static = DAStaticFile(filename="docassemble.AssemblyLine:data/static/form.pdf")

    merged = library.pdf_concatenate(first, [word, collection], static, filename="bundle")
    assert merged.filename == "bundle.pdf"
    assert merged.mimetype == "application/pdf"
    pages = pdf_text(merged.content()).split("\f")
    assert "First page text" in pages[0]
    assert "A letter from Word" in pages[1]
    assert "Third page text" in pages[2]
    assert len(PdfReader(io.BytesIO(merged.content())).pages) == 4 == merged.num_pages()
    assert "not this one" not in pdf_text(merged.content())


def test_pdf_concatenate_with_a_password_is_encrypted_and_opens_with_it(session):
    from pypdf import PdfReader

    one = stored("one.pdf", filled_form("Secret text"))
    for password, opens_with in (("user-pw", "user-pw"), (["owner-pw", "user-pw"], "user-pw"),
                                 ({"owner": "owner-pw", "user": "user-pw"}, "owner-pw")):
        reader = PdfReader(io.BytesIO(library.pdf_concatenate(one, password=password).content()))
        assert reader.is_encrypted
        assert reader.decrypt("wrong") == 0
        assert reader.decrypt(opens_with) != 0
        assert "Secret text" in reader.pages[0].extract_text()


def test_pdf_concatenate_makes_pdf_a_then_encrypts(session):
    import pikepdf

    made = library.pdf_concatenate(stored("one.pdf", filled_form("Kept text")), pdfa=True)
    with pikepdf.open(io.BytesIO(made.content())) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"
    assert "Kept text" in pdf_text(made.content())
    locked = library.pdf_concatenate(stored("two.pdf", filled_form("x")), pdfa=True, password="pw")
    with pikepdf.open(io.BytesIO(locked.content()), password="pw") as pdf:
        assert pdf.is_encrypted
        assert pdf.open_metadata().pdfa_status == "2B"


def test_pdf_concatenate_says_clearly_what_it_cannot_do(session):
    with pytest.raises(ValueError, match=r"notes\.txt is neither a PDF"):
        library.pdf_concatenate("notes.txt")
    with pytest.raises(DocumentError, match=r"broken\.pdf is not a PDF"):
        library.pdf_concatenate(stored("broken.pdf", b"%PDF-1.4 not really"))
    with pytest.raises(TypeError, match="not int"):
        library.pdf_concatenate(3)


def test_output_to_puts_the_result_in_the_given_file(session):
    target = DAFile("bundle_file")
    result = library.pdf_concatenate(stored("one.pdf", filled_form("Into the target")), output_to=target)
    assert result is target
    assert "Into the target" in pdf_text(target.content())


# --- zip_file and docx_concatenate -----------------------------------------------------------------------------

def test_zip_file_puts_files_in_folders_and_keeps_every_name_safe_and_distinct(session):
    one, two = stored("a.pdf", b"%PDF one"), stored("a.pdf", b"%PDF two")
    archive = library.zip_file(one, {"assets": [DAStaticFile(filename="notes.txt"), two]}, one,
                               filename="Image files")
    assert archive.filename == "Image files.zip"
    assert archive.mimetype == "application/zip"
    opened = zipfile.ZipFile(io.BytesIO(archive.content()))
    assert opened.namelist() == ["a_1.pdf", "assets/notes.txt", "assets/a.pdf", "a_2.pdf"]  # docassemble's numbering
    assert opened.read("assets/a.pdf") == b"%PDF two"
    assert opened.read("assets/notes.txt") == b"Plain notes\n"
    assert opened.read("a_1.pdf") == opened.read("a_2.pdf") == b"%PDF one"

    from offstage.documents.combine import zip_entries

    names = zipfile.ZipFile(io.BytesIO(zip_entries([("../../etc/passwd", b"x"), ("/abs/\x00f.txt", b"y")]))).namelist()
    assert names == ["etc/passwd", "abs/f.txt"]


def test_docx_concatenate_joins_the_paragraphs_in_order_and_refuses_other_files(session):
    joined = library.docx_concatenate(stored("one.docx", docx_with("First document")),
                                      DAFileList(elements=[stored("two.docx", docx_with("Second document"))]),
                                      filename="both.docx")
    assert joined.filename == "both.docx"
    assert docx_texts(joined.content()) == ["First document", "Second document"]
    assert b'w:type="page"' in zipfile.ZipFile(io.BytesIO(joined.content())).read("word/document.xml")
    with pytest.raises(ValueError, match=r"form\.pdf is not a DOCX file"):
        library.docx_concatenate(DAStaticFile(filename="form.pdf"))


# --- the file objects ------------------------------------------------------------------------------------------

def test_a_static_file_is_read_from_the_interviews_folder_only(session, folder):
    static = DAStaticFile(filename="form.pdf")
    assert static.path() == str(folder / "data" / "static" / "form.pdf")
    assert static.size_in_bytes() == (SAMPLES / "test_aldocument_pdf_1.pdf").stat().st_size
    assert static.num_pages() == 1
    assert static.extension == "pdf"
    assert static.mimetype == "application/pdf"
    assert DAStaticFile(filename="notes.txt").slurp() == "Plain notes\n"
    link = static.show()
    assert link.startswith("[form.pdf](https://x.test/interview/file?i=interview.yml&file=")
    assert static.url_for() in link  # the same stored copy each time
    stored_before = len(session.ports.files.data)
    assert DAStaticFile(filename="form.pdf").url_for() == static.url_for()  # a new object: the same copy
    assert len(session.ports.files.data) == stored_before
    assert DAStaticFile(filename="notes.txt", alt_text="ignored for a link").show().startswith("[notes.txt](")
    for escape in ("../../../../etc/passwd", "/etc/passwd", "..", "docassemble.x:../interview.yml.missing"):
        with pytest.raises(FileNotFoundError, match="not among the interview's files"):
            DAStaticFile(filename=escape).path()


def test_set_attributes_renames_a_file_but_keeps_its_type_and_applies_to_lists_and_collections(session):
    file = stored("draft.pdf", b"%PDF")
    file.set_attributes(filename="final", private=False, persistent=True)
    assert (file.filename, file.private, file.persistent) == ("final.pdf", False, True)
    collection = DAFileCollection()
    collection.pdf, collection.docx = stored("x.pdf", b"%PDF"), stored("x.docx", b"PK")
    collection.set_attributes(filename="complaint")
    assert (collection.pdf.filename, collection.docx.filename) == ("complaint.pdf", "complaint.docx")
    listed = DAFileList(elements=[stored("a.pdf", filled_form("a")), stored("b.txt", b"b")])
    listed.set_attributes(persistent=True)
    assert all(f.persistent for f in listed.elements)
    assert listed.num_pages() == 2
    assert listed.size_in_bytes() == listed.elements[0].size_in_bytes()
    assert listed.show().count("](https://x.test/") == 2


def test_local_copies_stay_within_their_budget_and_come_back_when_asked_again(session, monkeypatch):
    monkeypatch.setattr(library, "LOCAL_COPIES_BYTES", 2500)
    files = [stored(f"f{n}.bin", bytes([n]) * 1000) for n in range(3)]
    paths = [Path(f.path()) for f in files]
    assert not paths[0].exists()
    assert paths[1].exists()
    assert paths[2].exists()  # the oldest made room
    assert Path(files[0].path()).read_bytes() == bytes([0]) * 1000  # written again when asked for
    assert sum(p.stat().st_size for p in paths[0].parent.parent.glob("*/*")) <= 2500


# --- inside DOCX templates ---------------------------------------------------------------------------------------

def test_include_docx_template_renders_the_other_document_with_its_keyword_arguments(session):
    main = docx_with("Before.", "{{p include_docx_template('sub.docx', grantee=grantee_name) }}",
                     "{{p include_docx_template(letter, grantee='Carol') }}", "After.")
    letter = stored("letter.docx", docx_with("Dear {{ grantee }}, greetings from {{ planet }}."))
    context = {"include_docx_template": library.include_docx_template, "planet": "Mars", "grantee_name": "Bob",
               "letter": letter}
    texts = docx_texts(render_docx_template(main, context, name="main.docx"))
    assert texts == ["Before.", "To Bob on Mars.", "Dear Carol, greetings from Mars.", "After."]


def test_an_included_document_that_includes_itself_stops_with_a_clear_error(session, folder):
    (folder / "loop.docx").write_bytes(docx_with("{{p include_docx_template('loop.docx') }}"))
    with pytest.raises(DocumentError, match=r"include_docx_template\('loop.docx'\): .* more than 10 levels"):
        render_docx_template(docx_with("{{p include_docx_template('loop.docx') }}"),
                             {"include_docx_template": library.include_docx_template}, name="main.docx")
    with pytest.raises(DocumentError, match=r"main\.docx could not be assembled: FileNotFoundError"):
        render_docx_template(docx_with("{{p include_docx_template('nowhere.docx') }}"),
                             {"include_docx_template": library.include_docx_template}, name="main.docx")


def test_the_markdown_filters_make_paragraphs_runs_and_line_breaks():
    import docx

    template = docx_with("{{p body | markdown }}", "I went to {{r place | inline_markdown }} for lunch.",
                         "{{r address | manual_line_breaks }}", "{{p notes | paragraphs | markdown }}")
    data = render_docx_template(template, {"body": "## Terms\n\n- first *term*\n- second", "place": "**Joe's** diner",
                                           "address": "1 Main St\nSpringfield", "notes": "one\ntwo"}, name="t.docx")
    paragraphs = [p for p in docx.Document(io.BytesIO(data)).paragraphs if p.text.strip()]
    by_text = {p.text: p for p in paragraphs}
    assert by_text["Terms"].style.name == "Heading 2"
    assert by_text["first term"].style.name == "List Bullet"
    assert by_text["second"].style.name == "List Bullet"
    lunch = by_text["I went to Joe\u2019s diner for lunch."]
    assert [r.text for r in lunch.runs if r.bold] == ["Joe\u2019s"]
    assert "1 Main St\nSpringfield" in by_text
    assert "one" in by_text
    assert "two" in by_text  # each line its own paragraph


def test_skip_undefined_leaves_blanks_instead_of_asking():
    template = docx_with("Name: {{ client.name.first }}; label: {{ exhibit_label }}.")
    assert docx_texts(render_docx_template(template, {}, name="t.docx", skip_undefined=True)) == ["Name: ; label: ."]
    with pytest.raises(NameError):
        render_docx_template(template, {}, name="t.docx")


def test_a_misspelt_pdf_field_is_left_out_with_a_warning_and_the_others_are_filled(caplog):
    with caplog.at_level(logging.WARNING, logger="offstage.documents.pdf_fill"):
        data = fill_pdf((SAMPLES / "test_aldocument_pdf_1.pdf").read_bytes(),
                        {"sample_feild": "typo", "sample_field": "Filled in"}, editable=False, name="form.pdf")
    assert "Filled in" in pdf_text(data)
    assert "typo" not in pdf_text(data)
    warning = " ".join(r.getMessage() for r in caplog.records)
    assert "form.pdf has no field named 'sample_feild'" in warning
    assert "'sample_field'" in warning
    assert "typo" not in warning  # names only: a value may be personal


def test_a_template_calls_the_authors_library_but_not_pythons_builtins():
    from offstage.engine.namespace import base_builtins

    context = {"__builtins__": base_builtins(), "rent": 1200}
    template = docx_with("Rent: {{ currency(rent) }}, {{ comma_and_list(['a', 'b']) }}")
    assert docx_texts(render_docx_template(template, context, name="t.docx")) == ["Rent: $1,200.00, a and b"]
    with pytest.raises(NameError) as raised:  # undefined as far as templates go: the engine reports it so
        render_docx_template(docx_with("{{ open('/etc/passwd').read() }}"), context, name="t.docx")
    assert raised.value.name == "open"


def png(width: int = 2, height: int = 1) -> bytes:
    return _png(width, height)


def test_files_put_in_a_template_become_pictures_paragraphs_or_text(session):
    signature = stored("signature.png", png())
    uploads = DAFileList(elements=[stored("a.png", png()), stored("b.png", png(3, 2))])
    template = docx_with("Signed: {{ signature }}", "{{ uploads }}", "{{p letter }}", "Note: {{ note }}",
                         "Link: {{ form }}")
    data = render_docx_template(template, {"signature": signature, "uploads": uploads, "note": stored("n.txt", b"hi"),
                                           "letter": stored("l.docx", docx_with("From the letter")),
                                           "form": stored("f.pdf", b"%PDF")}, name="t.docx")
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert len([n for n in archive.namelist() if n.startswith("word/media/")]) >= 2
    assert archive.read("word/document.xml").count(b"<w:drawing>") == 3
    texts = docx_texts(data)
    assert "From the letter" in texts
    assert "Note: hi" in texts
    assert any(t.startswith("Link: [f.pdf](https://x.test/interview/file?") for t in texts)


def test_valid_formats_read_docassemble_names_for_what_offstage_makes_as_docx():
    from offstage.documents.render import formats_for

    assert formats_for("content", ["rtf"]) == ("rtf",)  # real RTF (documents/rtf_writer.py)
    assert formats_for("content", ["rtf", "docx"]) == ("rtf", "docx")
    assert formats_for("content", ["pdf", "rtf to docx"]) == ("pdf", "docx")
    assert formats_for("docx", ["*"]) == ("pdf", "docx")
    assert formats_for("content", ["pdf", "tex"]) == ("pdf",)  # what offstage makes of what was asked
    assert formats_for("raw", None) == ("raw",)
    with pytest.raises(DocumentError, match=r"valid formats \['tex'\] has nothing offstage makes"):
        formats_for("content", ["tex"])


def test_registered_filters_and_docassembles_extra_filters_work_in_templates(monkeypatch):
    import re as regex

    from offstage.documents import docx_template

    monkeypatch.setattr(docx_template, "REGISTERED", {})
    library.register_jinja_filter("no_ssn", lambda text: regex.sub(r"\d{3}-\d{2}-\d{4}", "XXX-XX-XXXX", text))
    template = docx_with("SSN {{ ssn | no_ssn }}; {{ flags | all }} {{ flags | any }}; "
                         "{{ groups | chain | join(',') }}", "{{r poem | RichText }}")
    texts = docx_texts(render_docx_template(template, {"ssn": "123-45-6789", "flags": [True, False],
                                                       "groups": [[1, 2], [3]], "poem": "roses\nviolets"},
                                            name="t.docx"))
    assert texts == ["SSN XXX-XX-XXXX; False True; 1,2,3", "roses\nviolets"]
    with pytest.raises(ValueError, match="needs a filter name and a function"):
        library.register_jinja_filter("no ssn", len)


def test_show_with_a_width_puts_the_picture_in_at_that_width(session):
    signature = stored("signature.png", png(40, 20))
    data = render_docx_template(docx_with('Signed: {{ signature.show(width="2in") }}'), {"signature": signature},
                                name="t.docx")
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert xml.count("<w:drawing>") == 1
    assert 'cx="1828800"' in xml  # 2 inches in EMUs
    assert signature.show().startswith("![signature.png](https://x.test/")  # on a screen: Markdown as before


def test_pictures_in_content_come_from_file_tags_and_from_show_while_content_is_made(session, folder):
    from offstage.documents.docx_writer import markdown_to_docx
    from offstage.library.files import document_content, pictures_for

    (folder / "data" / "static" / "seal_of_the_court.png").write_bytes(png(4, 4))
    (folder / "data" / "static" / "a_name_without_a_dot").write_bytes(png(4, 4))  # looks like a file id
    assert set(pictures_for("[FILE a_name_without_a_dot]")) == {"a_name_without_a_dot"}
    signature = stored("signature.png", png(40, 20))
    assert signature.show().startswith("![signature.png](")  # on a screen
    with document_content():
        shown = signature.show(width="1in")
    assert shown == f"[FILE {signature.file_id}, 1in]"
    content = (f"Signed: {shown}\n\n[FILE docassemble.x:data/static/seal_of_the_court.png]\n\n"
               "[FILE missing_picture.png, 2in]")
    pictures = pictures_for(content)
    assert set(pictures) == {signature.file_id, "docassemble.x:data/static/seal_of_the_court.png"}
    data = markdown_to_docx(content, pictures)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert xml.count("<w:drawing>") == 2
    assert 'cx="914400"' in xml  # the signature at 1 inch
    assert "[FILE missing_picture.png]" in docx_texts(data)  # what cannot be found stays as its text


def test_a_static_templates_variables_and_a_pdfs_fields_are_listed_as_docassemble_lists_them(session):
    template = DAStaticFile(filename="data/templates/sub.docx", package="")
    assert template.get_docx_variables() == ["grantee", "planet"]
    form = DAStaticFile(filename="data/static/form.pdf", package="")
    fields = form.get_pdf_fields()
    assert "sample_field" in [field[0] for field in fields]
    _name, _value, page, rect, kind, _on = next(f for f in fields if f[0] == "sample_field")
    assert (page, kind, len(rect)) == (1, "/Tx", 4)


def test_the_variables_of_a_docx_leave_out_the_library_functions_it_calls(session):
    file = stored("letter.docx", docx_with("Dear {{ client }}, today is {{ today() }} and {{ amount | currency }}."))
    assert file.get_docx_variables() == ["amount", "client"]
