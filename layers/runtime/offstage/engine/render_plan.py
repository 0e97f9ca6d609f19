"""Rendering recorded instead of performed, and found already rendered: what makes a bundle parallel.

A background action that assembles N documents one after another spends nearly all its time in the slow
step of each: DOCX -> PDF in LibreOffice (and, less, filling PDF forms). Parallel assembly runs the
action twice around a Map that renders in parallel (offstage.app.assembly):

1. the planning pass runs it with a `Recorder` active: each slow step becomes a `Job` (its inputs and a
   key hashed from them) and a one-page placeholder PDF stands in for the result;
2. the Map renders every recorded job into a cache, keyed by the job's key;
3. the real pass runs it with `Prerendered` active: a slow step whose key is in the cache takes the
   cached bytes; any other (the action took another path this time) is rendered in place as usual.

The key is a hash of exactly what the slow step reads, so a cached PDF is the one the step would make:
correctness never depends on the prediction, only the speed does. Everything before the slow step
(Mako, docxtpl, Markdown -> DOCX) runs in-process in both passes: it needs the answers, and is quick.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import io
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

CONVERT, FILL = "convert", "fill"  # DOCX -> PDF with LibreOffice; a PDF form filled in


@dataclass(frozen=True)
class Job:
    """One slow rendering step and everything it reads."""

    key: str
    kind: str  # CONVERT | FILL
    name: str  # the template's (or the file's) name, for messages
    source: bytes  # the DOCX to convert, or the PDF form to fill
    fields: dict[str, Any] = field(default_factory=dict)  # FILL: the values (JSON)
    editable: bool = True  # FILL: keep the form's fields
    pdfa: bool = False  # CONVERT: PDF/A-2b
    tagged: bool = False  # CONVERT: a tagged PDF

    def describe(self) -> dict[str, Any]:
        """The job without its source bytes (those travel as a file of their own)."""
        return {"key": self.key, "kind": self.kind, "name": self.name, "fields": self.fields,
                "editable": self.editable, "pdfa": self.pdfa, "tagged": self.tagged}


def convert_job(docx: bytes, name: str, *, pdfa: bool = False, tagged: bool = False) -> Job:
    options = "".join(flag for flag, wanted in (("+pdfa", pdfa), ("+tagged", tagged)) if wanted)
    return Job(key=_hash(CONVERT + options, _docx_digest(docx)), kind=CONVERT, name=name, source=docx,
               pdfa=pdfa, tagged=tagged)


def fill_job(template: bytes, fields: Mapping[str, Any], editable: bool, name: str) -> Job | None:
    """The job of a PDF form, or None when a value is not plain data (then it is filled in place)."""
    try:
        values = json.loads(json.dumps(dict(fields), sort_keys=True))
    except (TypeError, ValueError):
        return None
    if values != dict(fields):  # e.g. a tuple would come back as a list: fill_pdf might treat it otherwise
        return None
    described = json.dumps({"fields": values, "editable": bool(editable)}, sort_keys=True)
    key = _hash(FILL, hashlib.sha256(template).hexdigest(), described)
    return Job(key=key, kind=FILL, name=name, source=template, fields=values, editable=bool(editable))


def perform(job: Job) -> bytes:
    """Render one job: what the Map's render function does, and what the real pass does on a miss (there
    through the interview's converter, if it has one: the render function has no interview)."""
    if job.kind == CONVERT:
        from offstage.documents.convert import to_pdf

        return to_pdf(job.source, name=job.name, pdfa=job.pdfa, tagged=job.tagged)
    if job.kind == FILL:
        from offstage.documents.pdf_fill import fill_pdf

        return fill_pdf(job.source, dict(job.fields), editable=job.editable, name=job.name)
    raise ValueError(f"unknown rendering job kind {job.kind!r}")


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def _docx_digest(docx: bytes) -> str:
    """A hash of the DOCX's parts, not of its ZIP: two renderings of the same document differ only in the
    ZIP's timestamps and in docProps/core.xml's (which LibreOffice's PDF does not show)."""
    import zipfile

    digest = hashlib.sha256()
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            for name in sorted(archive.namelist()):
                if name == "docProps/core.xml":
                    continue
                digest.update(name.encode("utf-8") + b"\x00" + hashlib.sha256(archive.read(name)).digest())
    except zipfile.BadZipFile:
        return hashlib.sha256(docx).hexdigest()
    return digest.hexdigest()


# --- the two modes ---------------------------------------------------------------------------------

class Recorder:
    """The planning pass: each slow step is recorded (in order, once per key) and not performed."""

    def __init__(self) -> None:
        self.jobs: dict[str, Job] = {}

    def pdf(self, job: Job) -> bytes:
        self.jobs.setdefault(job.key, job)
        return placeholder_pdf()


class Prerendered:
    """The real pass: a step whose key `lookup` knows takes those bytes; counts hits and misses."""

    def __init__(self, lookup: Callable[[str], bytes | None]) -> None:
        self.lookup = lookup
        self.hits: list[str] = []
        self.misses: list[str] = []

    def pdf(self, job: Job) -> bytes:
        found = self.lookup(job.key)
        if found is not None:
            self.hits.append(job.key)
            return found
        self.misses.append(job.key)
        return perform(job)


_mode: contextvars.ContextVar[Recorder | Prerendered | None] = contextvars.ContextVar("render_mode", default=None)


@contextlib.contextmanager
def active(mode: Recorder | Prerendered) -> Iterator[Recorder | Prerendered]:
    """Within this block (in this thread) attachments render through `mode`."""
    token = _mode.set(mode)
    try:
        yield mode
    finally:
        _mode.reset(token)


def render(render_document: Callable[[Any, Mapping[str, Any]], Mapping[str, bytes]], document: Any,
           answers: Mapping[str, Any]) -> dict[str, bytes]:
    """documents.render.render, with the slow step recorded or taken from the cache when a mode is active."""
    mode = _mode.get()
    if mode is None:
        return dict(render_document(document, answers))
    label = document.template_name or document.filename
    if document.kind == "pdf":
        job = fill_job(document.template or b"", document.fields, document.editable, label)
        return dict(render_document(document, answers)) if job is None else {"pdf": mode.pdf(job)}
    if "pdf" not in document.formats:
        return dict(render_document(document, answers))
    # the quick part in-process (it reads the answers), the DOCX -> PDF step through the mode
    quick = tuple(f for f in document.formats if f != "pdf")
    files = dict(render_document(replace(document, formats=quick if "docx" in quick else (*quick, "docx")), answers))
    docx = files["docx"] if "docx" in quick else files.pop("docx")
    files["pdf"] = mode.pdf(convert_job(docx, label, pdfa=document.pdfa, tagged=document.tagged))
    return files


_PLACEHOLDER: bytes | None = None


def placeholder_pdf() -> bytes:
    """A valid one-page blank PDF: what the planning pass's code sees instead of a document."""
    global _PLACEHOLDER
    if _PLACEHOLDER is None:
        from pypdf import PdfWriter

        writer = PdfWriter()
        writer.add_blank_page(width=612, height=792)
        out = io.BytesIO()
        writer.write(out)
        _PLACEHOLDER = out.getvalue()
    return _PLACEHOLDER
