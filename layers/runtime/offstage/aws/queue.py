"""Background tasks to SQS: one message per task, sent only after the session save succeeded."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from offstage.aws.client import ClientAdapter
from offstage.ports import QueuedTask


class SqsTaskQueue(ClientAdapter):
    service = "sqs"

    def __init__(self, *, queue_url: str, client: Any = None, region: str = "us-east-1",
                 endpoint_url: str | None = None) -> None:
        self.queue_url = queue_url
        super().__init__(client=client, region=region, endpoint_url=endpoint_url)

    def send(self, task: QueuedTask) -> None:
        self.client.send_message(
            QueueUrl=self.queue_url, MessageBody=json.dumps(dataclasses.asdict(task), default=str),
            MessageAttributes={"session": {"DataType": "String", "StringValue": task.session_id},
                               "interview": {"DataType": "String", "StringValue": task.interview}})

    def run_here(self, task_id: str) -> bool:  # noqa: ARG002 - the TaskQueue port's signature
        return False  # a Lambda worker (or the local stack's poller) runs the task, never the caller
