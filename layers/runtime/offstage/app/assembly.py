"""Parallel assembly: a background task's documents rendered side by side by a Step Functions execution.

The worker (app.background.process_task) calls `hand_over` before it runs a task whose interview makes
documents. That runs the action once with rendering recorded (engine.render_plan) and every other side
effect held back: the task's private answers are thrown away as usual, nothing is queued, mailed or
stored. When the pass recorded slow steps, their inputs go to S3 under the task's prefix and the state
machine (statemachines/assembly.asl.json) takes the task over; the worker is done with the message.

The execution's steps are the functions below, run by functions/render (a container image with
LibreOffice): `plan_step` (the jobs, the progress's total) -> Map of `render_step` (one job each, into the
cache) -> `deliver_step`: the ordinary task lifecycle (process_task) with the cache in front of the slow
steps; whatever the planning pass did not predict is rendered in place. Catch -> `fail_step`: the task
fails with the template's own error, as an in-process failure would.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from offstage.app.deps import Deps
from offstage.ports import AssemblyFiles, Progress, QueuedTask, Workflow

log = logging.getLogger(__name__)

PREFIX = "assembly"
# words of an interview that may make documents: only interviews with one are planned (a guess that
# decides the speed, never the outcome: an unplanned document is rendered in place)
_DOCUMENT_WORDS = ("attachment", "template file", "pdf_concatenate", "docx_concatenate", "zip_file",
                   "ALDocument", "DAFile")


@dataclass
class AssemblyPorts:
    workflow: Workflow | None
    files: AssemblyFiles
    progress: Progress


def prefix_of(session_id: str, task_id: str) -> str:
    return f"{PREFIX}/{session_id}/{task_id}"


def may_make_documents(interview: Any) -> bool:
    cached = interview.cache.get("assembly:documents")
    if cached is None:
        cached = any(getattr(b, "attachments", None) for b in interview.blocks) or any(
            word in repr(getattr(b, "data", "")) for b in interview.blocks for word in _DOCUMENT_WORDS)
        interview.cache["assembly:documents"] = cached
    return bool(cached)


# --- the worker's side: plan, then hand over ----------------------------------------------------------

def hand_over(deps: Deps, run: Any, interview: Any, record: Any) -> bool:
    """Plan the task's documents; True when a state machine execution took the task over."""
    ports = deps.assembly
    if ports is None or ports.workflow is None or not may_make_documents(interview):
        return False
    import time

    started = time.perf_counter()
    recorder, on_error, out_of_time = _planning_pass(deps, run, interview, record)
    planning_seconds = time.perf_counter() - started
    if not recorder.jobs and not out_of_time:
        return False  # no document to render: the worker runs the task as usual
    # (a pass that ran out of time hands over even without jobs: Deliver runs the task with a full budget)
    task = run.task
    prefix = prefix_of(task.session_id, task.task_id)
    jobs = list(recorder.jobs.values())
    for job in jobs:
        ports.files.put(f"{prefix}/in/{job.key}", job.source)
    plan = {"task": _task_dict(task), "jobs": [job.describe() for job in jobs], "on_error": on_error,
            "planning_seconds": round(planning_seconds, 4)}
    ports.files.put(f"{prefix}/plan.json", json.dumps(plan).encode("utf-8"))
    ports.workflow.start(_execution_name(task), {"prefix": prefix})
    log.info("task %s: %d document step(s) handed to the assembly state machine", task.task_id, len(jobs))
    return True


def _planning_pass(deps: Deps, run: Any, interview: Any, record: Any) -> tuple[Any, dict[str, Any] | None, bool]:
    """The action on a private copy with rendering recorded and side effects held: (recorder, on_error,
    whether it ran out of time)."""
    import copy

    from offstage.app import background
    from offstage.engine import render_plan
    from offstage.engine.background import run_background_phase1
    from offstage.engine.held import held_ports

    recorder = render_plan.Recorder()
    answers = copy.deepcopy(record.answers)

    def work() -> Any:
        with render_plan.active(recorder):
            return run_background_phase1(interview, answers, run.task, held_ports(deps.ports))

    try:
        result = background._within(run.deadline, work)
    except background.TaskTimeout:
        log.info("task %s: the planning pass ran out of time: the state machine runs the task", run.task.task_id)
        return recorder, None, True
    except Exception as exc:  # noqa: BLE001 - the real pass meets (and records) whatever went wrong here
        log.info("task %s: the planning pass stopped (%s): what it recorded is rendered", run.task.task_id,
                 type(exc).__name__)
        return recorder, None, False
    on_error = getattr(result, "on_error", None)
    try:
        on_error = json.loads(json.dumps(on_error)) if on_error else None
    except (TypeError, ValueError):
        on_error = None
    return recorder, on_error, False


