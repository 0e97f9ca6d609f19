"""Parallel assembly in the local stack: the worker plans, moto's Step Functions interpreter runs
statemachines/assembly.asl.json (Plan -> Map of RenderFunction -> Deliver, Catch -> Failed) with the
functions invoked in-process, and the page's check-in sees "n of 10" while the bundle renders.

The interview (assembly_interviews/bundle.yml) is unchanged interview code: a background action that
references ten attachments one after another. The AssemblyLine samples are read from ../shared and
copied to a temporary folder, never into the repo.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED
from tests.support.api import raw_call as call
from tests.support.files import pdf_text as _pdf_text

pytestmark = pytest.mark.integration
SAMPLES = SHARED / "reference" / "assemblyline" / "samples"
HERE = Path(__file__).resolve().parent / "assembly_interviews"
NAME = "Ada Löve"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from offstage.local.stack import LocalStack

    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.fail("these tests need LibreOffice and poppler-utils: run `make libreoffice`")
    folder = tmp_path_factory.mktemp("assembly-interviews")
    shutil.copy(HERE / "bundle.yml", folder / "bundle.yml")
    for sample in ("exhibit_cover_sheet.docx", "test_aldocument_pdf_1.pdf"):
        shutil.copy(SAMPLES / sample, folder / sample)
    (folder / "not_a_form.pdf").write_bytes(b"this is not a PDF")  # the Broken bundle's form
    with LocalStack(interviews=[folder], with_http=True) as running:
        yield running




def start_bundle(stack, name):
    _, body = call(stack, "/api/session/new?i=bundle.yml")
    session = json.loads(body)
    status, body = call(stack, "/api/session", {"i": "bundle.yml", "session": session["session"],
                                                "secret": session["secret"], "variables": {"client_name": name}})
    assert status == 200, body
    assert "Please wait" in json.loads(body)["questionText"]
    return session


def check_in_until_done(session, seconds=240):
    """The page's check-ins, every 0.1 s: (progress entries seen, commands handed out)."""
    from offstage.app.checkin import checkin
    from offstage.aws.wiring import deps

    seen: list[Any] = []
    commands: list[Any] = []
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        reply = checkin(deps(), session["session"], session["secret"], None, None, 1)
        seen.extend((entry["done"], entry["total"]) for entry in reply.get("assembly", []))
        commands.extend(reply["commands"])
        if commands and not reply.get("assembly") and reply["pending_tasks"] == 0:
            return seen, commands
        time.sleep(0.1)
    raise AssertionError(f"the bundle did not finish; progress seen: {seen}")


def executions(stack, status=None):
    """The assembly machine's executions, once none is running (the task's notification goes out from
    the Deliver state, a moment before the execution itself ends)."""
    sfn = stack.client("stepfunctions")
    arn = stack.resources["AssemblyStateMachine"]
    for _ in range(600):
        found = sfn.list_executions(stateMachineArn=arn)["executions"]
        if all(e["status"] != "RUNNING" for e in found):
            break
        time.sleep(0.1)
    return [e for e in found if status is None or e["status"] == status]


def pdf_text(data: bytes) -> str:
    return _pdf_text(data, layout=False)


@pytest.fixture(scope="module")
def bundle(stack):
    session = start_bundle(stack, NAME)
    seen, commands = check_in_until_done(session)
    status, body = call(stack, f"/api/session/question?i=bundle.yml&session={session['session']}"
                               f"&secret={session['secret']}")
    assert status == 200, body
    return session, seen, commands, json.loads(body)


def test_ten_documents_are_rendered_by_the_state_machine_and_delivered_to_the_session(stack, bundle):
    session, _, commands, question = bundle
    assert question["questionText"].startswith("Your documents are ready")
    attachments = question["attachments"]
    assert [a["filename"] for a in attachments] == [
        *(f"letter_{i}" for i in range(1, 5)), *(f"cover_{i}" for i in range(1, 4)), *(f"form_{i}" for i in range(1, 4))]
    texts = {}
    for attachment in attachments:
        status, pdf = call(stack, attachment["url"]["pdf"], **{"X-Session-Secret": session["secret"]})
        assert status == 200
        assert pdf.startswith(b"%PDF")
        texts[attachment["filename"]] = pdf_text(pdf)
    assert f"Dear {NAME}, this is letter number 3." in " ".join(texts["letter_3"].split())
    assert f"Exhibit {NAME} 2" in " ".join(texts["cover_2"].split())
    assert f"Form 3 of {NAME}" in " ".join(texts["form_3"].split())
    assert {"value": None, "extra": "refresh"} in commands  # the waiting page is told, as background tasks do
    done = executions(stack, "SUCCEEDED")
    assert len(done) == 1
    output = json.loads(stack.client("stepfunctions").describe_execution(
        executionArn=done[0]["executionArn"])["output"])
    # the state machine rendered each of the ten (4 Markdown + 3 DOCX -> PDF, 3 forms); the real pass
    # found every one of them rendered and rendered none in place
    assert sorted(r["kind"] for r in output["rendered"]) == ["convert"] * 7 + ["fill"] * 3
    assert {k: output["delivered"][k] for k in ("jobs", "found", "rendered_in_place")} == {
        "jobs": 10, "found": 10, "rendered_in_place": 0}


def test_the_check_in_counts_the_documents_done(bundle):
    _, seen, _, _ = bundle
    assert seen, "no check-in saw the bundle's progress"
    assert {total for _, total in seen} == {10}
    counts = [done for done, _ in seen]
    assert counts == sorted(counts)  # never backwards
    assert any(0 < done < 10 for done in counts), seen  # seen part way, not only at the ends


def test_the_working_files_are_gone_once_delivered(stack, bundle):
    s3 = stack.client("s3")
    left = s3.list_objects_v2(Bucket=stack.resources["PayloadBucket"], Prefix="assembly/").get("KeyCount", 0)
    assert left == 0


def test_a_failing_branch_marks_the_task_failed_with_the_templates_error(stack, bundle):
    from offstage.aws.wiring import deps

    session = start_bundle(stack, "Broken")
    _, commands = check_in_until_done(session)
    flash = [c for c in commands if c.get("extra") == "flash"]
    assert flash
    assert "DocumentError" in flash[0]["value"]
    assert {"value": None, "extra": "refresh"} in commands
    record = deps().sessions.load(session["session"], secret=session["secret"])
    task_id = record.answers["the_task"].task_id
    state = deps().ports.tasks.get(task_id, secret=session["secret"])
    assert state.status == "failed"
    assert state.error_type == "DocumentError"
    assert "not_a_form.pdf" in state.error_message
    assert "cannot be read" in state.error_message
    assert len(executions(stack, "FAILED")) == 1


def test_the_planning_pass_holds_back_e_mail_the_delivered_task_sends_it_once(stack, bundle):
    from offstage.local import outbox

    before = len(outbox.messages())
    session = start_bundle(stack, "Mail")
    _, commands = check_in_until_done(session)
    assert {"value": None, "extra": "refresh"} in commands
    sent = outbox.messages()[before:]
    assert [m["subject"] for m in sent] == ["Bundle for Mail"]  # once: the rehearsal sent nothing
    _status, body = call(stack, f"/api/session/question?i=bundle.yml&session={session['session']}"
                               f"&secret={session['secret']}")
    assert [a["filename"] for a in json.loads(body)["attachments"]] == ["letter_1", "form_1"]
