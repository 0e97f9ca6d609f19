"""DOCX -> PDF with LibreOffice headless, as many conversions at once as the process has CPUs (up to 4).

LibreOffice refuses concurrent starts under one user profile, so each conversion takes a profile folder
of the process's own that no other uses meanwhile (kept, so later conversions start warm); every
conversion runs in its own temporary folder with a timeout, and is tried once more if LibreOffice fails
(it sometimes does on a cold start).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from offstage.documents import DocumentError

# None: Settings.soffice_timeout_seconds (OFFSTAGE_SOFFICE_TIMEOUT, 20 s: below the screen function's 29 s;
# a document that takes longer belongs in a background action, whose worker has 120 s)
TIMEOUT_SECONDS: float | None = None
ATTEMPTS = 2
# LibreOffice allows one conversion at a time per profile: a process keeps up to this many profiles, so
# that many conversions (threads: the local stack's function environments) run side by side
PROFILES = max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))
_free_profiles: list[str] = []
_profiles_made = 0
_profiles_changed = threading.Condition()


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


@contextlib.contextmanager
def _profile_dir() -> Iterator[str]:
    """A profile folder no other conversion uses meanwhile (kept for the next one: it starts warm)."""
    global _profiles_made
    with _profiles_changed:
        while not _free_profiles and _profiles_made >= PROFILES:
            _profiles_changed.wait()
        if _free_profiles:
            profile = _free_profiles.pop()
        else:
            import atexit

            profile = tempfile.mkdtemp(prefix="offstage-libreoffice-profile-")
            atexit.register(shutil.rmtree, profile, ignore_errors=True)  # a few MB a process: not left behind
            _profiles_made += 1
    try:
        yield profile
    finally:
        with _profiles_changed:
            _free_profiles.append(profile)
            _profiles_changed.notify()


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
    with _profile_dir() as profile:
        for _attempt in range(ATTEMPTS):
            with tempfile.TemporaryDirectory(prefix="offstage-convert-") as work:
                source = Path(work) / f"document.{extension.lower()}"
                source.write_bytes(docx)
                command = [program, f"-env:UserInstallation=file://{profile}", "--headless",
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
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return None, ""
    return process.returncode, errors.decode("utf-8", "replace").strip()
