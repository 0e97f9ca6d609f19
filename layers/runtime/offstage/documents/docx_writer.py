"""Markdown content (after Mako) -> a DOCX file, with python-docx.

Markdown becomes HTML (python-markdown, the extensions the screens use), and the HTML is walked once:
headings, paragraphs, emphasis, lists (nested), tables, block quotes, code, line and page breaks, and
docassemble's markup tags (offstage.documents.markup). Anything else keeps its text.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any

from offstage.documents import markup

_SPACING = {"SINGLESPACING": (1.0, False, True), "ONEANDAHALFSPACING": (1.5, True, True),
            "DOUBLESPACING": (2.0, True, True), "TRIPLESPACING": (3.0, True, True),
            "TIGHTSPACING": (1.0, False, False)}
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "td", "th", "blockquote"}
_SKIP = {"script", "style", "head", "title"}
_STRUCTURE = ("ul", "ol", "table", "tr", "td", "th", "blockquote")  # tags _start_structure handles


def markdown_to_docx(markdown: str, pictures: Mapping[str, bytes] | None = None) -> bytes:
    """The DOCX of Markdown content with docassemble's markup; `pictures` has the bytes of each
    [FILE reference] (one it lacks stays as its text)."""
    import markdown as md  # lazy: python-markdown and python-docx load only when a document is made
    from docx import Document

    html = md.markdown(markup.mark(markdown), extensions=["smarty", "sane_lists", "tables", "fenced_code"])
    document = Document()
    references = markup.file_references(markdown)
    by_position = {str(n): (pictures or {}).get(reference) for n, reference in enumerate(references)}
    _Writer(document, by_position, references).run(html)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class _Writer(HTMLParser):
    def __init__(self, document: Any, pictures: Mapping[str, bytes | None] | None = None,
                 references: list[str] | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = document
        self.pictures = pictures or {}  # by the [FILE] tag's position in the content
        self.references = references or []
        self.paragraph: Any = None
        self.styles: list[str] = []  # open inline tags: strong, em, code, u, s, a
        self.lists: list[str] = []  # ul / ol, innermost last
        self.table: list[list[tuple[str, bool]]] | None = None  # rows of (cell text, header?)
        self.cell: list[str] | None = None
        self.quote = 0
        self.skipping = 0
        self.spacing: tuple[float, bool, bool] = (1.0, False, True)
        self.indent_first = False
        self.preformatted = False
        self.bold_paragraph = False  # [BOLDCENTER]: this paragraph's runs are bold

    def run(self, html: str) -> None:
        self.feed(html)
        self.close()

    # --- tags ---------------------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP or tag in _STRUCTURE:
            self._start_structure(tag)
        else:
            self._start_text(tag, attrs)

    def _start_structure(self, tag: str) -> None:
        """Skipped elements, lists, tables and quotes."""
        if tag in _SKIP:
            self.skipping += 1
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
            self._end_paragraph()  # a nested list starts its own paragraphs
        elif tag == "table":
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("td", "th") and self.table is not None:
            self.cell = []
        elif tag == "blockquote":
            self.quote += 1

    def _start_text(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Paragraphs, headings, breaks, pictures and inline styles."""
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.paragraph = self.doc.add_heading(level=min(int(tag[1]), 9))
        elif tag in ("p", "li", "pre") and self.cell is None:
            self.paragraph = self._new_paragraph(tag)
            self.preformatted = tag == "pre"
        elif tag == "br":
            self._break()
        elif tag == "img":
            self._session_picture(dict(attrs))
        elif tag == "hr":
            self.paragraph = None
        elif tag in ("strong", "b", "em", "i", "u", "code", "s", "del", "a", "sup", "sub"):
            self.styles.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag in ("td", "th") and self.table is not None and self.cell is not None:
            self.table[-1].append(("".join(self.cell).strip(), tag == "th"))
            self.cell = None
        elif tag == "table" and self.table is not None:
            self._write_table(self.table)
            self.table = None
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
        elif tag in _BLOCKS:
            self._end_paragraph()
        elif tag in self.styles:
            del self.styles[len(self.styles) - 1 - self.styles[::-1].index(tag)]

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.cell is not None:
            self.cell.append("".join(text for kind, text in markup.split(data) if kind == "text"))
            return
        if self.paragraph is None and not data.strip():
            return  # whitespace between blocks
        for kind, text in markup.split(data):
            if kind == "tag":
                self._tag(text)
            elif text:
                self._text(text)

    # --- writing ------------------------------------------------------------------------------------

    def _session_picture(self, attrs: dict[str, str | None]) -> None:
        """A session's picture (an upload, a signature: documents/images.py), else its alt text."""
        from offstage.documents.images import picture_width, session_picture

        found = session_picture(attrs.get("src") or "")
        if found is None:
            if attrs.get("alt"):
                self._text(str(attrs["alt"]))
            return
        data, width = found
        if self.paragraph is None:
            self.paragraph = self._new_paragraph()
        self.paragraph.add_run().add_picture(io.BytesIO(data), width=picture_width(data, width))

    def _end_paragraph(self) -> None:
        """The paragraph is done: white space HTML put before its end tag is not text."""
        if self.paragraph is not None and self.paragraph.runs and not self.preformatted:
            last = self.paragraph.runs[-1]
            if last.text != last.text.rstrip(" "):
                last.text = last.text.rstrip(" ")
        self.paragraph = None
        self.bold_paragraph = False

    def _new_paragraph(self, tag: str = "p") -> Any:
        style = None
        if tag == "li" and self.lists:
            base = "List Bullet" if self.lists[-1] == "ul" else "List Number"
            depth = min(len(self.lists), 3)
            style = base if depth == 1 else f"{base} {depth}"
        elif tag == "pre":
            style = "No Spacing"
        elif self.quote:
            style = "Quote"
        paragraph = self.doc.add_paragraph(style=style)
        line, indent, space_after = self.spacing
        fmt = paragraph.paragraph_format
        if line != 1.0:
            fmt.line_spacing = line
        if not space_after:
            from docx.shared import Pt

            fmt.space_after = Pt(0)
        if (indent or self.indent_first) and tag == "p" and not self.quote:
            from docx.shared import Inches

            fmt.first_line_indent = Inches(0.5)
        return paragraph

    def _text(self, text: str) -> None:
        if self.paragraph is None:
            self.paragraph = self._new_paragraph()
        if not self.preformatted:
            text = text.replace("\n", " ")  # HTML's white space: a line end inside a paragraph is a space
            if not self.paragraph.text:
                text = text.lstrip(" ")
                if not text:
                    return
        run = self.paragraph.add_run(text)
        styles = set(self.styles)
        run.bold = True if styles & {"strong", "b"} or self.bold_paragraph else None
        run.italic = True if styles & {"em", "i"} else None
        run.underline = True if styles & {"u", "a"} else None
        if styles & {"s", "del"}:
            run.font.strike = True
        if "sup" in styles:
            run.font.superscript = True
        if "sub" in styles:
            run.font.subscript = True
        if "code" in styles:
            run.font.name = "Courier New"

    def _break(self, kind: str = "line") -> None:
        from docx.enum.text import WD_BREAK

        if self.paragraph is None:
            self.paragraph = self._new_paragraph()
        self.paragraph.add_run().add_break(WD_BREAK.PAGE if kind == "page" else WD_BREAK.LINE)

    def _tag(self, tag: str) -> None:  # noqa: C901 - one branch per docassemble tag
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        name, _, argument = tag.partition(" ")
        if name in ("NEWLINE", "BR"):
            self._break()
        elif name == "SKIPLINE":
            self._break()
            self._break()
        elif name == "PAGEBREAK":
            self._break("page")
            self.paragraph = None
        elif name in ("NEWPAR", "BREAK"):
            self.paragraph = None
        elif name == "TAB":
            self._text("\t")
        elif name in ("CENTER", "BOLDCENTER", "FLUSHLEFT", "FLUSHRIGHT"):
            if self.paragraph is None:
                self.paragraph = self._new_paragraph()
            align = {"FLUSHLEFT": WD_ALIGN_PARAGRAPH.LEFT, "FLUSHRIGHT": WD_ALIGN_PARAGRAPH.RIGHT}
            self.paragraph.alignment = align.get(name, WD_ALIGN_PARAGRAPH.CENTER)
            self.paragraph.paragraph_format.first_line_indent = None
            self.bold_paragraph = name == "BOLDCENTER"
        elif name == "NOINDENT" and self.paragraph is not None:
            self.paragraph.paragraph_format.first_line_indent = None
        elif name == "INDENTBY":
            if self.paragraph is None:
                self.paragraph = self._new_paragraph()
            left, _, right = argument.partition(" ")
            self.paragraph.paragraph_format.left_indent = _length(left)
            self.paragraph.paragraph_format.right_indent = _length(right or "0in")
        elif name in _SPACING:
            self.spacing = _SPACING[name]
        elif name in ("START_INDENTATION", "STOP_INDENTATION"):
            self.indent_first = name == "START_INDENTATION"
        elif name == "FILE":
            self._picture(*argument.rsplit(" ", 1))
        elif name in ("PAGENUM", "SECTIONNUM"):
            self._field("PAGE" if name == "PAGENUM" else "SECTION")
        # BORDER, BEGIN_TWOCOL, END_TWOCOL: the text stays, without the box or the columns

    def _picture(self, position: str, width: str) -> None:
        data = self.pictures.get(position)
        reference = self.references[int(position)] if position.isdigit() and int(position) < len(self.references) \
            else position
        if data is None:
            self._text(f"[FILE {reference}]")
            return
        if self.paragraph is None:
            self.paragraph = self._new_paragraph()
        try:
            self.paragraph.add_run().add_picture(io.BytesIO(data), width=None if width == "-" else _length(width))
        except Exception:  # noqa: BLE001 - python-docx reads only pictures (PNG, JPEG, GIF, BMP, TIFF)
            self._text(f"[FILE {reference}]")

    def _field(self, instruction: str) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        if self.paragraph is None:
            self.paragraph = self._new_paragraph()
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), instruction)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        self.paragraph._p.append(field)

    def _write_table(self, rows: list[list[tuple[str, bool]]]) -> None:
        rows = [row for row in rows if row]
        if not rows:
            return
        width = max(len(row) for row in rows)
        table = self.doc.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, (text, header) in enumerate(row):
                cell = table.cell(r, c)
                run = cell.paragraphs[0].add_run(text)
                run.bold = True if header else None
        self.paragraph = None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def close(self) -> None:
        super().close()
        self.styles.clear()


def _length(text: str) -> Any:
    from docx.shared import Cm, Inches, Mm, Pt

    if text.endswith("px"):
        return Inches(float(text[:-2]) / 96)
    unit = {"in": Inches, "pt": Pt, "cm": Cm, "mm": Mm}[text[-2:]]
    return unit(float(text[:-2]))