def _execution_name(task: QueuedTask) -> str:
    """One execution per task: a second delivery of the message cannot start another."""
    import re

    return re.sub(r"[^A-Za-z0-9_-]", "_", f"task-{task.task_id}")[:80]


def _task_dict(task: QueuedTask) -> dict[str, Any]:
    return {"task_id": task.task_id, "session_id": task.session_id, "interview": task.interview,
            "action": task.action, "arguments": task.arguments, "ui_notification": task.ui_notification,
            "user": task.user, "secret": task.secret}


# --- the state machine's steps ------------------------------------------------------------------------

class AssemblyInputMissing(RuntimeError):
    """A step found its working files gone (the bundle expired or was delivered already)."""


def _plan(deps: Deps, prefix: str) -> dict[str, Any]:
    data = deps.assembly.files.get(f"{prefix}/plan.json")
    if data is None:
        raise AssemblyInputMissing(f"{prefix}: the bundle's plan is gone")
    return dict(json.loads(data))


def _checked_prefix(event: dict[str, Any]) -> str:
    prefix = str(event.get("prefix") or "")
    parts = prefix.split("/")
    if len(parts) != 3 or parts[0] != PREFIX or not all(parts) or ".." in parts:
        raise ValueError(f"not an assembly prefix: {prefix!r}")
    return prefix


def plan_step(deps: Deps, event: dict[str, Any]) -> dict[str, Any]:
    """State Plan: the jobs for the Map, and the page's progress set to 0 of N."""
    prefix = _checked_prefix(event)
    plan = _plan(deps, prefix)
    task = plan["task"]
    if plan["jobs"]:  # (none when the planning pass ran out of time: nothing to count)
        deps.assembly.progress.begin(task["session_id"], task["task_id"], len(plan["jobs"]))
    return {"prefix": prefix, "jobs": [{"key": job["key"], "kind": job["kind"]} for job in plan["jobs"]],
            "planning_seconds": plan.get("planning_seconds")}


def render_step(deps: Deps, event: dict[str, Any]) -> dict[str, Any]:
    """State Render (one Map branch): one job into the cache; the page's progress moves on."""
    import time

    from offstage.engine import render_plan

    prefix = _checked_prefix(event)
    key = str((event.get("job") or {}).get("key") or "")
    plan = _plan(deps, prefix)
    described = next((job for job in plan["jobs"] if job["key"] == key), None)
    source = deps.assembly.files.get(f"{prefix}/in/{key}")
    if described is None or source is None:
        raise AssemblyInputMissing(f"{prefix}: no job {key!r}")
    job = render_plan.Job(key=key, kind=described["kind"], name=described["name"], source=source,
                          fields=dict(described.get("fields") or {}), editable=bool(described.get("editable", True)),
                          pdfa=described.get("pdfa") is True, tagged=described.get("tagged") is True)
    started = time.perf_counter()
    pdf = render_plan.perform(job)
    seconds = time.perf_counter() - started
    deps.assembly.files.put(f"{prefix}/out/{key}", pdf)
    task = plan["task"]
    deps.assembly.progress.advance(task["session_id"], task["task_id"])
    return {"key": key, "kind": job.kind, "bytes": len(pdf), "seconds": round(seconds, 4),
            "finished_at": round(time.time(), 3)}


