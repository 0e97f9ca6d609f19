"""Background tasks and their notifications in DynamoDB (the TasksTable).

Items (pk / sk):
- "task#<id>" / "task": the state a task handle reads (durable as long as the session lives; no
  one-day expiry as with Celery's result backend);
- "session-tasks#<session>" / "<id>": which tasks of a session still owe the page a notification;
- "notes#<session>" / "<time>#<id>": notifications waiting for the page's next check-in. Each is
  handed out by a conditional delete, so two check-ins racing get it exactly once between them.

A task's value, error message and trace, and a notification's content, are encrypted with a key from
the session's secret (sessions/sealing.py, a context of their own) when the caller gives the secret,
as it does for every session that is not multi_user; such items carry `sealed` = 1. Items without the
marker (multi_user sessions, or written by an earlier offstage) are plain JSON and read as before.
Without the secret only a task's status and error type can be read.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from offstage.aws.client import ClientAdapter
from offstage.ports import QueuedTask, TaskState

FINAL = ("done", "failed", "revoked")
KEEP_SECONDS = 90 * 86400  # as long as a session lives by default
SEALED_FIELDS = ("error_message", "error_trace")  # besides the value: texts that may quote answers


def _jsonable(value: Any) -> str:
    """Task values are stored as JSON; a part JSON cannot hold is kept as its text (repr)."""
    try:
        return json.dumps(value, default=repr)
    except (TypeError, ValueError):  # e.g. non-text dict keys, or a cycle
        return json.dumps(repr(value))


def _text(text: str, session_id: str, secret: str | None, where: str) -> dict[str, Any]:
    """An attribute holding text: sealed (binary) with the session's secret, else as it is."""
    if not secret:
        return {"S": text}
    from offstage.sessions.sealing import seal_task_data

    return {"B": seal_task_data(text.encode(), session_id=session_id, secret=secret, where=where)}


def _read(attribute: dict[str, Any], session_id: str, secret: str | None, where: str) -> str:
    if "S" in attribute:
        return str(attribute["S"])
    from offstage.sessions.sealing import unseal_task_data

    return unseal_task_data(bytes(attribute["B"]), session_id=session_id, secret=secret, where=where).decode()


