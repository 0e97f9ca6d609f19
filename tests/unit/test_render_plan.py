"""engine.render_plan (record / find rendered), engine.held (side effects held back) and the assembly
steps of app.assembly with in-memory parts. No LibreOffice here: the slow step is replaced by a counter
where a test needs it to run."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from offstage.documents.render import Document
from offstage.engine import held, render_plan

from tests.conftest import SHARED

FORM = SHARED / "reference" / "assemblyline" / "samples" / "test_aldocument_pdf_1.pdf"


def fake_render(calls):
    """documents.render.render's shape: the DOCX of Markdown content (a tiny ZIP), and a PDF if asked."""

    def render(document, answers):
        calls.append(document.formats)
        files = {}
        if "docx" in document.formats:
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as archive:
                archive.writestr("word/document.xml", document.content or "")
                archive.writestr("docProps/core.xml", "made just now")
            files["docx"] = out.getvalue()
        if "pdf" in document.formats:
            files["pdf"] = b"%PDF-in-place"
        return files

    return render


def letter(text="Dear Ada", formats=("pdf",)):
    return Document(kind="content", filename="letter", formats=formats, content=text)


def test_without_a_mode_rendering_is_untouched():
    calls: list[Any] = []
    assert render_plan.render(fake_render(calls), letter(), {}) == {"pdf": b"%PDF-in-place"}
    assert calls == [("pdf",)]


def test_the_planning_pass_records_the_conversion_and_hands_back_a_placeholder_pdf():
    calls: list[Any] = []
    recorder = render_plan.Recorder()
    with render_plan.active(recorder):
        files = render_plan.render(fake_render(calls), letter(), {})
    assert calls == [("docx",)]  # only the quick part ran: Markdown -> DOCX
    assert files["pdf"] == render_plan.placeholder_pdf()
    assert files["pdf"].startswith(b"%PDF")
    assert list(files) == ["pdf"]  # the DOCX made on the way is not a format the author asked for
    (job,) = recorder.jobs.values()
    assert job.kind == render_plan.CONVERT
    assert job.name == "letter"


def test_the_same_document_gets_the_same_key_and_another_document_another():
    def key(text):
        recorder = render_plan.Recorder()
        with render_plan.active(recorder):
            render_plan.render(fake_render([]), letter(text), {})
        return next(iter(recorder.jobs))

    assert key("Dear Ada") == key("Dear Ada")  # although docProps/core.xml and the ZIP's times may differ
    assert key("Dear Ada") != key("Dear Bob")


def test_the_real_pass_takes_the_cached_pdf_and_renders_in_place_what_it_does_not_find(monkeypatch):
    recorder = render_plan.Recorder()
    with render_plan.active(recorder):
        render_plan.render(fake_render([]), letter("one"), {})
    (known,) = recorder.jobs
    performed = []
    monkeypatch.setattr(render_plan, "perform", lambda job: performed.append(job.key) or b"%PDF-converted")
    cache = render_plan.Prerendered({known: b"%PDF-from-the-map"}.get)
    with render_plan.active(cache):
        first = render_plan.render(fake_render([]), letter("one", ("pdf", "docx")), {})
        second = render_plan.render(fake_render([]), letter("not predicted"), {})
    assert first["pdf"] == b"%PDF-from-the-map"
    assert first["docx"].startswith(b"PK")
    assert second["pdf"] == b"%PDF-converted"
    assert cache.hits == [known]
    assert len(cache.misses) == 1
    assert performed == cache.misses


def test_a_pdf_form_is_a_fill_job_and_one_with_values_that_are_not_data_is_filled_in_place():
    form = FORM.read_bytes()
    recorder = render_plan.Recorder()
    plain = Document(kind="pdf", filename="form", formats=("pdf",), template=form, template_name="f.pdf",
                     fields={"sample_field": "Ada"})
    odd = Document(kind="pdf", filename="form", formats=("pdf",), template=form, template_name="f.pdf",
                   fields={"sample_field": object()})
    in_place: list[Any] = []
    with render_plan.active(recorder):
        render_plan.render(fake_render(in_place), plain, {})
        render_plan.render(fake_render(in_place), odd, {})
    (job,) = recorder.jobs.values()
    assert job.kind == render_plan.FILL
    assert job.fields == {"sample_field": "Ada"}
    assert job.source == form
    assert len(in_place) == 1  # the odd one went the ordinary way
    filled = render_plan.perform(job)  # pypdf: no LibreOffice needed
    assert filled.startswith(b"%PDF")
    assert filled != form


