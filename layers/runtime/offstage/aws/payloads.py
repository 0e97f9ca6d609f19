"""What a session keeps in the payload bucket, and removing it when the session goes.

`sessions/<session id>/`: answers too large for an item; `files/<session id>/`: the documents and files
the session made (aws/files.py). Both go when the session is deleted or expires.
"""

from __future__ import annotations

from typing import Any, cast

from offstage.aws.client import ClientAdapter

SESSION_FOLDERS = ("sessions", "files")


class PayloadBucket(ClientAdapter):
    """The session store's side of the payload bucket: answers too large for an item, by key."""

    service = "s3"

    def __init__(self, *, bucket: str, client: Any = None, region: str = "us-east-1",
                 endpoint_url: str | None = None) -> None:
        self.bucket = bucket
        super().__init__(client=client, region=region, endpoint_url=endpoint_url)

    def put(self, key: str, blob: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=key, Body=blob)

    def get(self, key: str) -> bytes:
        return cast("bytes", self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read())

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def delete_session(self, session_id: str) -> int:
        return delete_session_payloads(self.client, self.bucket, session_id)


def payload_prefix(session_id: str) -> str:
    return f"sessions/{session_id}/"


def delete_session_payloads(s3: Any, bucket: str, session_id: str) -> int:
    """Delete every object the session has in the bucket (all pages of each listing); returns how many went."""
    if not session_id or "/" in session_id:
        raise ValueError(f"not a session id: {session_id!r}")  # never a prefix wider than one session
    deleted = 0
    for folder in SESSION_FOLDERS:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"{folder}/{session_id}/"):
            keys = [{"Key": obj["Key"]} for obj in page.get("Contents", [])]
            if keys:
                s3.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True})
                deleted += len(keys)
    return deleted
