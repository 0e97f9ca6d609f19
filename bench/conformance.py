"""`make conformance`: the first screen of every example interview of docassemble.base, in both engines.

docassemble's own engine (the peer, in its venv) shows each example's first screen; offstage's engine
(in process) shows its own; the two question texts are compared after both are reduced to plain words.
Writes docs/conformance.md (a table by failure category and by file) and bench/results/conformance.json.
A report, never a test: tests/conformance_agree.txt pins the files that agree (`--pin` rewrites it),
and tests/unit/test_conformance_agree.py checks, without the peer, that none of them regresses.

Categories: agree; different (another screen or text); error (the engine's error screen on the first
step); refused (the file did not load); crash (an exception escaped the engine: a 5xx on a server);
peer error (docassemble itself shows no first screen: left out of the percentage).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timing import PEER, REPO, ensure_peer

from tests.support.conformance import offstage_screen, plain, same_but_numbers

SECONDS = 30
AGREE_FILE = REPO / "tests" / "conformance_agree.txt"
REPORT = REPO / "docs" / "conformance.md"
RESULTS = REPO / "bench" / "results" / "conformance.json"
CATEGORIES = ("agree", "agree (numbers)", "different", "error", "refused", "crash", "peer error")

def examples_dir(peer_python: Path) -> Path:
    out = subprocess.run([str(peer_python), "-c", "import importlib.util, os; spec = importlib.util.find_spec("  # noqa: S603 - a fixed argv of this bench's own tools
                          "'docassemble.base'); print(os.path.join(list(spec.submodule_search_locations)[0], "
                          "'data', 'questions', 'examples'))"], capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def peer_screens(peer_python: Path, folder: Path, names: list[str], out: Path) -> dict[str, dict[str, Any]]:
    """Each file's first screen in docassemble (a crashed peer process names its file and resumes)."""
    script = Path(__file__).resolve().parent / "conformance_peer.py"
    env = {**os.environ, "PEER_DIR": str(PEER.resolve())}
    for _ in range(50):
        proc = subprocess.run([str(peer_python), str(script), str(folder), str(out), *names],  # noqa: S603 - a fixed argv of this bench's own tools
                              capture_output=True, text=True, env=env)
        rows = _rows(out)
        unfinished = [r["file"] for r in rows.values() if r["status"] == "started"]
        if proc.returncode == 0 and not unfinished:
            break
        with out.open("a") as f:  # the file the process died on: recorded, then the rest runs
            for name in unfinished:
                f.write(json.dumps({"file": name, "status": "peer_error",
                                    "error": f"the peer process died (exit {proc.returncode})"}) + "\n")
    return _rows(out)


def _rows(path: Path) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if line.strip():
                row = json.loads(line)
                rows[row["file"]] = row
    return rows


class _TookTooLong(Exception):
    pass


def _alarm(_signum: int, _frame: Any) -> None:
    raise _TookTooLong(f"no first screen within {SECONDS} s")


def compare(peer: dict[str, Any], ours: dict[str, Any]) -> str:
    if peer.get("status") != "ok":
        return "peer error"
    if ours["status"] != "shown":
        return ours["status"]
    theirs, mine = plain(peer.get("question")), plain(ours.get("question"))
    if theirs == mine:
        return "agree"
    return "agree (numbers)" if same_but_numbers(theirs, mine) else "different"


def offstage_all(folder: Path, names: list[str]) -> dict[str, dict[str, Any]]:
    os.environ.setdefault("OFFSTAGE_ENV", "test")
    signal.signal(signal.SIGALRM, _alarm)
    rows = {}
    for name in names:
        signal.alarm(SECONDS)
        try:
            rows[name] = offstage_screen(folder / name)
        except _TookTooLong as exc:
            rows[name] = {"status": "error", "error": str(exc)}
        finally:
            signal.alarm(0)
    return rows


