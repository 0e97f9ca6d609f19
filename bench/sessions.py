"""Big sessions (issue 13): one request's cost as the stored session grows, beside docassemble's.

The interview builds a DAList of N objects (three attributes each) and then asks one question. One
request on the stored session is, for offstage: decode (unseal + answers codec loads) + evaluate
(run_step) + encode (codec dumps + seal: zstd and AES-GCM); for docassemble (bench/sessions_peer.py,
in the peer's venv): unpickle + assemble + pickle, without its encryption. Medians, same run, of the
process's CPU time (time.process_time): on a shared machine wall time mostly measures the neighbours.

The request above changes nothing, but is timed as one that does (it encodes). The unchanged
reload is timed too: decode (with the change-tracking watch) + evaluate + the watch's check, which
finds nothing changed, so nothing is encoded (offstage.answers.tracking); docassemble pickles anyway.

`.venv/bin/python bench/sessions.py` prints the table alone; `make bench` adds its rows to its own.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import PEER, REPO, ensure_peer

SIZES = (10, 100, 1_000, 5_000, 20_000)
SECRET = "bench-secret"  # noqa: S105 - the bench's made-up session secret
SESSION = "0123456789abcdef0123456789abcdef"
YAML = """\
objects:
  - people: DAList.using(object_type=DAObject)
---
code: |
  for index in range({n}):
    person = people.appendObject()
    person.first_name = "First " + str(index)
    person.last_name = "Last"
    person.age = index
  people.gathered = True
  people_built = True
---
mandatory: True
code: |
  people_built
  note
---
question: One more thing
subquestion: There are ${{ len(people) }} people.
fields:
  - Note: note
"""
FUNCTION_MEMORY_MB = {"screen (the template's default)": 512, "checkin": 256}  # template.yaml MemorySize


def interview_file(folder: Path, objects: int) -> Path:
    path = folder / f"people-{objects}.yml"
    path.write_text(YAML.format(n=objects))
    return path


def _request(objects: int) -> Any:
    from offstage.engine.step import StepRequest

    return StepRequest(session_id=SESSION, interview_name=f"people-{objects}", raw_values=False)


def stored_session(path: Path, objects: int) -> tuple[Any, bytes]:
    """The parsed interview and the sealed blob of its session after the list is built."""
    from offstage.answers.codec import dumps
    from offstage.context import Ports
    from offstage.engine import run_step
    from offstage.interview import load_interview_file
    from offstage.sessions.sealing import seal

    interview = load_interview_file(str(path))
    answers: dict[str, Any] = {}
    result = run_step(interview, answers, _request(objects), Ports())
    if result.screen is None or result.screen.question_text != "One more thing":
        raise RuntimeError(f"the bench interview did not reach its question: {result}")
    return interview, seal(dumps(answers), session_id=SESSION, secret=SECRET, encrypted=True)


def one_request(interview: Any, blob: bytes, objects: int) -> tuple[float, float, float]:
    """(decode, evaluate, encode) seconds of one request on the stored session."""
    from offstage.answers.codec import dumps, loads_watched
    from offstage.context import Ports
    from offstage.engine import run_step
    from offstage.sessions.sealing import seal, unseal

    t0 = time.process_time()
    answers = loads_watched(unseal(blob, session_id=SESSION, secret=SECRET))[0]  # as the store decodes
    t1 = time.process_time()
    run_step(interview, answers, _request(objects), Ports())
    t2 = time.process_time()
    seal(dumps(answers), session_id=SESSION, secret=SECRET, encrypted=True)
    t3 = time.process_time()
    return t1 - t0, t2 - t1, t3 - t2


def unchanged_request(interview: Any, blob: bytes, objects: int) -> float:
    """Seconds of one reload that changes nothing, as the app and store run it: decode with the watch,
    evaluate, ask the watch (and encode only if it saw a change: then this figure says so by its size)."""
    from offstage.answers.codec import dumps, loads_watched
    from offstage.app.evaluation import watch_changes
    from offstage.context import Ports
    from offstage.engine import run_step
    from offstage.ports import SessionRecord
    from offstage.sessions.sealing import seal, unseal

    t0 = time.process_time()
    answers, watch = loads_watched(unseal(blob, session_id=SESSION, secret=SECRET))
    watch_changes(SessionRecord(SESSION, "bench", answers, watch=watch), interview)
    run_step(interview, answers, _request(objects), Ports())
    if not watch.unchanged(answers):
        seal(dumps(answers), session_id=SESSION, secret=SECRET, encrypted=True)
    return time.process_time() - t0


def skips_encoding(interview: Any, blob: bytes, objects: int) -> bool:
    """Whether the watch finds the bench's reload unchanged (else its figure includes the encode)."""
    from offstage.answers.codec import loads_watched
    from offstage.app.evaluation import watch_changes
    from offstage.context import Ports
    from offstage.engine import run_step
    from offstage.ports import SessionRecord
    from offstage.sessions.sealing import unseal

    answers, watch = loads_watched(unseal(blob, session_id=SESSION, secret=SECRET))
    watch_changes(SessionRecord(SESSION, "bench", answers, watch=watch), interview)
    run_step(interview, answers, _request(objects), Ports())
    return bool(watch.unchanged(answers))


