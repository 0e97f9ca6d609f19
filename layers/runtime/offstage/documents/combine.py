"""Several files -> one: merged PDF (pypdf), ZIP archive (zipfile), merged DOCX (docxcompose).

Pure: bytes in, bytes out; the author functions (offstage.library.files) find the bytes and convert
word-processing files to PDF first. The ZIP is made in memory and its entries' names are made safe
(no absolute paths, no `..`), so an archive opened anywhere stays inside its folder.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from offstage.documents import DocumentError

MAX_ZIP_NAME = 200  # characters of one entry's path


def merge_pdfs(pdfs: Sequence[tuple[str, bytes]], *, password: str | None = None,
               owner_password: str | None = None) -> bytes:
    """The pages of every PDF in order (named by their file names in errors); encrypted when a password
    is given (the user password opens it, the owner password also allows changes)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    if not pdfs:
        raise DocumentError("pdf_concatenate() needs at least one file")
    writer = PdfWriter()
    for name, data in pdfs:
        try:
            writer.append(PdfReader(io.BytesIO(data)))
        except (PdfReadError, ValueError, OSError) as exc:
            raise DocumentError(f"{name} is not a PDF that can be read: {exc}") from None
    if password is not None or owner_password is not None:
        writer.encrypt(user_password=password or "", owner_password=owner_password or password,
                       algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_entries(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A ZIP of (path inside the archive, bytes). A path used more than once is numbered in every
    use, as docassemble numbers it: a.pdf twice gives a_1.pdf and a_2.pdf."""
    import zipfile

    listed = [(_safe_entry(path), data) for path, data in entries]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in zip(_numbered([name for name, _ in listed]), (data for _, data in listed), strict=True):
            archive.writestr(name, data)
    return out.getvalue()


def _safe_entry(path: str) -> str:
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    cleaned = "/".join("".join(c for c in part if c >= " " and c != "\x7f") for part in parts)
    return cleaned[-MAX_ZIP_NAME:] or "file"


def _numbered(names: list[str]) -> list[str]:
    from collections import Counter

    uses = Counter(names)
    taken = set(names)
    counters: Counter[str] = Counter()
    result = []
    for name in names:
        if uses[name] == 1:
            result.append(name)
            continue
        while True:
            counters[name] += 1
            suffix = str(counters[name]).zfill(len(str(uses[name])))
            stem, dot, extension = name.rpartition(".")
            candidate = f"{stem}_{suffix}.{extension}" if dot and stem and "/" not in extension \
                else f"{name}_{suffix}"
            if candidate not in taken:
                taken.add(candidate)
                result.append(candidate)
                break
    return result


def merge_docx(documents: Sequence[tuple[str, bytes]]) -> bytes:
    """The DOCX files one after another, each starting on a new page, styles and numbering kept."""
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docxcompose.composer import Composer

    if not documents:
        raise DocumentError("docx_concatenate() needs at least one file")
    opened = []
    for name, data in documents:
        try:
            opened.append(Document(io.BytesIO(data)))
        except Exception as exc:  # noqa: BLE001 - python-docx raises several kinds for a bad file
            raise DocumentError(f"{name} is not a DOCX file that can be read: {type(exc).__name__}") from None
    composer = Composer(opened[0])
    for document in opened[1:]:
        composer.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        composer.append(document)
    out = io.BytesIO()
    composer.save(out)
    return out.getvalue()
