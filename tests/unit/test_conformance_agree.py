"""The examples whose first screen agrees with docassemble's keep agreeing (offstage only, no peer run).

tests/conformance_agree.txt is written by `make conformance ARGS=--pin`: each line names an example of
the docassemble.base package and the question text docassemble's own engine showed first. The example
files come from the peer's install (bench/.peer, set up by `make peer`, which `make test` runs).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.support.conformance import offstage_screen, plain

REPO = Path(__file__).resolve().parents[2]
PINNED = REPO / "tests" / "conformance_agree.txt"


def _pinned() -> list[tuple[str, str]]:
    rows = []
    for line in PINNED.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, question = line.partition("\t")
            rows.append((name, question))
    return rows


@pytest.fixture(scope="module")
def examples() -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    from conformance import examples_dir
    from timing import PEER

    python = PEER / "venv" / "bin" / "python"
    if not python.exists():  # installed by `make peer` (make test runs it), never from a test worker
        pytest.fail("docassemble's examples come from the peer install in bench/.peer: run `make peer`")
    return examples_dir(python)


def test_the_pinned_list_is_substantial() -> None:
    assert len(_pinned()) >= 400


@pytest.mark.parametrize(("name", "question"), _pinned(), ids=[n for n, _ in _pinned()])
def test_first_screen_still_agrees(examples: Path, name: str, question: str) -> None:
    shown = offstage_screen(examples / name)
    assert shown["status"] == "shown", f"{name}: {shown.get('error')}"
    assert plain(shown["question"]) == question
