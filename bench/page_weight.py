"""The question page in headless Chromium on the local stack: what it weighs on the wire (HTML, CSS, JS,
as sent: gzip where the browser asks for it) and when it first paints, on a first visit (empty cache) and
on the next screen (Bootstrap, jQuery and the page's files cached for a year by their hashed names)."""

from __future__ import annotations

import statistics
import sys

from timing import CORPUS, REPO

sys.path.insert(0, str(REPO))

NAME = "docassemble.base:data/questions/examples/under.yml"


def page_weight(n: int = 5) -> dict[str, float]:
    from offstage.local import LocalStack
    from playwright.sync_api import sync_playwright

    from tests.e2e.scenario_support import CHROMIUM, CHROMIUM_ARGS

    figures: dict[str, list[float]] = {}

    def add(key: str, value: float) -> None:
        figures.setdefault(key, []).append(value)

    with LocalStack(interviews=[CORPUS]) as stack, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(n):
            context = browser.new_context()  # an empty cache
            for visit in ("first visit", "next screen"):
                tab = context.new_page()  # the second one shares the first one's cache
                sent: dict[str, int] = {}

                def count(r, sent=sent):
                    size = max(0, r.sizes()["responseBodySize"])  # -1: served from the cache
                    sent[r.resource_type] = sent.get(r.resource_type, 0) + size

                tab.on("requestfinished", count)
                tab.goto(f"{stack.url}/interview?i={NAME}" + ("&reset=1" if visit == "first visit" else ""))
                tab.wait_for_load_state("load")
                paint = tab.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1")
                add(f"{visit}: first contentful paint (ms)", paint)
                add(f"{visit}: bytes on the wire, all (KB)", sum(sent.values()) / 1024)
                for kind in ("document", "stylesheet", "script"):
                    add(f"{visit}: bytes on the wire, {kind} (KB)", sent.get(kind, 0) / 1024)
                # JavaScript that runs before the first paint: the scripts in <head> (the theme picker)
                head_js = tab.evaluate("[...document.head.querySelectorAll('script')].reduce((n, s) => n + "
                                       "(s.src ? 1e9 : s.textContent.length), 0)")
                add("JavaScript in <head>, before the first paint (bytes)", head_js)
            context.close()
        browser.close()
    return {key: statistics.median(values) for key, values in figures.items()}


if __name__ == "__main__":
    for key, value in page_weight().items():
        print(f"{key}: {value:.1f}")
