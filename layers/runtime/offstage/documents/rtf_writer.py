"""Markdown content (after Mako) -> an RTF file, written here as text (no library, no LibreOffice).

docassemble offers a content attachment as PDF and RTF. The Markdown becomes HTML with the extensions the
DOCX writer uses, and the HTML is walked once, as there: headings, paragraphs, emphasis, links, lists
(nested, numbered or bulleted), tables, block quotes, code, line and page breaks, pictures, and
docassemble's markup tags (offstage.documents.markup). Each paragraph is kept until it ends, because a tag
such as [CENTER] changes the paragraph it lands in; then it is written as RTF control words. Text outside
printable ASCII is written as \\uN? (the `?` is what a reader too old for Unicode shows).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser

from offstage.documents import markup

TWIPS_PER_INCH = 1440  # RTF measures lengths in twentieths of a point
PAGE_WIDTH = 9360  # 6.5 in: a letter page within 1 in margins
MAX_PICTURE = 6 * TWIPS_PER_INCH  # a picture with no width asked for is scaled down to this
_HEADER = ("{\\rtf1\\ansi\\ansicpg1252\\deff0\\uc1\n"
           "{\\fonttbl{\\f0\\froman\\fcharset0 Times New Roman;}{\\f1\\fmodern\\fcharset0 Courier New;}}\n"
           "{\\colortbl;\\red5\\green99\\blue193;}\n"
           "\\paperw12240\\paperh15840\\margl1440\\margr1440\\margt1440\\margb1440\\widowctrl\n")
_SPACING = {"SINGLESPACING": (1.0, False, True), "ONEANDAHALFSPACING": (1.5, True, True),
            "DOUBLESPACING": (2.0, True, True), "TRIPLESPACING": (3.0, True, True),
            "TIGHTSPACING": (1.0, False, False)}
_HEADING_SIZES = {1: 36, 2: 32, 3: 28, 4: 26, 5: 24, 6: 24}  # half-points
_INLINE = {"strong": "\\b", "b": "\\b", "em": "\\i", "i": "\\i", "u": "\\ul", "a": "\\ul", "code": "\\f1",
           "s": "\\strike", "del": "\\strike", "sup": "\\super", "sub": "\\sub"}
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "td", "th", "blockquote"}
_SKIP = {"script", "style", "head", "title"}
_BULLETS = ("\u2022", "\u25e6", "\u25aa")
_LINKABLE = re.compile(r"(?:https?://|mailto:)[^\s\"\\{}]+", re.IGNORECASE)
_SPECIAL = re.compile(r"[\\{}\t\n]|[^\x20-\x7e]")
_LENGTH = re.compile(r"\s*([0-9.]+)\s*(in|cm|mm|pt|px)\s*")


def markdown_to_rtf(markdown: str, pictures: Mapping[str, bytes] | None = None) -> bytes:
    """The RTF of Markdown content with docassemble's markup; `pictures` has the bytes of each
    [FILE reference] (one it lacks stays as its text)."""
    import markdown as md  # lazy: python-markdown loads only when a document is made

    html = md.markdown(markup.mark(markdown), extensions=["smarty", "sane_lists", "tables", "fenced_code"])
    references = markup.file_references(markdown)
    by_position = {str(n): (pictures or {}).get(reference) for n, reference in enumerate(references)}
    writer = _Writer(by_position, references)
    writer.run(html)
    return ("".join([_HEADER, *writer.blocks, "}\n"])).encode("ascii")


def escape(text: str) -> str:
    """Text as RTF: \\ { } escaped, tabs and line ends as control words, anything else outside printable
    ASCII as \\uN? (N a signed 16-bit number; characters beyond 16 bits as their UTF-16 pair)."""
    return _SPECIAL.sub(lambda match: _escaped(match.group()), text)


def _escaped(char: str) -> str:
    if char in "\\{}":
        return "\\" + char
    if char == "\t":
        return "\\tab "
    if char == "\n":
        return "\\line "
    code = ord(char)
    if code < 0x20 or code == 0x7F:
        return ""  # control characters are not text
    if code > 0xFFFF:
        high, low = 0xD800 + ((code - 0x10000) >> 10), 0xDC00 + ((code - 0x10000) & 0x3FF)
        return f"\\u{high - 0x10000}?\\u{low - 0x10000}?"
    return f"\\u{code - 0x10000 if code > 0x7FFF else code}?"


def twips(length: str) -> int | None:
    """`1in`, `2.5cm`, `12pt`, `96px` ... in twips; None for anything else."""
    match = _LENGTH.fullmatch(length or "")
    if not match:
        return None
    per_unit = {"in": 1440.0, "cm": 1440 / 2.54, "mm": 1440 / 25.4, "pt": 20.0, "px": 15.0}[match.group(2)]
    return round(float(match.group(1)) * per_unit)


@dataclass
class _Paragraph:
    """A paragraph being written: its layout (changed by tags until it ends) and its runs, already RTF."""

    kind: str = "p"
    controls: str = ""  # the kind's own control words (heading size, list indents, quote margins)
    align: str = ""
    left: int | None = None
    right: int | None = None
    first: int = 0
    bold: bool = False  # [BOLDCENTER]
    border: bool = False  # [BORDER]
    page_before: bool = False  # a [PAGEBREAK] came before it
    line: float = 1.0
    space_after: bool = True
    runs: list[str] = field(default_factory=list)
    has_text: bool = False
    open_links: int = 0

    def rtf(self) -> str:
        if self.runs and self.runs[-1].endswith(" }") and self.kind != "pre":  # HTML's space before the end tag
            self.runs[-1] = self.runs[-1][:-2].rstrip(" ") + "}"
        words = ["\\pard\\plain\\fs24", self.controls, self.align]
        words += [f"\\li{self.left}" if self.left is not None else "",
                  f"\\ri{self.right}" if self.right is not None else "", f"\\fi{self.first}" if self.first else ""]
        words += ["\\pagebb" if self.page_before else "", "\\box\\brdrs\\brdrw10\\brsp80" if self.border else "",
                  f"\\sl{round(240 * self.line)}\\slmult1" if self.line != 1.0 else "",
                  "\\sa200" if self.space_after and self.kind != "pre" else "\\sa0",
                  "\\b" if self.bold else ""]
        return "".join(words) + " " + "".join(self.runs) + "}}}" * self.open_links + "\\par\n"


class _Writer(HTMLParser):
    def __init__(self, pictures: Mapping[str, bytes | None], references: list[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.pictures = pictures  # by the [FILE] tag's position in the content
        self.references = references
        self.blocks: list[str] = []  # the document's paragraphs and tables, as RTF
        self.paragraph: _Paragraph | None = None
        self.styles: list[str] = []  # open inline tags: strong, em, code, u, s, a ...
        self.lists: list[list[int | str]] = []  # [ul|ol, items so far], innermost last
        self.table: list[list[tuple[str, bool]]] | None = None  # rows of (cell RTF, header?)
        self.cell: list[str] | None = None
        self.quote = 0
        self.skipping = 0
        self.spacing: tuple[float, bool, bool] = (1.0, False, True)
        self.indent_first = False
        self.page_break = False  # the next paragraph starts a page

    def run(self, html: str) -> None:
        self.feed(html)
        self.close()
        self._end_paragraph()
        if self.page_break:  # a [PAGEBREAK] at the very end: an empty page, as it asked
            self.blocks.append("\\pard\\plain\\pagebb\\par\n")

    # --- tags ---------------------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in ("ul", "ol", "table", "tr", "td", "th", "blockquote"):
            self._start_structure(tag, dict(attrs))
        else:
            self._start_text(tag, dict(attrs))

    def _start_structure(self, tag: str, attrs: dict[str, str | None]) -> None:
        """Lists, tables and quotes."""
        if tag in ("ul", "ol"):
            start = attrs.get("start") or "1"
            self.lists.append([tag, int(start) - 1 if start.isdigit() else 0])
            self._end_paragraph()  # a nested list starts its own paragraphs
        elif tag == "table":
            self._end_paragraph()
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("td", "th") and self.table is not None:
            self.cell = []
        elif tag == "blockquote":
            self.quote += 1

    def _start_text(self, tag: str, attrs: dict[str, str | None]) -> None:
        """Paragraphs, headings, breaks, pictures, links and inline styles."""
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._end_paragraph()
            level = int(tag[1])
            self.paragraph = self._new_paragraph(tag, f"\\keepn\\outlinelevel{level - 1}\\sb240\\fs{_HEADING_SIZES[level]}"
                                                      "\\b")
        elif tag in ("p", "li", "pre") and self.cell is None:
            self._start_paragraph(tag)
        elif tag == "br":
            self._raw("\\line ")
        elif tag == "img":
            self._session_picture(attrs)
        elif tag == "hr":
            self._end_paragraph()
            self.blocks.append("\\pard\\plain\\brdrb\\brdrs\\brdrw10\\brsp20\\sa200\\fs12\\par\n")
        elif tag in _INLINE:
            self.styles.append(tag)
            if tag == "a":
                self._start_link(attrs.get("href") or "")

    def _start_paragraph(self, tag: str) -> None:
        if tag == "p" and self.paragraph is not None and self.paragraph.kind == "li" and not self.paragraph.has_text:
            return  # a loose list's <li><p>: the item's own paragraph
        self._end_paragraph()
        if tag == "li" and self.lists:
            self.paragraph = self._list_item()
        elif tag == "pre":
            self.paragraph = self._new_paragraph("pre", "\\f1")
        else:
            self.paragraph = self._new_paragraph(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag in ("td", "th") and self.table is not None and self.cell is not None:
            self.table[-1].append(("".join(self.cell).strip(), tag == "th"))
            self.cell = None
        elif tag == "table" and self.table is not None:
            self.blocks.append(_table(self.table, self._take_page_break()))
            self.table = None
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
        elif tag in _BLOCKS:
            self._end_paragraph()
        elif tag in self.styles:
            del self.styles[len(self.styles) - 1 - self.styles[::-1].index(tag)]
            if tag == "a" and self.paragraph is not None and self.paragraph.open_links:
                self.paragraph.runs.append("}}}")
                self.paragraph.open_links -= 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.cell is not None:
            self.cell.append(escape("".join(text for kind, text in markup.split(data) if kind == "text")
                                    .replace("\n", " ")))
            return
        if self.paragraph is None and not data.strip():
            return  # white space between blocks
        for kind, text in markup.split(data):
            if kind == "tag":
                self._tag(text)
            elif text:
                self._text(text)

    # --- writing ------------------------------------------------------------------------------------

    def _new_paragraph(self, kind: str = "p", controls: str = "") -> _Paragraph:
        line, indent, space_after = self.spacing
        paragraph = _Paragraph(kind=kind, controls=controls, line=line, space_after=space_after,
                               page_before=self._take_page_break())
        if self.quote:
            paragraph.left, paragraph.right = 720 * self.quote, 720
        elif (indent or self.indent_first) and kind == "p":
            paragraph.first = 720
        return paragraph

    def _list_item(self) -> _Paragraph:
        innermost = self.lists[-1]
        innermost[1] = int(innermost[1]) + 1
        depth = len(self.lists)
        paragraph = self._new_paragraph("li", f"\\tx{360 + 360 * depth}")
        paragraph.left, paragraph.first = 360 + 360 * depth, -360
        marker = _BULLETS[(depth - 1) % len(_BULLETS)] if innermost[0] == "ul" else f"{innermost[1]}."
        paragraph.runs.append(escape(marker) + "\\tab ")
        return paragraph

    def _take_page_break(self) -> bool:
        wanted, self.page_break = self.page_break, False
        return wanted

    def _end_paragraph(self) -> None:
        if self.paragraph is not None:
            self.blocks.append(self.paragraph.rtf())
        self.paragraph = None

    def _current(self) -> _Paragraph:
        if self.paragraph is None:
            self.paragraph = self._new_paragraph()
        return self.paragraph

    def _raw(self, rtf: str) -> None:
        if self.cell is not None:  # a picture or a break inside a table's cell stays in the cell
            self.cell.append(rtf)
        else:
            self._current().runs.append(rtf)

    def _text(self, text: str) -> None:
        paragraph = self._current()
        if paragraph.kind == "pre":
            text = text.rstrip("\n") if text.endswith("\n") else text
        else:
            text = text.replace("\n", " ")  # HTML's white space: a line end inside a paragraph is a space
            if not paragraph.has_text:
                text = text.lstrip(" ")
        if not text:
            return
        controls = "".join(dict.fromkeys(_INLINE[s] for s in self.styles if s in _INLINE))
        paragraph.runs.append("{" + (controls + " " if controls else "") + escape(text) + "}")
        paragraph.has_text = True

    def _start_link(self, href: str) -> None:
        """A link to a web page or an address is a HYPERLINK field; any other keeps its text, underlined."""
        if not _LINKABLE.fullmatch(href):
            return
        paragraph = self._current()
        paragraph.runs.append('{\\field{\\*\\fldinst{HYPERLINK "' + escape(href) + '"}}{\\fldrslt{\\ul\\cf1 ')
        paragraph.open_links += 1

    def _tag(self, tag: str) -> None:  # noqa: C901 - one branch per docassemble tag
        name, _, argument = tag.partition(" ")
        if name in ("NEWLINE", "BR"):
            self._raw("\\line ")
        elif name == "SKIPLINE":
            self._raw("\\line\\line ")
        elif name == "PAGEBREAK":
            self._end_paragraph()
            self.page_break = True
        elif name in ("NEWPAR", "BREAK"):
            self._end_paragraph()
        elif name == "TAB":
            self._raw("\\tab ")
        elif name in ("CENTER", "BOLDCENTER", "FLUSHLEFT", "FLUSHRIGHT"):
            paragraph = self._current()
            paragraph.align = {"FLUSHLEFT": "\\ql", "FLUSHRIGHT": "\\qr"}.get(name, "\\qc")
            paragraph.first, paragraph.bold = 0, name == "BOLDCENTER"
        elif name == "NOINDENT" and self.paragraph is not None:
            self.paragraph.first = 0
        elif name == "INDENTBY":
            left, _, right = argument.partition(" ")
            paragraph = self._current()
            paragraph.left, paragraph.right = twips(left) or 0, twips(right or "0in") or 0
        elif name == "BORDER":
            self._current().border = True
        elif name in _SPACING:
            self.spacing = _SPACING[name]
        elif name in ("START_INDENTATION", "STOP_INDENTATION"):
            self.indent_first = name == "START_INDENTATION"
        elif name == "FILE":
            self._picture(*argument.rsplit(" ", 1))
        elif name in ("PAGENUM", "SECTIONNUM"):
            self._raw("{\\field{\\*\\fldinst " + ("PAGE" if name == "PAGENUM" else "SECTION") + "}{\\fldrslt 1}}")
        # BEGIN_TWOCOL, END_TWOCOL: the text stays, in one column (as in the DOCX)

    def _picture(self, position: str, width: str) -> None:
        data = self.pictures.get(position)
        reference = self.references[int(position)] if position.isdigit() and int(position) < len(self.references) \
            else position
        picture = picture_rtf(data, None if width == "-" else twips(width)) if data is not None else None
        if picture is None:
            self._text(f"[FILE {reference}]")
        else:
            self._raw(picture)

    def _session_picture(self, attrs: dict[str, str | None]) -> None:
        """A session's picture (an upload, a signature: documents/images.py), else its alt text."""
        from offstage.documents.images import session_picture

        found = session_picture(attrs.get("src") or "")
        picture = picture_rtf(found[0], twips(found[1] or "")) if found is not None else None
        if picture is not None:
            self._raw(picture)
        elif attrs.get("alt"):
            self._text(str(attrs["alt"]))


