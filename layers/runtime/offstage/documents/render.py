"""One attachment -> its files: `render(document, answers) -> {format: bytes}`.

Pure: the engine evaluates the attachment's Mako parts (name, filename, content, PDF field values) and
reads the template file, then calls this; a Step Functions task can call it the same way with the
answers it loaded. Routes:
- content: Markdown -> DOCX (python-docx) -> PDF (LibreOffice), and Markdown -> RTF (rtf_writer, plain
  text). The PDF comes from the DOCX writer, so the PDF and the DOCX look alike, and no LaTeX (pandoc +
  TeX is about a gigabyte): LibreOffice is needed for DOCX templates anyway. As in docassemble, content
  gives PDF and RTF unless `valid formats` says otherwise; `rtf to docx` gives the DOCX.
- docx template file: docxtpl -> DOCX -> PDF (LibreOffice).
- pdf template file: pypdf fills the form; PDF only.
- raw (`raw: True` with `content file`): the text as assembled, one file named with the content file's
  extension.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from offstage.documents import DocumentError

MIMETYPES = {"pdf": "application/pdf", "md": "text/markdown; charset=utf-8", "rtf": "application/rtf",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
DEFAULT_FORMATS = {"content": ("pdf", "rtf"), "docx": ("pdf", "docx"), "pdf": ("pdf",), "raw": ("raw",)}
PRODUCIBLE = {"content": ("pdf", "rtf", "docx", "md"), "docx": ("pdf", "docx"), "pdf": ("pdf",), "raw": ("raw",)}
# docassemble's names for formats offstage makes otherwise: `rtf to docx` (docassemble: Markdown -> RTF ->
# DOCX with LibreOffice) is the DOCX writer's DOCX
SYNONYMS = {"rtf to docx": "docx", "doc": "docx"}


@dataclass(frozen=True)
class Document:
    """An attachment with its Mako parts evaluated: what to make and from what."""

    kind: str  # content | docx | pdf
    filename: str
    formats: tuple[str, ...]
    name: str = ""
    description: str = ""
    content: str | None = None  # Markdown (kind content)
    template: bytes | None = None  # the DOCX or PDF template's bytes
    template_name: str = ""
    fields: dict[str, Any] = field(default_factory=dict)  # PDF field values / extra DOCX variables
    editable: bool = True
    skip_undefined: bool = False  # `skip undefined`: blanks for what is not defined, nothing is asked
    raw_extension: str = "txt"  # kind raw: the content file's extension
    pictures: dict[str, bytes] = field(default_factory=dict)  # content: the bytes of each [FILE reference]
    pdfa: bool = False  # `pdf/a`: the PDF is PDF/A-2b (LibreOffice's export filter)
    tagged: bool = False  # `tagged pdf`: the PDF has a structure tree (accessibility)


def formats_for(kind: str, wanted: list[str] | None) -> tuple[str, ...]:
    """`valid formats` narrowed to what this kind makes; the kind's defaults when none are given."""
    if not wanted or "*" in wanted:
        return DEFAULT_FORMATS[kind]
    meant = [SYNONYMS.get(f, f) for f in wanted]
    chosen = tuple(f for f in PRODUCIBLE[kind] if f in meant)
    if not chosen:
        raise DocumentError(f"valid formats {wanted} has nothing offstage makes from this attachment "
                            f"(it makes {', '.join(PRODUCIBLE[kind])})")
    return chosen


def render(document: Document, answers: Mapping[str, Any]) -> dict[str, bytes]:
    """The document's bytes per format; NameError for a variable still undefined, DocumentError otherwise."""
    files: dict[str, bytes] = {}
    label = document.template_name or document.filename
    if document.kind == "raw":
        files["raw"] = (document.content or "").encode("utf-8")
        return files
    if document.kind == "pdf":
        from offstage.documents.pdf_fill import fill_pdf

        files["pdf"] = fill_pdf(document.template or b"", document.fields, editable=document.editable,
                                name=label)
        return files
    if document.kind == "docx":
        from offstage.documents.docx_template import render_docx_template

        docx = render_docx_template(document.template or b"", {**answers, **document.fields}, name=label,
                                    skip_undefined=document.skip_undefined)
    else:
        files.update(_from_content(document))
        if not {"docx", "pdf"} & set(document.formats):
            return files
        from offstage.documents.docx_writer import markdown_to_docx

        docx = markdown_to_docx(document.content or "", document.pictures)
    if "docx" in document.formats:
        files["docx"] = docx
    if "pdf" in document.formats:
        from offstage.documents.convert import to_pdf

        files["pdf"] = to_pdf(docx, name=label, pdfa=document.pdfa, tagged=document.tagged)
    return files


def _from_content(document: Document) -> dict[str, bytes]:
    """What content gives without the DOCX: its RTF and its Markdown, as asked."""
    files: dict[str, bytes] = {}
    if "rtf" in document.formats:
        from offstage.documents.rtf_writer import markdown_to_rtf

        files["rtf"] = markdown_to_rtf(document.content or "", document.pictures)
    if "md" in document.formats:
        files["md"] = (document.content or "").encode("utf-8")
    return files
