"""A browser tab whose JavaScript errors fail the test: the check every page test of ours makes."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def watched_tab(browser: Any, **context_options: Any) -> Iterator[Any]:
    """A tab in a fresh browser context (no cookies from another test); an uncaught JavaScript error on any
    page it showed fails the test once the tab is closed."""
    context = browser.new_context(**context_options)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(str(error)))
    try:
        yield tab
    finally:
        context.close()
    assert problems == [], f"JavaScript errors on the page: {problems}"
