"""AssemblyLine's whole `docassemble.AssemblyLine:assembly_line.yml`, included unchanged, on the local stack.

That file includes AssemblyLine's language, settings, saved-sessions, visual, document and question-library
YAML and ALToolbox's, and imports modules of AssemblyLine (al_courts with pandas, sessions with
sqlalchemy), ALToolbox and GithubFeedbackForm. tests/support/assemblyline.py installs the newest set the
package index here carries (AssemblyLine 4.7.0 with ALToolbox 0.18.0: 4.8.0 needs ALToolbox 0.19, which
it lacks) with `pip --no-deps`; pandas, sqlalchemy and humanize come from requirements-dev.txt.

Our interview (assemblyline_interviews/al_full_include.yml) asks for users[0]'s name and address by
AssemblyLine's own question blocks (ql_baseline.yml's `other users names`, `user i's address`).
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.support import assemblyline as wheel
from tests.support.api import api_call

pytestmark = pytest.mark.integration
HERE = Path(__file__).resolve().parent / "assemblyline_interviews"
INTERVIEW = "al_full_include.yml"
BIRTHDATE = "al_full_birthdate.yml"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from offstage.local.stack import LocalStack

    from tests.integration.test_assemblyline_flow import lay_out

    folder = lay_out(tmp_path_factory.mktemp("assemblyline-full"))  # the seed's interview and samples
    for ours in (INTERVIEW, BIRTHDATE):
        shutil.copy(HERE / ours, folder / ours)
    # the seed's `include: assembly_line.yml` (a file of AssemblyLine's own folder): here the whole of it
    (folder / "assembly_line.yml").write_text("include:\n  - docassemble.AssemblyLine:assembly_line.yml\n",
                                              encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SCREEN_TIME_LIMIT_SECONDS", "25")  # LibreOffice on a busy machine (as the flow test)
        with wheel.full_on_path(), LocalStack(interviews=[folder], with_http=True) as running:
            yield running


def _session(stack: Any) -> tuple[str, str]:
    status, body = api_call(stack, "GET", f"/api/session/new?i={INTERVIEW}")
    assert status == 200, body
    return body["session"], body["secret"]


def _screen(stack: Any, session: str, secret: str) -> dict[str, Any]:
    status, body = api_call(stack, "GET", f"/api/session/question?i={INTERVIEW}&session={session}&secret={secret}")
    assert status == 200, body
    return dict(body)


def _answer(stack: Any, session: str, secret: str, variables: dict[str, Any]) -> dict[str, Any]:
    status, body = api_call(stack, "POST", "/api/session",
                            {"i": INTERVIEW, "session": session, "secret": secret, "variables": variables})
    assert status == 200, body
    return dict(body)


def _names(screen: dict[str, Any]) -> list[str]:
    return [f.get("variable_name") for f in screen.get("fields", [])]


def test_the_first_screen_is_assemblylines_own_name_question(stack: Any) -> None:
    session, secret = _session(stack)
    screen = _screen(stack, session, secret)
    assert screen["questionText"] == "What is your name?"
    assert screen["block_id"] == "other users names"
    assert _names(screen)[:3] == ["users[0].name.first", "users[0].name.middle", "users[0].name.last"]


def test_the_name_leads_to_assemblylines_address_question_and_then_our_last_screen(stack: Any) -> None:
    session, secret = _session(stack)
    _screen(stack, session, secret)
    address = _answer(stack, session, secret, {"users[0].name.first": "Ada", "users[0].name.last": "Löve"})
    assert address["questionText"] == "What is your address?"
    assert address["block_id"] == "user i's address"
    assert {"users[0].address.address", "users[0].address.city"} <= set(_names(address))
    done = _answer(stack, session, secret, {
        "users[0].address.address": "1 Main Street", "users[0].address.city": "Springfield",
        "users[0].address.state": "MA", "users[0].address.zip": "01101", "users[0].address.country": "US"})
    assert done["questionText"] == "Thank you, Ada Löve", done
    assert "You live in Springfield. This is step 3." in done["subquestionText"]


def test_the_seeds_background_assembly_runs_with_the_whole_include(stack: Any) -> None:
    from tests.integration.test_assemblyline_flow import Walk, _flat
    from tests.support.files import pdf_text

    walk = Walk(stack, "background_usage_example.yml")
    assert walk.screen()["questionText"] == "Intro screen"
    assert walk.answer({"intro_screen": True})["questionText"] == \
        "Please wait while we generate a preview of your document"
    preview = walk.wait()
    assert preview["questionText"] == "Preview the documents"
    assert walk.answer({"preview_screen": True})["questionText"] == "Please wait while we make your documents"
    download = walk.wait()
    assert download["questionText"] == "Download the documents"
    links = walk.links(download)
    form = walk.fetch(next(h for label, h in links.items() if label.startswith("al_download") and "PDF 1" in label))
    assert "Sample input" in _flat(pdf_text(form, layout=False))
    archive = zipfile.ZipFile(io.BytesIO(walk.fetch(next(h for label, h in links.items()
                                                          if label.startswith("al_zip")))))
    assert sorted(archive.namelist()) == ["docx_doc_1.docx", "docx_doc_1.pdf", "pdf_doc_1.pdf"]


def test_alToolboxs_birthdate_datatype_checks_and_transforms_the_typed_date(stack: Any) -> None:
    status, body = api_call(stack, "GET", f"/api/session/new?i={BIRTHDATE}")
    assert status == 200, body
    session, secret = body["session"], body["secret"]

    def post(variables: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        status, body = api_call(stack, "POST", "/api/session",
                                {"i": BIRTHDATE, "session": session, "secret": secret, "variables": variables})
        return status, dict(body)

    status, asked = post({"users[0].name.first": "Ada", "users[0].name.last": "Löve"})
    assert asked["questionText"] == "When was Ada Löve born?"
    status, refused = post({"users[0].birthdate": "02/30/1990"})
    assert status == 400
    assert "02/30/1990 is not a valid date" in refused["errors"]["users[0].birthdate"]
    status, born = post({"users[0].birthdate": "12/10/1815"})
    assert status == 200
    assert born["questionText"] == "Born on 1815-12-10"
