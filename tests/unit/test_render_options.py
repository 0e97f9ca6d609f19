"""PDF/A and tagged PDF travel with a conversion: LibreOffice's filter, the bundle's job and its key."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest


def test_the_export_filter_asks_libreoffice_for_pdfa_2b_and_tags():
    from offstage.documents.convert import export_filter

    assert export_filter() == "pdf"
    pdfa = export_filter(pdfa=True)
    assert pdfa.startswith("pdf:writer_pdf_Export:")
    assert json.loads(pdfa.split(":", 2)[2]) == {"SelectPdfVersion": {"type": "long", "value": "2"}}
    both = json.loads(export_filter(pdfa=True, tagged=True).split(":", 2)[2])
    assert both["UseTaggedPDF"] == {"type": "boolean", "value": "true"}


def test_a_pdfa_job_is_another_document_than_the_plain_one():
    from offstage.engine.render_plan import convert_job

    plain, archival = convert_job(b"docx", "a.docx"), convert_job(b"docx", "a.docx", pdfa=True)
    tagged = convert_job(b"docx", "a.docx", tagged=True)
    assert len({plain.key, archival.key, tagged.key}) == 3  # a cached plain PDF never stands in for PDF/A
    assert archival.describe()["pdfa"] is True
    assert archival.describe()["tagged"] is False


class _Files:
    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}

    def put(self, key: str, data: bytes) -> None:
        self.data[key] = data

    def get(self, key: str) -> bytes | None:
        return self.data.get(key)


@pytest.mark.parametrize(("pdfa", "tagged"), [(True, False), (False, True)])
def test_the_maps_render_step_converts_with_the_jobs_options(monkeypatch, pdfa, tagged):
    from offstage.app.assembly import render_step
    from offstage.engine import render_plan

    job = render_plan.convert_job(b"docx bytes", "letter.docx", pdfa=pdfa, tagged=tagged)
    prefix = "assembly/s1/t1"
    files = _Files()
    files.put(f"{prefix}/plan.json", json.dumps({"task": {"session_id": "s1", "task_id": "t1"},
                                                 "jobs": [job.describe()]}).encode())
    files.put(f"{prefix}/in/{job.key}", job.source)
    asked = []

    def fake_to_pdf(data, *, name, pdfa=False, tagged=False):
        asked.append((data, name, pdfa, tagged))
        return b"%PDF-1.7 made"

    monkeypatch.setattr("offstage.documents.convert.to_pdf", fake_to_pdf)
    deps = SimpleNamespace(assembly=SimpleNamespace(files=files, progress=SimpleNamespace(advance=lambda *_: None)))
    done = render_step(deps, {"prefix": prefix, "job": {"key": job.key}})  # type: ignore[arg-type]  # a partial double
    assert done["key"] == job.key
    assert asked == [(b"docx bytes", "letter.docx", pdfa, tagged)]
    assert files.get(f"{prefix}/out/{job.key}") == b"%PDF-1.7 made"