def picture_rtf(data: bytes, width: int | None) -> str | None:
    """A picture as an RTF \\pict group (PNG and JPEG as they are, GIF, BMP and TIFF as PNG), `width`
    twips wide (its own size, at most the page's, when None); None when the bytes are not a picture."""
    from docx.image.image import Image  # python-docx reads the size and resolution of each kind

    try:
        image = Image.from_blob(data)
    except Exception:  # noqa: BLE001 - python-docx raises several kinds for bytes that are no picture
        return None
    if image.px_width <= 0 or image.px_height <= 0:
        return None
    if image.content_type not in ("image/png", "image/jpeg"):
        converted = _as_png(data)
        if converted is None:
            return None
        data = converted
    blip = "\\jpegblip" if image.content_type == "image/jpeg" else "\\pngblip"
    natural = round(image.px_width / (image.horz_dpi or 72) * TWIPS_PER_INCH)
    wide = width if width else min(natural, MAX_PICTURE)
    high = round(wide * image.px_height / image.px_width)
    hexed = data.hex()
    lines = "\n".join(hexed[i:i + 128] for i in range(0, len(hexed), 128))
    return (f"{{\\pict{blip}\\picw{image.px_width}\\pich{image.px_height}\\picwgoal{wide}\\pichgoal{high}\n"
            f"{lines}}}")


