"""The cron functions' glue: settings and adapters around offstage.app.cron (kept out of the handlers)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


def _queue() -> Any:
    from offstage.aws.cron import CronQueue
    from offstage.settings import settings

    s = settings()
    return CronQueue(queue_url=s.cron_queue_url, region=s.region, endpoint_url=s.endpoint_url)


def _marks() -> Any:
    from offstage.aws.cron import CronMarks
    from offstage.settings import settings

    s = settings()
    return CronMarks(table=s.tasks_table, region=s.region, endpoint_url=s.endpoint_url)


def dispatch_tick(event: dict[str, Any], *, time_left: Callable[[], float] | None = None,
                  function_arn: str | None = None) -> dict[str, Any]:
    """Dispatch one tick (or carry on with a checkpoint); raises BadTick for an event it cannot read."""
    from offstage.app import cron
    from offstage.aws.wiring import deps
    from offstage.settings import settings

    tick = cron.parse_tick(event)
    checkpoint = event.get("checkpoint") if isinstance(event, dict) else None
    if checkpoint is not None and not isinstance(checkpoint, dict):
        raise cron.BadTick("the checkpoint must be a JSON object of shard -> key")
    d = deps()
    store: Any = d.sessions  # the DynamoSessionStore: the cron index is beyond the SessionStore port
    queue = _queue()
    report = cron.dispatch(tick, shards=settings().cron_shards, page=lambda shard, start: store.cron_page(
        shard, start, limit=cron.PAGE), send=queue.send, defines=cron.interview_defines(d),
        time_left=time_left, checkpoint=checkpoint)
    if report.checkpoint is not None:
        _carry_on({"type": tick.kind, "scheduled_time": tick.stamp, "checkpoint": report.checkpoint},
                  function_arn)
    return report.as_dict()


def _carry_on(event: dict[str, Any], function_arn: str | None) -> None:
    """Invoke the dispatcher again (asynchronously) from the checkpoint; locally, carry on right here."""
    from offstage.settings import settings

    if settings().local or not function_arn:
        dispatch_tick(event)
        return
    import boto3

    s = settings()
    boto3.client("lambda", region_name=s.region).invoke(
        FunctionName=function_arn, InvocationType="Event", Payload=json.dumps(event).encode())


def run_record(body: str, lambda_context: Any = None) -> dict[str, str]:  # noqa: ARG001 - the record handler passes Lambda's context
    """One cron message: raises (the record fails and SQS delivers it again) unless it ran or was skipped."""
    from offstage.app import cron
    from offstage.aws.wiring import deps
    from offstage.settings import settings

    message = cron.parse_message(body)  # a malformed message fails every time and ends in the DLQ
    where = {"session_id": message.session_id, "interview": message.interview, "type": message.tick.kind,
             "scheduled_time": message.tick.stamp}
    try:
        outcome = cron.run_message(deps(), message, _marks(), local_time=settings().local)
    except cron.CronBusy:
        raise
    except Exception as exc:
        log.error("cron run failed", extra={**where, "error": f"{type(exc).__name__}: {exc}"})
        raise
    return {**where, "outcome": outcome}