def test_a_mode_is_per_thread():
    import threading

    seen = []
    with render_plan.active(render_plan.Recorder()):
        thread = threading.Thread(target=lambda: seen.append(render_plan._mode.get()))
        thread.start()
        thread.join()
    assert seen == [None]


# --- held side effects --------------------------------------------------------------------------------

class Store:
    def __init__(self):
        self.data, self.sent = {b"k": b"stored"}, []

    def get(self, key, **_):
        return self.data.get(key) if isinstance(key, bytes) else self.data.get(key.encode())

    def send(self, *args, **kwargs):
        self.sent.append((args, kwargs))


def test_held_ports_send_nothing_and_read_back_their_own_writes():
    from offstage.context import Ports

    class Files:
        def __init__(self):
            self.put_calls = []

        def get(self, key):
            if key == "s/old":
                return b"old file"
            raise FileNotFoundError(key)

        def put(self, *args):
            self.put_calls.append(args)

    queue, mailer, files = Store(), Store(), Files()
    ports = held.held_ports(Ports(queue=queue, mailer=mailer, files=files, kv=None, tasks=None))  # type: ignore[arg-type]  # a partial double: only what this test reaches
    ports.queue.send("a task")
    assert ports.mailer.send(to=["a@example.com"], subject="s", body_text="b") is True
    ports.files.put("s/new", b"new file", "application/pdf")
    ports.kv.set("key", b"v")
    ports.kv.rpush("list", b"x")
    assert queue.sent == []
    assert mailer.sent == []
    assert files.put_calls == []
    assert ports.files.get("s/new") == b"new file"
    assert ports.files.get("s/old") == b"old file"
    assert ports.kv.get("key") == b"v"
    assert ports.kv.lpop("list") == b"x"
    assert ports.kv.lpop("list") is None


# --- the assembly steps, with in-memory parts -------------------------------------------------------------

class MemoryFiles:
    def __init__(self):
        self.objects = {}

    def put(self, key, data):
        self.objects[key] = bytes(data)

    def get(self, key):
        return self.objects.get(key)

    def delete_prefix(self, prefix):
        for key in [k for k in self.objects if k.startswith(prefix + "/")]:
            del self.objects[key]


class MemoryProgress:
    def __init__(self):
        self.counts = {}

    def begin(self, session_id, task_id, total):
        self.counts[(session_id, task_id)] = [0, total]

    def advance(self, session_id, task_id):
        if (session_id, task_id) in self.counts:
            self.counts[(session_id, task_id)][0] += 1

    def of_session(self, session_id):
        return [{"task_id": t, "done": d, "total": n} for (s, t), (d, n) in self.counts.items() if s == session_id]

    def end(self, session_id, task_id):
        self.counts.pop((session_id, task_id), None)


@pytest.fixture
def parts():
    from offstage.app.assembly import AssemblyPorts
    from offstage.app.deps import Deps

    ports = AssemblyPorts(workflow=None, files=MemoryFiles(), progress=MemoryProgress())
    return Deps(sessions=None, interviews=None, ports=None, assembly=ports)  # type: ignore[arg-type]  # a partial double: only what this test reaches


def planned(deps, jobs):
    prefix = "assembly/sess/task1"
    for job in jobs:
        deps.assembly.files.put(f"{prefix}/in/{job.key}", job.source)
    task: dict[str, Any] = {"task_id": "task1", "session_id": "sess", "interview": "x.yml", "action": "a", "arguments": {},
            "ui_notification": "refresh", "user": {}, "secret": None}
    deps.assembly.files.put(f"{prefix}/plan.json", json.dumps(
        {"task": task, "jobs": [j.describe() for j in jobs], "on_error": None}).encode())
    return prefix


def test_plan_then_render_fills_the_cache_and_counts_progress(parts):
    from offstage.app import assembly

    jobs = [render_plan.fill_job(FORM.read_bytes(), {"sample_field": f"n{i}"}, True, "f.pdf") for i in range(3)]
    prefix = planned(parts, jobs)
    plan = assembly.plan_step(parts, {"prefix": prefix})
    assert [j["key"] for j in plan["jobs"]] == [j.key for j in jobs]
    assert parts.assembly.progress.of_session("sess") == [{"task_id": "task1", "done": 0, "total": 3}]
    for item in plan["jobs"]:
        done = assembly.render_step(parts, {"step": "render", "prefix": prefix, "job": item})
        assert done["kind"] == "fill"
    assert parts.assembly.progress.of_session("sess")[0]["done"] == 3
    assert all(parts.assembly.files.get(f"{prefix}/out/{j.key}").startswith(b"%PDF") for j in jobs)


