"""Big files through the JSON API, straight to S3 on the local stack (moto's S3 server): POST
/api/session/upload gives a presigned POST for one variable of the session, the client sends the file to
S3 with it, and POST /api/session names the key in `uploads`: the variable is a DAFile with the file's
bytes. A key of another session, another variable or another secret, or one never sent, is a 400 that
saves nothing."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from tests.support.api import api_call
from tests.support.uploads import encode, tiny_pdf

MOST = 1_000_000  # MAX_DIRECT_UPLOAD_BYTES of this stack
INTERVIEW = "big_uploads.yml"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    import shutil
    from pathlib import Path

    from offstage.local.stack import LocalStack

    folder = tmp_path_factory.mktemp("api-big-uploads")
    shutil.copy(Path(__file__).resolve().parents[1] / "uploads" / INTERVIEW, folder / INTERVIEW)
    parameters = {"DirectUploadOverBytes": "100000", "MaxDirectUploadBytes": str(MOST)}
    with LocalStack(interviews=[folder], with_poller=False, parameters=parameters) as running:
        yield running


def _session(stack) -> dict:
    status, body = api_call(stack, "GET", f"/api/session/new?i={INTERVIEW}")
    assert status == 200, body
    return body


def _ids(session: dict) -> dict:
    return {"i": INTERVIEW, "session": session["session"], "secret": session["secret"]}


def _form(stack, session: dict, field="case_file", size=300_000) -> tuple[int, dict]:
    return api_call(stack, "POST", "/api/session/upload",
                    {**_ids(session), "field": field, "size": size, "type": "application/pdf"})


def _to_s3(signed: dict, data: bytes) -> None:
    body, content_type = encode([*signed["fields"].items(), ("file", ("case.pdf", data, "application/pdf"))])
    request = urllib.request.Request(signed["url"], data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request) as response:
            assert response.status in (200, 204)
    except urllib.error.HTTPError as error:
        raise AssertionError(f"S3 refused the file: {error.code} {error.read()[:300]!r}") from None


def _answer(stack, session: dict, uploads: list) -> tuple[int, object]:
    return api_call(stack, "POST", "/api/session", {**_ids(session), "variables": {"user_name": "Ada", "photo": None, "receipt": None},
                                                    "uploads": uploads})


def big_pdf(size: int) -> bytes:
    data = tiny_pdf("Case file")
    return data + b"%" + b"x" * max(0, size - len(data) - 1)


def test_a_file_sent_to_s3_becomes_the_variables_dafile(stack):
    session = _session(stack)
    data = big_pdf(600_000)
    status, signed = _form(stack, session, size=len(data))
    assert status == 200, signed
    _to_s3(signed, data)
    status, shown = _answer(stack, session, [{"field": "case_file", "key": signed["key"], "filename": "case.pdf"}])
    assert status == 200, shown
    assert f"case.pdf (application/pdf, {len(data)} bytes)" in shown["subquestionText"]


def test_a_key_of_another_session_or_variable_is_refused_and_nothing_is_saved(stack):
    owner, other = _session(stack), _session(stack)
    _, signed = _form(stack, owner)
    _to_s3(signed, big_pdf(200_000))
    status, refused = _answer(stack, other, [{"field": "case_file", "key": signed["key"], "filename": "x.pdf"}])
    assert status == 400
    assert "another session" in refused["message"]
    status, refused = _answer(stack, owner, [{"field": "photo", "key": signed["key"], "filename": "x.pdf"}])
    assert status == 400
    assert "not uploaded for the field photo" in refused["message"]
    status, variables = api_call(stack, "GET", "/api/session?" + "&".join(f"{k}={v}" for k, v in _ids(owner).items()))
    assert status == 200
    assert "user_name" not in variables  # the refused POSTs set nothing


def test_the_form_needs_the_sessions_secret_a_variable_name_and_a_size_within_the_limit(stack):
    session = _session(stack)
    status, refused = api_call(stack, "POST", "/api/session/upload",
                               {**_ids(session), "secret": "wrong" * 6, "field": "case_file", "size": 10})
    assert status in (401, 403)
    status, refused = _form(stack, session, field="__class__")
    assert status == 400
    assert "names no field" in refused["message"]
    status, refused = _form(stack, session, size=MOST + 1)
    assert status == 400
    assert "too large" in refused["message"]
    status, refused = _answer(stack, session, [{"field": "case_file", "key": "nope", "filename": "x.pdf"}])
    assert status == 400
    assert "never gives out" in refused["message"]
