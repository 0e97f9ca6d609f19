"""PDFs on screens through the render function (offstage.aws.render), in the local stack.

In AWS only the render function's image has LibreOffice; the template gives the zip functions
RENDER_FUNCTION_NAME, so a DOCX -> PDF on a question screen (an attachment, pdf_concatenate of a DOCX in
foreground code) is a synchronous Lambda invoke of RenderFunction with the file in S3. The local stack
does the same through moto's Lambda, which runs the function's handler in this process. Other tests put
a handler of their own behind the same moto function to check the caller's side of failures.
"""

from __future__ import annotations

import json
import shutil
import threading
import time

import pytest

from tests.conftest import SHARED
from tests.support.api import raw_call as call
from tests.support.files import pdf_text

pytestmark = pytest.mark.integration

SCREEN = """\
metadata:
  title: Screen documents
---
mandatory: True
code: |
  seen_letter
  final_screen
---
question: Your name?
fields:
  - Name: client_name
---
question: Your letter, ${ client_name }
field: seen_letter
attachment:
  name: Letter
  filename: letter
  variable name: letter
  valid formats: [pdf, docx]
  content: |
    Dear ${ client_name }, this PDF was made by the render function.
---
code: |
  both = pdf_concatenate(letter.docx, letter.pdf, filename="both.pdf")
---
event: final_screen
question: The bundle has ${ both.num_pages() } pages.
"""


ARCHIVAL = """\
metadata:
  title: Archival documents
---
mandatory: True
question: Your archival copy
attachments:
  - name: Archival
    filename: archival
    valid formats: [pdf]
    pdf/a: True
    tagged pdf: True
    content: |
      # For the archive

      This copy is PDF/A.
  - name: Plain
    filename: plain
    valid formats: [pdf]
    content: |
      This copy is an ordinary PDF.
"""

FORM_AS_PDFA = """\
metadata:
  title: A form as PDF/A
---
mandatory: True
question: Your form
attachment:
  name: Form
  filename: form
  pdf template file: form.pdf
  pdf/a: True
  fields:
    - name: x
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from offstage.local.stack import LocalStack

    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.fail("these tests need LibreOffice and poppler-utils: run `make libreoffice`")
    folder = tmp_path_factory.mktemp("render-interviews")
    (folder / "screen_documents.yml").write_text(SCREEN, encoding="utf-8")
    (folder / "archival_documents.yml").write_text(ARCHIVAL, encoding="utf-8")
    (folder / "form_as_pdfa.yml").write_text(FORM_AS_PDFA, encoding="utf-8")
    shutil.copy(SHARED / "reference" / "assemblyline" / "samples" / "test_aldocument_pdf_1.pdf", folder / "form.pdf")
    with pytest.MonkeyPatch.context() as patch:
        # conversions count against the screen's limit; a loaded test machine needs more than 10 s
        patch.setenv("SCREEN_TIME_LIMIT_SECONDS", "40")
        with LocalStack(interviews=[folder], with_poller=False) as running:
            yield running


@pytest.fixture
def render_calls(monkeypatch):
    """The conversions the render function made (its step, wrapped to count)."""
    from offstage.app import conversion

    calls: list[dict[str, object]] = []
    real = conversion.convert_step

    def counted(deps, event):
        calls.append(dict(event))
        return real(deps, event)

    monkeypatch.setattr(conversion, "convert_step", counted)
    return calls


@pytest.fixture
def render_handler(stack):
    """Put a handler of the test's own behind the local stack's RenderFunction; the real one afterwards."""
    from offstage.local import statemachines

    prefix = stack._machines_prefix

    def install(handler):
        statemachines.route(prefix, ["RenderFunction"], lambda _logical, event: handler(event))

    yield install
    statemachines.route(prefix, ["RenderFunction"], stack.invoke)




def leftovers(stack):
    s3 = stack.client("s3")
    return s3.list_objects_v2(Bucket=stack.resources["PayloadBucket"], Prefix="assembly/convert/").get("KeyCount", 0)


def converter():
    """The converter the running stack's functions are wired with."""
    from offstage.aws.wiring import deps

    made = deps().ports.converter
    assert made is not None, "the local stack's screen function has no converter: RENDER_FUNCTION_NAME is missing"
    return made


def test_a_screens_attachment_and_pdf_concatenate_are_made_by_the_render_function(stack, render_calls):
    _, body = call(stack, "/api/session/new?i=screen_documents.yml")
    session = json.loads(body)
    status, body = call(stack, "/api/session", {"i": "screen_documents.yml", "session": session["session"],
                                                "secret": session["secret"], "variables": {"client_name": "Ada Löve"}})
    assert status == 200, body
    question = json.loads(body)
    assert question["questionText"] == "Your letter, Ada Löve"
    letter = question["attachments"][0]
    status, pdf = call(stack, letter["url"]["pdf"], **{"X-Session-Secret": session["secret"]})
    assert status == 200
    assert pdf.startswith(b"%PDF")
    assert "Dear Ada Löve, this PDF was made by the render function." in " ".join(pdf_text(pdf).split())
    status, body = call(stack, "/api/session", {"i": "screen_documents.yml", "session": session["session"],
                                                "secret": session["secret"], "variables": {"seen_letter": True}})
    assert status == 200, body
    assert json.loads(body)["questionText"] == "The bundle has 2 pages."  # the DOCX converted, then the PDF
    # the attachment's PDF and pdf_concatenate's DOCX: both converted by the render function
    assert [c["extension"] for c in render_calls] == ["docx", "docx"]
    assert all(c["step"] == "convert" and c["name"] for c in render_calls)
    assert leftovers(stack) == 0  # the request's file and its PDF are deleted once read


