"""DARedis's lists and values on DynamoDB items (pk "kv#<key>" in the TasksTable).

rpush appends atomically (list_append) and counts a version up; lpop removes the head under a condition
on the version it read, retrying when another process changed the list, so a value is popped once
(a length check alone would not do: a pop and a push in between leave the length as it was).
"""

from __future__ import annotations

import time
from typing import Any

from offstage.aws.client import ClientAdapter


class DynamoKeyValue(ClientAdapter):
    service = "dynamodb"

    def __init__(self, *, table: str, client: Any = None, region: str = "us-east-1",
                 endpoint_url: str | None = None) -> None:
        self.table = table
        super().__init__(client=client, region=region, endpoint_url=endpoint_url)

    @staticmethod
    def _key(key: str) -> dict[str, Any]:
        return {"pk": {"S": f"kv#{key}"}, "sk": {"S": "kv"}}

    def rpush(self, key: str, value: bytes) -> int:
        out = self.client.update_item(
            TableName=self.table, Key=self._key(key),
            UpdateExpression="SET #i = list_append(if_not_exists(#i, :empty), :v) ADD ver :one",
            ExpressionAttributeNames={"#i": "items"},
            ExpressionAttributeValues={":empty": {"L": []}, ":v": {"L": [{"B": bytes(value)}]}, ":one": {"N": "1"}},
            ReturnValues="UPDATED_NEW")
        return len(out["Attributes"]["items"]["L"])

    def lpop(self, key: str) -> bytes | None:
        from botocore.exceptions import ClientError

        for _ in range(20):
            item = self.client.get_item(TableName=self.table, Key=self._key(key), ConsistentRead=True).get("Item")
            values = (item or {}).get("items", {}).get("L", [])
            if not values:
                return None
            try:
                self.client.update_item(
                    TableName=self.table, Key=self._key(key), UpdateExpression="REMOVE #i[0] ADD ver :one",
                    ConditionExpression="ver = :ver", ExpressionAttributeNames={"#i": "items"},
                    ExpressionAttributeValues={":ver": item["ver"], ":one": {"N": "1"}})
                return bytes(values[0]["B"])
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise
                time.sleep(0.005)
        raise RuntimeError(f"the list {key} kept changing; could not pop from it")

    def get(self, key: str) -> bytes | None:
        item = self.client.get_item(TableName=self.table, Key=self._key(key), ConsistentRead=True).get("Item")
        if not item or "value" not in item:
            return None
        if "expires_at" in item and int(item["expires_at"]["N"]) <= time.time():
            return None
        return bytes(item["value"]["B"])

    def set(self, key: str, value: bytes, expire_seconds: int | None = None) -> None:
        item = {**self._key(key), "value": {"B": bytes(value)}}
        if expire_seconds:
            item["expires_at"] = {"N": str(int(time.time()) + int(expire_seconds))}
        self.client.put_item(TableName=self.table, Item=item)

    def delete(self, key: str) -> None:
        self.client.delete_item(TableName=self.table, Key=self._key(key))
