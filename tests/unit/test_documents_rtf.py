"""The RTF writer (offstage.documents.rtf_writer): what a word processor reads from Markdown content.

The RTF is read back with a tokenizer of the test's own (groups, control words, text): groups must
balance, the text must be the content's, and the control words say how it is laid out. LibreOffice's
reading of the same files is in tests/integration/test_documents_rtf_libreoffice.py.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st
from offstage.documents.render import Document, render
from offstage.documents.rtf_writer import escape, markdown_to_rtf

# --- a small RTF reader ------------------------------------------------------------------------------

_TOKEN = re.compile(r"\\([a-z]+)(-?\d+)? ?|\\'([0-9a-f]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]", re.S)
_DESTINATIONS = {"fonttbl", "colortbl", "stylesheet", "info", "pict", "fldinst", "*"}
_BREAKS = {"par": "\n", "line": "\n", "tab": "\t", "cell": "\t", "row": "\n"}


@dataclass
class Group:
    items: list[Group | str | tuple[str]] = field(default_factory=list)  # in order: text, groups, (control word,)

    @property
    def words(self) -> list[str]:
        """Its own control words, with their numbers: "b", "li720"."""
        return [item[0] for item in self.items if isinstance(item, tuple)]


def parse(rtf: bytes) -> Group:
    """The document's outermost group; AssertionError when the groups do not balance."""
    text = rtf.decode("ascii")  # an RTF file is 7-bit: anything else is escaped
    stack = [Group()]
    skip_next = 0
    for match in _TOKEN.finditer(text):
        word, number, _hex, symbol, brace, chars = match.groups()
        if brace == "{":
            stack.append(Group())
            stack[-2].items.append(stack[-1])
        elif brace == "}":
            assert len(stack) > 1, "a } closes no group"
            stack.pop()
        elif word:
            stack[-1].items.append((word + (number or ""),))
            if word == "u":
                stack[-1].items.append(chr(int(number) % 65536))
                skip_next = 1  # \uc1: one fallback character follows
            elif word in _BREAKS:
                stack[-1].items.append(_BREAKS[word])
        elif symbol:
            stack[-1].items.append(("*",) if symbol == "*" else {"~": "\u00a0"}.get(symbol, symbol * (symbol in "\\{}")))
        elif chars:
            if skip_next:
                chars, skip_next = chars[1:], 0
            stack[-1].items.append(chars)
    assert len(stack) == 1, f"{len(stack) - 1} group(s) left open"
    [document] = [item for item in stack[0].items if isinstance(item, Group)]
    assert document.words[:1] == ["rtf1"]
    return document


def _shown(group: Group) -> bool:
    return not _DESTINATIONS & set(group.words)


def plain(group: Group) -> str:
    """The text a reader shows: UTF-16 pairs joined, destinations (fonts, pictures, field codes) left out."""
    out = [plain(item) if isinstance(item, Group) and _shown(item) else item for item in group.items
           if isinstance(item, str) or (isinstance(item, Group) and _shown(item))]
    return "".join(out).encode("utf-16", "surrogatepass").decode("utf-16")  # type: ignore[arg-type]


def paragraphs(rtf: bytes) -> list[tuple[list[str], str]]:
    """Each paragraph as (the control words the document's own level gives it, its text): from \\pard
    to \\par (or \\cell)."""
    found: list[tuple[list[str], str]] = []
    words: list[str] = []
    text: list[str] = []
    for item in parse(rtf).items:
        if isinstance(item, tuple):
            if item[0] == "pard":
                words, text = [], []
            elif item[0] in ("par", "cell"):
                found.append((words, "".join(text).encode("utf-16", "surrogatepass").decode("utf-16")))
                words, text = [], []
            else:
                words.append(item[0])
        elif isinstance(item, Group):
            text.append(plain(item) if _shown(item) else "")
        elif item not in ("\n",) or text:
            text.append(item)
    return [(w, t.strip("\n\t")) for w, t in found]


def paragraph(rtf: bytes, text: str) -> list[str]:
    """The control words of the paragraph whose text is `text`."""
    matches = [words for words, shown in paragraphs(rtf) if shown == text]
    assert matches, f"no paragraph {text!r} in {[shown for _, shown in paragraphs(rtf)]}"
    return matches[0]


def run_words(rtf: bytes, text: str) -> list[str]:
    """The control words of the group whose own text is `text` (a run)."""
    def find(group: Group) -> list[str] | None:
        if "".join(i for i in group.items if isinstance(i, str)) == text:
            return group.words
        for item in group.items:
            if isinstance(item, Group) and (words := find(item)) is not None:
                return words
        return None

    words = find(parse(rtf))
    assert words is not None, f"no run {text!r}"
    return words


