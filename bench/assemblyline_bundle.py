"""A 10-document AssemblyLine bundle (4 Markdown, 3 DOCX templates, 3 PDF forms): AssemblyLine's own
background assembly (its `generate_downloads_task`: get_cacheable_documents(pdf=True, include_full_pdf=True))
run one document after another, against the same action run by offstage's parallel assembly; same run.

AssemblyLine's code is the wheel's, unchanged (installed as tests/integration/test_assemblyline_import.py
installs it). Measured as bench/bundle.py measures bundles:
(a) wall clock on the local stack: the answer that starts the task -> the page's check-in finding it done
    (planning pass, moto's Step Functions running Plan -> Map -> Deliver, functions in-process, 2 cores);
(b) the AWS critical path: the planning pass + the slowest single render alone (each Map branch is a Lambda
    of its own in AWS) + the real pass finding every render done; against the sequential action, which is
    what docassemble's Celery worker runs: each as_pdf in turn, the ZIP, the full PDF. Target: >= 3x.
    The ten renders alone, one after another, each once, are printed beside it (the stricter comparison:
    the action also fills in Mako and docxtpl, zips and joins the PDFs).
The three passes of (b) are timed here, in this process, on the session's own answers (warm LibreOffice).

`.venv/bin/python bench/assemblyline_bundle.py` prints a table; bench/run.py adds it to `make bench`.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "reference" / "assemblyline" / "samples"
sys.path.insert(0, str(REPO / "layers" / "runtime"))
WHEEL = Path(sys.prefix) / "cache" / "docassemble-assemblyline-4"  # where the tests install it
REQUIREMENT = "docassemble.AssemblyLine>=4,<5"
NAME = "Ada Lovelace"
ACTION = "al_user_bundle.create_downloads"

LETTERS, COVERS, FORMS = range(1, 5), range(1, 4), range(1, 4)


def interview_yaml() -> str:
    """The bundle: ten ALDocuments, each made by an attachment block, as AssemblyLine authors write them."""
    names = [f"letter_{i}" for i in LETTERS] + [f"cover_{i}" for i in COVERS] + [f"form_{i}" for i in FORMS]
    parts = ["include:\n  - assembly_line.yml",
             "mandatory: True\ncode: |\n  client_name\n  if not al_user_bundle.generate_downloads_task.ready():\n"
             "    al_download_waiting_screen\n  download_screen",
             "question: What is your name?\nfields:\n  - Name: client_name",
             "event: download_screen\nquestion: Your documents are ready\nsubquestion: |\n"
             "  ${ al_user_bundle.download_list_html(use_previously_cached_files=True, include_full_pdf=True) }",
             "objects:\n" + "\n".join(f"  - {n}: ALDocument.using(title='{n}', filename='{n}', enabled=True, "
                                      "has_addendum=False)" for n in names),
             f"objects:\n  - al_user_bundle: ALDocumentBundle.using(elements=[{', '.join(names)}], "
             "title='Ten documents', enabled=True, filename='ten_documents')"]
    parts += [f"attachment:\n  variable name: letter_{i}[i]\n  filename: letter_{i}\n  valid formats: [pdf]\n"
              f"  content: |\n    # Letter {i} for ${{ client_name }}\n\n"
              f"    Dear ${{ client_name }}, this is letter number {i}.\n" for i in LETTERS]
    parts += [f"attachment:\n  variable name: cover_{i}[i]\n  filename: cover_{i}\n"
              f"  docx template file: exhibit_cover_sheet.docx\n  valid formats: [pdf]\n  fields:\n"
              f"    exhibit_label: \"${{ client_name }} {i}\"" for i in COVERS]
    parts += [f"attachment:\n  variable name: form_{i}[i]\n  filename: form_{i}\n"
              f"  pdf template file: test_aldocument_pdf_1.pdf\n  fields:\n"
              f"    - sample_field: \"Form {i} of ${{ client_name }}\"" for i in FORMS]
    return "\n---\n".join(parts) + "\n"


# the package's own `include: assembly_line.yml` pulls in far more than documents; this stand-in takes
# AssemblyLine's al_document module and YAML, and the three labels its ql_baseline.yml defines
STAND_IN = ("modules:\n  - docassemble.AssemblyLine.al_document\n---\ninclude:\n  - docassemble.AssemblyLine:al_document.yml\n"
            + "".join(f"---\ngeneric object: ALDocumentBundle\ntemplate: x.{label}_label\ncontent: {label.title()}\n"
                      for label in ("view", "download", "send")))


def _wheel() -> Path:
    if not (WHEEL / "docassemble" / "AssemblyLine" / "al_document.py").is_file():
        subprocess.run([sys.executable, "-m", "pip",  # noqa: S603 - fixed arguments "install", "-q", "--no-deps", "--no-compile", "--target",
                        str(WHEEL), REQUIREMENT], check=True, capture_output=True)
    if str(WHEEL) not in sys.path:
        sys.path.insert(0, str(WHEEL))
    return WHEEL


def _folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="offstage-bench-al-"))
    (folder / "al_ten.yml").write_text(interview_yaml(), encoding="utf-8")
    (folder / "assembly_line.yml").write_text(STAND_IN, encoding="utf-8")
    _wheel()
    for sample in ("exhibit_cover_sheet.docx", "test_aldocument_pdf_1.pdf"):
        shutil.copy(SAMPLES / sample, folder / sample)
    return folder


def _call(stack: Any, path: str, body: Any = None) -> Any:
    import urllib.request

    data = json.dumps(body).encode() if body else None
    headers = {"Content-Type": "application/json", "X-API-Key": stack.api_key}
    request = urllib.request.Request(stack.url + path, data=data, headers=headers)  # noqa: S310 - the local stack
    with urllib.request.urlopen(request) as answer:  # noqa: S310 - as above
        return json.loads(answer.read())


def _one_bundle(stack: Any) -> tuple[dict[str, Any], float]:
    """A session to the waiting screen and through it: (the session, the wall-clock seconds)."""
    from offstage.app.checkin import checkin
    from offstage.aws.wiring import deps

    session = _call(stack, "/api/session/new?i=al_ten.yml")
    started = time.perf_counter()
    _call(stack, "/api/session", {"i": "al_ten.yml", "session": session["session"], "secret": session["secret"],
                                  "variables": {"client_name": NAME}})
    ends = time.monotonic() + 600
    while time.monotonic() < ends:  # the page's check-in, until the task is out of the way
        reply = checkin(deps(), session["session"], session["secret"], None, None, 1)
        if not reply.get("assembly") and reply["pending_tasks"] == 0:
            screen = _call(stack, f"/api/session/question?i=al_ten.yml&session={session['session']}"
                                  f"&secret={session['secret']}")
            if screen["questionText"] == "Your documents are ready":
                return session, time.perf_counter() - started
        time.sleep(0.05)
    raise RuntimeError("the AssemblyLine bundle did not reach its download screen")


def _passes(session: dict[str, Any]) -> dict[str, float]:
    """AssemblyLine's action timed three ways on the session's answers: sequential; the planning pass; the
    real pass finding every render done. Plus each recorded render alone (warm)."""
    from offstage.aws.wiring import deps
    from offstage.engine import render_plan
    from offstage.engine.background import run_background_phase1
    from offstage.engine.held import held_ports
    from offstage.ports import QueuedTask

    d = deps()
    interview = d.interviews.get("al_ten.yml")
    answers = d.sessions.load(session["session"], secret=session["secret"]).answers
    task = QueuedTask(task_id="bench", session_id=session["session"], interview="al_ten.yml", action=ACTION,
                      arguments={}, secret=session["secret"])

    def run(mode: Any = None) -> float:
        started = time.perf_counter()
        if mode is None:
            result = run_background_phase1(interview, copy.deepcopy(answers), task, held_ports(d.ports))
        else:
            with render_plan.active(mode):
                result = run_background_phase1(interview, copy.deepcopy(answers), task, held_ports(d.ports))
        if getattr(result, "error", None):
            raise RuntimeError(f"AssemblyLine's action failed: {result.error}")
        return time.perf_counter() - started

    run()  # warm: LibreOffice's profile, imports
    sequential = min(run() for _ in range(2))
    recorder = render_plan.Recorder()
    planning = run(recorder)
    rendered = {key: render_plan.perform(job) for key, job in recorder.jobs.items()}
    alone = []
    for job in recorder.jobs.values():
        started = time.perf_counter()
        render_plan.perform(job)
        alone.append(time.perf_counter() - started)
    cache = render_plan.Prerendered(rendered.get)
    deliver = run(cache)
    return {"sequential": sequential, "plan": planning, "slowest": max(alone), "sum": sum(alone), "deliver": deliver,
            "jobs": float(len(recorder.jobs)), "found": float(len(set(cache.hits))), "missed": float(len(cache.misses))}


def measure() -> dict[str, float]:
    from offstage.local.stack import LocalStack

    folder = _folder()
    try:
        with LocalStack(interviews=[folder]) as stack:
            _one_bundle(stack)  # warms the environments
            session, wall = _one_bundle(stack)
            passes = _passes(session)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    critical = passes["plan"] + passes["slowest"] + passes["deliver"]
    return {
        "AssemblyLine's get_cacheable_documents, sequential, one process (s)": passes["sequential"],
        "(a) local stack end to end, parallel assembly (s)": wall,
        "(a) speed-up, wall clock (x)": passes["sequential"] / wall,
        "(b) planning pass (s)": passes["plan"],
        "(b) slowest single render, warm, alone (s)": passes["slowest"],
        "(b) deliver: AssemblyLine's action finding its renders done (s)": passes["deliver"],
        "(b) AWS critical path: plan + slowest render + deliver (s)": critical,
        "(b) speed-up against AssemblyLine's sequential run (x)": passes["sequential"] / critical,
        "(b) the ten renders alone, one after another, each once (s)": passes["sum"],
        "(b) speed-up against each render once, one after another (x)": passes["sum"] / critical,
        "renders the planning pass recorded": passes["jobs"],
        "of them, found rendered by the real pass": passes["found"],
        "renders the real pass made in place (not predicted)": passes["missed"],
    }


def main() -> None:
    figures = measure()
    width = max(len(k) for k in figures)
    for name, value in figures.items():
        print(f"{name:<{width}}  {value:10.3f}")


if __name__ == "__main__":
    main()
