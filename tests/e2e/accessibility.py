"""axe-core (its npm package, installed by `make assets` into assets/node_modules, never committed) run
on a page of the browser tests: the WCAG 2.2 A and AA rules, and the problems axe calls serious or
critical, which the pages must not have."""

from __future__ import annotations

import functools
from typing import Any

from tests.conftest import REPO

AXE = REPO / "assets" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")


@functools.cache
def axe_source() -> str:
    if not AXE.is_file():
        raise AssertionError(f"axe-core is not installed ({AXE} is missing): run `make assets`")
    return AXE.read_text(encoding="utf-8")


def violations(page: Any) -> list[str]:
    """The serious and critical problems axe finds on the page as it is now, one line each.

    axe is evaluated through the browser's debugging protocol, which the page's Content-Security-Policy
    does not govern: the page keeps its real policy while it is checked."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    found = page.evaluate("""tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})
        .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))""", TAGS)
    return [f"{v['impact']}: {v['id']} ({v['help']}) at {', '.join(v['nodes'])} on {page.url}"
            for v in found if v["impact"] in BLOCKING]
