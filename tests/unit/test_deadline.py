"""The time limit of interview code: a runaway loop is stopped, a finished one is left alone, and the
watchdog's exception never lands after the limited call returned."""

from __future__ import annotations

import threading

import pytest
from offstage.engine import deadline


def spin() -> None:
    while True:
        pass


def test_a_runaway_loop_is_stopped_with_a_message_naming_the_limit():
    with pytest.raises(deadline.TimeLimitExceeded) as stopped:
        deadline.call(0.2, spin)
    assert "did not finish within 0.2 seconds" in str(stopped.value)


def test_code_that_catches_exceptions_is_stopped_all_the_same():
    def careless() -> str:
        while True:
            try:
                spin()
            except Exception:  # noqa: BLE001, S112 - what a careless interview author writes
                continue

    with pytest.raises(deadline.TimeLimitExceeded):
        deadline.call(0.2, careless)


def test_code_that_swallows_the_stop_and_returns_gets_no_result_accepted():
    def swallow() -> str:
        try:  # noqa: SIM105 - written out, as the interview code this stands for would be
            spin()
        except BaseException:  # noqa: BLE001, S110 - what a careless interview author writes
            pass
        return "a screen computed from half-run code"

    with pytest.raises(deadline.TimeLimitExceeded):
        deadline.call(0.2, swallow)


def test_work_that_finishes_in_time_returns_its_value_and_knows_its_time_left():
    seen = []

    def work() -> int:
        seen.append(deadline.remaining())
        return 42

    assert deadline.call(30, work) == 42
    assert seen[0] is not None
    assert 0 < seen[0] <= 30
    assert deadline.remaining() is None  # outside a limit again


def test_a_limit_that_fires_as_the_work_returns_never_lands_afterwards():
    """Limits as short as the work itself: whichever way each race goes, once call() is done the code
    that follows (the save, the next request of the thread) runs undisturbed."""
    def short_work() -> int:
        return sum(range(2000))

    def endless_work() -> int:  # always stopped: the race is shown to go both ways, whatever the load
        count = 0
        while True:
            count += 1

    outcomes: set[object] = set()
    for attempt in range(300):
        work = endless_work if attempt % 10 == 0 else short_work
        try:
            outcomes.add(deadline.call(0.0005, work))
        except deadline.TimeLimitExceeded:
            outcomes.add("stopped")
        total = 0
        for i in range(20000):  # plenty of bytecodes for a stray exception to land in
            total += i
        assert total == sum(range(20000))
    assert "stopped" in outcomes


def test_other_threads_keep_running_while_one_is_stopped():
    done = threading.Event()
    stopped = []

    def other() -> None:
        deadline.call(60, lambda: done.wait(30))

    def runaway() -> None:
        try:
            deadline.call(0.2, spin)
        except deadline.TimeLimitExceeded:
            stopped.append(True)
        finally:
            done.set()

    threads = [threading.Thread(target=other), threading.Thread(target=runaway)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert stopped == [True]
    assert done.is_set()
    assert not any(thread.is_alive() for thread in threads)


def test_an_inner_limit_never_extends_the_outer_one():
    def inner() -> None:
        deadline.call(3600, spin)

    with pytest.raises(deadline.TimeLimitExceeded) as stopped:
        deadline.call(0.2, inner)
    assert stopped.value.seconds == 0.2
