"""PDF/A: docassemble's `pdf_to_pdfa(path)`, which rewrites a PDF file in place as PDF/A-2b with Ghostscript.

docassemble runs the same Ghostscript command; offstage bounds it in time and says plainly when the
deployment has no Ghostscript (the Lambda runtime has none unless a layer adds it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

TIMEOUT_SECONDS = 120.0  # a long court filing converts in a few seconds; a hung gs must not hold the task


class PdfaError(RuntimeError):
    """The file could not be made PDF/A (no Ghostscript, or Ghostscript refused the file)."""


def pdf_to_pdfa(filename: str) -> None:
    """Convert the PDF at `filename` to PDF/A-2b, replacing the file."""
    gs = shutil.which("gs")
    if gs is None:
        raise PdfaError("pdf_to_pdfa: Ghostscript (gs) is not installed where this runs, so offstage cannot "
                        "make PDF/A files here")
    folder = tempfile.mkdtemp(prefix="offstage-pdfa-")
    made = os.path.join(folder, "pdfa.pdf")
    command = [gs, "-dPDFA=2", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-sColorConversionStrategy=RGB",
               "-sDEVICE=pdfwrite", "-dPDFACompatibilityPolicy=1", f"-sOutputFile={made}", filename]
    try:
        completed = subprocess.run(command, cwd=folder, capture_output=True, timeout=TIMEOUT_SECONDS,  # noqa: S603
                                   check=False)
        if completed.returncode != 0 or not os.path.isfile(made) or not os.path.getsize(made):
            problem = completed.stdout.decode(errors="replace")[-500:] + completed.stderr.decode(errors="replace")[-500:]
            raise PdfaError(f"pdf_to_pdfa: Ghostscript could not convert {os.path.basename(filename)}: {problem}")
        shutil.move(made, filename)
    except subprocess.TimeoutExpired as stopped:
        raise PdfaError(f"pdf_to_pdfa: Ghostscript did not finish within {TIMEOUT_SECONDS:g} s") from stopped
    finally:
        shutil.rmtree(folder, ignore_errors=True)
