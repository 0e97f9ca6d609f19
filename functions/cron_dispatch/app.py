"""CronDispatchFunction: one schedule tick -> one cron-queue message per eligible session.

EventBridge Scheduler invokes it with {"type": "cron_daily", "scheduled_time": "<time>"}; a run that
nears its timeout invokes this function again (asynchronously) with its checkpoint, the last index key
read per shard, so a tick over millions of sessions goes on and never starts over.
"""

from __future__ import annotations

import os
from typing import Any

from aws_lambda_powertools import Logger
from offstage.http.observability import ScrubbingFormatter

# the same scrubbing JSON lines as the HTTP functions: every function of a process shares the one
# "offstage" logger, so each must install the formatter that masks secrets
logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", "offstage-cron-dispatch"),
                logger_formatter=ScrubbingFormatter())


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from offstage.aws.cron_dispatch import dispatch_tick

    report = dispatch_tick(event, time_left=lambda: context.get_remaining_time_in_millis() / 1000.0,
                           function_arn=getattr(context, "invoked_function_arn", None))
    logger.info("cron tick dispatched", extra=report)
    return report


lambda_handler = handler  # the name template.yaml's Handler (app.lambda_handler) points at
