"""Small timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "reference" / "docassemble" / "examples"
PEER_SRC = SHARED / "peers" / "docassemble"
PEER = REPO / "bench" / ".peer"


def median_ms(work: Callable[[], object], n: int) -> float:
    work()  # warm-up
    times = []
    for _ in range(n):
        t = time.perf_counter()
        work()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def child_ms(code: str, n: int = 7, env: dict[str, str] | None = None, python: str = sys.executable) -> float:
    """Median of a measurement printed (in ms) by a fresh interpreter running `code`."""
    import os

    values = []
    for _ in range(n):
        out = subprocess.run([python, "-c", code], capture_output=True, text=True, cwd=REPO,  # noqa: S603 - a fixed argv of this bench's own tools
                             env={**os.environ, **(env or {})}, check=True)
        values.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(values)


def ensure_peer() -> Path | None:
    """docassemble's own engine in bench/.peer (installed by ../shared's setup script when missing)."""
    python = PEER / "venv" / "bin" / "python"
    if python.exists():
        return python
    setup = PEER_SRC / "setup.sh"
    if not setup.exists():
        return None
    subprocess.run(["bash", str(setup), str(PEER)], check=True)  # noqa: S603, S607 - a fixed argv of this bench's own tools
    return python if python.exists() else None
