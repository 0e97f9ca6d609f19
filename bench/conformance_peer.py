"""Peer side of `make conformance`: docassemble's own engine shows the first screen of each example.

Runs in the peer's venv (bench/.peer/venv/bin/python), never in offstage's. Usage:
    conformance_peer.py EXAMPLES_DIR OUT.jsonl [NAME ...]
One JSON line per file: {"file", "status": "ok"|"peer_error", "type", "question", "subquestion", "error"}.
Lines already in OUT.jsonl are kept (a crashed run resumes where it stopped).
"""

from __future__ import annotations

import json
import os
import signal
import sys

PEER = os.environ.get("PEER_DIR") or os.path.join(os.path.dirname(os.path.abspath(__file__)), ".peer")
sys.path.insert(0, PEER)
os.chdir(PEER)

import run_interview as peer  # noqa: E402  (sets up docassemble offline on import)
from docassemble.base.interview_source import InterviewSourceFile  # noqa: E402
from docassemble.base.thread_context import empty_globals, global_context  # noqa: E402

SECONDS = 30  # one file's load + first screen; docassemble's slowest examples take a few seconds


class TookTooLong(Exception):
    pass


def _alarm(_signum, _frame):
    raise TookTooLong(f"no first screen within {SECONDS} s")


def first_screen(path: str) -> dict:
    name = os.path.basename(path)
    with global_context(empty_globals()):
        source = InterviewSourceFile(filepath=path, path="docassemble.base:data/questions/examples/" + name)
        source.update()
        interview = peer.docassemble.base.parse.Interview(source=source)
    status = peer.assemble(interview, peer.fresh_dictionary(), source.path)
    shown = status.rendered
    return {"status": "ok", "type": shown["type"], "question": shown["question"],
            "subquestion": shown["subquestion"], "fields": shown["fields"]}


def main() -> int:
    folder, out = sys.argv[1], sys.argv[2]
    names = sys.argv[3:] or sorted(n for n in os.listdir(folder) if n.endswith((".yml", ".yaml")))
    done = set()
    if os.path.exists(out):
        with open(out) as f:
            rows = [json.loads(line) for line in f if line.strip()]
        done = {row["file"] for row in rows if row["status"] != "started"}
    signal.signal(signal.SIGALRM, _alarm)
    with open(out, "a") as f:
        for name in names:
            if name in done:
                continue
            f.write(json.dumps({"file": name, "status": "started"}) + "\n")  # a hard crash names its file
            f.flush()
            signal.alarm(SECONDS)
            try:
                row = first_screen(os.path.join(folder, name))
            except BaseException as exc:  # a report: every failure is a row
                if isinstance(exc, KeyboardInterrupt):
                    raise
                row = {"status": "peer_error", "error": f"{type(exc).__name__}: {str(exc)[:300]}"}
            finally:
                signal.alarm(0)
            row["file"] = name
            f.write(json.dumps(row, default=str) + "\n")
            f.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
