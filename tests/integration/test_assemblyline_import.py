"""A published docassemble package runs unchanged: docassemble.AssemblyLine's al_general module.

The wheel comes from the package index with `pip install --no-deps` into a directory kept inside the
virtualenv (installed once), is put on sys.path, and its ALIndividual / ALAddress / ALPeopleList
classes answer questions in an interview of ours, on the local stack (DynamoDB in moto stores them).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import offstage  # noqa: F401 - serves docassemble.base.util
import pytest

from tests.support.api import api_call as call

TARGET = Path(sys.prefix) / "cache" / "docassemble-assemblyline-4"
REQUIREMENT = "docassemble.AssemblyLine>=4,<5"


@pytest.fixture(scope="module")
def assemblyline():
    """The AssemblyLine wheel's files on sys.path (no dependencies: docassemble itself is offstage)."""
    if not (TARGET / "docassemble" / "AssemblyLine" / "al_general.py").is_file():
        result = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-compile",
                                 "--target", str(TARGET), REQUIREMENT], capture_output=True, text=True,
                                check=False)
        assert result.returncode == 0, f"pip could not install {REQUIREMENT}: {result.stderr[-2000:]}"
    sys.path.insert(0, str(TARGET))
    importlib.invalidate_caches()
    yield TARGET
    sys.path.remove(str(TARGET))


def test_al_general_imports_unchanged(assemblyline):
    from docassemble.base.util import Address, Individual

    al_general = importlib.import_module("docassemble.AssemblyLine.al_general")
    assert Path(str(al_general.__file__)).is_relative_to(assemblyline)
    assert issubclass(al_general.ALIndividual, Individual)
    assert issubclass(al_general.ALAddress, Address)


def test_its_language_module_reads_the_package_data_file(assemblyline):
    language = importlib.import_module("docassemble.AssemblyLine.language")
    # path_and_mimetype('docassemble.AssemblyLine:data/sources/languages.yml') inside the package
    assert language.get_tuples(["en", "es"]) == [("English", "en"), ("Español", "es")]


def test_what_assemblyline_still_lacks_fails_naming_the_missing_name(assemblyline):
    # al_document needs docassemble's PDF and DOCX helpers, which offstage does not provide yet
    with pytest.raises(ImportError, match="is not provided by offstage"):
        importlib.import_module("docassemble.AssemblyLine.al_document")


INTERVIEW = """\
modules:
  - docassemble.AssemblyLine.al_general
---
objects:
  - client: ALIndividual
  - others: ALPeopleList.using(object_type=ALIndividual)
---
initial: True
code: |
  set_info(user=client)
---
mandatory: True
code: |
  client.name.first
  client.address.address
  others.gather()
  final
---
question: What is your name?
fields:
  - First name: client.name.first
  - Last name: client.name.last
---
question: Where do you live?
fields:
  - Street: client.address.address
  - Unit: client.address.unit
    required: False
  - City: client.address.city
  - State: client.address.state
  - Zip: client.address.zip
---
question: Is anyone else involved?
yesno: others.there_are_any
---
question: Who else is involved?
fields:
  - First name: others[i].name.first
  - Last name: others[i].name.last
---
question: Anyone else?
yesno: others.there_is_another
---
event: final
question: Thank you, ${ client.name_full() }.
subquestion: |
  You live at ${ client.address.on_one_line() }.

  Also involved: ${ others.full_names() }.

  ${ client.pronoun_possessive('case', capitalize=True) } is open.
"""


@pytest.fixture(scope="module")
def stack(assemblyline, tmp_path_factory):
    from offstage.local.stack import LocalStack

    folder = tmp_path_factory.mktemp("al_interviews")
    (folder / "al_people.yml").write_text(INTERVIEW)
    with LocalStack(interviews=[folder], with_poller=False) as running:
        yield running


def test_assemblyline_people_and_addresses_answer_questions_over_the_api(stack):
    status, session = call(stack, "GET", "/api/session/new?i=al_people.yml")
    assert status == 200, session

    def post(variables):
        status, screen = call(stack, "POST", "/api/session", {
            "i": "al_people.yml", "session": session["session"], "secret": session["secret"],
            "variables": variables})
        assert status == 200, screen
        return screen["questionText"] + " " + screen.get("subquestionText", "")

    _, first = call(stack, "GET", f"/api/session/question?i=al_people.yml&session={session['session']}"
                                  f"&secret={session['secret']}")
    assert "What is your name?" in first["questionText"]
    assert "Where do you live?" in post({"client.name.first": "Jane", "client.name.last": "Doe"})
    assert "anyone else" in post({"client.address.address": "1 Main St", "client.address.unit": "4",
                                  "client.address.city": "Boston", "client.address.state": "MA",
                                  "client.address.zip": "02110"})
    assert "Who else" in post({"others.there_are_any": True})
    assert "Anyone else" in post({"others[0].name.first": "Bob", "others[0].name.last": "Roe"})
    text = post({"others.there_is_another": False})
    assert "Thank you, Jane Doe." in text
    assert "1 Main St, Unit 4, Boston, MA 02110" in text
    assert "Also involved: Bob Roe." in text
    assert "Your case is open." in text