@pytest.mark.parametrize("prefix", ["files/sess/x", "assembly/../x", "assembly/sess", "assembly//x", ""])
def test_a_step_refuses_a_prefix_outside_the_bundles(parts, prefix):
    from offstage.app import assembly

    with pytest.raises(ValueError, match="not an assembly prefix"):
        assembly.plan_step(parts, {"prefix": prefix})


def test_a_render_of_a_bad_form_raises_the_templates_error(parts):
    from offstage.app import assembly
    from offstage.documents import DocumentError

    job = render_plan.fill_job(b"this is not a PDF", {"client": "x"}, True, "f.pdf")
    prefix = planned(parts, [job])
    with pytest.raises(DocumentError, match=r"f\.pdf cannot be read"):
        assembly.render_step(parts, {"prefix": prefix, "job": {"key": job.key}})


def test_only_interviews_that_may_make_documents_are_planned():
    from offstage.app.assembly import may_make_documents
    from offstage.interview import load_interview_file

    here = Path(__file__).resolve().parents[1]
    bundle = load_interview_file(here / "integration" / "assembly_interviews" / "bundle.yml", name="bundle.yml")
    assert may_make_documents(bundle)
    plain = SHARED / "reference" / "docassemble" / "examples" / "background_action_javascript.yml"
    if plain.is_file():
        assert not may_make_documents(load_interview_file(plain, name="b.yml"))


# --- the worker's hand-over ----------------------------------------------------------------------------

class Workflow:
    def __init__(self):
        self.started = []

    def start(self, name, payload):
        self.started.append((name, payload))


HAND_OVER = """\
mandatory: True
code: |
  the_task = background_action('make', 'refresh')
---
event: make
code: |
  if action_argument('spin'):
    while True:
      pass
  documents = [letter] if action_argument('letter') else []
  send_email(to='a@example.com', subject='held', body='x')
  background_response('done')
---
attachment:
  name: Letter
  filename: letter
  variable name: letter
  valid formats: [pdf]
  content: Dear Ada.
"""


@pytest.mark.parametrize(("arguments", "handed", "jobs"), [
    ({"letter": True}, True, 1),  # a document: the state machine renders it
    ({}, False, 0),  # none: the worker runs the task itself
    ({"spin": True}, True, 0),  # out of time: Deliver runs it with a budget of its own
])
def test_the_worker_hands_over_a_task_that_makes_documents(tmp_path, arguments, handed, jobs):
    import time

    from offstage.app import assembly, background
    from offstage.app.deps import Deps
    from offstage.context import Ports
    from offstage.interview import load_interview_file
    from offstage.ports import QueuedTask, SessionRecord

    (tmp_path / "i.yml").write_text(HAND_OVER)
    interview = load_interview_file(tmp_path / "i.yml", name="i.yml")
    sent = []

    class Mailer:
        def send(self, **message):
            sent.append(message)
            return True

    workflow = Workflow()
    deps = Deps(sessions=None, interviews=None, ports=Ports(mailer=Mailer()),  # type: ignore[arg-type]  # a partial double: only what this test reaches
                assembly=assembly.AssemblyPorts(workflow=workflow, files=MemoryFiles(), progress=MemoryProgress()))
    task = QueuedTask(task_id="t1", session_id="s1", interview="i.yml", action="make", arguments=arguments,
                      ui_notification="refresh")
    run = background.Run(task, time.monotonic() + 1.5)
    record = SessionRecord(session_id="s1", interview="i.yml", answers={})
    assert assembly.hand_over(deps, run, interview, record) is handed
    assert sent == []  # the rehearsal's e-mail never left
    if handed:
        ((name, payload),) = workflow.started
        assert name == "task-t1"
        assert payload == {"prefix": "assembly/s1/t1"}
        plan = json.loads(deps.assembly.files.get("assembly/s1/t1/plan.json"))
        assert len(plan["jobs"]) == jobs
        assert plan["task"]["action"] == "make"
    else:
        assert workflow.started == []
