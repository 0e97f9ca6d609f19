"""Create template.yaml's data resources in the emulated AWS, from the template's own properties.

moto's CloudFormation skips TTL specs, HTTP APIs and layers, so the local stack reads the template
itself: tables (keys, indexes, TTL), queues (visibility, redrive to the DLQ) and buckets get local
names derived from their logical ids; `!Ref`/`!GetAtt` in environments resolve to those names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from offstage.local.template import REPO, TEMPLATE, functions, http_routes, parameter_defaults
from offstage.local.template import load as template
from offstage.local.template import resolve as _resolve

__all__ = ["REPO", "TEMPLATE", "Resources", "create_resources", "function_environment", "functions",
           "http_routes", "parameter_defaults", "template"]


@dataclass
class Resources:
    """What was created: logical id -> physical name / URL / ARN, and the parameters' values."""

    names: dict[str, str] = field(default_factory=dict)
    arns: dict[str, str] = field(default_factory=dict)
    stream_arns: dict[str, str] = field(default_factory=dict)
    parameters: dict[str, str] = field(default_factory=dict)
    conditions: dict[str, Any] = field(default_factory=dict)

    def ref(self, logical_id: str) -> str:
        if logical_id in self.names:
            return self.names[logical_id]
        if logical_id in self.parameters:
            return self.parameters[logical_id]
        raise KeyError(f"template.yaml refers to {logical_id}, which the local stack does not create")

    def attribute(self, logical_id: str, name: str) -> str:
        if name == "Arn":
            return self.arns[logical_id]
        if name == "StreamArn":
            return self.stream_arns[logical_id]
        if name == "QueueName":
            return self.ref(logical_id).rsplit("/", 1)[-1]
        return self.ref(logical_id)  # QueueUrl, table or bucket names

    def resolve(self, value: Any) -> Any:
        """A template value with Ref / GetAtt / Sub / If ... resolved to the local names."""
        return _resolve(value, self.ref, self.attribute, self.conditions)


def create_resources(data: dict[str, Any], session: Any, *, prefix: str = "offstage-local") -> Resources:
    """Create every table, queue and bucket of the template with the given boto3 session."""
    found = Resources(parameters=parameter_defaults(data), conditions=dict(data.get("Conditions") or {}))
    resources = data.get("Resources") or {}
    _create_queues(found, resources, session.client("sqs"), prefix)
    dynamodb = session.client("dynamodb")
    for logical, spec in resources.items():
        props = spec.get("Properties") or {}
        if spec.get("Type") == "AWS::DynamoDB::Table":
            _create_table(found, dynamodb, logical, props, prefix)
        elif spec.get("Type") == "AWS::S3::Bucket":
            name = f"{prefix}-{logical}".lower()
            session.client("s3").create_bucket(Bucket=name)
            found.names[logical], found.arns[logical] = name, f"arn:aws:s3:::{name}"
    return found


def _create_queues(found: Resources, resources: dict[str, Any], sqs: Any, prefix: str) -> None:
    # queues first without redrive, so a dead-letter queue exists before the queue that names it
    queues = {k: v for k, v in resources.items() if v.get("Type") == "AWS::SQS::Queue"}
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


def _create_table(found: Resources, dynamodb: Any, logical: str, props: dict[str, Any], prefix: str) -> None:
    name = f"{prefix}-{logical}"
    args: dict[str, Any] = {"TableName": name, "KeySchema": props["KeySchema"],
                            "AttributeDefinitions": props["AttributeDefinitions"],
                            "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST")}
    if props.get("GlobalSecondaryIndexes"):
        args["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
    if props.get("StreamSpecification"):
        args["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
    created = dynamodb.create_table(**args)["TableDescription"]
    ttl = props.get("TimeToLiveSpecification")
    if ttl and ttl.get("Enabled"):
        dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification={
            "AttributeName": ttl["AttributeName"], "Enabled": True})
    found.names[logical] = name
    found.arns[logical] = f"arn:aws:dynamodb:us-east-1:123456789012:table/{name}"
    if created.get("LatestStreamArn"):
        found.stream_arns[logical] = created["LatestStreamArn"]


def function_environment(data: dict[str, Any], logical_id: str, found: Resources) -> dict[str, str]:
    """A function's environment as Lambda would see it: Globals, then its own variables, resolved."""
    merged = functions(data)[logical_id]["environment"]
    return {key: str(found.resolve(value)) for key, value in merged.items()}
