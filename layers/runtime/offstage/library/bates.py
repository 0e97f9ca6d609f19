"""Bates numbering: a number such as ABC00042 stamped in a corner of every page of a PDF.

docassemble's DAFile.bates_number() draws it in Helvetica, `offset_horizontal` / `offset_vertical`
points (15 each) in from the chosen corner, numbers running on across the pages. offstage writes the
same text straight into each page's content with pikepdf (no drawing library).
"""

from __future__ import annotations

from typing import Any

AREAS = ("TOP_LEFT", "TOP_RIGHT", "BOTTOM_RIGHT", "BOTTOM_LEFT")
_HELVETICA_DEFAULT = 556  # thousandths of the font size: digits' width, the usual case


def _width(text: str, font_size: float) -> float:
    """The text's width in Helvetica, from the core-font metrics pypdf carries (Adobe's AFM data)."""
    try:
        from pypdf._codecs.core_font_metrics import CORE_FONT_METRICS

        widths: dict[str, float] = CORE_FONT_METRICS["Helvetica"].character_widths
    except (ImportError, KeyError, AttributeError):  # a pypdf without them: the digits' width for all
        widths = {}
    return sum(widths.get(char, _HELVETICA_DEFAULT) for char in text) * font_size / 1000


def _literal(text: str) -> bytes:
    """A PDF string literal of the text in the font's encoding (WinAnsi), ( ) and \\ escaped."""
    encoded = text.encode("cp1252", errors="replace")
    return b"(" + encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def bates_stamp(data: bytes, *, prefix: str = "TEST", digits: int = 5, start: int = 1, area: str = "BOTTOM_RIGHT",
                font_size: float = 10, offset_horizontal: float = 15, offset_vertical: float = 15) -> bytes:
    """The PDF with page i (from 0) numbered `prefix` + str(start + i) zero-filled to `digits`."""
    import io

    import pikepdf

    if area not in AREAS:
        raise ValueError(f"bates_number: area must be one of {', '.join(AREAS)}, not {area!r}")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                    BaseFont=pikepdf.Name.Helvetica,
                                                    Encoding=pikepdf.Name.WinAnsiEncoding))
        for number, page in enumerate(pdf.pages, start=start):
            text = f"{prefix}{str(number).zfill(digits)}"
            _stamp(pdf, page, font, text, area, (font_size, offset_horizontal, offset_vertical))
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def _stamp(pdf: Any, page: Any, font: Any, text: str, area: str, sizes: tuple[float, float, float]) -> None:
    import pikepdf

    font_size, across, up = sizes
    left, bottom, right, top = (float(edge) for edge in page.mediabox)
    x = left + across if area.endswith("LEFT") else right - across - _width(text, font_size)
    y = top - up if area.startswith("TOP") else bottom + up
    name = page.add_resource(font, pikepdf.Name.Font, prefix="Bates")
    # q/Q around the page's own content first, so its graphics state cannot move the number
    page.contents_coalesce()
    page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
    drawn = b"Q\nq BT %s %g Tf 1 0 0 1 %.2f %.2f Tm %s Tj ET Q\n" % (
        str(name).encode(), font_size, x, y, _literal(text))
    page.contents_add(pikepdf.Stream(pdf, drawn))
