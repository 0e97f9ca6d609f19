"""The acceptance runner for docassemble's browser scenarios: what may fail and why, the browser page the
steps drive, and a small pool of browser threads that runs scenarios side by side against one stack.

The scenarios are read unchanged from ../shared (never copied); the steps are ours
(tests/e2e/features/steps/), written with behave's decorators, so `behave` can run them too.
"""

from __future__ import annotations

import json
import queue
import random
import re
import threading
import time
import traceback
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.conftest import CORPUS, REPO, SHARED

# Scenarios offstage cannot pass yet, each with the reason: the ONE place that lists them. The test
# reports them as expected failures with this reason; one that starts passing fails the suite until its
# entry goes. Keyed by the scenario's name as written in the feature file.
EXPECTED_FAILURES: dict[str, str] = {
    'Test the interview "Background OCR PDF"':
        "OCR is not supported, and the scenario uploads /home/jpyle/da/tests/testfile2.png, a file on "
        "docassemble's developer's machine",
}

FEATURE = SHARED / "reference" / "docassemble" / "features" / "scenarios.feature"
FEATURES_DIR = Path(__file__).with_name("features")  # our steps, hooks and own scenarios
STEPS_DIR = FEATURES_DIR / "steps"
OUT = REPO / ".offstage"
TIMINGS = OUT / "scenario-timings.jsonl"  # one JSON object a line; conftest prints the report
SHOTS = OUT / "scenario-shots"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
IDLE_SECONDS = 20  # docassemble's wait_for_it: up to 20 s for jQuery.active to reach 0
SETTLE_SECONDS = 3  # after an action (not a wait) a phrase may take a moment to render
ERROR_MARKER = "Show variables and values"  # docassemble's error page says this
ERROR_PAGE = ".da-error-page"  # offstage's error page (title "Error") has this element
SEE = re.compile(r"""I should (?:explicitly )?see the phrase ["'](?P<phrase>.+)["']$""")
LOOK = re.compile(r"I should (?:not |explicitly )?see ")
WAIT = re.compile(r"I wait (?P<seconds>\d+(?:\.\d+)?) seconds?$")
NATIVE_DATE_INPUTS = {"date", "time", "datetime-local", "month", "week"}
STARTS_TASKS = re.compile(r"background_action\s*\(|BackgroundAction\b")


# ---------------------------------------------------------------- the scenarios
@dataclass(frozen=True)
class Scenario:
    name: str  # as in the feature file
    key: str  # unique and short: the pytest id
    filename: str
    line: int
    steps: tuple[Any, ...] = field(compare=False, repr=False)  # behave's parsed Step objects
    starts_tasks: bool = False  # its interview queues background tasks

    @property
    def expected_failure(self) -> str | None:
        return EXPECTED_FAILURES.get(self.name)

    def planned_wait(self) -> float:
        """The seconds its 'I wait' steps add up to: the longest run first keeps the pool busy."""
        return sum(float(m["seconds"]) for s in self.steps if (m := WAIT.match(s.name)))


def load_scenarios() -> list[Scenario]:
    """Every active scenario of docassemble's file, then ours (commented-out ones are comments)."""
    from behave.parser import parse_file

    if not FEATURE.is_file():
        raise RuntimeError(f"the scenarios are read from ../shared and are missing: {FEATURE}")
    found: list[tuple[Any, Any]] = []
    for path in [FEATURE, *sorted(FEATURES_DIR.glob("*.feature"))]:
        feature = parse_file(str(path))
        found += [(feature, scenario) for scenario in feature.scenarios]
    names = [scenario.name for _, scenario in found]
    result = []
    for feature, scenario in found:
        title = scenario.name.removeprefix("Test the interview ").replace('"', "")
        interview = next((m[1] for s in scenario.all_steps
                          if (m := re.search(r'interview "[^"]*/([^"/]+)\.yml"', s.name))), "")
        source = CORPUS / f"{interview}.yml"
        starts_tasks = source.is_file() and STARTS_TASKS.search(source.read_text()) is not None
        key = f"{interview}: {title}" if interview else title
        if names.count(scenario.name) > 1:  # docassemble's file has one scenario twice: run both
            key += f" @{scenario.line}"
        result.append(Scenario(scenario.name, key, feature.filename, scenario.line, tuple(scenario.all_steps),
                               starts_tasks))
    return result


def next_phrase(step: Any) -> str | None:
    """The phrase a 'should see' step looks for, if it is one."""
    match = SEE.match(step.name) if step is not None else None
    return match["phrase"] if match else None


def xpath_text(text: str) -> str:
    """An XPath string literal for any text (XPath 1.0 has no escapes)."""
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return "concat(" + ", '\"', ".join(f'"{part}"' for part in text.split('"')) + ")"