def test_an_error_of_the_conversion_names_the_file_and_the_problem(stack, render_handler):
    from offstage.documents import DocumentError

    def failing(event):
        raise DocumentError(f"{event['name']}: LibreOffice exited with 81: no PDF was written")

    render_handler(failing)
    with pytest.raises(DocumentError, match=r"^letter\.docx: LibreOffice exited with 81: no PDF was written "
                                            r"\(in the render function\)$"):
        converter().to_pdf(b"PK not really a docx", name="letter.docx", extension="docx")
    assert leftovers(stack) == 0


def test_a_crash_of_the_render_function_is_reported_with_its_reason(stack, render_handler):
    from offstage.documents import DocumentError

    def crashing(_event):
        raise MemoryError("Runtime exited with error: signal: killed")

    render_handler(crashing)
    with pytest.raises(DocumentError, match=r"^cover\.docx: the render function could not make the PDF "
                                            r"\(Runtime exited with error: signal: killed\)$"):
        converter().to_pdf(b"PK", name="cover.docx", extension="docx")


def test_a_render_function_that_writes_no_pdf_is_an_error(stack, render_handler):
    from offstage.documents import DocumentError

    render_handler(lambda _event: {"bytes": 0})
    with pytest.raises(DocumentError, match="finished but wrote no PDF"):
        converter().to_pdf(b"PK", name="cover.docx", extension="docx")


def test_the_wait_is_bounded_by_the_screens_time_left(stack, render_handler, monkeypatch):
    from offstage.documents import DocumentError
    from offstage.engine import deadline

    release = threading.Event()

    def slow(_event):
        release.wait(30)
        return {}

    render_handler(slow)
    monkeypatch.setattr(deadline, "remaining", lambda: 4.2)  # the screen has 4.2 s left
    started = time.monotonic()
    try:
        with pytest.raises(DocumentError, match=r"^letter\.docx: the render function did not make the PDF within 3 s$"):
            converter().to_pdf(b"PK", name="letter.docx", extension="docx")
    finally:
        release.set()
    assert time.monotonic() - started < 30  # it gave up at its bound, not when the handler returned
    monkeypatch.setattr(deadline, "remaining", lambda: 0.8)
    with pytest.raises(DocumentError, match=r"^letter\.docx: no time is left to make the PDF"):
        converter().to_pdf(b"PK", name="letter.docx", extension="docx")


def test_a_request_outside_the_conversion_folder_is_refused(stack):
    from offstage.aws.wiring import deps

    client = stack.client("lambda")
    for event in ({"step": "convert", "folder": "sessions/abc", "extension": "docx"},
                  {"step": "convert", "folder": "assembly/convert/" + "a" * 32, "extension": "../x"}):
        answer = client.invoke(FunctionName=stack.resources["RenderFunction"], Payload=json.dumps(event).encode())
        error = json.loads(answer["Payload"].read())
        assert answer.get("FunctionError"), error
        assert error["errorType"] == "ValueError", error
    assert deps().settings.render_function == stack.resources["RenderFunction"]


def pdf_kind(pdf: bytes) -> dict[str, object]:
    """What a PDF says it is: its PDF/A identification (XMP pdfaid) and whether it is tagged."""
    import io
    import re

    from pypdf import PdfReader

    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8", "replace") if "/Metadata" in root else ""
    part = re.search(r"pdfaid:part(?:>|=\")(\d)", xmp)
    conformance = re.search(r"pdfaid:conformance(?:>|=\")([ABU])", xmp)
    mark = root.get("/MarkInfo")
    return {"pdfa": (part.group(1) + conformance.group(1)) if part and conformance else None,
            "tagged": bool(mark and mark.get("/Marked")) and "/StructTreeRoot" in root}


def test_pdfa_and_tagged_pdf_attachments_are_made_by_the_render_function(stack, render_calls):
    _, body = call(stack, "/api/session/new?i=archival_documents.yml")
    session = json.loads(body)
    status, body = call(stack, f"/api/session/question?i=archival_documents.yml&session={session['session']}"
                               f"&secret={session['secret']}")
    assert status == 200, body
    made = {}
    for attachment in json.loads(body)["attachments"]:
        status, pdf = call(stack, attachment["url"]["pdf"], **{"X-Session-Secret": session["secret"]})
        assert status == 200
        assert pdf.startswith(b"%PDF")
        made[attachment["filename"]] = pdf
    assert pdf_kind(made["archival"]) == {"pdfa": "2B", "tagged": True}
    assert pdf_kind(made["plain"]) == {"pdfa": None, "tagged": False}
    assert "This copy is PDF/A." in pdf_text(made["archival"])
    assert sorted((c["pdfa"], c["tagged"]) for c in render_calls) == [(False, False), (True, True)]


def test_pdfa_of_a_pdf_form_is_refused_naming_the_template(stack):
    _, body = call(stack, "/api/session/new?i=form_as_pdfa.yml")
    session = json.loads(body)
    status, body = call(stack, f"/api/session/question?i=form_as_pdfa.yml&session={session['session']}"
                               f"&secret={session['secret']}")
    assert 400 <= status < 500, body
    message = json.loads(body)["message"]
    assert "form.pdf" in message
    assert "pdf/a" in message
