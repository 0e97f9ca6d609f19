"""Small files the document and upload tests make and read: PNG pictures, DOCX documents, PDF text."""

from __future__ import annotations

import io
import subprocess

RED = b"\xff\x00\x00"


def png(width: int = 4, height: int = 3, colour: bytes = RED) -> bytes:
    """A valid PNG of one colour (zlib and struct only)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + colour * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def docx_with(*texts: str) -> bytes:
    """A DOCX with one paragraph per text (python-docx)."""
    from docx import Document

    document = Document()
    for text in texts:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_text(data: bytes, *, layout: bool = True) -> str:
    """A PDF's text as poppler's pdftotext reads it (`-layout` keeps columns apart)."""
    command = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(command, input=data, capture_output=True, check=True).stdout.decode("utf-8")
