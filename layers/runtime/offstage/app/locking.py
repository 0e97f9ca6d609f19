"""Optimistic locking, written once: re-read, re-run, save with the version read; retry on conflict.

Every save names the version it read (SessionStore.save raises SessionConflict when another writer got
there first). A writer that loses re-reads the session and runs its change again on the fresh answers,
so nobody's answers are overwritten. The pauses between tries are jittered and growing, so two writers
that collided do not collide again in lockstep.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from offstage.errors import SessionConflict

TRIES = 8  # how many times a write to a session is tried before SessionConflict reaches the caller
_FIRST_PAUSE = 0.01  # seconds; doubled each try, capped, then jittered
_MAX_PAUSE = 0.5

T = TypeVar("T")


def pause_before(attempt: int) -> float:
    """The jittered pause before try `attempt + 1` (full jitter over a capped exponential)."""
    return random.uniform(0, min(_FIRST_PAUSE * 2 ** (attempt - 1), _MAX_PAUSE))  # noqa: S311 - jitter for a retry pause, not a secret


def retry_on_conflict(attempt: Callable[[int], T], *, tries: int = TRIES,
                      sleep: Callable[[float], object] = time.sleep) -> T:
    """attempt(n) for n = 1, 2, ... until it does not raise SessionConflict; the last conflict is raised.

    attempt must re-read what it writes (the session, and whatever it derives from it) on every call:
    that re-read is what makes a retry safe.
    """
    for number in range(1, tries + 1):
        try:
            return attempt(number)
        except SessionConflict:
            if number == tries:
                raise
            sleep(pause_before(number))
    raise AssertionError("unreachable")  # the loop returns or raises