# --- the document links example's content (docassemble's document-links.yml) -------------------------

COMPLAINT = "This is a complaint.\n\nBlah, blah, blah\n[PAGEBREAK]\nThis is the certificate of service.\n"


def test_the_complaint_is_rtf_with_its_text_and_a_page_break_before_the_certificate():
    rtf = markdown_to_rtf(COMPLAINT)
    assert rtf.startswith(b"{\\rtf1")
    assert [text for _, text in paragraphs(rtf)] == ["This is a complaint.", "Blah, blah, blah",
                                                     "This is the certificate of service."]
    assert "pagebb" in paragraph(rtf, "This is the certificate of service.")
    assert "pagebb" not in paragraph(rtf, "Blah, blah, blah")


@pytest.mark.parametrize("text", ["O\u2019Brien\u2019s claim", "Ol\u00edve \u2014 \u00a71 \u20ac5", "\u4e2d\u6587",
                                  "a \U0001f600 face", "braces {x} and back\\slash"])
def test_text_outside_ascii_and_rtfs_own_characters_come_back_as_written(text):
    rtf = markdown_to_rtf(text)
    assert plain(parse(rtf)).strip("\n") == text
    if "\u2019" in text:
        assert b"O\\u8217?Brien" in rtf  # the curly apostrophe as RTF writes Unicode


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40))
def test_any_text_escaped_reads_back_the_same(text):
    assert plain(parse(b"{\\rtf1\\uc1 " + escape(text).encode("ascii") + b"}")) == text


def test_emphasis_headings_and_code_are_runs_with_their_styles():
    rtf = markdown_to_rtf("# The title\n\nSome **bold**, *italic*, ~~x~~ <u>under</u> and `code`.\n")
    heading = paragraph(rtf, "The title")
    assert "outlinelevel0" in heading
    assert "b" in heading
    assert "b" in run_words(rtf, "bold")
    assert "i" in run_words(rtf, "italic")
    assert "ul" in run_words(rtf, "under")
    assert "f1" in run_words(rtf, "code")  # Courier New


def test_lists_are_bulleted_and_numbered_with_hanging_indents_nested_deeper():
    rtf = markdown_to_rtf("* apples\n* pears\n    1. first\n    2. second\n\n3. three\n4. four\n")
    shown = [text for _, text in paragraphs(rtf)]
    assert shown == ["\u2022\tapples", "\u2022\tpears", "1.\tfirst", "2.\tsecond", "3.\tthree", "4.\tfour"]
    assert {"li720", "fi-360"} <= set(paragraph(rtf, "\u2022\tapples"))
    assert "li1080" in paragraph(rtf, "1.\tfirst")


def test_a_table_is_rows_of_cells_with_the_header_bold():
    rtf = markdown_to_rtf("| Item | Amount |\n|---|---|\n| Rent | 900 |\n")
    document = parse(rtf)
    assert plain(document).split("\n")[:2] == ["Item\tAmount\t", "Rent\t900\t"]
    assert rtf.count(b"\\row") == 2
    assert rtf.count(b"\\cellx") == 4
    assert re.search(rb"\\intbl\\fs24\\b Item\\cell", rtf)


def test_a_web_link_is_a_hyperlink_field_and_a_script_link_only_text():
    rtf = markdown_to_rtf("See [the court](https://court.example/forms?a=1) or [this](javascript:alert(1)).")
    assert b'HYPERLINK "https://court.example/forms?a=1"' in rtf
    assert b"javascript" not in rtf
    assert plain(parse(rtf)).strip() == "See the court or this."
    assert "ul" in run_words(rtf, "this")
    assert "ul" not in run_words(rtf, ".")  # the underline ends with the link


def test_docassembles_layout_tags_set_the_paragraphs_they_land_in():
    rtf = markdown_to_rtf(
        "[CENTER] Middle\n\n[BOLDCENTER] Title\n\n[FLUSHRIGHT] Right\n\n[INDENTBY 1in 0.5in] Indented\n\n"
        "[BORDER] Boxed\n\nOne[NEWLINE]Two[BR]Three[TAB]Four\n\n[DOUBLESPACING]\n\nDouble\n\n[NOINDENT] Flush\n\n"
        "[SINGLESPACING]\n\nSingle [PAGENUM]\n")
    assert "qc" in paragraph(rtf, "Middle")
    assert {"qc", "b"} <= set(paragraph(rtf, "Title"))
    assert "qr" in paragraph(rtf, "Right")
    assert {"li1440", "ri720"} <= set(paragraph(rtf, "Indented"))
    assert "box" in paragraph(rtf, "Boxed")
    assert "One\nTwo\nThree\tFour" in [text for _, text in paragraphs(rtf)]
    assert {"sl480", "slmult1", "fi720"} <= set(paragraph(rtf, "Double"))
    assert "fi720" not in paragraph(rtf, "Flush")
    assert "sl480" not in paragraph(rtf, "Single 1")
    assert b"{\\field{\\*\\fldinst PAGE}{\\fldrslt 1}}" in rtf


