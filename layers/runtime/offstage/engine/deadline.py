"""Time limits for interview code: a watchdog raises an exception inside the thread that runs it.

Python cannot kill a thread, but CPython can raise an exception in one at its next bytecode
(`PyThreadState_SetAsyncExc`). `call(seconds, work)` runs work() in the calling thread with a watchdog
thread that does exactly that when the time is up, and again every `REPEAT_SECONDS` while the work has
not returned (interview code that catches the first one with a bare `except:` is hit again).

What this cannot stop: a long call into C that does not return to the interpreter (a huge regular
expression, `time.sleep(10**6)`): the exception waits for the call to end; and a loop that catches
every exception (`while True: try: ... except: pass`). There, the function's own timeout (Lambda's)
is the last line; the background worker ends its execution environment instead.

Races: the watchdog can fire just as work() returns. `call` disarms under the watchdog's lock and
clears an exception that is still pending, so it never lands after `call` returned (in a save, or in
the next request of the same thread); a limit that fired at all makes `call` raise TimeLimitExceeded,
even when the interview code swallowed the exception and returned something.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

REPEAT_SECONDS = 0.5  # how often the watchdog fires again while the work has not stopped


class OutOfTime(BaseException):
    """Raised inside interview code by the watchdog. A BaseException, so that `except Exception:` in
    interview code (or in the engine) does not swallow it."""


class TimeLimitExceeded(Exception):
    """The work did not finish within its time limit; it was stopped and its outcome discarded."""

    def __init__(self, seconds: float, what: str = "the interview's code") -> None:
        self.seconds = seconds
        self.what = what
        super().__init__(f"{what} did not finish within {_seconds(seconds)} (the time limit), so it was stopped")


def _seconds(value: float) -> str:
    shown = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{shown} second" if shown == "1" else f"{shown} seconds"


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> int:
    """Ask the interpreter to raise `exception` in the thread (None clears a pending one)."""
    import ctypes  # only when a limit fires

    return int(ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception is not None else ctypes.c_void_p(0)))


class _Watch:
    """One armed limit on one thread."""

    def __init__(self, seconds: float, thread_id: int) -> None:
        self.seconds = seconds
        self.thread_id = thread_id
        self.ends = time.monotonic() + seconds
        self.fired = False
        self._armed = True
        self._lock = threading.Lock()
        self._disarmed = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._watch, name="offstage-deadline", daemon=True).start()

    def _watch(self) -> None:
        wait = self.seconds
        while not self._disarmed.wait(max(0.0, wait)):
            with self._lock:
                if not self._armed:
                    return
                if _raise_in(self.thread_id, OutOfTime) == 1:
                    self.fired = True
            wait = REPEAT_SECONDS

    def disarm(self) -> None:
        """After this returns, no exception of this watch is pending or will be raised."""
        with self._lock:
            self._armed = False
            self._disarmed.set()
            if self.fired:
                _raise_in(self.thread_id, None)


_current: contextvars.ContextVar[_Watch | None] = contextvars.ContextVar("offstage_deadline", default=None)
_invocation_ends: contextvars.ContextVar[float | None] = contextvars.ContextVar("offstage_invocation", default=None)


@contextlib.contextmanager
def invocation(context: Any) -> Iterator[None]:
    """The Lambda invocation being handled (its context): invocation_left() counts down to its end."""
    remaining_ms = getattr(context, "get_remaining_time_in_millis", None)
    ends = time.monotonic() + remaining_ms() / 1000.0 if callable(remaining_ms) else None
    token = _invocation_ends.set(ends)
    try:
        yield
    finally:
        _invocation_ends.reset(token)


def invocation_left() -> float | None:
    """Seconds before the function's own timeout ends this invocation; None when unknown."""
    ends = _invocation_ends.get()
    return None if ends is None else ends - time.monotonic()


def remaining() -> float | None:
    """Seconds left before the current limit stops the work; None outside a limit."""
    watch = _current.get()
    return None if watch is None else max(0.0, watch.ends - time.monotonic())


def call(seconds: float, work: Callable[[], T], *, what: str = "the interview's code") -> T:
    """work() within `seconds`; raises TimeLimitExceeded when the limit passed (the outcome is dropped).

    A limit inside another one in the same thread only ever shortens it.
    """
    outer = remaining()
    if outer is not None and outer <= seconds:
        return work()  # the outer limit fires first and stops this work too
    watch = _Watch(max(0.0, seconds), threading.get_ident())
    token = _current.set(watch)
    try:
        try:
            watch.start()
            value = work()
        finally:
            _disarm(watch)
    except OutOfTime:
        _disarm(watch)
        raise TimeLimitExceeded(seconds, what) from None
    finally:
        _current.reset(token)
    if watch.fired:  # it fired, and something caught it: what the work returned is not to be trusted
        raise TimeLimitExceeded(seconds, what)
    return value


def _disarm(watch: _Watch) -> None:
    """Disarm even when the watchdog's exception lands in the middle of disarming."""
    while True:
        try:
            watch.disarm()
            return
        except OutOfTime:
            continue
