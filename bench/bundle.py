"""A bundle of 10 documents (4 Markdown, 3 DOCX templates, 3 PDF forms): parallel assembly against the
same documents rendered one after another in one process, in the same run.

(a) wall-clock: the local stack end to end (the answer that starts the task -> the check-in that hands
    out its notification: planning pass, moto's Step Functions running Plan -> Map -> Deliver, the
    functions in-process) against the sequential renders. On 2 cores the renders compete for the same
    CPUs, so (a) cannot go much past 2x: it is reported as measured.
(b) the AWS critical path from measured steps: the planning pass + the slowest single render (each Map
    branch is a Lambda of its own in AWS: measured alone, warm and cold) + the deliver step, against the
    sequential sum. Target: >= 3x.
Plus per-document render time by kind (cold: a fresh process; warm: the median of 3) and peak memory
per render (LibreOffice's resident size; Python's allocation peak for the in-process kinds).

`.venv/bin/python bench/bundle.py` prints a table; bench/run.py adds the figures to `make bench`.
"""

from __future__ import annotations

import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "reference" / "assemblyline" / "samples"
INTERVIEW = REPO / "tests" / "integration" / "assembly_interviews" / "bundle.yml"
sys.path.insert(0, str(REPO / "layers" / "runtime"))
NAME = "Ada Lovelace"


def documents() -> list:
    """The bundle's ten documents, as the engine hands them to render() (Mako already evaluated)."""
    from offstage.documents.render import Document

    cover = (SAMPLES / "exhibit_cover_sheet.docx").read_bytes()
    form = (SAMPLES / "test_aldocument_pdf_1.pdf").read_bytes()
    found = [Document(kind="content", filename=f"letter_{i}", formats=("pdf",),
                      content=f"# Letter {i} for {NAME}\n\nDear {NAME}, this is letter number {i}.\n")
             for i in range(1, 5)]
    found += [Document(kind="docx", filename=f"cover_{i}", formats=("pdf",), template=cover,
                       template_name="exhibit_cover_sheet.docx", fields={"exhibit_label": f"{NAME} {i}"})
              for i in range(1, 4)]
    found += [Document(kind="pdf", filename=f"form_{i}", formats=("pdf",), template=form,
                       template_name="test_aldocument_pdf_1.pdf", fields={"sample_field": f"Form {i} of {NAME}"})
              for i in range(1, 4)]
    return found


def sequential() -> dict[str, float]:
    """The ten rendered one after another in this process (LibreOffice warm after the first)."""
    from offstage.documents.render import render

    docs = documents()
    render(docs[0], {})  # the profile exists from here on: warm, as a long-lived worker would be
    times = []
    started = time.perf_counter()
    for document in docs:
        one = time.perf_counter()
        render(document, {})
        times.append(time.perf_counter() - one)
    return {"total": time.perf_counter() - started, "slowest": max(times)}


