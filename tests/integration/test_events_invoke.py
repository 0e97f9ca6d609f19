"""Every event in events/ runs against its function, docker-free, like `sam local invoke` would."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EVENTS = REPO / "events"


def _table() -> dict[str, str]:
    rows = re.findall(r"^\| (\S+\.json) \| (\w+) \|", (EVENTS / "README.md").read_text(), re.M)
    return dict(rows)


PREFIXES = {"screen-": "ScreenFunction", "checkin-": "CheckinFunction", "background-": "BackgroundFunction",
            "cleanup-": "PayloadCleanupFunction", "cron-dispatch-": "CronDispatchFunction",
            "cron-worker-": "CronWorkerFunction", "render-": "RenderFunction", "assembly-": "AssemblyStepFunction"}


def test_every_event_file_is_listed():
    assert sorted(_table()) == sorted(p.name for p in EVENTS.glob("*.json"))


def test_every_event_names_a_function_of_the_template_whose_handler_exists():
    from offstage.local.template import functions, load

    declared = functions(load())
    for name, function in _table().items():
        assert function in declared, f"events/README.md maps {name} to {function}, not in template.yaml"
        prefix = next((p for p in PREFIXES if name.startswith(p)), None)
        assert prefix, f"{name}: its prefix does not name {function}"
        assert PREFIXES[prefix] == function, f"{name}: its prefix does not name {function}"
        spec = declared[function]
        module = spec["handler"].rpartition(".")[0]
        assert (REPO / spec["code_uri"] / f"{module}.py").is_file(), f"{function}'s handler file is missing"
    assert set(_table().values()) == set(declared), "every function has a sample event"


@pytest.fixture(scope="module")
def stack():
    from offstage.local.stack import LocalStack

    with LocalStack(with_http=False, with_poller=False, api_key="local-test-key") as running:
        yield running


def _special_case_handled(stack, name, function) -> bool:
    """The events whose handling is an expected refusal or a no-op: True when `name` is one of them."""
    if name == "render-convert.json":  # a conversion whose file is not there
        from offstage.app.conversion import ConversionInputMissing

        with pytest.raises(ConversionInputMissing, match=r"letter\.docx: the file to convert is gone"):
            stack.invoke(function, json.loads((EVENTS / name).read_text()))
        return True
    if name == "assembly-execution-aborted.json":  # the rule's event for a bundle its steps finished
        result = stack.invoke(function, json.loads((EVENTS / name).read_text()))
        assert result == {"finished_already": "assembly/0f1e2d3c4b5a69788796a5b4c3d2e1f0/5c0b8a9d7e6f4a3b2c1d0e9f8a7b6c5d"}
        return True
    if function in ("RenderFunction", "AssemblyStepFunction"):  # a step of a bundle that does not exist
        from offstage.app.assembly import AssemblyInputMissing

        with pytest.raises(AssemblyInputMissing, match="assembly/0f1e2d3c"):
            stack.invoke(function, json.loads((EVENTS / name).read_text()))
        return True
    return False


@pytest.mark.parametrize("name", sorted(_table()))
def test_event_is_handled(stack, name):
    function = _table()[name]
    if _special_case_handled(stack, name, function):
        return
    result = stack.invoke(function, json.loads((EVENTS / name).read_text()))
    if function in ("BackgroundFunction", "PayloadCleanupFunction", "CronWorkerFunction"):
        assert result == {"batchItemFailures": []}
        return
    if function == "CronDispatchFunction":
        assert result["type"] == "cron_daily"
        assert result["messages"] == 0
        assert result["complete"] is True
        return
    assert result["statusCode"] < 500
    if name == "screen-get-index.json":
        assert "Hello, offstage" in result["body"]
    if name == "screen-get-interview.json":
        assert "What is your name?" in result["body"]
    if name == "screen-api-session-new.json":
        assert json.loads(result["body"])["i"] == "hello.yml"
    if name == "screen-get-openapi.json":
        assert result["statusCode"] == 200
        assert "/api/session/new" in json.loads(result["body"])["paths"]
    if name == "checkin-post.json":
        assert result["statusCode"] == 404
        assert "session" in json.loads(result["body"])["message"]


def test_invoke_command_prints_the_result(capsys):
    from offstage.cli import main

    assert main(["invoke", "ScreenFunction", "-e", str(EVENTS / "screen-get-index.json")]) == 0
    assert '"statusCode": 200' in capsys.readouterr().out


def test_invoke_exits_1_when_the_handler_raises(capsys, tmp_path):
    from offstage.cli import main

    (tmp_path / "empty.json").write_text("{}")
    assert main(["invoke", "ScreenFunction", "-e", str(tmp_path / "empty.json")]) == 1
    assert '"errorType"' in capsys.readouterr().out


def test_invoke_names_an_unknown_function(capsys):
    from offstage.cli import main

    assert main(["invoke", "NoSuchFunction", "-e", str(EVENTS / "screen-get-index.json")]) == 2
    assert "no function NoSuchFunction" in capsys.readouterr().err
