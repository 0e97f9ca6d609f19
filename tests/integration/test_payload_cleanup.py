"""When DynamoDB's TTL removes an idle session, PayloadCleanupFunction deletes its large answers from S3:
the function's own handler, fed the SessionsTable's stream records, against moto's S3 and DynamoDB."""

from __future__ import annotations

import secrets
from pathlib import Path

import boto3
import pytest
from offstage.aws.sessions import CURRENT, DynamoSessionStore
from offstage.local.invoke import load_handler

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def cleanup(aws, monkeypatch):
    monkeypatch.setenv("PAYLOAD_BUCKET", aws.names["PayloadBucket"])
    from offstage import settings

    settings.reset()
    handler = load_handler(REPO, "PayloadCleanupFunction", "functions/cleanup/", "app.lambda_handler")
    yield handler
    settings.reset()


def _payloads(aws, session_id, prefix="sessions"):
    listing = boto3.client("s3").list_objects_v2(Bucket=aws.names["PayloadBucket"], Prefix=f"{prefix}/{session_id}/")
    return [o["Key"] for o in listing.get("Contents", [])]


def _file(aws, session_id):
    """A document the session made (aws/files.py keeps them under files/<session id>/)."""
    from offstage.aws.files import S3FileStore

    S3FileStore(bucket=aws.names["PayloadBucket"]).put(f"{session_id}/{secrets.token_urlsafe(16)}", b"%PDF-1.7",
                                                        "application/pdf")


def _ttl_removal(session_id, sequence="1", sk=CURRENT):
    """A KEYS_ONLY stream record of DynamoDB's TTL removing the item, as Lambda receives it."""
    return {"eventID": secrets.token_hex(16), "eventName": "REMOVE", "eventVersion": "1.1",
            "eventSource": "aws:dynamodb", "awsRegion": "us-east-1",
            "dynamodb": {"Keys": {"pk": {"S": session_id}, "sk": {"S": sk}}, "SequenceNumber": sequence,
                         "SizeBytes": 40, "StreamViewType": "KEYS_ONLY"},
            "userIdentity": {"type": "Service", "principalId": "dynamodb.amazonaws.com"},
            "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/x"}


def test_an_expired_sessions_payloads_go_and_other_sessions_keep_theirs(aws, cleanup):
    from tests.fakes import LambdaContext

    store = DynamoSessionStore(table=aws.names["SessionsTable"], bucket=aws.names["PayloadBucket"])
    big = {"text": secrets.token_hex(450_000)}  # over the inline limit: the answers go to S3
    expired = store.create("x.yml", big, secret="k")
    store.save(store.load(expired.session_id, secret="k"), dict(big, more=1), secret="k")  # a Back step too
    kept = store.create("x.yml", big, secret="k")
    _file(aws, expired.session_id)
    _file(aws, kept.session_id)
    assert _payloads(aws, expired.session_id)
    assert _payloads(aws, kept.session_id)
    assert _payloads(aws, expired.session_id, "files")
    assert _payloads(aws, kept.session_id, "files")
    # what TTL does: the items go, with no code of ours running
    table = boto3.client("dynamodb")
    for item in table.query(TableName=aws.names["SessionsTable"], KeyConditionExpression="pk = :p",
                            ExpressionAttributeValues={":p": {"S": expired.session_id}})["Items"]:
        table.delete_item(TableName=aws.names["SessionsTable"], Key={"pk": item["pk"], "sk": item["sk"]})

    reply = cleanup({"Records": [_ttl_removal(expired.session_id)]}, LambdaContext())

    assert reply == {"batchItemFailures": []}
    assert _payloads(aws, expired.session_id) == []
    assert _payloads(aws, expired.session_id, "files") == []  # its documents go with it
    assert store.load(kept.session_id, secret="k").answers == big
    assert _payloads(aws, kept.session_id, "files")


def test_deleting_a_session_removes_its_documents_too(aws):
    store = DynamoSessionStore(table=aws.names["SessionsTable"], bucket=aws.names["PayloadBucket"])
    record = store.create("x.yml", {"a": 1}, secret="k")
    _file(aws, record.session_id)
    store.delete(record.session_id)
    assert _payloads(aws, record.session_id, "files") == []


def test_a_record_that_cannot_be_cleaned_fails_alone_and_is_retried(aws, cleanup):
    from tests.fakes import LambdaContext

    store = DynamoSessionStore(table=aws.names["SessionsTable"], bucket=aws.names["PayloadBucket"])
    record = store.create("x.yml", {"text": secrets.token_hex(450_000)}, secret="k")
    bad = _ttl_removal("a/b", sequence="7")  # never a prefix wider than one session
    reply = cleanup({"Records": [bad, _ttl_removal(record.session_id, sequence="8")]}, LambdaContext())
    assert reply == {"batchItemFailures": [{"itemIdentifier": "7"}]}  # the failing record's sequence number
    assert _payloads(aws, record.session_id) == []
