"""Large answers live in the payload bucket under sessions/<session id>/; this removes a session's."""

from __future__ import annotations

from typing import Any


def payload_prefix(session_id: str) -> str:
    return f"sessions/{session_id}/"


def delete_session_payloads(s3: Any, bucket: str, session_id: str) -> int:
    """Delete every payload object of the session (all pages of the listing); returns how many went."""
    if not session_id or "/" in session_id:
        raise ValueError(f"not a session id: {session_id!r}")  # never a prefix wider than one session
    deleted = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=payload_prefix(session_id)):
        keys = [{"Key": obj["Key"]} for obj in page.get("Contents", [])]
        if keys:
            s3.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True})
            deleted += len(keys)
    return deleted
