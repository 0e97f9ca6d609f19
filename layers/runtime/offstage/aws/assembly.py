"""The AWS parts of parallel assembly (offstage.app.assembly): the state machine, the bundle's working
files in S3 under assembly/, and the progress counter in the TasksTable ("progress#<session>" / task id).
"""

from __future__ import annotations

import json
import time
from typing import Any

PROGRESS_SECONDS = 86400  # a counter whose bundle never ended (an execution stopped by hand) expires


def _client(service: str, region: str, endpoint_url: str | None) -> Any:
    import boto3

    return boto3.client(service, region_name=region, endpoint_url=endpoint_url)


class StepFunctionsWorkflow:
    def __init__(self, *, state_machine_arn: str, region: str = "us-east-1", endpoint_url: str | None = None,
                 client: Any = None) -> None:
        self.state_machine_arn = state_machine_arn
        self.region, self.endpoint_url, self._client = region, endpoint_url, client

    def start(self, name: str, payload: dict[str, Any]) -> None:
        if self._client is None:
            self._client = _client("stepfunctions", self.region, self.endpoint_url)
        try:
            self._client.start_execution(stateMachineArn=self.state_machine_arn, name=name, input=json.dumps(payload))
        except self._client.exceptions.ExecutionAlreadyExists:
            pass  # the task's execution runs already (the queue delivered its message twice)


class S3AssemblyFiles:
    def __init__(self, *, bucket: str, region: str = "us-east-1", endpoint_url: str | None = None,
                 client: Any = None) -> None:
        self.bucket = bucket
        self.region, self.endpoint_url, self._client = region, endpoint_url, client

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = _client("s3", self.region, self.endpoint_url)
        return self._client

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data)

    def get(self, key: str) -> bytes | None:
        try:
            return bytes(self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read())
        except self.client.exceptions.NoSuchKey:
            return None

    def delete_prefix(self, prefix: str) -> None:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix + "/")
        for page in pages:
            keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
            if keys:
                self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys, "Quiet": True})


class DynamoProgress:
    def __init__(self, *, table: str, region: str = "us-east-1", endpoint_url: str | None = None,
                 client: Any = None) -> None:
        self.table = table
        self.region, self.endpoint_url, self._client = region, endpoint_url, client

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = _client("dynamodb", self.region, self.endpoint_url)
        return self._client

    @staticmethod
    def _key(session_id: str, task_id: str) -> dict[str, Any]:
        return {"pk": {"S": f"progress#{session_id}"}, "sk": {"S": task_id}}

    def begin(self, session_id: str, task_id: str, total: int) -> None:
        self.client.put_item(TableName=self.table, Item={
            **self._key(session_id, task_id), "total": {"N": str(int(total))}, "done": {"N": "0"},
            "expires_at": {"N": str(int(time.time()) + PROGRESS_SECONDS)}})

    def advance(self, session_id: str, task_id: str) -> None:
        """One more document done (atomic: the Map's branches count at once); none once the bundle ended."""
        from botocore.exceptions import ClientError

        try:
            self.client.update_item(TableName=self.table, Key=self._key(session_id, task_id),
                                    UpdateExpression="ADD done :one", ConditionExpression="attribute_exists(pk)",
                                    ExpressionAttributeValues={":one": {"N": "1"}})
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise

    def of_session(self, session_id: str) -> list[dict[str, Any]]:
        items = self.client.query(TableName=self.table, KeyConditionExpression="pk = :p",
                                  ExpressionAttributeValues={":p": {"S": f"progress#{session_id}"}},
                                  ConsistentRead=True).get("Items", [])
        now = time.time()
        return [{"task_id": item["sk"]["S"], "done": int(item["done"]["N"]), "total": int(item["total"]["N"])}
                for item in items if float(item.get("expires_at", {}).get("N", now + 1)) > now]

    def end(self, session_id: str, task_id: str) -> None:
        self.client.delete_item(TableName=self.table, Key=self._key(session_id, task_id))
