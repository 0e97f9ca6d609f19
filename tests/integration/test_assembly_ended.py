"""An assembly execution that ends without finishing its task: the EventBridge rule closes the task.

Stopped by hand (ABORTED), out of time (TIMED_OUT), or failed with its own Failed step failing too: the
execution's steps never mark the task, so the page would wait for ever. template.yaml's rule on
AssemblyStepFunction (`ExecutionEnded`) delivers "Step Functions Execution Status Change" for those
statuses; the local stack plays the rule (offstage.local.rules: it watches moto's executions and builds
the event AWS would send) with the template's own pattern.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import SHARED
from tests.support.api import raw_call as call

pytestmark = pytest.mark.integration
SAMPLES = SHARED / "reference" / "assemblyline" / "samples"
HERE = Path(__file__).resolve().parent / "assembly_interviews"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from offstage.local.stack import LocalStack

    if shutil.which("soffice") is None:
        pytest.fail("these tests need LibreOffice: run `make libreoffice`")
    folder = tmp_path_factory.mktemp("assembly-interviews")
    shutil.copy(HERE / "bundle.yml", folder / "bundle.yml")
    for sample in ("exhibit_cover_sheet.docx", "test_aldocument_pdf_1.pdf"):
        shutil.copy(SAMPLES / sample, folder / sample)
    (folder / "not_a_form.pdf").write_bytes(b"this is not a PDF")  # the Broken bundle's form
    with LocalStack(interviews=[folder]) as running:
        yield running


@pytest.fixture
def routed(stack):
    """Put a handler of the test's own behind one of the stack's moto functions; the real one afterwards."""
    from offstage.local import statemachines

    prefix = stack._machines_prefix
    changed: list[str] = []

    def install(logical, handler):
        changed.append(logical)
        statemachines.route(prefix, [logical], lambda _logical, event: handler(event))

    yield install
    statemachines.route(prefix, changed, stack.invoke)




def start_bundle(stack, name):
    _, body = call(stack, "/api/session/new?i=bundle.yml")
    session = json.loads(body)
    status, body = call(stack, "/api/session", {"i": "bundle.yml", "session": session["session"],
                                                "secret": session["secret"], "variables": {"client_name": name}})
    assert status == 200, body
    return session


def running_execution(stack, seconds=120):
    sfn = stack.client("stepfunctions")
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        found = sfn.list_executions(stateMachineArn=stack.resources["AssemblyStateMachine"],
                                    statusFilter="RUNNING")["executions"]
        if found:
            return found[0]["executionArn"]
        time.sleep(0.1)
    raise AssertionError("no assembly execution started")


def check_in_until_told(session, seconds=120):
    """The page's check-ins until the task's notification arrives: the commands handed out."""
    from offstage.app.checkin import checkin
    from offstage.aws.wiring import deps

    commands = []
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        reply = checkin(deps(), session["session"], session["secret"], None, None, 1)
        commands.extend(reply["commands"])
        if commands and not reply.get("assembly") and reply["pending_tasks"] == 0:
            return commands
        time.sleep(0.2)
    raise AssertionError(f"the page was never told: an endless spinner (commands: {commands})")


def task_state(session):
    from offstage.aws.wiring import deps

    record = deps().sessions.load(session["session"], secret=session["secret"])
    task_id = record.answers["the_task"].task_id
    return deps().ports.tasks.get(task_id, secret=session["secret"])


def test_an_execution_stopped_by_hand_fails_its_task_and_the_page_is_told(stack, routed):
    release = threading.Event()

    def stuck_plan(event):  # a step that hangs: only stopping the execution ends the bundle
        if event.get("step") == "plan":
            release.wait(60)
        return stack.invoke("AssemblyStepFunction", event)

    routed("AssemblyStepFunction", stuck_plan)
    sfn = stack.client("stepfunctions")
    try:
        session = start_bundle(stack, "Stopped")
        execution = running_execution(stack)
        sfn.stop_execution(executionArn=execution, error="Operator", cause="stopped by hand")
        release.set()  # moto's interpreter sees the stop when the step returns (AWS: at once)
        commands = check_in_until_told(session)
    finally:
        release.set()
    assert sfn.describe_execution(executionArn=execution)["status"] == "ABORTED"
    flash = [c["value"] for c in commands if c.get("extra") == "flash"]
    assert flash
    assert "AssemblyStopped" in flash[0]
    assert {"value": None, "extra": "refresh"} in commands
    state = task_state(session)
    assert state.status == "failed"
    assert state.error_type == "AssemblyStopped"
    assert state.error_message == "the document assembly was stopped before it finished; the documents were not made"
    # the page shows the failure, not the waiting screen's progress
    from offstage.app.checkin import checkin
    from offstage.aws.wiring import deps

    assert not checkin(deps(), session["session"], session["secret"], None, None, 1).get("assembly")
    left = stack.client("s3").list_objects_v2(Bucket=stack.resources["PayloadBucket"], Prefix="assembly/")
    assert left.get("KeyCount", 0) == 0


def test_an_execution_whose_failed_step_fails_too_is_closed_by_the_rule(stack, routed):
    def broken_render(_event):
        raise RuntimeError("the render container crashed")

    def failing_fail_step(event):
        if event.get("step") == "fail":
            raise RuntimeError("the Failed step cannot reach the session table")
        return stack.invoke("AssemblyStepFunction", event)

    routed("RenderFunction", broken_render)
    routed("AssemblyStepFunction", failing_fail_step)
    session = start_bundle(stack, "Doubly broken")
    commands = check_in_until_told(session)
    flash = [c["value"] for c in commands if c.get("extra") == "flash"]
    assert flash
    assert "AssemblyFailed" in flash[0]
    state = task_state(session)
    assert state.status == "failed"
    assert state.error_type == "AssemblyFailed"
    assert "the Failed step cannot reach the session table" in state.error_message


def test_an_execution_its_own_steps_finished_is_left_as_they_left_it(stack):
    from offstage.local.rules import rules, status_change_event

    session = start_bundle(stack, "Broken")  # a form that is not a PDF: the Failed step fails the task
    check_in_until_told(session)
    state = task_state(session)
    assert state.status == "failed"
    assert state.error_type == "DocumentError"
    sfn = stack.client("stepfunctions")
    (execution,) = [e for e in sfn.list_executions(stateMachineArn=stack.resources["AssemblyStateMachine"])["executions"]
                    if e["name"] == f"task-{state.task_id}"]
    ends = time.monotonic() + 60
    while sfn.describe_execution(executionArn=execution["executionArn"])["status"] == "RUNNING":
        assert time.monotonic() < ends, "the execution did not end"
        time.sleep(0.2)
    event = status_change_event(sfn, execution["executionArn"])
    assert event["detail"]["status"] == "FAILED"
    answer = stack.invoke("AssemblyStepFunction", event)  # EventBridge delivers at least once: again here
    assert "finished_already" in answer, answer
    again = task_state(session)  # the template's own error stays; the rule did not overwrite it
    assert (again.status, again.error_type, again.error_message) == (state.status, state.error_type, state.error_message)
    (rule,) = rules(stack)
    assert rule.function == "AssemblyStepFunction"


def test_the_templates_pattern_takes_only_this_machines_unfinished_endings(stack):
    from offstage.local.rules import matches, rules

    (rule,) = rules(stack)
    machine = stack.resources["AssemblyStateMachine"]

    def event(status, machine_arn=machine):
        return {"source": "aws.states", "detail-type": "Step Functions Execution Status Change",
                "detail": {"status": status, "stateMachineArn": machine_arn}}

    assert all(matches(rule.pattern, event(s)) for s in ("FAILED", "ABORTED", "TIMED_OUT"))
    assert not matches(rule.pattern, event("SUCCEEDED"))
    assert not matches(rule.pattern, event("RUNNING"))
    assert not matches(rule.pattern, event("FAILED", machine.replace("AssemblyStateMachine", "Other")))
