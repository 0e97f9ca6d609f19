"""The JSON API's published contract: it describes exactly the template's routes, it is served without
an API key, and a property-based fuzz run of every operation against the local stack finds no 5xx and
no reply that breaks the contract."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import MutableMapping
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from offstage.http.openapi import SAMPLE, description
from offstage.local.resources import http_routes, template
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

REPO = Path(__file__).resolve().parents[2]
FUZZ_EXAMPLES = 30  # per operation: enough to find a 5xx from a shape, short on a 2-core machine
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# positive and negative data (wrong types, missing fields: what a careless or hostile client sends);
# the boundary-value phase off, so the example count bounds the run
CONFIG = SchemathesisConfig.from_dict({"generation": {"mode": "all", "deterministic": True,
                                                      "with-security-parameters": False},
                                       "phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_dict(description(), config=CONFIG)


@pytest.fixture(scope="module")
def stack():
    from offstage.local.stack import LocalStack

    with LocalStack(with_poller=False) as running:
        yield running


def test_every_json_route_of_the_template_is_described_and_nothing_else():
    routes = {(m, p) for m, p, _ in http_routes(template(REPO / "template.yaml"))
              if p.startswith("/api/") or p == "/checkin"}
    described = {(method.upper(), path) for path, operations in description()["paths"].items()
                 for method in operations}
    assert described == routes


def test_the_description_is_served_without_an_api_key(stack):
    with urllib.request.urlopen(stack.url + "/api/openapi.json") as reply:
        assert reply.status == 200
        assert reply.headers["Content-Type"].startswith("application/json")
        served = json.loads(reply.read())
    assert served == json.loads(json.dumps(description()))
    assert served["openapi"].startswith("3.")
    assert len(list(schema.get_all_operations())) == sum(len(ops) for ops in served["paths"].values())


def test_the_description_documents_the_session_secret_header_and_the_api_key():
    described = json.dumps(description())
    assert "X-Session-Secret" in described
    assert "X-API-Key" in described
    question = description()["paths"]["/api/session/question"]["get"]
    assert {"$ref": "#/components/parameters/sessionSecretHeader"} in question["parameters"]


def a_session(stack):
    request = urllib.request.Request(f"{stack.url}/api/session/new?i={SAMPLE}", headers={"X-API-Key": stack.api_key})
    with urllib.request.urlopen(request) as reply:
        return json.loads(reply.read())


def aim_at(case, session):
    """Generated text for i, session and secret names a real session: the fuzzed values then reach the
    interview, not just the lookup. Values of the wrong type stay, as the negative cases made them."""
    real = {"i": SAMPLE, "session": session["session"], "secret": session["secret"],
            "X-Session-Secret": session["secret"]}
    for values in (case.query, case.body, case.headers):
        if isinstance(values, MutableMapping):
            for name, value in real.items():
                if isinstance(values.get(name), str):
                    values[name] = value


@schema.parametrize()
@settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_fuzz_every_operation_against_the_local_stack(case, stack):
    aim_at(case, a_session(stack))
    case.call_and_validate(base_url=stack.url, headers={"X-API-Key": stack.api_key}, checks=CHECKS,
                           timeout=120)