def report(names: list[str], peer: dict[str, dict[str, Any]], ours: dict[str, dict[str, Any]],
           seconds: float) -> tuple[str, dict[str, str]]:
    outcome = {name: compare(peer.get(name, {}), ours[name]) for name in names}
    counts = Counter(outcome.values())
    shown = len(names) - counts["peer error"]
    agreeing = counts["agree"] + counts["agree (numbers)"]
    percent = 100.0 * agreeing / shown if shown else 0.0
    lines = ["# Conformance: first screens of docassemble's examples", "",
             "Generated by `make conformance` (bench/conformance.py); do not edit by hand.", "",
             f"Every example interview of the installed docassemble.base package ({len(names)} files) runs "
             "through docassemble's own engine (the peer) and offstage's; the first screen's question text "
             "is compared as plain words (tags, Markdown marks and docassemble's `[BR]`-style codes dropped). "
             "Files for which docassemble itself shows no first screen are left out of the percentage.", "",
             "How to run: `make conformance` (it installs docassemble's engine in bench/.peer with "
             "../shared's setup script when missing; docassemble's screens are cached in "
             "bench/results/conformance-peer.jsonl, `ARGS=--fresh` runs them again). `ARGS=--pin` also "
             "rewrites tests/conformance_agree.txt, the files that agree, which "
             "tests/unit/test_conformance_agree.py keeps agreeing (offstage only, no peer run). A run "
             "also posts each first screen's defaults as a browser would: an exception there is a crash.", "",
             "The remaining errors name what offstage does not provide, each in its own message (the "
             "`error` rows below): Google's geocoding, QR codes, breadcrumbs, mermaid diagrams, "
             "static_image.", "",
             f"**{agreeing} of {shown} first screens agree ({percent:.1f} %).** "
             f"Run took {seconds:.0f} s. (When issue 11 began, on main at 74d9323: 415 of 704, 58.9 %.)", "",
             "| category | files | meaning |", "|---|---:|---|"]
    meaning = {"agree": "same question text",
               "agree (numbers)": "same text but for numbers, times or number words that are random or "
                                  "time-dependent in the example (counted as agreeing)",
               "different": "a screen, with another question text",
               "error": "offstage's error screen on the first step",
               "refused": "offstage refused the file at load",
               "crash": "an exception escaped offstage's engine (a 5xx on a server), at load, on the "
                        "first step or posting the first screen's defaults",
               "peer error": "docassemble shows no first screen either (not counted)"}
    lines.extend(f"| {cat} | {counts[cat]} | {meaning[cat]} |" for cat in CATEGORIES)
    lines += ["", "## By file (all but `agree`)", "", "| file | category | docassemble | offstage |",
              "|---|---|---|---|"]
    for name in names:
        cat = outcome[name]
        if cat == "agree":
            continue
        theirs = peer.get(name, {})
        left = plain(theirs.get("question")) if theirs.get("status") == "ok" else theirs.get("error", "")
        right = plain(ours[name].get("question")) if ours[name]["status"] == "shown" else ours[name].get("error", "")
        lines.append(f"| {name} | {cat} | {_cell(left)} | {_cell(right)} |")
    lines += ["", "## Agreeing files", "", ", ".join(n for n in names if outcome[n] == "agree"), ""]
    return "\n".join(lines), outcome


def _cell(text: str | None) -> str:
    text = " ".join(str(text or "").split())
    text = text if len(text) <= 120 else text[:117] + "..."
    return text.replace("|", "\\|")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="example files to run (default: all)")
    parser.add_argument("--pin", action="store_true", help="rewrite tests/conformance_agree.txt")
    parser.add_argument("--fresh", action="store_true", help="run the peer again (its screens are cached)")
    args = parser.parse_args()
    peer_python = ensure_peer()
    if peer_python is None:
        print("the docassemble peer is not installed and ../shared's setup script is missing", file=sys.stderr)
        return 1
    folder = examples_dir(peer_python)
    names = args.names or sorted(n for n in os.listdir(folder) if n.endswith((".yml", ".yaml")))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    cache = RESULTS.parent / "conformance-peer.jsonl"
    if args.fresh and cache.exists():
        cache.unlink()
    start = time.perf_counter()
    peer = peer_screens(peer_python, folder, names, cache)
    ours = offstage_all(folder, names)
    text, outcome = report(names, peer, ours, time.perf_counter() - start)
    if not args.names:
        REPORT.write_text(text)
    RESULTS.write_text(json.dumps({n: {"category": outcome[n], "docassemble": peer.get(n), "offstage": ours[n]}
                                   for n in names}, indent=1, default=str))
    if args.pin:
        pinned = [f"{n}\t{plain(peer[n]['question'])}" for n in names if outcome[n] == "agree"]
        AGREE_FILE.write_text("# files whose first screen agrees with docassemble's (bench/conformance.py "
                              "--pin); name<TAB>docassemble's question text\n" + "\n".join(pinned) + "\n")
    counts = Counter(outcome.values())
    shown = len(names) - counts["peer error"]
    print(" ".join(f"{c}={counts[c]}" for c in CATEGORIES))
    agreeing = counts["agree"] + counts["agree (numbers)"]
    print(f"agree: {agreeing}/{shown} = {100.0 * agreeing / max(shown, 1):.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
