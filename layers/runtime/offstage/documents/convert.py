"""DOCX -> PDF with LibreOffice headless, one conversion at a time per process.

LibreOffice refuses concurrent starts under one user profile, so each process has its own profile
folder (kept, so later conversions start warm) and a lock; every conversion runs in its own temporary
folder with a timeout, and is tried once more if LibreOffice fails (it sometimes does on a cold start).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from offstage.documents import DocumentError

# None: Settings.soffice_timeout_seconds (OFFSTAGE_SOFFICE_TIMEOUT, 20 s: below the screen function's 29 s;
# a document that takes longer belongs in a background action, whose worker has 120 s)
TIMEOUT_SECONDS: float | None = None
ATTEMPTS = 2
_lock = threading.Lock()
_profile: str | None = None


class ConversionUnavailable(DocumentError):
    """LibreOffice is not installed where this runs."""


def soffice() -> str | None:
    """The LibreOffice program: OFFSTAGE_SOFFICE, else `soffice` / `libreoffice` on PATH."""
    from offstage.settings import settings

    configured = settings().soffice
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def _timeout() -> float:
    if TIMEOUT_SECONDS is not None:
        return TIMEOUT_SECONDS
    from offstage.settings import settings

    return float(settings().soffice_timeout_seconds)


def _profile_dir() -> str:
    global _profile
    if _profile is None:
        import atexit

        _profile = tempfile.mkdtemp(prefix="offstage-libreoffice-profile-")
        atexit.register(shutil.rmtree, _profile, ignore_errors=True)  # a few MB a process: not left behind
    return _profile


def docx_to_pdf(docx: bytes, *, name: str = "document", extension: str = "docx") -> bytes:
    """The PDF of a DOCX file (or another file LibreOffice opens: `extension` says which kind, e.g. odt,
    rtf, png); DocumentError (naming `name`) when LibreOffice is missing or fails."""
    if not extension.isalnum():
        raise DocumentError(f"{name}: {extension!r} is not a file type")
    program = soffice()
    if program is None:
        raise ConversionUnavailable(
            f"{name}: making a PDF from DOCX needs LibreOffice, which is not installed here "
            "(`make libreoffice` installs it; `valid formats: [docx]` avoids the PDF)")
    problem = ""
    with _lock:
        for _attempt in range(ATTEMPTS):
            with tempfile.TemporaryDirectory(prefix="offstage-convert-") as work:
                source = Path(work) / f"document.{extension.lower()}"
                source.write_bytes(docx)
                command = [program, f"-env:UserInstallation=file://{_profile_dir()}", "--headless",
                           "--norestore", "--nolockcheck", "--convert-to", "pdf", "--outdir", work, str(source)]
                returncode, errors = _run(command, work)
                if returncode is None:
                    problem = f"LibreOffice did not finish within {_timeout():g} s"
                    break  # no second try: the request's time is spent
                target = Path(work) / "document.pdf"
                if returncode == 0 and target.exists() and target.stat().st_size > 0:
                    return target.read_bytes()
                problem = f"LibreOffice exited with {returncode}: {errors[-300:] or 'no PDF was written'}"
    raise DocumentError(f"{name}: the PDF could not be made from the DOCX ({problem})")


def _run(command: list[str], work: str) -> tuple[int | None, str]:
    """Run LibreOffice in its own process group, so that a timeout stops soffice.bin too (the `soffice`
    program is a launcher whose child would otherwise live on, holding the profile)."""
    import signal

    process = subprocess.Popen(command, cwd=work, env={**os.environ, "HOME": work},  # noqa: S603
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, errors = process.communicate(timeout=_timeout())
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.communicate()
        return None, ""
    return process.returncode, errors.decode("utf-8", "replace").strip()
