"""Shared test fixtures: where the corpus is."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__import__("os").environ.get("OFFSTAGE_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "reference" / "docassemble" / "examples"


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the reference corpus is missing at {CORPUS} (set OFFSTAGE_SHARED)")
    return CORPUS


@pytest.fixture(autouse=True)
def fresh_settings():
    """Settings are read from the environment once per container: each test starts from its own."""
    from offstage import settings

    settings.reset()
    yield
    settings.reset()


def reread_settings() -> None:
    """After a test changes the environment (monkeypatch.setenv), as a new container would read it."""
    from offstage import settings

    settings.reset()
