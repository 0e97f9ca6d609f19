"""BackgroundFunction: one SQS batch of background tasks; a failing record fails alone (partial batch).

The records of a batch run side by side, each in a thread of its own with its own deadline, so one
runaway action does not hold up the other users' tasks that came in the same batch.

Only the Logger is imported at cold start; the batch utility, the wiring and the engine load on the
first record, so a cold start pays for them once and only when there is work.
"""

from __future__ import annotations

import os
from typing import Any

from aws_lambda_powertools import Logger
from offstage.http.observability import ScrubbingFormatter, mask_only

# the same scrubbing JSON lines as the HTTP functions: every function of a process shares the one
# "offstage" logger, so each must install the formatter that masks secrets
logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", "offstage-background"),
                logger_formatter=ScrubbingFormatter())
MAX_RECORDS_AT_ONCE = 10  # the template's BatchSize
_processor: Any = None
_threads: Any = None


def record_handler(record: Any, lambda_context: Any = None) -> None:
    """Run the task in one SQS record; raising marks only this record failed (SQS delivers it again)."""
    from offstage.app import background
    from offstage.aws.wiring import deps

    try:
        task = background.parse_task(record.body)
    except background.MalformedTask as problem:
        mask_only()
        # a poison message: fail it every time so it reaches the DLQ, and say so on its task if it names one
        logger.error("unreadable background task message", extra={
            "message_id": record.message_id, "problem": str(problem), "task_id": problem.task_id,
            "receive_count": record.attributes.approximate_receive_count})
        background.reject_malformed(deps(), problem)
        raise
    mask_only(task.secret)  # the session's secret travels in the message: no log line of this task shows it
    # each log line names its task (records run side by side: no keys appended to the shared logger)
    correlation = {"task_id": task.task_id, "session_id": task.session_id, "interview": task.interview,
                   "action": task.action}
    time_left = None
    if lambda_context is not None and hasattr(lambda_context, "get_remaining_time_in_millis"):
        def time_left() -> float:
            return lambda_context.get_remaining_time_in_millis() / 1000.0
    background.process_task(deps(), task, time_left=time_left)
    logger.info("background task processed", extra=correlation)


async def record_in_thread(record: Any, lambda_context: Any = None) -> None:
    """record_handler in a thread of the batch's pool: the batch's records run side by side."""
    import asyncio
    import functools

    await asyncio.get_running_loop().run_in_executor(
        _pool(), functools.partial(record_handler, record, lambda_context))


def _pool() -> Any:
    global _threads
    if _threads is None:
        from concurrent.futures import ThreadPoolExecutor

        _threads = ThreadPoolExecutor(MAX_RECORDS_AT_ONCE, thread_name_prefix="offstage-record")
    return _threads


def _batch() -> Any:
    global _processor
    if _processor is None:
        from aws_lambda_powertools.utilities.batch import AsyncBatchProcessor, EventType

        _processor = AsyncBatchProcessor(event_type=EventType.SQS)
    return _processor


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from aws_lambda_powertools.utilities.batch import async_process_partial_response
    from offstage.app import background

    response = async_process_partial_response(event=event, record_handler=record_in_thread, processor=_batch(),
                                              context=context)
    background.end_environment_if_stuck()  # every outcome of the batch is stored by now
    return response


lambda_handler = handler  # the name template.yaml's Handler (app.lambda_handler) points at
