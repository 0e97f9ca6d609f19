"""Document rendering costs on this machine: each kind of attachment, and LibreOffice cold and warm.

`.venv/bin/python bench/documents.py` prints a table (milliseconds; the median of the warm runs). Cold
LibreOffice is a conversion in a process whose LibreOffice profile does not exist yet (the first
document a fresh Lambda container or a fresh local process converts); warm reuses the profile.
Peak memory is the largest resident size of a LibreOffice child (ru_maxrss of the children).
Never part of the tests: no wall-clock limits there.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "reference" / "assemblyline" / "samples"
sys.path.insert(0, str(REPO / "layers" / "runtime"))

LETTER = """# Letter to Olíve Oil

[BOLDCENTER] In the matter of Olíve Oil

Dear Olíve,[NEWLINE]this is *your* letter about **rent**.

- first point
- second point

| Item | Amount |
|------|--------|
| Rent | 1,200 |

[PAGEBREAK]

Signed on page two.
"""
WARM_RUNS = 5


def timed(work, runs: int = WARM_RUNS) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def cold_conversion(docx: bytes) -> float:
    """One conversion in a new Python process (new profile): the whole cost a first document pays."""
    runtime = str(REPO / "layers" / "runtime")
    probe = (f"import sys,time; sys.path.insert(0, {runtime!r}); from offstage.documents.convert import docx_to_pdf; "
             "data=sys.stdin.buffer.read(); t=time.perf_counter(); docx_to_pdf(data); "
             "print((time.perf_counter()-t)*1000)")
    out = subprocess.run([sys.executable, "-c", probe], input=docx, capture_output=True, check=True)  # noqa: S603 - a fixed argv of this bench's own tools
    return float(out.stdout.decode().strip())


def main() -> None:
    from offstage.documents.convert import docx_to_pdf
    from offstage.documents.docx_template import render_docx_template
    from offstage.documents.docx_writer import markdown_to_docx
    from offstage.documents.pdf_fill import fill_pdf
    from offstage.documents.rtf_writer import markdown_to_rtf

    cover = (SAMPLES / "exhibit_cover_sheet.docx").read_bytes()
    form = (SAMPLES / "test_aldocument_pdf_1.pdf").read_bytes()
    letter_docx = markdown_to_docx(LETTER)
    cover_docx = render_docx_template(cover, {"exhibit_label": "A-1"})
    rows = [
        ("content (Markdown) -> DOCX, python-docx", timed(lambda: markdown_to_docx(LETTER))),
        ("content (Markdown) -> RTF, rtf_writer", timed(lambda: markdown_to_rtf(LETTER))),
        ("docx template -> DOCX, docxtpl", timed(lambda: render_docx_template(cover, {"exhibit_label": "A-1"}))),
        ("pdf template -> filled PDF, pypdf", timed(lambda: fill_pdf(form, {"sample_field": "Olíve Oil"}))),
        ("pdf template -> flattened PDF, pypdf",
         timed(lambda: fill_pdf(form, {"sample_field": "Olíve Oil"}, editable=False))),
        ("DOCX -> PDF, LibreOffice cold (new profile, new process)",
         statistics.median(cold_conversion(letter_docx) for _ in range(3))),
    ]
    docx_to_pdf(letter_docx)  # this process's profile exists from here on
    rows += [
        ("DOCX -> PDF, LibreOffice warm: the 2-page letter", timed(lambda: docx_to_pdf(letter_docx))),
        ("DOCX -> PDF, LibreOffice warm: the cover sheet", timed(lambda: docx_to_pdf(cover_docx))),
    ]
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    width = max(len(name) for name, _ in rows)
    for name, ms in rows:
        print(f"{name:<{width}}  {ms:8.1f} ms")
    print(f"{'peak resident memory of one LibreOffice conversion':<{width}}  {peak_mb:8.0f} MB")


if __name__ == "__main__":
    main()