def deliver_step(deps: Deps, event: dict[str, Any], *, time_left: Any = None) -> dict[str, Any]:
    """State Deliver: the task's ordinary run, finding its documents rendered; then the bundle's files go."""
    import time

    from offstage.app.background import process_task
    from offstage.engine import render_plan

    started = time.perf_counter()
    prefix = _checked_prefix(event)
    plan = _plan(deps, prefix)
    task = QueuedTask(**plan["task"])
    files = deps.assembly.files
    cache = render_plan.Prerendered(lambda key: files.get(f"{prefix}/out/{key}"))
    try:
        process_task(deps, task, time_left=time_left, prerendered=cache)
    finally:
        deps.assembly.progress.end(task.session_id, task.task_id)
    files.delete_prefix(prefix)
    return {"jobs": len(plan["jobs"]), "found": len(cache.hits), "rendered_in_place": len(cache.misses),
            "seconds": round(time.perf_counter() - started, 4)}


def fail_step(deps: Deps, event: dict[str, Any], *, time_left: Any = None) -> dict[str, Any]:
    """State Failed (the Catch): the task fails with the render's own error, and the page is told."""
    from offstage.app.background import fail_task

    prefix = _checked_prefix(event)
    plan = _plan(deps, prefix)
    task = QueuedTask(**plan["task"])
    error = event.get("error") or {}
    error_type, message = str(error.get("Error") or "AssemblyError"), str(error.get("Cause") or "")
    try:  # a Lambda's error arrives as its JSON: {"errorType", "errorMessage", ...}
        cause = json.loads(message)
        if isinstance(cause, dict):
            message = str(cause.get("errorMessage") or message)
            error_type = str(cause.get("errorType") or error_type)
    except ValueError:
        pass
    try:
        fail_task(deps, task, error_type, message or "a document of the bundle could not be rendered",
                  on_error=plan.get("on_error"), time_left=time_left)
    finally:
        deps.assembly.progress.end(task.session_id, task.task_id)
    deps.assembly.files.delete_prefix(prefix)
    return {"failed": task.task_id, "error_type": error_type}




# --- an execution that ended without finishing its task (EventBridge) --------------------------------

STATUS_CHANGE = "Step Functions Execution Status Change"
# how an execution ended -> (the task's error type, what the page says)
_ENDINGS = {
    "ABORTED": ("AssemblyStopped", "the document assembly was stopped before it finished"),
    "TIMED_OUT": ("AssemblyTimedOut", "the document assembly ran out of time"),
    "FAILED": ("AssemblyFailed", "the document assembly failed"),
}


def is_status_change(event: dict[str, Any]) -> bool:
    return event.get("source") == "aws.states" and event.get("detail-type") == STATUS_CHANGE


def execution_ended(deps: Deps, detail: dict[str, Any], *, time_left: Any = None) -> dict[str, Any]:
    """The rule on the assembly machine's FAILED / ABORTED / TIMED_OUT executions: a task the execution's
    own steps did not finish (stopped by hand, out of time, or its Failed step failing too) fails with a
    message saying so, and the page is told. Deliver and Failed delete the bundle's files when they are
    done, so an execution whose plan is gone needs nothing; fail_task leaves a finished task alone."""
    from offstage.app.background import fail_task

    status = str(detail.get("status") or "")
    if status not in _ENDINGS:
        return {"ignored": f"status {status!r}"}
    try:
        prefix = _checked_prefix(json.loads(detail.get("input") or "{}"))
    except (TypeError, ValueError):
        return {"ignored": "not an assembly execution"}
    data = deps.assembly.files.get(f"{prefix}/plan.json")
    if data is None:
        return {"finished_already": prefix}
    plan = dict(json.loads(data))
    task = QueuedTask(**plan["task"])
    error_type, message = _ENDINGS[status]
    reason = " ".join(str(detail.get(key) or "") for key in ("error", "cause")).strip()
    if status == "FAILED" and reason:
        message = f"{message} ({reason[:300]})"
    try:
        fail_task(deps, task, error_type, f"{message}; the documents were not made", on_error=plan.get("on_error"),
                  time_left=time_left)
    finally:
        deps.assembly.progress.end(task.session_id, task.task_id)
    deps.assembly.files.delete_prefix(prefix)
    log.info("task %s: its assembly execution ended %s; the task is marked failed", task.task_id, status)
    return {"failed": task.task_id, "status": status}
