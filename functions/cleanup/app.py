"""PayloadCleanupFunction: DynamoDB's TTL deleted an idle session; delete its large answers from S3 too.

The SessionsTable stream (keys only: no answers pass through it) is filtered in template.yaml to the
removals DynamoDB's TTL makes of a session's current item, so this runs only for sessions that expired;
a session deleted on purpose removes its payloads itself. A record that fails is retried alone.
"""

from __future__ import annotations

import os
from typing import Any

from aws_lambda_powertools import Logger
from offstage.http.observability import ScrubbingFormatter

# the same scrubbing JSON lines as the HTTP functions: every function of a process shares the one
# "offstage" logger, so each must install the formatter that masks secrets
logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", "offstage-cleanup"),
                logger_formatter=ScrubbingFormatter())
_s3: Any = None


def _client() -> Any:
    global _s3
    if _s3 is None:
        import boto3
        from offstage.settings import settings

        current = settings()
        _s3 = boto3.client("s3", region_name=current.region, endpoint_url=current.endpoint_url)
    return _s3


def record_handler(record: Any) -> None:
    from offstage.aws.payloads import delete_session_payloads
    from offstage.settings import settings

    session_id = record.dynamodb.keys["pk"]
    bucket = settings().payload_bucket
    if not bucket:
        return
    deleted = delete_session_payloads(_client(), bucket, session_id)
    logger.info("expired session's payloads deleted", extra={"session_id": session_id, "deleted": deleted})


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    return process_partial_response(event=event, record_handler=record_handler,
                                    processor=BatchProcessor(event_type=EventType.DynamoDBStreams), context=context)


lambda_handler = handler  # the name template.yaml's Handler (app.lambda_handler) points at