def _as_png(data: bytes) -> bytes | None:
    """A GIF, BMP or TIFF as PNG (RTF readers take PNG and JPEG), with Pillow; None when it cannot."""
    import io

    try:
        from PIL import Image
    except ImportError:
        return None
    try:
        with Image.open(io.BytesIO(data)) as picture:
            out = io.BytesIO()
            picture.save(out, format="PNG")
    except (OSError, ValueError):
        return None
    return out.getvalue()


def _table(rows: list[list[tuple[str, bool]]], page_before: bool) -> str:
    """A grid table: each row's cells share the page's width; a header cell is bold."""
    rows = [row for row in rows if row]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    border = "\\clbrdrt\\brdrs\\brdrw10\\clbrdrl\\brdrs\\brdrw10\\clbrdrb\\brdrs\\brdrw10\\clbrdrr\\brdrs\\brdrw10"
    definition = "\\trowd\\trgaph108" + "".join(f"{border}\\cellx{PAGE_WIDTH * (c + 1) // width}" for c in range(width))
    out = []
    for n, row in enumerate(rows):
        out.append(definition + "\n")
        for c, (text, header) in enumerate([*row, *[("", False)] * (width - len(row))]):
            start = "\\pagebb" if page_before and n == 0 and c == 0 else ""
            bold = "\\b" if header else ""
            out.append(f"\\pard\\plain\\intbl{start}\\fs24{bold} {text}\\cell\n")
        out.append("\\row\n")
    return "".join(out)
