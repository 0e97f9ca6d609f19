"""CronWorkerFunction: one SQS batch of cron messages; a failing session fails alone (partial batch).

A message is one session's event for one tick (see offstage.app.cron.run_message).
"""

from __future__ import annotations

import os
from typing import Any

from aws_lambda_powertools import Logger
from offstage.http.observability import ScrubbingFormatter

# the same scrubbing JSON lines as the HTTP functions: every function of a process shares the one
# "offstage" logger, so each must install the formatter that masks secrets
logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", "offstage-cron-worker"),
                logger_formatter=ScrubbingFormatter())
_processor: Any = None


def record_handler(record: Any, lambda_context: Any = None) -> None:
    from offstage.aws.cron_dispatch import run_record

    outcome = run_record(record.body, lambda_context)
    logger.info("cron message processed", extra={"message_id": record.message_id, **outcome})


def _batch() -> Any:
    global _processor
    if _processor is None:
        from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType

        _processor = BatchProcessor(event_type=EventType.SQS)
    return _processor


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from aws_lambda_powertools.utilities.batch import process_partial_response

    return process_partial_response(event=event, record_handler=record_handler, processor=_batch(),
                                    context=context)


lambda_handler = handler  # the name template.yaml's Handler (app.lambda_handler) points at
