"""Documents: docassemble's attachments assembled into real files.

`render.render(document, answers)` turns one attachment (its Mako parts already evaluated by the engine)
into bytes per format; it is pure (no AWS), so a state machine's task can call it as the screen does.
Modules: markup (docassemble's [TAGS] in Markdown), docx_writer (Markdown -> DOCX), docx_template (docxtpl),
pdf_fill (fillable PDFs), convert (DOCX -> PDF with LibreOffice), sealed (file bytes at rest), uploads
(what an uploaded file is, and whether a field takes it), images (session pictures placed in documents).
Heavy libraries (python-docx, docxtpl, pypdf) are imported only when a document is made.
"""

from __future__ import annotations


class DocumentError(Exception):
    """A document could not be assembled; the message names the template and the problem."""
