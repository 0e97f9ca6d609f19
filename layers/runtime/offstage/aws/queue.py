"""Background tasks to SQS: one message per task, sent only after the session save succeeded."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from offstage.ports import QueuedTask


class SqsTaskQueue:
    def __init__(self, *, queue_url: str, client: Any = None, region: str = "us-east-1",
                 endpoint_url: str | None = None) -> None:
        self.queue_url = queue_url
        self._client = client
        self.region, self.endpoint_url = region, endpoint_url

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.client("sqs", region_name=self.region, endpoint_url=self.endpoint_url)
        return self._client

    def send(self, task: QueuedTask) -> None:
        self.client.send_message(
            QueueUrl=self.queue_url, MessageBody=json.dumps(dataclasses.asdict(task), default=str),
            MessageAttributes={"session": {"DataType": "String", "StringValue": task.session_id},
                               "interview": {"DataType": "String", "StringValue": task.interview}})