# ---------------------------------------------------------------- the page the steps drive
class Ui:
    """One scenario's browser tab plus the bookkeeping of its waits and alerts."""

    def __init__(self, page: Any, base_url: str, scenario: str, timings: TimingLog | None = None) -> None:
        self.page, self.base_url, self.scenario, self.timings = page, base_url.rstrip("/"), scenario, timings
        self.current_step: Any = None
        self.next_step: Any = None  # a wait watches for the phrase this one looks for
        self.just_waited = False  # the last action before this step was 'I wait N seconds'
        self.alerts: list[str] = []
        self.alerts_accepted = 0
        # "I start the possibly error-producing interview": the scenario expects an error screen, so
        # offstage's error page counts as a page (docassemble's own marker is refused all the same)
        self.errors_expected = False
        page.set_default_timeout(IDLE_SECONDS * 1000)
        page.on("dialog", self._dialog)
        # count change events so that typing can be checked to fire none (docassemble's send_keys)
        page.add_init_script("window.__offstageChanges = 0; document.addEventListener('change',"
                             " function () { window.__offstageChanges += 1; }, true);")

    def _dialog(self, dialog: Any) -> None:
        # Chromium freezes the page while a dialog is open: note its text and accept it; the step
        # 'I click accept in the alert' then checks that one was shown.
        self.alerts.append(dialog.message)
        dialog.accept()

    def begin(self, step: Any, next_step: Any) -> None:
        """Called before each step (by the pool, or by environment.py under `behave`)."""
        before = self.current_step.name if self.current_step is not None else ""
        if WAIT.match(before):
            self.just_waited = True
        elif not LOOK.match(before):  # looking changes nothing: only an action starts a new settle
            self.just_waited = False
        self.current_step, self.next_step = step, next_step

    # -- reading the page
    def _retry(self, fn: Any, default: Any) -> Any:
        from playwright.sync_api import Error

        for _ in range(50):
            try:
                return fn()
            except Error as exc:  # the page is between two documents
                if "destroyed" not in str(exc) and "navigat" not in str(exc):
                    raise
            time.sleep(0.1)
        return default

    def text(self) -> str:
        return self._retry(lambda: self.page.inner_text("body"), "")

    def idle(self) -> None:
        """Wait until the page has loaded and jQuery.active is 0, as docassemble's wait_for_it does."""
        deadline = time.monotonic() + IDLE_SECONDS
        active: Any = None
        while time.monotonic() < deadline:
            self._retry(lambda: self.page.wait_for_load_state("load"), None)
            active = self._retry(lambda: self.page.evaluate("() => window.jQuery ? jQuery.active : null"), -1)
            if active is None:
                raise AssertionError("the page has no jQuery.active counter (docassemble's steps wait on it): "
                                     f"{self.page.url}\n{self.text()[:300]}")
            if active == 0:
                return
            time.sleep(0.1)
        raise AssertionError(f"the page stayed busy for {IDLE_SECONDS} s (jQuery.active={active}): {self.page.url}")

    def see(self, phrase: str, check_error_page: bool = True) -> None:
        # right after a wait the phrase must be there (the wait was the allowance); after an action the
        # new content may still be rendering, as Selenium's click would still be waiting for the page
        deadline = time.monotonic() + (0 if self.just_waited else SETTLE_SECONDS)
        text = self.text()
        while phrase not in text and time.monotonic() < deadline:
            time.sleep(0.1)
            text = self.text()
        if check_error_page:
            self.not_error_page(text)
        assert phrase in text, f"{phrase!r} is not on the page ({self.page.url}); it shows:\n{text[:1500]}"

    def not_error_page(self, text: str | None = None) -> None:
        text = self.text() if text is None else text
        assert ERROR_MARKER not in text, f"the page is an error page:\n{text[:1500]}"
        if not self.errors_expected:
            marked = self._retry(lambda: self.page.locator(ERROR_PAGE).count(), 0)
            assert not marked, f"the page is an error page:\n{text[:1500]}"

    def not_see(self, phrase: str) -> None:
        text = self.text()
        assert phrase not in text, f"{phrase!r} is on the page, and should not be:\n{text[:1500]}"

    # -- acting on it
    def open(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.idle()

    def control(self, label: str) -> Any:
        """The input a <label for=id> with this exact text names (docassemble's //label[text()=...])."""
        for xpath in (f"//label[text()={xpath_text(label)}]", f"//label[text()={xpath_text(label + ' ')}]",
                      f"//label[.//a[text()={xpath_text(label)}]]", f"//label[normalize-space(.)={xpath_text(label)}]"):
            found = self.page.locator(f"xpath={xpath}")
            if found.count():
                target = found.first.get_attribute("for")
                assert target, f"the label {label!r} has no for= attribute"
                return self.page.locator(f"[id={json.dumps(target)}]")
        raise AssertionError(f"no field labelled {label!r} on the page:\n{self.text()[:800]}")

    def type_into(self, label: str, value: str) -> None:
        """Clear and type, without blurring: no change event fires until something else takes focus."""
        box = self.control(label)
        box.focus()  # moving the focus may fire the previous field's change, as in docassemble
        before = self.page.evaluate("() => window.__offstageChanges")
        box.press("Control+a")
        box.press("Delete")
        box.press_sequentially(value)
        after = self.page.evaluate("() => window.__offstageChanges")
        # a date or time box is the browser's own widget, which fires change as a typed date completes
        # (the same <input type="date"> docassemble draws): only other boxes must stay quiet
        native = box.get_attribute("type") in NATIVE_DATE_INPUTS
        assert native or after == before, f"typing into {label!r} fired a change event; docassemble's typing fires none"

    def blur(self) -> None:
        self._retry(lambda: self.page.evaluate("() => document.activeElement && document.activeElement.blur()"),
                    None)

    def click_first(self, xpaths: list[str], what: str) -> None:
        for xpath in xpaths:
            found = self.page.locator(f"xpath={xpath}")
            for i in range(found.count()):
                if found.nth(i).is_visible():
                    found.nth(i).click()
                    self.idle()
                    return
        raise AssertionError(f"no {what} on the page:\n{self.text()[:800]}")

    def wait(self, seconds: float) -> None:
        """Sleep like docassemble (N + a random 0-1 s, then idle), timing the next step's phrase meanwhile."""
        phrase = next_phrase(self.next_step)
        total = seconds + random.random()
        started = time.monotonic()
        appeared = None
        while (elapsed := time.monotonic() - started) < total:
            if phrase is not None and appeared is None and phrase in self.text():
                appeared = elapsed
            time.sleep(min(0.2, max(0.0, total - elapsed)))
        self.idle()
        if phrase is not None and appeared is None and phrase in self.text():
            appeared = time.monotonic() - started
        if phrase is not None and self.timings is not None:
            self.timings.add(self.scenario, self.current_step, total, phrase, appeared)


class TimingLog:
    """How long each phrase awaited by an 'I wait N seconds' step actually took to appear."""

    def __init__(self, path: Path = TIMINGS) -> None:
        self.path, self._lock = path, threading.Lock()

    def add(self, scenario: str, step: Any, waited: float, phrase: str, appeared: float | None) -> None:
        row = {"scenario": scenario, "line": getattr(step, "line", 0), "step": getattr(step, "name", ""),
               "waited": round(waited, 2), "phrase": phrase,
               "appeared": None if appeared is None else round(appeared, 2)}
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a") as out:  # append: pytest-xdist workers may share the file
                out.write(json.dumps(row) + "\n")


def timing_report(path: Path = TIMINGS) -> list[str]:
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    lines = []
    for row in sorted(rows, key=lambda r: (r["scenario"], r["line"])):
        seen = f"{row['appeared']:.1f} s" if row["appeared"] is not None else "never"
        lines.append(f"{row['scenario']}, line {row['line']}: {row['step']} (waited {row['waited']:.1f} s) -> "
                     f"{row['phrase'][:48]!r} appeared after {seen}")
    return lines


# ---------------------------------------------------------------- running scenarios
@dataclass
class Outcome:
    scenario: Scenario
    passed: bool
    failed_step: str = ""
    error: str = ""
    seconds: float = 0.0
    alerts: list[str] = field(default_factory=list)

    def describe(self) -> str:
        head = f"{self.scenario.name} ({Path(self.scenario.filename).name}:{self.scenario.line})"
        if self.passed:
            return f"{head} passed in {self.seconds:.1f} s"
        return f"{head} failed at step: {self.failed_step}\n{self.error}"


_LOAD_LOCK = threading.Lock()
_LOADED: list[bool] = []


def steps_registry() -> Any:
    """behave's step registry with our step modules loaded once (as `behave` itself loads them)."""
    from behave.runner_util import load_step_modules
    from behave.step_registry import registry

    with _LOAD_LOCK:
        if not _LOADED:
            load_step_modules([str(STEPS_DIR)])
            _LOADED.append(True)
    return registry


class StepContext:
    """What our steps get as behave's `context` when the pool runs them: just the page."""

    def __init__(self, ui: Ui) -> None:
        self.ui = ui


def run_scenario(scenario: Scenario, browser: Any, base_url: str, timings: TimingLog | None) -> Outcome:
    """Run each step in order in a fresh browser context; the first failing step fails the scenario."""
    registry = steps_registry()
    started = time.monotonic()
    context = browser.new_context(viewport={"width": 1005, "height": 1400})
    ui = Ui(context.new_page(), base_url, scenario.key, timings)
    step_ctx = StepContext(ui)
    try:
        for index, step in enumerate(scenario.steps):
            ui.begin(step, scenario.steps[index + 1] if index + 1 < len(scenario.steps) else None)
            where = f"{step.keyword} {step.name} (line {step.line})"
            match = registry.find_match(step)
            if match is None:
                return Outcome(scenario, False, where, "undefined step: offstage's runner has no definition for it",
                               time.monotonic() - started, ui.alerts)
            try:
                match.func(step_ctx, **{arg.name: arg.value for arg in match.arguments})
            except Exception as exc:  # noqa: BLE001 - any error fails this scenario, not the pool
                shot = _screenshot(ui, scenario)
                detail = str(exc) if isinstance(exc, AssertionError) else traceback.format_exc(limit=3)
                return Outcome(scenario, False, where, detail + (f"\n(screenshot: {shot})" if shot else ""),
                               time.monotonic() - started, ui.alerts)
        return Outcome(scenario, True, seconds=time.monotonic() - started, alerts=ui.alerts)
    finally:
        context.close()


def _screenshot(ui: Ui, scenario: Scenario) -> str:
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / (re.sub(r"[^\w.-]+", "_", scenario.key) + ".png")
        ui.page.screenshot(path=str(path), full_page=True)
        return str(path)
    except Exception:  # noqa: BLE001 - a screenshot is a courtesy
        return ""


Job = tuple[Scenario, "Future[Outcome]"]


class ScenarioPool:
    """A few threads, each with its own Playwright and Chromium (Playwright objects are per-thread),
    running scenarios against one stack. submit() returns a Future of the Outcome.

    Scenarios whose interview starts background tasks take turns in a lane of their own: the local
    stack's SQS poller runs one task at a time, so one scenario's long task (background-tail's takes
    ~40 s) would hold back another's past docassemble's 12 s allowance. The others share the rest.
    """

    def __init__(self, base_url: str, workers: int = 4, timings: TimingLog | None = None,
                 task_lane: int = 1) -> None:
        self.base_url, self.timings = base_url, timings
        task_lane = max(1, min(task_lane, workers - 1)) if workers > 1 and task_lane else 0
        self._lanes: dict[bool, queue.Queue[Job | None]] = {True: queue.Queue(), False: queue.Queue()}
        if not task_lane:  # one set of threads serves both
            self._lanes[True] = self._lanes[False]
        counts = {True: task_lane, False: max(1, workers - task_lane)}
        self._threads = [threading.Thread(target=self._work, args=(self._lanes[lane],), daemon=True,
                                          name=f"scenarios-{'tasks' if lane else 'pages'}-{i}")
                         for lane in (True, False) for i in range(counts[lane])]
        for thread in self._threads:
            thread.start()

    def submit(self, scenario: Scenario) -> Future[Outcome]:
        future: Future[Outcome] = Future()
        self._lanes[scenario.starts_tasks].put((scenario, future))
        return future

    def close(self) -> None:
        for jobs in {id(q): q for q in self._lanes.values()}.values():
            self._drain(jobs, None)  # scenarios no test will ask for (e.g. after pytest -x) are dropped
        for thread in self._threads:
            self._lanes[thread.name.startswith("scenarios-tasks")].put(None)
        for thread in self._threads:
            thread.join(timeout=60)

    def _work(self, jobs: queue.Queue[Job | None]) -> None:
        from playwright.sync_api import sync_playwright

        job = jobs.get()  # Chromium starts with the thread's first scenario: an idle thread costs nothing
        if job is None:
            return
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    self._serve(browser, jobs, job)
                finally:
                    browser.close()
        except Exception as exc:  # noqa: BLE001 - fail every job left rather than hang the tests
            if not job[1].done():
                job[1].set_exception(exc)
            self._drain(jobs, exc)

    def _serve(self, browser: Any, jobs: queue.Queue[Job | None], job: Job | None) -> None:
        while job is not None:
            scenario, future = job
            try:
                future.set_result(run_scenario(scenario, browser, self.base_url, self.timings))
            except Exception as exc:  # noqa: BLE001 - the browser itself broke
                future.set_exception(exc)
            job = jobs.get()

    @staticmethod
    def _drain(jobs: queue.Queue[Job | None], exc: Exception | None) -> None:
        while True:
            try:
                job = jobs.get_nowait()
            except queue.Empty:
                return
            if job is not None and exc is None:
                job[1].cancel()
            elif job is not None:
                job[1].set_exception(RuntimeError(f"the browser thread failed: {exc}"))