def per_kind() -> dict[str, dict[str, float]]:
    """Warm median (of 3) and cold (a fresh process) time per kind, and peak memory of one render."""
    from offstage.documents.render import render

    docs = documents()
    samples = {"Markdown": docs[0], "DOCX template": docs[4], "PDF form": docs[7]}
    out: dict[str, dict[str, float]] = {}
    for kind, document in samples.items():
        render(document, {})
        warm = []
        for _ in range(3):
            one = time.perf_counter()
            render(document, {})
            warm.append(time.perf_counter() - one)
        tracemalloc.start()
        render(document, {})
        python_peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        out[kind] = {"warm_ms": statistics.median(warm) * 1000, "cold_ms": _cold(docs.index(document)) * 1000,
                     "python_peak_mb": python_peak}
    out["LibreOffice child, peak resident"] = {
        "mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}
    return out


def _cold(index: int) -> float:
    """One render in a new Python process: imports, a new LibreOffice profile, the conversion."""
    probe = (f"import sys, time; sys.path.insert(0, {str(REPO / 'bench')!r}); from bundle import documents; "
             f"d = documents()[{index}]; t = time.perf_counter(); "
             "from offstage.documents.render import render; render(d, {}); print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)  # noqa: S603 - a fixed argv of this bench's own tools
    return float(out.stdout.strip().splitlines()[-1])


def local_stack() -> dict[str, float]:
    """The bundle end to end in the local stack; the steps' own times from the execution's output."""
    from offstage.app.checkin import checkin
    from offstage.aws.wiring import deps
    from offstage.local.stack import LocalStack

    folder = Path(tempfile.mkdtemp(prefix="offstage-bench-bundle-"))
    try:
        shutil.copy(INTERVIEW, folder / "bundle.yml")
        for sample in ("exhibit_cover_sheet.docx", "test_aldocument_pdf_1.pdf"):
            shutil.copy(SAMPLES / sample, folder / sample)
        with LocalStack(interviews=[folder]) as stack:
            runs = [_one_bundle(stack, checkin, deps) for _ in range(2)]  # the first warms the environments
            return runs[-1]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _one_bundle(stack, checkin, deps) -> dict[str, float]:
    def call(path, body=None):
        request = urllib.request.Request(stack.url + path, data=json.dumps(body).encode() if body else None,  # noqa: S310 - the URL of the local stack this bench started
                                         headers={"Content-Type": "application/json", "X-API-Key": stack.api_key})
        with urllib.request.urlopen(request) as answer:  # noqa: S310 - the URL of the local stack this bench started
            return json.loads(answer.read())

    session = call("/api/session/new?i=bundle.yml")
    started = time.perf_counter()
    call("/api/session", {"i": "bundle.yml", "session": session["session"], "secret": session["secret"],
                          "variables": {"client_name": NAME}})
    while True:  # the page's check-in, as often as it checks in while a task runs
        reply = checkin(deps(), session["session"], session["secret"], None, None, 1)
        if reply["commands"]:
            break
        time.sleep(0.05)
    wall = time.perf_counter() - started
    noticed = time.time()
    sfn = stack.client("stepfunctions")
    executions = sfn.list_executions(stateMachineArn=stack.resources["AssemblyStateMachine"])["executions"]
    latest = max(executions, key=lambda e: e["startDate"])
    described = sfn.describe_execution(executionArn=latest["executionArn"])
    while described["status"] == "RUNNING":  # the notification is out; the Deliver state is ending
        time.sleep(0.05)
        described = sfn.describe_execution(executionArn=latest["executionArn"])
    output = json.loads(described["output"])
    renders = [r["seconds"] for r in output["rendered"]]
    return {"wall": wall, "plan": float(output["plan"]["planning_seconds"]), "deliver": float(output["delivered"]["seconds"]),
            "slowest_render_in_stack": max(renders), "found": output["delivered"]["found"],
            "last_document_to_notification": noticed - max(r["finished_at"] for r in output["rendered"])}


def measure() -> dict[str, float]:
    seq = sequential()
    kinds = per_kind()
    stack = local_stack()
    slowest_alone = max(k["warm_ms"] for name, k in kinds.items() if "warm_ms" in k) / 1000
    slowest_cold = max(k["cold_ms"] for name, k in kinds.items() if "cold_ms" in k) / 1000
    critical = stack["plan"] + slowest_alone + stack["deliver"]
    critical_cold = stack["plan"] + slowest_cold + stack["deliver"]
    figures = {
        "(a) sequential, one process: 10 documents (s)": seq["total"],
        "(a) local stack end to end, parallel assembly (s)": stack["wall"],
        "(a) speed-up, wall clock (x)": seq["total"] / stack["wall"],
        "(b) planning pass (s)": stack["plan"],
        "(b) slowest single render, warm, alone (s)": slowest_alone,
        "(b) deliver step: the real pass finding 10 rendered (s)": stack["deliver"],
        "(b) AWS critical path: plan + slowest render + deliver (s)": critical,
        "(b) speed-up against the sequential sum, warm renders (x)": seq["total"] / critical,
        "(b) same with a cold render container (s)": critical_cold,
        "(b) speed-up, cold render container (x)": seq["total"] / critical_cold,
        "last document rendered -> the check-in hands out the result (s)": stack["last_document_to_notification"],
        "documents the real pass found rendered": float(stack["found"]),
    }
    for kind, values in kinds.items():
        for part, value in values.items():
            figures[f"render {kind}: {part}"] = value
    return figures


def main() -> None:
    figures = measure()
    width = max(len(k) for k in figures)
    for name, value in figures.items():
        print(f"{name:<{width}}  {value:10.3f}")


if __name__ == "__main__":
    main()