def _png(width: int, height: int, kind: str = "PNG") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format=kind)
    return out.getvalue()


def test_file_tags_place_pictures_at_their_width_and_a_missing_one_stays_text():
    content = "Signed: [FILE sig.png, 2in]\n\nLogo: [FILE logo.gif]\n\nGone: [FILE missing.png]\n"
    rtf = markdown_to_rtf(content, {"sig.png": _png(200, 100), "logo.gif": _png(72, 36, "GIF")})
    pictures = re.findall(rb"\{\\pict(\\[a-z]+)\\picw(\d+)\\pich(\d+)\\picwgoal(\d+)\\pichgoal(\d+)\n([0-9a-f\n]+)\}", rtf)
    assert [(blip, int(w), int(h), int(wg), int(hg)) for blip, w, h, wg, hg, _ in pictures] == [
        (b"\\pngblip", 200, 100, 2880, 1440),  # 2 in wide, the height in proportion
        (b"\\pngblip", 72, 36, 1440, 720)]  # a GIF as PNG, at its own size (72 px at 72 dpi: 1 in)
    assert bytes.fromhex(pictures[0][5].decode().replace("\n", "")).startswith(b"\x89PNG")
    assert "Gone: [FILE missing.png]" in plain(parse(rtf))


def test_content_makes_rtf_without_libreoffice(monkeypatch):
    monkeypatch.setenv("OFFSTAGE_SOFFICE", "/nonexistent/soffice")
    files = render(Document(kind="content", filename="complaint", formats=("rtf", "md"), content=COMPLAINT), {})
    assert set(files) == {"rtf", "md"}
    assert "This is the certificate of service." in plain(parse(files["rtf"]))


@pytest.fixture
def ctx(monkeypatch):
    from tests.unit.test_library_support import entered_context

    yield from entered_context(monkeypatch)


def _collection(**files: bytes):
    from offstage.library.files import DAFile, DAFileCollection

    collection = DAFileCollection("complaint")
    for fmt, data in files.items():
        file = DAFile(f"complaint.{fmt}")
        file.initialize(filename=f"complaint.{fmt}")
        file.write(data)
        setattr(collection, fmt, file)
    return collection


def test_an_emailed_document_is_its_pdf_else_its_docx_else_its_rtf(ctx):
    from offstage.library.mail import send_email

    rtf = markdown_to_rtf(COMPLAINT)
    for files, attached in (({"rtf": rtf, "pdf": b"%PDF-1.7"}, "complaint.pdf"),
                            ({"rtf": rtf, "docx": b"PK"}, "complaint.docx"), ({"rtf": rtf}, "complaint.rtf")):
        assert send_email(to="clerk@example.com", body="Attached.", attachments=[_collection(**files)])
        [sent] = ctx.ports.mailer.sent[-1]["attachments"]
        assert sent["filename"] == attached
    assert sent["mimetype"] == "application/rtf"
    assert sent["data"] == rtf


def test_a_bundles_planning_pass_makes_the_rtf_and_records_only_the_pdfs_conversion(monkeypatch):
    from offstage.engine import render_plan

    monkeypatch.setenv("OFFSTAGE_SOFFICE", "/nonexistent/soffice")  # the PDF must not be made here
    document = Document(kind="content", filename="complaint", formats=("pdf", "rtf"), content=COMPLAINT)
    with render_plan.active(render_plan.Recorder()) as recorder:
        files = render_plan.render(render, document, {})
    assert list(files) == ["rtf", "pdf"]
    assert files["pdf"] == render_plan.placeholder_pdf()
    assert "This is the certificate of service." in plain(parse(files["rtf"]))
    [job] = recorder.jobs.values()
    assert job.kind == render_plan.CONVERT
    assert job.source.startswith(b"PK")  # the DOCX writer's file, converted in the Map


@pytest.mark.usefixtures("ctx")  # the session's files
def test_joining_docx_files_names_a_document_made_without_a_docx():
    from offstage.library.files import docx_concatenate

    with pytest.raises(ValueError, match=r"^complaint has no DOCX version \(it has pdf, rtf\): add docx to the "
                                         r"attachment's `valid formats`$"):
        docx_concatenate(_collection(pdf=b"%PDF-1.7", rtf=markdown_to_rtf(COMPLAINT)))
