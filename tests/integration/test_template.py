"""template.yaml: lints clean, transforms with SAM offline, and follows the house rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from offstage.local.resources import functions, http_routes, template

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def data():
    return template(REPO / "template.yaml")


def test_cfn_lint_finds_nothing():
    import subprocess
    import sys

    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    out = subprocess.run([str(cfn_lint), str(REPO / "template.yaml")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_sam_transforms_it_offline(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    import yaml
    from samtranslator.internal.managed_policies import get_bundled_managed_policy_map
    from samtranslator.translator.transform import transform

    class Loader:
        def load(self):
            return get_bundled_managed_policy_map("aws")

    class CfnLoader(yaml.SafeLoader):
        pass

    def tag(loader, suffix, node):
        key = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
            return {key: value.split(".", 1) if suffix == "GetAtt" else value}
        if isinstance(node, yaml.SequenceNode):
            return {key: loader.construct_sequence(node, deep=True)}
        return {key: loader.construct_mapping(node, deep=True)}

    CfnLoader.add_multi_constructor("!", tag)
    raw = yaml.load((REPO / "template.yaml").read_text(), Loader=CfnLoader)
    for spec in raw["Resources"].values():  # samtranslator only accepts S3 locations
        props = spec.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):
            if isinstance(props.get(key), str):
                props[key] = f"s3://bucket/{props[key].strip('/')}.zip"
    out = transform(raw, {}, Loader())
    kinds = {spec["Type"] for spec in out["Resources"].values()}
    assert {"AWS::Lambda::Function", "AWS::Lambda::LayerVersion", "AWS::ApiGatewayV2::Api",
            "AWS::Lambda::EventSourceMapping"} <= kinds
    mapping = next(s for s in out["Resources"].values() if s["Type"] == "AWS::Lambda::EventSourceMapping")
    assert mapping["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    text = json.dumps(out)
    assert "FullAccess" not in text


def test_every_function_has_its_handler(data):
    for logical, spec in functions(data).items():
        module, _, name = spec["handler"].rpartition(".")
        source = (REPO / spec["code_uri"] / f"{module}.py").read_text()
        assert f"{name} =" in source or f"def {name}(" in source, logical


def test_routes_cover_the_browser_and_the_json_api(data):
    routes = {(m, p) for m, p, _ in http_routes(data)}
    for route in [("GET", "/interview"), ("POST", "/interview"), ("GET", "/api/session/new"),
                  ("GET", "/api/session/question"), ("GET", "/api/session"), ("POST", "/api/session"),
                  ("DELETE", "/api/session"), ("POST", "/api/session/action"), ("POST", "/api/session/back"),
                  ("POST", "/checkin")]:
        assert route in routes


def test_policies_are_scoped_to_one_resource(data):
    for logical in functions(data):
        text = json.dumps(data["Resources"][logical]["Properties"].get("Policies", []))
        assert "FullAccess" not in text and '"Resource": "*"' not in text, logical


def test_the_queue_outlives_the_worker_and_redrives(data):
    worker = functions(data)["BackgroundFunction"]["timeout"]
    queue = data["Resources"]["BackgroundQueue"]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * worker
    assert queue["RedrivePolicy"]["maxReceiveCount"] == 3


def test_sessions_and_tasks_expire_by_ttl(data):
    for table in ("SessionsTable", "TasksTable"):
        ttl = data["Resources"][table]["Properties"]["TimeToLiveSpecification"]
        assert ttl == {"AttributeName": "expires_at", "Enabled": True}
