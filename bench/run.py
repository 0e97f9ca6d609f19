"""`make bench`: offstage's figures beside docassemble's, measured in the same run on this machine.

Prints a table and writes bench/results/latest.json. Never part of the tests (no wall-clock limits there).
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import CORPUS, PEER, REPO, child_ms, ensure_peer, median_ms

THIRTY = REPO.parent / "shared" / "peers" / "docassemble" / "interviews"
ROWS: list[tuple[str, str, str, str, str]] = []
RESULTS: dict[str, object] = {}


def row(what: str, ours: float | None, theirs: float | None, target: str, unit: str = "ms") -> None:
    ratio = f"{ours / theirs:.2f}" if ours is not None and theirs else "-"

    def fmt(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f} {unit}" if value < 10 else f"{value:.1f} {unit}"

    ROWS.append((what, fmt(ours), fmt(theirs), ratio, target))
    RESULTS[what] = {"offstage": ours, "docassemble": theirs, "target": target}


def peer_walk(python: Path, interview: Path, answers: dict, n: int, env: dict | None = None) -> float | None:
    file = REPO / "bench" / "results" / f"answers-{interview.stem}.json"
    file.write_text(json.dumps(answers))
    out = subprocess.run([str(python), str(PEER / "bench_walk.py"), str(interview), str(file), str(n)],  # noqa: S603 - a fixed argv of this bench's own tools
                         capture_output=True, text=True, cwd=PEER, env={**os.environ, **(env or {})})
    found = re.search(r"= ([\d.]+) ms per screen", out.stdout)
    return float(found.group(1)) if found else None


def peer_import(python: Path) -> float | None:
    out = subprocess.run([str(python), str(PEER / "run_interview.py"), str(PEER / "interviews" / "tiny.yml")],  # noqa: S603 - a fixed argv of this bench's own tools
                         capture_output=True, text=True, cwd=PEER)
    found = re.search(r"import docassemble.base \(config\+parse\+functions\): (\d+) ms", out.stdout)
    return float(found.group(1)) if found else None


def engine_rows(peer: Path | None) -> None:
    from engine_walk import load, walk

    # what a handler pays: the package and its evaluation entry point (the package alone is lazy)
    engine_import = child_ms("import time; t = time.perf_counter(); from offstage.engine import run_step; "
                             "print((time.perf_counter() - t) * 1000)")
    row("engine import: from offstage.engine import run_step (cold, median of 7)", engine_import, peer_import(peer) if peer else None, "<= 100 ms")

    thirty_answers = json.loads((THIRTY / "thirty_answers.json").read_text())
    walks = [("thirty.yml (31 screens)", THIRTY / "thirty.yml", thirty_answers, {}),
             ("background_action.yml to the waiting screen", CORPUS / "background_action.yml",
              {"value_to_add": 2}, {"PEER_DA_INLINE_CELERY": "1"})]
    for label, path, answers, env in walks:
        interview = load(path)
        screens = walk(interview, answers)
        ours = median_ms(lambda i=interview, a=answers: walk(i, a), 30) / screens
        with_codec = median_ms(lambda i=interview, a=answers: walk(i, a, encode=True), 30) / screens
        theirs = peer_walk(peer, path, answers, 30, env) if peer else None
        row(f"per screen, {label}", ours, theirs, "<= 0.5 x docassemble")
        row("  same, answers encoded+decoded each screen", with_codec, theirs, "(storage codec included)")


def handler_rows() -> None:
    from handlers import handler_imports

    for name, ms in handler_imports().items():
        row(f"cold import functions/{name}/app.py", ms, None, "<= 250 ms")


def page_rows() -> None:
    from stack_request import screen_request

    for part, ms in screen_request().items():
        row(f"warm screen request on the local stack: {part}", ms, None, "-")

    from page_weight import page_weight

    for part, value in page_weight().items():
        unit = "KB" if "(KB)" in part else "bytes" if "(bytes)" in part else "ms"
        target = ("<= 1 KB" if "JavaScript in <head>" in part else
                  "<= 120 KB" if part == "first visit: bytes on the wire, all (KB)" else "-")
        row(f"question page (Chromium, local stack), {part.rsplit(' (', 1)[0]}", value, None, target, unit)


def background_rows() -> None:
    import background

    for part, value in background.worker_throughput().items():
        unit = "" if part in ("tasks", "tasks_per_second") else "ms"
        row(f"background worker (one process, local stack): {part}", value, None, "-", unit)
    for part, value in background.round_trip().items():
        row(f"background_action.yml round trip (JSON API): {part}", value, None, "docassemble: >= 1 s + reload")
    for part, value in background.notification_latency().items():
        row(f"task finished -> page shows it (Chromium): {part}", value, None, "p50 <= 1000 ms (docassemble up to 7 s)")


def session_rows(peer: Path | None) -> None:
    import sessions  # big sessions (issue 13): one request on 10 ... 20,000 objects, beside docassemble

    for what, ours, theirs, target, unit in sessions.rows(peer):
        row(what, ours, theirs, target, unit)


def cron_rows() -> None:
    import cron as cron_bench

    for part, value in cron_bench.dispatch_scaling().items():
        unit = "s" if part.endswith("seconds") else "ms" if part.endswith("ms") else ""
        row(f"cron dispatch of one tick: {part}", value, None, "growth ~ x sessions", unit)
    for part, value in cron_bench.run_cost().items():
        row(f"cron run of the seed's reminder (local stack): {part}", value, None, "-", "" if part == "sessions" else "ms")


def bundle_rows() -> None:
    import bundle  # parallel assembly of 10 documents (issue 10): the local stack and the AWS critical path

    for part, value in bundle.measure().items():
        unit = ("x" if part.endswith("(x)") else "s" if part.endswith("(s)") else "ms" if part.endswith("_ms")
                else "MB" if part.endswith("mb") else "")
        target = "(b) >= 3 x" if part.startswith("(b) speed-up against") else "-"
        row(f"bundle of 10 documents: {part}", value, None, target, unit)

    import assemblyline_bundle  # AssemblyLine's own bundle of 10 (issue 14): its sequential action vs parallel

    for part, value in assemblyline_bundle.measure().items():
        unit = "x" if part.endswith("(x)") else "s" if part.endswith("(s)") else ""
        target = "(b) >= 3 x" if part.startswith("(b) speed-up against AssemblyLine") else "-"
        row(f"AssemblyLine bundle of 10: {part}", value, None, target, unit)


def print_table(peer: Path | None) -> None:
    widths = [max(len(r[i]) for r in [("measure", "offstage", "docassemble", "ratio", "target"), *ROWS])
              for i in range(5)]
    header = ("measure", "offstage", "docassemble", "ratio", "target")
    print(f"offstage bench on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for r in [header, tuple("-" * w for w in widths), *ROWS]:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    if peer is None:
        print("docassemble peer not available (../shared/peers/docassemble missing): its columns are empty")
    (REPO / "bench" / "results" / "latest.json").write_text(json.dumps(RESULTS, indent=2))


def main() -> int:
    (REPO / "bench" / "results").mkdir(parents=True, exist_ok=True)
    peer = ensure_peer()
    engine_rows(peer)
    handler_rows()
    page_rows()
    background_rows()
    session_rows(peer)
    cron_rows()
    bundle_rows()
    print_table(peer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
