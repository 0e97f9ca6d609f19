"""docassemble's own scenarios that ../shared holds back, run by hand against offstage:

    .venv/bin/python bench/held_back.py /tmp/TestExamples.feature [--only NAME-PART] [--workers 3]

The feature file is read from the path given (its text stays out of this repository). Each scenario whose
interview is one of docassemble.base's examples (found in the docassemble peer's installed package, the
same files docassemble's own test runs) is run with offstage's step definitions in headless Chromium,
against one local stack serving those examples; the others are counted as not runnable here. Prints one
line a scenario, then passing / total and the failures grouped by the step that failed.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "layers" / "runtime"))

PEER_EXAMPLES = Path("/work/peer/venv/lib/python3.11/site-packages/docassemble/base/data/questions/examples")
INTERVIEW = re.compile(r'interview "docassemble\.base:data/questions/examples/([^"/]+\.yml)"')


def examples_dir() -> Path:
    peer = REPO / "bench" / ".peer" / "venv" / "lib" / "python3.11" / "site-packages" / "docassemble" / "base"
    found = peer / "data" / "questions" / "examples"
    return found if found.is_dir() else PEER_EXAMPLES


def load(path: Path, examples: Path, only: str | None) -> tuple[list[object], list[str]]:
    """The runnable scenarios, and the names of those whose interview is not among the examples."""
    from behave.parser import parse_file

    from tests.e2e.scenario_support import Scenario

    feature = parse_file(str(path))
    runnable: list[object] = []
    skipped: list[str] = []
    for scenario in feature.scenarios:
        if only and only not in scenario.name:
            continue
        names = [m[1] for step in scenario.all_steps if (m := INTERVIEW.search(step.name))]
        if not names or not (examples / names[0]).is_file():
            skipped.append(scenario.name)
            continue
        key = f"{names[0].removesuffix('.yml')}: {scenario.name} @{scenario.line}"
        runnable.append(Scenario(scenario.name, key, feature.filename, scenario.line, tuple(scenario.all_steps),
                                 starts_tasks="background" in names[0]))
    return runnable, skipped


class InterviewProblems:
    """The interview errors the screen function logged (error type and problem), by interview file: its
    logger's error() is watched (a handler of our own on that logger would displace Powertools' own)."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str]] = []

    def watch(self) -> None:
        from offstage.http import observability

        logged = observability.logger.error

        def error(message: object, *args: Any, **kwargs: Any) -> Any:
            extra = kwargs.get("extra") or {}
            if extra.get("interview"):
                self.found.append((str(extra["interview"]), f"{extra.get('error_type')}: {extra.get('problem')}"))
            return logged(message, *args, **kwargs)

        observability.logger.error = error  # type: ignore[method-assign]

    def of(self, filename: str) -> list[str]:
        return sorted({problem[:300] for interview, problem in self.found if interview.endswith(filename)})


def reason(outcome: object) -> str:
    """A failure's group: the kind of step that failed, and the first line of the error."""
    step = re.sub(r'"[^"]*"', '"…"', getattr(outcome, "failed_step", "")).split(" (line")[0]
    first = getattr(outcome, "error", "").strip().splitlines()[:1]
    return f"{step} :: {first[0][:120] if first else ''}"


def part(scenarios: list[object], which: str) -> list[object]:
    """The K-th of N slices (K/N, K from 1), cut as evenly as the count allows."""
    k, n = (int(x) for x in which.split("/"))
    return scenarios[len(scenarios) * (k - 1) // n:len(scenarios) * k // n]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("feature", type=Path, help="docassemble's TestExamples.feature (or a sample of it)")
    parser.add_argument("--only", help="run only scenarios whose name contains this")
    parser.add_argument("--workers", type=int, default=3, help="browser threads (the machine may be shared)")
    parser.add_argument("--part", help="K/N: run only the K-th of N equal slices of the runnable scenarios, in file order")
    args = parser.parse_args()
    if not args.feature.is_file():
        parser.error(f"no feature file at {args.feature}")
    examples = examples_dir()
    if not examples.is_dir():
        parser.error(f"docassemble.base's examples are not at {examples}: install the peer (make peer)")

    from offstage.local.stack import LocalStack

    from tests.e2e.scenario_support import ScenarioPool

    scenarios, skipped = load(args.feature, examples, args.only)
    if args.part:
        scenarios = part(scenarios, args.part)
    problems = InterviewProblems()
    problems.watch()
    with LocalStack(interview_dirs=[examples], port=0) as stack:
        pool = ScenarioPool(stack.url, workers=args.workers)
        try:
            futures = [(s, pool.submit(s)) for s in scenarios]  # type: ignore[arg-type]
            outcomes = []
            for _, future in futures:
                outcomes.append(future.result(timeout=900))
                print(("pass " if outcomes[-1].passed else "fail ") + outcomes[-1].scenario.key, flush=True)
        finally:
            pool.close()
    failed = [o for o in outcomes if not o.passed]
    for outcome in outcomes:
        print(("PASS " if outcome.passed else "FAIL ") + outcome.scenario.key)
        if not outcome.passed:
            print("     " + outcome.describe().replace("\n", "\n     ")[:1200])
            for problem in problems.of(outcome.scenario.key.split(":", 1)[0] + ".yml"):
                print(f"     logged: {problem}")
    print(f"\n{len(outcomes) - len(failed)} passed / {len(outcomes)} run"
          f" ({len(skipped)} not runnable here: interview not among docassemble.base's examples)")
    for group, count in Counter(reason(o) for o in failed).most_common():
        print(f"  {count} x {group}")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
