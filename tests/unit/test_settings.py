"""The environment contract: defaults, parsing, and clear errors for bad values."""

from pathlib import Path

import pytest
from offstage.settings import Settings


def test_defaults_match_docassemble():
    s = Settings.from_env({})
    assert s.checkin_interval_ms == 6000
    assert s.interview_delete_days == 90
    assert s.max_body_bytes == 1_048_576
    assert s.interview_roots == (Path("/opt/interviews"),)


def test_values_are_parsed():
    s = Settings.from_env({"CHECKIN_INTERVAL_MS": "0", "INTERVIEW_DELETE_DAYS": "0",
                           "OFFSTAGE_API_KEYS": "a, b", "INTERVIEW_ROOTS": "/x:/y", "OFFSTAGE_LOCAL": "1"})
    assert s.checkin_interval_ms == 0
    assert s.interview_delete_days == 0
    assert s.api_keys_inline == ("a", "b")
    assert s.interview_roots == (Path("/x"), Path("/y"))
    assert s.local is True


@pytest.mark.parametrize(("name", "value", "words"), [
    ("CHECKIN_INTERVAL_MS", "500", "CHECKIN_INTERVAL_MS must be 0 (off) or at least 1000"),
    ("INTERVIEW_DELETE_DAYS", "ninety", "INTERVIEW_DELETE_DAYS must be a whole number"),
    ("INTERVIEW_DELETE_DAYS", "-1", "INTERVIEW_DELETE_DAYS must be at least 0"),
])
def test_bad_values_name_the_variable(name, value, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        Settings.from_env({name: value})
