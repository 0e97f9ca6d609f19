"""docassemble's own browser scenarios (../shared/.../features/scenarios.feature, read unchanged at run
time) and ours (tests/e2e/features/*.feature), run with our step definitions in headless Chromium
against ONE local stack serving the corpus.

One test per scenario, so a failure names its scenario. The scenarios mostly sleep (docassemble's waits
of 2-18 s), so a few browser threads run them side by side: the first test hands every selected
scenario to the pool, longest first, and each test then waits for its own outcome. A test run again
(pytest-rerunfailures) runs its scenario afresh. Under pytest-xdist each worker has its own stack and
runs its scenarios as they come, unless `--dist loadgroup` sends them all to one worker.
"""

from __future__ import annotations

import os
from concurrent.futures import Future
from pathlib import Path

import pytest

from tests.e2e.scenario_support import (
    CHROMIUM,
    EXPECTED_FAILURES,
    FEATURE,
    Outcome,
    Scenario,
    ScenarioPool,
    TimingLog,
    load_scenarios,
    steps_registry,
)

pytestmark = pytest.mark.e2e

SCENARIOS = load_scenarios()
WORKERS = int(os.environ.get("OFFSTAGE_SCENARIO_WORKERS", "4"))  # browser threads
TASK_LANE = int(os.environ.get("OFFSTAGE_SCENARIO_TASK_LANE", "1"))  # 0: task scenarios share all threads
MAX_SECONDS = 900  # a hang guard, not a time limit: a scenario's steps are bounded far below this


class Runs:
    """The pool's pending outcomes, each handed to its test once."""

    def __init__(self, pool: ScenarioPool) -> None:
        self.pool = pool
        self.pending: dict[str, Future[Outcome]] = {}
        self.taken: set[str] = set()

    def prefetch(self, scenarios: list[Scenario]) -> None:
        for scenario in sorted(scenarios, key=Scenario.planned_wait, reverse=True):
            self.pending[scenario.key] = self.pool.submit(scenario)

    def outcome(self, scenario: Scenario) -> Outcome:
        future = self.pending.pop(scenario.key, None)
        if future is None or scenario.key in self.taken:  # not prefetched, or a rerun: run it now
            future = self.pool.submit(scenario)
        self.taken.add(scenario.key)
        return future.result(timeout=MAX_SECONDS)


@pytest.fixture(scope="session")
def stack(corpus):
    from offstage.local.stack import LocalStack

    # the corpus, and our own interviews for the scenarios of features/offstage.feature
    with LocalStack(interview_dirs=[corpus, Path(__file__).with_name("interviews")], port=0) as running:
        yield running


@pytest.fixture(scope="session")
def runs(request, stack):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"the scenarios need Debian's chromium at {CHROMIUM}: run `make browser`")
    pool = ScenarioPool(stack.url, workers=WORKERS, timings=TimingLog(), task_lane=TASK_LANE)
    runs = Runs(pool)
    config = request.config
    # a pytest-xdist worker does not know which tests it will get, unless the group goes to one worker
    if not hasattr(config, "workerinput") or config.getoption("dist", "no") == "loadgroup":
        runs.prefetch([item.callspec.params["scenario"] for item in request.session.items
                       if getattr(item, "originalname", "") == "test_scenario" and hasattr(item, "callspec")])
    yield runs
    pool.close()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.key for s in SCENARIOS])
def test_scenario(scenario: Scenario, runs: Runs) -> None:
    outcome = runs.outcome(scenario)
    reason = scenario.expected_failure
    if reason is not None:
        if outcome.passed:
            pytest.fail(f"{scenario.name} is listed as an expected failure ({reason}) but passes now: "
                        "remove it from EXPECTED_FAILURES in tests/e2e/scenario_support.py")
        pytest.xfail(f"{reason} | {outcome.describe()}")
    assert outcome.passed, outcome.describe()


def test_every_active_scenario_is_collected() -> None:
    """Each uncommented `Scenario:` of docassemble's file is a test, duplicates included."""
    lines = FEATURE.read_text().splitlines()
    active = [n for n, line in enumerate(lines, 1) if line.strip().startswith("Scenario:")]
    ours = [s for s in SCENARIOS if Path(s.filename).resolve() == FEATURE.resolve()]
    assert [s.line for s in ours] == active
    assert len({s.key for s in SCENARIOS}) == len(SCENARIOS)


def test_expected_failures_name_real_scenarios() -> None:
    names = {s.name for s in SCENARIOS}
    assert set(EXPECTED_FAILURES) <= names, set(EXPECTED_FAILURES) - names


def test_every_step_has_a_definition() -> None:
    registry = steps_registry()
    undefined = {s.name for scenario in SCENARIOS for s in scenario.steps if registry.find_match(s) is None}
    assert not undefined, f"steps with no definition: {sorted(undefined)}"
