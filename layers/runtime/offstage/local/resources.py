"""Create template.yaml's data resources in the emulated AWS, from the template's own properties.

moto's CloudFormation skips TTL specs, HTTP APIs and layers, so the local stack reads the template
itself: tables (keys, indexes, TTL), queues (visibility, redrive to the DLQ) and buckets get local
names derived from their logical ids; `!Ref`/`!GetAtt` in environments resolve to those names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from offstage.local.poller import load_template

REPO = Path(__file__).resolve().parents[4]
TEMPLATE = REPO / "template.yaml"


@dataclass
class Resources:
    """What was created: logical id -> physical name / URL / ARN."""

    names: dict[str, str] = field(default_factory=dict)
    arns: dict[str, str] = field(default_factory=dict)
    parameters: dict[str, str] = field(default_factory=dict)

    def ref(self, logical_id: str) -> str:
        if logical_id in self.names:
            return self.names[logical_id]
        if logical_id in self.parameters:
            return self.parameters[logical_id]
        if logical_id.startswith("AWS::"):
            return {"AWS::Region": "us-east-1", "AWS::AccountId": "123456789012",
                    "AWS::URLSuffix": "amazonaws.com", "AWS::NoValue": ""}.get(logical_id, "")
        raise KeyError(f"template.yaml refers to {logical_id}, which the local stack does not know")

    def resolve(self, value: Any) -> Any:
        """A template value with Ref / GetAtt / Sub resolved to local names (environment values)."""
        if isinstance(value, dict) and len(value) == 1:
            (kind, arg), = value.items()
            if kind == "Ref":
                return self.ref(arg)
            if kind == "Fn::GetAtt":
                logical, attribute = arg if isinstance(arg, list) else str(arg).split(".", 1)
                return self.arns[logical] if attribute == "Arn" else self.ref(logical)
            if kind == "Fn::Sub" and isinstance(arg, str):
                import re

                return re.sub(r"\$\{([^}]+)\}", lambda m: str(self.resolve({"Fn::GetAtt": m.group(1)}) if "." in
                              m.group(1) else self.ref(m.group(1))), arg)
        return value


def template(path: Path = TEMPLATE) -> dict[str, Any]:
    return load_template(path)


def parameter_defaults(data: dict[str, Any]) -> dict[str, str]:
    return {name: str(spec.get("Default", "")) for name, spec in (data.get("Parameters") or {}).items()}


def create_resources(data: dict[str, Any], session: Any, *, prefix: str = "offstage-local") -> Resources:
    """Create every table, queue and bucket of the template with the given boto3 session."""
    found = Resources(parameters=parameter_defaults(data))
    resources = data.get("Resources") or {}
    # queues first without redrive, so a dead-letter queue exists before the queue that names it
    queues = {k: v for k, v in resources.items() if v.get("Type") == "AWS::SQS::Queue"}
    sqs = session.client("sqs")
    for logical in sorted(queues, key=lambda k: "RedrivePolicy" in (queues[k].get("Properties") or {})):
        props = queues[logical].get("Properties") or {}
        attributes = {"VisibilityTimeout": str(props.get("VisibilityTimeout", 30))}
        if "MessageRetentionPeriod" in props:
            attributes["MessageRetentionPeriod"] = str(props["MessageRetentionPeriod"])
        redrive = props.get("RedrivePolicy")
        if redrive:
            attributes["RedrivePolicy"] = json.dumps({
                "deadLetterTargetArn": found.resolve(redrive["deadLetterTargetArn"]),
                "maxReceiveCount": int(redrive.get("maxReceiveCount", 3))})
        url = sqs.create_queue(QueueName=f"{prefix}-{logical}", Attributes=attributes)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        found.names[logical], found.arns[logical] = url, arn
    dynamodb = session.client("dynamodb")
    for logical, spec in resources.items():
        props = spec.get("Properties") or {}
        if spec.get("Type") == "AWS::DynamoDB::Table":
            name = f"{prefix}-{logical}"
            args: dict[str, Any] = {"TableName": name, "KeySchema": props["KeySchema"],
                                    "AttributeDefinitions": props["AttributeDefinitions"],
                                    "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST")}
            if props.get("GlobalSecondaryIndexes"):
                args["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
            dynamodb.create_table(**args)
            ttl = props.get("TimeToLiveSpecification")
            if ttl and ttl.get("Enabled"):
                dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification={
                    "AttributeName": ttl["AttributeName"], "Enabled": True})
            found.names[logical] = name
            found.arns[logical] = f"arn:aws:dynamodb:us-east-1:123456789012:table/{name}"
        elif spec.get("Type") == "AWS::S3::Bucket":
            name = f"{prefix}-{logical}".lower()
            session.client("s3").create_bucket(Bucket=name)
            found.names[logical], found.arns[logical] = name, f"arn:aws:s3:::{name}"
    return found


def function_environment(data: dict[str, Any], logical_id: str, found: Resources) -> dict[str, str]:
    """A function's environment as Lambda would see it: Globals, then its own variables."""
    merged: dict[str, Any] = dict(((data.get("Globals") or {}).get("Function") or {})
                                  .get("Environment", {}).get("Variables", {}))
    props = (data["Resources"][logical_id].get("Properties") or {})
    merged.update((props.get("Environment") or {}).get("Variables", {}))
    return {key: str(found.resolve(value)) for key, value in merged.items()}


def functions(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The template's functions: logical id -> {code_uri, handler, timeout, memory}."""
    glob = (data.get("Globals") or {}).get("Function") or {}
    out = {}
    for logical, spec in (data.get("Resources") or {}).items():
        if spec.get("Type") != "AWS::Serverless::Function":
            continue
        props = spec.get("Properties") or {}
        out[logical] = {"code_uri": props["CodeUri"], "handler": props.get("Handler", "app.lambda_handler"),
                        "timeout": int(props.get("Timeout", glob.get("Timeout", 3))),
                        "memory": int(props.get("MemorySize", glob.get("MemorySize", 128))),
                        "events": props.get("Events") or {}}
    return out


def http_routes(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(method, path, function logical id) for every HttpApi event of the template."""
    routes = []
    for logical, spec in functions(data).items():
        for event in spec["events"].values():
            if event.get("Type") == "HttpApi":
                p = event.get("Properties") or {}
                routes.append((str(p.get("Method", "ANY")).upper(), str(p.get("Path", "/")), logical))
    return routes
