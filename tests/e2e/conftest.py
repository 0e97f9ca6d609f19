"""e2e hooks: expected failures of the docassemble scenarios, and the timing report of their waits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.scenario_support import EXPECTED_FAILURES


def pytest_collection_modifyitems(items):
    for item in items:
        # pytest-bdd documents each scenario test as "<feature name>: <scenario name>"
        doc = getattr(getattr(item, "function", None), "__doc__", None) or ""
        name = doc.split(": ", 1)[-1]
        if name in EXPECTED_FAILURES:
            item.add_marker(pytest.mark.xfail(reason=EXPECTED_FAILURES[name], strict=True))


TIMINGS = Path(__file__).resolve().parents[2] / ".offstage" / "scenario-timings.jsonl"


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):  # the controller starts a fresh report
        TIMINGS.unlink(missing_ok=True)


def pytest_terminal_summary(terminalreporter):
    if not TIMINGS.exists():
        return
    rows = [json.loads(line) for line in TIMINGS.read_text().splitlines() if line.strip()]
    terminalreporter.section("docassemble scenarios: how long each awaited phrase took to appear")
    for scenario, phrase, waited, appeared in sorted(rows):
        seen = f"{appeared:5.1f} s" if appeared is not None else "  never"
        terminalreporter.write_line(f"{seen} of {waited:4.1f} s waited  {phrase[:50]!r:54}  {scenario}")
