"""RenderFunction and AssemblyStepFunction: the assembly state machine's steps (statemachines/assembly.asl.json).

One container image (this folder's Dockerfile: Python, the offstage layer and LibreOffice), two functions:
- `render_handler` renders one document of a bundle (a Map branch) or, invoked by a zip function that
  has no LibreOffice, makes one PDF (step "convert": offstage.aws.render, offstage.app.conversion);
- `step_handler` plans the bundle, delivers the task to its session, or marks it failed
  (offstage.app.assembly), and takes the EventBridge rule's events on executions that ended FAILED,
  ABORTED or TIMED_OUT without finishing their task (execution_ended).
An error raised here is the step's error: Step Functions retries the transient ones and catches the rest
(the task then fails with the template's own message)."""

from __future__ import annotations

import os
from typing import Any

from aws_lambda_powertools import Logger
from offstage.http.observability import ScrubbingFormatter

logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", "offstage-assembly"),
                logger_formatter=ScrubbingFormatter())


def _deps() -> Any:
    from offstage.aws.wiring import deps

    return deps()


@logger.inject_lambda_context(clear_state=True)
def render_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:  # noqa: ARG001 - Lambda's handler signature
    from offstage.app.assembly import render_step

    if event.get("step") == "convert":
        from offstage.app.conversion import convert_step

        converted = convert_step(_deps(), event)
        logger.info("PDF made", extra=converted)
        return converted
    if event.get("step") != "render":
        raise ValueError(f"RenderFunction renders documents only, not step {event.get('step')!r}")
    done = render_step(_deps(), event)
    logger.info("document rendered", extra={"key": done["key"], "kind": done["kind"], "seconds": done["seconds"]})
    return done


@logger.inject_lambda_context(clear_state=True)
def step_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from offstage.app import assembly

    step = event.get("step")
    time_left = None
    if context is not None and hasattr(context, "get_remaining_time_in_millis"):
        def time_left() -> float:
            return context.get_remaining_time_in_millis() / 1000.0
    if assembly.is_status_change(event):  # the EventBridge rule on executions that ended unfinished
        return assembly.execution_ended(_deps(), dict(event.get("detail") or {}), time_left=time_left)
    if step == "plan":
        return assembly.plan_step(_deps(), event)
    if step == "deliver":
        return assembly.deliver_step(_deps(), event, time_left=time_left)
    if step == "fail":
        return assembly.fail_step(_deps(), event, time_left=time_left)
    raise ValueError(f"unknown assembly step {step!r}")
