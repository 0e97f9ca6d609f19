"""Scheduled tasks on AWS: the cron queue (SendMessageBatch of ten) and the per-tick run marks.

Marks live in the TasksTable, one item per session and tick (pk "cron#<session>", sk "<type>#<time>"),
so a million sessions spread over a million partitions. A mark is claimed with a lease before the run
and finished after it, both under conditions, so a duplicate delivery of the same (session, type,
scheduled time) never runs it twice, and a worker that died mid-run stops holding it when the lease ends.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import Any

from offstage.aws.client import ClientAdapter

BATCH = 10  # SendMessageBatch's most entries
MARK_KEEP_SECONDS = 3 * 86400  # longer than SQS keeps retrying one message (4 days at most by default)


class CronQueue(ClientAdapter):
    """Sends cron messages (JSON objects) to the cron queue, ten per request; returns how many went."""

    service = "sqs"

    def __init__(self, *, queue_url: str, client: Any = None, region: str = "us-east-1",
                 endpoint_url: str | None = None) -> None:
        if not queue_url:
            raise ValueError("CRON_QUEUE_URL is not set: the dispatcher has no queue to send to")
        self.queue_url = queue_url
        super().__init__(client=client, region=region, endpoint_url=endpoint_url)

    def send(self, messages: Iterable[dict[str, Any]]) -> int:
        pending = list(messages)
        sent = 0
        for start in range(0, len(pending), BATCH):
            entries = {str(i): json.dumps(body, separators=(",", ":"))
                       for i, body in enumerate(pending[start:start + BATCH])}
            for attempt in range(5):  # a batch can fail in part (throttling): resend just those entries
                out = self.client.send_message_batch(
                    QueueUrl=self.queue_url, Entries=[{"Id": k, "MessageBody": v} for k, v in entries.items()])
                for ok in out.get("Successful", []):
                    entries.pop(ok["Id"], None)
                    sent += 1
                if not entries:
                    break
                if any(f.get("SenderFault") for f in out.get("Failed", [])):
                    raise RuntimeError(f"the cron queue refused messages: {out['Failed'][:1]}")
                time.sleep(0.05 * 2 ** attempt)
            if entries:
                raise RuntimeError(f"{len(entries)} cron messages could not be sent after retries")
        return sent

    def send_one(self, body: dict[str, Any], delay_seconds: int = 0) -> None:
        self.client.send_message(QueueUrl=self.queue_url, MessageBody=json.dumps(body),
                                 DelaySeconds=delay_seconds)


class CronMarks(ClientAdapter):
    """Which (session, type, scheduled time) runs were claimed / done, in the TasksTable."""

    service = "dynamodb"

    def __init__(self, *, table: str, client: Any = None, region: str = "us-east-1",
                 endpoint_url: str | None = None, now: Any = time.time) -> None:
        self.table = table
        super().__init__(client=client, region=region, endpoint_url=endpoint_url)
        self.now = now

    @staticmethod
    def _key(session_id: str, tick: str) -> dict[str, Any]:
        return {"pk": {"S": f"cron#{session_id}"}, "sk": {"S": tick}}

    def claim(self, session_id: str, tick: str, lease_seconds: float) -> str:
        """"claimed" (run it), "done" (it already ran: skip) or "busy" (another delivery runs it now)."""
        from botocore.exceptions import ClientError

        now = self.now()
        try:
            self.client.update_item(
                TableName=self.table, Key=self._key(session_id, tick),
                UpdateExpression="SET #s = :running, lease_until = :until, expires_at = :exp",
                ConditionExpression="attribute_not_exists(#s) OR #s = :failed OR (#s = :running AND lease_until < :now)",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={":running": {"S": "running"}, ":failed": {"S": "failed"},
                                           ":until": {"N": str(now + lease_seconds)}, ":now": {"N": str(now)},
                                           ":exp": {"N": str(int(now + MARK_KEEP_SECONDS))}})
            return "claimed"
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
        item = self.client.get_item(TableName=self.table, Key=self._key(session_id, tick),
                                    ConsistentRead=True).get("Item") or {}
        return "done" if item.get("status", {}).get("S") == "done" else "busy"

    def finish(self, session_id: str, tick: str, status: str, outcome: str = "") -> None:
        """Record how the claimed run ended: "done" (never run again) or "failed" (a retry may claim it)."""
        self.client.put_item(TableName=self.table, Item={
            **self._key(session_id, tick), "status": {"S": status}, "outcome": {"S": outcome[:500]},
            "expires_at": {"N": str(int(self.now() + MARK_KEEP_SECONDS))}})