class DynamoTaskStore(ClientAdapter):
    service = "dynamodb"

    def __init__(self, *, table: str, client: Any = None, region: str = "us-east-1",
                 endpoint_url: str | None = None, keep_seconds: int | None = KEEP_SECONDS) -> None:
        """`keep_seconds`: how long task items live (the sessions' delete days); None keeps them."""
        self.table = table
        super().__init__(client=client, region=region, endpoint_url=endpoint_url)
        self.keep_seconds = keep_seconds

    def _expiry(self) -> dict[str, str]:
        # no keep_seconds: a date far enough ahead that TTL never takes the item
        seconds = self.keep_seconds if self.keep_seconds else 100 * 365 * 86400
        return {"N": str(int(time.time()) + seconds)}

    def create(self, task: QueuedTask) -> None:
        items = [{"Put": {"TableName": self.table, "Item": {
            "pk": {"S": f"task#{task.task_id}"}, "sk": {"S": "task"}, "status": {"S": "pending"},
            "session_id": {"S": task.session_id}, "action": {"S": task.action},
            "ui_notification": {"S": task.ui_notification or ""}, "expires_at": self._expiry()}}}]
        if task.ui_notification:
            items.append({"Put": {"TableName": self.table, "Item": {
                "pk": {"S": f"session-tasks#{task.session_id}"}, "sk": {"S": task.task_id},
                "expires_at": self._expiry()}}})
        self.client.transact_write_items(TransactItems=items)

    def get(self, task_id: str, *, secret: str | None = None) -> TaskState | None:
        """The task's state; its value and error texts need the session's secret when they are sealed
        (without it they read as None; with a wrong one WrongSecret is raised)."""
        item = self.client.get_item(TableName=self.table, Key=self._key(task_id), ConsistentRead=True).get("Item")
        if not item:
            return None
        session_id = item.get("session_id", {}).get("S", "")
        opened = "sealed" not in item or secret is not None

        def text(name: str) -> str | None:
            if name not in item or not opened:
                return None
            return _read(item[name], session_id, secret, f"task#{task_id}/{name}")

        value = text("value")
        return TaskState(task_id=task_id, status=item["status"]["S"],
                         value=json.loads(value) if value is not None else None,
                         error_type=item.get("error_type", {}).get("S"),
                         error_message=text("error_message"), error_trace=text("error_trace"),
                         variables=[v["S"] for v in item.get("variables", {}).get("L", [])])

    def start(self, task_id: str, lease_seconds: float = 900) -> bool:
        """Claim a task for one delivery: False when another delivery holds it or it already ran.

        The claim is a lease: a worker that died mid-task stops holding it when the lease ends, so
        SQS's redelivery can run the task again.
        """
        from botocore.exceptions import ClientError

        now = time.time()
        try:
            self.client.update_item(
                TableName=self.table, Key=self._key(task_id),
                UpdateExpression="SET #s = :running, lease_until = :until, expires_at = if_not_exists(expires_at, :exp)",
                ConditionExpression="attribute_not_exists(#s) OR #s = :pending OR (#s = :running AND lease_until < :now)",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={":running": {"S": "running"}, ":pending": {"S": "pending"},
                                           ":until": {"N": str(now + lease_seconds)}, ":now": {"N": str(now)},
                                           ":exp": self._expiry()})
            return True
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise

    def finish(self, state: TaskState, notification: dict[str, Any] | None, session_id: str, *,
               secret: str | None = None, more: Sequence[dict[str, Any]] = ()) -> bool:
        """Store the outcome (sealed with the session's secret, when given) and the page's notification."""
        from botocore.exceptions import ClientError

        where = f"task#{state.task_id}"
        item: dict[str, Any] = {"pk": {"S": where}, "sk": {"S": "task"},
                                "status": {"S": state.status}, "session_id": {"S": session_id},
                                "value": _text(_jsonable(state.value), session_id, secret, f"{where}/value"),
                                "variables": {"L": [{"S": str(v)} for v in state.variables]},
                                "expires_at": self._expiry()}
        if secret:
            item["sealed"] = {"N": "1"}
        if state.error_type is not None:
            item["error_type"] = {"S": str(state.error_type)}
        for name in SEALED_FIELDS:
            if getattr(state, name) is not None:
                item[name] = _text(str(getattr(state, name)), session_id, secret, f"{where}/{name}")
        writes: list[dict[str, Any]] = [{"Put": {
            "TableName": self.table, "Item": item,
            "ConditionExpression": "attribute_not_exists(#s) OR NOT #s IN (:d, :f, :r)",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":d": {"S": "done"}, ":f": {"S": "failed"}, ":r": {"S": "revoked"}}}},
            {"Delete": {"TableName": self.table, "Key": {"pk": {"S": f"session-tasks#{session_id}"},
                                                          "sk": {"S": state.task_id}}}}]
        notes = [note for note in (notification, *more) if note is not None]
        now = f"{time.time():017.6f}#{state.task_id}"
        for number, note in enumerate(notes):  # one transaction: a check-in sees all of them or none
            stamp = now if number == 0 else f"{now}#{number}"
            writes.append({"Put": {"TableName": self.table, "Item": self._note(session_id, stamp, note, secret)}})
        try:
            self.client.transact_write_items(TransactItems=writes)
            return True
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("TransactionCanceledException", "ConditionalCheckFailedException"):
                return False
            raise

    def _note(self, session_id: str, stamp: str, notification: dict[str, Any], secret: str | None) -> dict[str, Any]:
        item = {"pk": {"S": f"notes#{session_id}"}, "sk": {"S": stamp},
                "note": _text(_jsonable(notification), session_id, secret, f"notes#{stamp}"),
                "expires_at": self._expiry()}
        if secret:
            item["sealed"] = {"N": "1"}
        return item

    def add_notification(self, session_id: str, notification: dict[str, Any], *, secret: str | None = None) -> None:
        """A further notification for the page (e.g. the refresh after a failure's flash)."""
        stamp = f"{time.time():017.6f}#extra"
        self.client.put_item(TableName=self.table, Item=self._note(session_id, stamp, notification, secret))

    def revoke(self, task_id: str) -> bool:
        state = self.get(task_id)
        if state is None or state.ready:
            return False
        session = self.client.get_item(TableName=self.table, Key=self._key(task_id))["Item"]["session_id"]["S"]
        return self.finish(TaskState(task_id=task_id, status="revoked"), None, session)

    def take_notifications(self, session_id: str, *, secret: str | None = None) -> list[dict[str, Any]]:
        """The session's notifications, each handed out once; sealed ones need the session's secret
        (WrongSecret otherwise, and then none is taken)."""
        from botocore.exceptions import ClientError

        items = self.client.query(TableName=self.table, KeyConditionExpression="pk = :p",
                                  ExpressionAttributeValues={":p": {"S": f"notes#{session_id}"}},
                                  ConsistentRead=True).get("Items", [])
        # opened before any is deleted: a check-in that cannot read them loses none
        notes = [json.loads(_read(item["note"], session_id, secret, f"notes#{item['sk']['S']}")) for item in items]
        taken = []
        for item, note in zip(items, notes, strict=True):
            try:
                self.client.delete_item(TableName=self.table, Key={"pk": item["pk"], "sk": item["sk"]},
                                        ConditionExpression="attribute_exists(pk)")
            except ClientError as exc:
                if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                    continue  # another check-in took it
                raise
            taken.append(note)
        return taken

    def pending_notifications(self, session_id: str) -> int:
        """How many of the session's tasks will still notify the page (it checks in faster meanwhile)."""
        return int(self.client.query(TableName=self.table, KeyConditionExpression="pk = :p",
                                     ExpressionAttributeValues={":p": {"S": f"session-tasks#{session_id}"}},
                                     Select="COUNT", ConsistentRead=True).get("Count", 0))

    @staticmethod
    def _key(task_id: str) -> dict[str, Any]:
        return {"pk": {"S": f"task#{task_id}"}, "sk": {"S": "task"}}
