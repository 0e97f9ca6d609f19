"""Uploads in tests: multipart bodies as a browser or an API client sends them, small real files, and
the uploads interview with its DOCX template (made here, with python-docx)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from tests.support.files import png as tiny_png  # noqa: F401 - the upload tests' name for it


def encode(fields: dict[str, Any] | list[tuple[str, Any]], boundary: str | None = None) -> tuple[bytes, str]:
    """(body, Content-Type); a value that is a (filename, bytes, content type) tuple is a file part."""
    boundary = boundary or "----offstage" + secrets.token_hex(8)
    items = fields.items() if isinstance(fields, dict) else fields
    parts = []
    for name, value in items:
        if isinstance(value, tuple):
            filename, data, content_type = value
            head = (f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    f"Content-Type: {content_type}\r\n")
        else:
            head, data = f'Content-Disposition: form-data; name="{name}"\r\n', str(value).encode("utf-8")
        parts.append(b"--" + boundary.encode() + b"\r\n" + head.encode("utf-8") + b"\r\n" + data + b"\r\n")
    body = b"".join(parts) + b"--" + boundary.encode() + b"--\r\n"
    return body, f"multipart/form-data; boundary={boundary}"


def tiny_pdf(text: str = "Lease") -> bytes:
    """A one-page PDF (pypdf, as the layer has it)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


INTERVIEWS = Path(__file__).resolve().parents[1] / "uploads"


def uploads_interviews(folder: Path) -> Path:
    """A folder with uploads.yml and the DOCX template its signed form uses (`{{ user_signature }}`)."""
    import shutil

    import docx

    shutil.copy(INTERVIEWS / "uploads.yml", folder / "uploads.yml")
    document = docx.Document()
    document.add_paragraph("Signed form of {{ user_name }}")
    document.add_paragraph("{{ user_signature }}")
    document.add_paragraph("Small: {{ user_signature.show(width='1in') }}")
    document.save(str(folder / "signed_form.docx"))
    return folder
