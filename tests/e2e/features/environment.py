"""behave hooks, for running the scenarios with plain `behave` while debugging (pytest runs them through
tests/e2e/test_scenarios.py, with the same steps and page helper):

    .venv/bin/behave tests/e2e/features ../shared/reference/docassemble/features/scenarios.feature -n "Dialog"

`-D base_url=http://127.0.0.1:3000` uses a running `offstage serve`; without it a local stack with the
corpus is started here.
"""

from __future__ import annotations

from tests.e2e.scenario_support import CHROMIUM, CHROMIUM_ARGS, OUT, TimingLog, Ui, timing_report

TIMINGS = OUT / "behave-timings.jsonl"  # apart from pytest's, so both can run at once


def before_all(context):
    from playwright.sync_api import sync_playwright

    context.base_url = context.config.userdata.get("base_url")
    context.local_stack = None
    if not context.base_url:
        from offstage.local.stack import LocalStack

        from tests.conftest import CORPUS

        context.local_stack = LocalStack(interview_dirs=[CORPUS]).start()
        context.base_url = context.local_stack.url
    TIMINGS.unlink(missing_ok=True)
    context.timings = TimingLog(TIMINGS)
    context.playwright = sync_playwright().start()
    context.browser = context.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def before_scenario(context, scenario):
    context.browser_context = context.browser.new_context(viewport={"width": 1005, "height": 1400})
    context.ui = Ui(context.browser_context.new_page(), context.base_url, scenario.name, context.timings)


def before_step(context, step):
    steps = list(context.scenario.all_steps)
    index = next(i for i, s in enumerate(steps) if s is step)
    context.ui.begin(step, steps[index + 1] if index + 1 < len(steps) else None)


def after_scenario(context, scenario):
    context.browser_context.close()


def after_all(context):
    context.browser.close()
    context.playwright.stop()
    if context.local_stack is not None:
        context.local_stack.stop()
    for line in timing_report(TIMINGS):
        print(line)
