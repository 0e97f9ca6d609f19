"""AssemblyLine's own unit tests, from the wheel, run against offstage's docassemble surface.

The wheel's test_al_document.py and test_al_general.py are unittest modules; unittest's loader collects
them from the installed files, unchanged. tests/assemblyline_unit_pass.txt pins the tests that pass on
offstage (each runs here as its own case, so none can regress unnoticed); docs/assemblyline.md lists
those that do not, with the reason. No interview is running, as in AssemblyLine's own CI.
"""

from __future__ import annotations

import unittest
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import assemblyline as wheel

REPO = Path(__file__).resolve().parents[2]
PINNED = REPO / "tests" / "assemblyline_unit_pass.txt"
MODULES = ("docassemble.AssemblyLine.test_al_document", "docassemble.AssemblyLine.test_al_general")


def _pinned() -> list[str]:
    lines = PINNED.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _cases(suite: unittest.TestSuite) -> Iterator[unittest.TestCase]:
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            yield from _cases(test)
        else:
            yield test


@pytest.fixture(scope="module")
def their_tests() -> Iterator[dict[str, unittest.TestCase]]:
    """Every test of the two modules by its id (module.Class.method), loaded as unittest loads them."""
    with wheel.on_path():
        suite = unittest.defaultTestLoader.loadTestsFromNames(MODULES)
        yield {case.id(): case for case in _cases(suite)}


def _run(case: unittest.TestCase) -> unittest.TestResult:
    result = unittest.TestResult()
    case.run(result)
    return result


def _problems(result: unittest.TestResult) -> str:
    return "\n".join(text for _, text in result.errors + result.failures)


def test_every_pinned_test_exists_and_the_modules_load(their_tests: dict[str, unittest.TestCase]) -> None:
    # a module that fails to import shows up in unittest as a single _FailedTest, never as its tests
    assert not [name for name in their_tests if name.startswith("unittest.loader")], list(their_tests)
    assert set(_pinned()) <= set(their_tests), sorted(set(_pinned()) - set(their_tests))
    assert len(_pinned()) >= 42


def test_how_many_pass(their_tests: dict[str, unittest.TestCase], capsys: pytest.CaptureFixture[str]) -> None:
    passing = sorted(name for name, case in their_tests.items() if _run(case).wasSuccessful())
    with capsys.disabled():
        print(f"\nAssemblyLine's unit tests on offstage: {len(passing)} of {len(their_tests)} pass")
    assert set(_pinned()) <= set(passing), sorted(set(_pinned()) - set(passing))


@pytest.mark.parametrize("name", _pinned())
def test_pinned_test_passes(their_tests: dict[str, unittest.TestCase], name: str) -> None:
    result = _run(their_tests[name])
    assert result.testsRun == 1
    assert result.wasSuccessful(), f"{name}:\n{_problems(result)}"
