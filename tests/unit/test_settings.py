"""The environment contract: defaults, parsing, and clear errors for bad values."""

import re
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


def test_the_template_names_reach_the_settings():
    s = Settings.from_env({"SESSIONS_TABLE": "s-t", "TASKS_TABLE": "t-t",
                           "PAYLOAD_BUCKET": "b", "BACKGROUND_QUEUE_URL": "https://sqs/q",
                           "API_KEYS_PARAMETER": "/offstage/api-keys", "MAIL_SENDER": "forms@example.org",
                           "AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "AWS_DEFAULT_REGION": "eu-west-1"})
    assert (s.sessions_table, s.tasks_table) == ("s-t", "t-t")
    assert (s.payload_bucket, s.background_queue_url) == ("b", "https://sqs/q")
    assert s.api_keys_parameter == "/offstage/api-keys"
    assert s.api_keys_inline == ()
    assert s.mail_sender == "forms@example.org"
    assert s.endpoint_url == "http://127.0.0.1:5000"
    assert s.region == "eu-west-1"
    assert s.local is False
    assert s.timezone is None


def test_lambda_s_region_wins_over_the_default_region():
    assert Settings.from_env({"AWS_REGION": "ap-south-1", "AWS_DEFAULT_REGION": "eu-west-1"}).region == "ap-south-1"
    assert Settings.from_env({}).region == "us-east-1"


def test_a_known_time_zone_is_kept():
    assert Settings.from_env({"OFFSTAGE_TIMEZONE": "Europe/Lisbon"}).timezone == "Europe/Lisbon"


@pytest.mark.parametrize(("name", "value", "words"), [
    ("OFFSTAGE_TIMEZONE", "Mars/Olympus", "OFFSTAGE_TIMEZONE must be a time zone name"),
    ("MAX_BODY_BYTES", "12", "MAX_BODY_BYTES must be at least 1024"),
    ("BACKGROUND_TIMEOUT_SECONDS", "soon", "BACKGROUND_TIMEOUT_SECONDS must be a whole number"),
])
def test_more_bad_values_name_the_variable(name, value, words):
    with pytest.raises(ValueError, match=words):
        Settings.from_env({name: value})


def test_settings_are_frozen():
    s = Settings.from_env({})
    with pytest.raises(AttributeError):
        s.checkin_interval_ms = 1  # type: ignore[misc]


def test_settings_are_read_once_until_reset(monkeypatch):
    from offstage import settings as module

    monkeypatch.setenv("CHECKIN_INTERVAL_MS", "2000")
    module.reset()
    try:
        first = module.settings()
        monkeypatch.setenv("CHECKIN_INTERVAL_MS", "3000")
        assert module.settings() is first
        assert first.checkin_interval_ms == 2000
        module.reset()
        assert module.settings().checkin_interval_ms == 3000
    finally:
        monkeypatch.undo()
        module.reset()


def test_settings_is_the_only_reader_of_the_environment_in_the_package():
    """A variable read elsewhere would escape the checks above (and be read again on every request)."""

    from offstage import settings as module

    package = Path(module.__file__).parent
    reads = re.compile(r"os\.environ\.get\(|os\.getenv\(|os\.environ\[[^\]]+\](?!\s*=)|in os\.environ")
    # the local stack and poller write the environment of the functions they host; Powertools' service
    # name is read where the logger is made (it reads its own POWERTOOLS_* variables anyway)
    allowed = {"settings.py", "http/observability.py", "local/stack.py", "local/poller.py"}
    readers = sorted(str(path.relative_to(package)) for path in package.rglob("*.py")
                     if str(path.relative_to(package)) not in allowed and reads.search(path.read_text()))
    assert readers == []


def test_the_deployed_layer_carries_no_test_double():
    """The layer ships layers/runtime/offstage as is: the harness and the in-memory doubles live in tests/."""
    from offstage import settings as module

    package = Path(module.__file__).parent
    modules = {str(path.relative_to(package)) for path in package.rglob("*.py")}
    assert not modules & {"engine/harness.py", "engine/executor.py"}
    doubles = re.compile(r"^class (MemoryKV|MovableClock|OutboxMailer|InProcessTasks|Harness)\b", re.M)
    assert [name for name in sorted(modules) if doubles.search((package / name).read_text())] == []