def runs_for(objects: int) -> int:
    return max(7, min(60, 60_000 // max(objects, 1)))


def offstage_costs(paths: dict[int, Path]) -> dict[int, dict[str, float]]:
    out = {}
    for objects, path in paths.items():
        interview, blob = stored_session(path, objects)
        one_request(interview, blob, objects)  # warm-up
        runs = [one_request(interview, blob, objects) for _ in range(runs_for(objects))]
        decode, evaluate, encode = (statistics.median(run[i] for run in runs) * 1000 for i in range(3))
        unchanged = [unchanged_request(interview, blob, objects) for _ in range(runs_for(objects))]
        out[objects] = {"decode": decode, "evaluate": evaluate, "encode": encode,
                        "total": statistics.median(sum(run) for run in runs) * 1000, "bytes": len(blob),
                        "unchanged": statistics.median(unchanged) * 1000,
                        "skipped": skips_encoding(interview, blob, objects)}
    return out


def peer_costs(python: Path, paths: dict[int, Path]) -> dict[int, dict[str, float]]:
    script = REPO / "bench" / "sessions_peer.py"
    done = subprocess.run([str(python), str(script), *map(str, paths.values())], capture_output=True, text=True,  # noqa: S603 - a fixed argv of this bench's own tools
                          cwd=PEER)
    out = {}
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            found = json.loads(line)
            out[int(found["objects"])] = found
    if not out:
        print("docassemble's side of the session bench failed:\n" + done.stderr[-2000:], file=sys.stderr)
    return out


def memory(folder: Path, objects: int) -> dict[str, float]:
    """Resident memory (MB) of a fresh process serving one request on the session: just before it, and
    its peak during it. A request on a 10-object session first does the imports; then the high-water mark
    is reset (Linux), so that only the big request counts."""
    files = {}
    for n in (10, objects):
        path = interview_file(folder, n)
        files[n] = (path, folder / f"people-{n}.blob")
        files[n][1].write_bytes(stored_session(path, n)[1])
    small, big = files[10], files[objects]
    code = (f"import sys; sys.path.insert(0, {str(REPO / 'bench')!r}); import sessions; "
            "from offstage.interview import load_interview_file as load; from pathlib import Path; "
            f"small, big = load({str(small[0])!r}), load({str(big[0])!r}); "
            f"sessions.one_request(small, Path({str(small[1])!r}).read_bytes(), 10); "
            f"blob = Path({str(big[1])!r}).read_bytes(); "
            "before = sessions.resident_mb('VmRSS'); open('/proc/self/clear_refs', 'w').write('5'); "
            f"sessions.one_request(big, blob, {objects}); print(before, sessions.resident_mb('VmHWM'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)  # noqa: S603 - a fixed argv of this bench's own tools
    before, after = (float(x) for x in done.stdout.split())
    return {"before": before, "peak": after}


def resident_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (the peak since the last reset) of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def largest_session(mem: dict[str, float], objects: int, memory_mb: int) -> int:
    """Objects a function of `memory_mb` can serve in one request, keeping a quarter of it free."""
    per_object = (mem["peak"] - mem["before"]) / objects
    return int((memory_mb * 0.75 - mem["before"]) / per_object) if per_object > 0 else 0


def rows(peer: Path | None) -> list[tuple[str, float | None, float | None, str, str]]:
    """(measure, offstage, docassemble, target, unit) rows for bench/run.py's table."""
    with tempfile.TemporaryDirectory() as folder:
        paths = {n: interview_file(Path(folder), n) for n in SIZES}
        ours = offstage_costs(paths)
        theirs = peer_costs(peer, paths) if peer else {}
        mem = memory(Path(folder), SIZES[-1])
    out: list[tuple[str, float | None, float | None, str, str]] = []
    for n in SIZES:
        o, t = ours[n], theirs.get(n, {})
        target = "<= 0.5 x docassemble" if n == 5_000 else "-"
        out.append((f"session of {n:,} objects: one request (decode + evaluate + encode)", o["total"], t.get("total"),
                    target, "ms"))
        out.append(("  decode (unseal + loads) / unpickle", o["decode"], t.get("unpickle"), "-", "ms"))
        out.append(("  evaluate (run_step) / assemble", o["evaluate"], t.get("assemble"), "-", "ms"))
        out.append(("  encode (dumps + seal) / pickle", o["encode"], t.get("pickle"), "-", "ms"))
        skipped = "encode skipped" if o["skipped"] else "CHANGE SEEN: encoded"
        out.append((f"  unchanged reload ({skipped}: decode + evaluate + check) / unpickle + assemble + pickle",
                    o["unchanged"], t.get("total"), target, "ms"))
        out.append(("  stored size (sealed: zstd + AES-GCM) / pickle", o["bytes"] / 1024,
                    t["bytes"] / 1024 if "bytes" in t else None, "-", "KB"))
    first, last = SIZES[2], SIZES[-1]
    growth_theirs = theirs[last]["total"] / theirs[first]["total"] if first in theirs and last in theirs else None
    out.append((f"growth {first:,} -> {last:,} objects (x{last // first}): request time x", ours[last]["total"] / ours[first]["total"],
                growth_theirs, f"<= x{last // first} (linear)", ""))
    out.append((f"peak memory of one request on {last:,} objects (fresh process): before / peak", mem["peak"], None,
                f"before {mem['before']:.0f} MB", "MB"))
    for function, mb in FUNCTION_MEMORY_MB.items():
        out.append((f"largest session one request of {function} ({mb} MB) serves, 75% of it", largest_session(mem, last, mb),
                    None, "-", "objects"))
    return out


def _show(value: float | None, unit: str) -> str:
    return "-" if value is None else f"{value:,.3f} {unit}" if value < 10 else f"{value:,.1f} {unit}"


def main() -> int:
    peer = ensure_peer()
    found = rows(peer)
    width = max(len(r[0]) for r in found)
    print(f"{'measure'.ljust(width)}  offstage      docassemble   ratio")
    for what, ours, theirs, target, unit in found:
        ratio = f"{ours / theirs:.2f}" if ours is not None and theirs else "-"
        print(f"{what.ljust(width)}  {_show(ours, unit):12s}  {_show(theirs, unit):12s}  {ratio:6s}  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
