"""The one optimistic-locking loop: a writer that lost re-reads and tries again, a bounded number of times."""

from typing import Any

import pytest
from offstage.app.locking import TRIES, retry_on_conflict
from offstage.errors import SessionConflict


def test_given_writers_that_keep_winning_when_saving_then_the_change_is_rerun_on_fresh_answers():
    stored: dict[str, Any] = {"version": 1, "answers": {"a": 1}}
    reads = []

    def attempt(number):
        seen = dict(stored["answers"])  # the re-read
        reads.append(seen)
        if number < 3:  # someone else saved in between
            stored["answers"] = {**stored["answers"], f"other{number}": True}
            raise SessionConflict("changed")
        stored["answers"] = {**seen, "mine": True}
        return "saved"

    assert retry_on_conflict(attempt, sleep=lambda _: None) == "saved"
    assert stored["answers"] == {"a": 1, "other1": True, "other2": True, "mine": True}
    assert len(reads) == 3


def test_given_a_session_that_never_stops_changing_when_saving_then_the_conflict_reaches_the_caller():
    pauses: list[Any] = []

    def attempt(number):
        raise SessionConflict(f"try {number}")

    with pytest.raises(SessionConflict, match=f"try {TRIES}"):
        retry_on_conflict(attempt, sleep=pauses.append)
    assert len(pauses) == TRIES - 1
    assert all(0 <= p <= 0.5 for p in pauses)
