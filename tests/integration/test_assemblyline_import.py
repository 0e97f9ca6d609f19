"""A published docassemble package runs unchanged: docassemble.AssemblyLine's al_general module.

The wheel comes from the package index with `pip install --no-deps` into a directory kept inside the
virtualenv (installed once), is put on sys.path, and its ALIndividual / ALAddress / ALPeopleList
classes answer questions in an interview of ours, on the local stack (DynamoDB in moto stores them).
"""

from __future__ import annotations

import importlib
from pathlib import Path

import offstage  # noqa: F401 - serves docassemble.base.util
import pytest

from tests.support import assemblyline as wheel
from tests.support.api import api_call as call


@pytest.fixture(scope="module")
def assemblyline():
    """The AssemblyLine wheel's files on sys.path (no dependencies: docassemble itself is offstage)."""
    with wheel.on_path() as target:
        yield target


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


def test_al_document_and_its_neighbours_import_unchanged(assemblyline):
    from docassemble.base.util import DAFile, DAList

    al_document = importlib.import_module("docassemble.AssemblyLine.al_document")
    assert Path(str(al_document.__file__)).is_relative_to(assemblyline)
    assert issubclass(al_document.ALDocumentBundle, DAList)
    assert al_document.DAFile is DAFile
    assert al_document.pdf_to_pdfa.__module__ == "offstage.library.pdfa"
    for neighbour in ("custom_jinja_filters", "sign"):
        importlib.import_module(f"docassemble.AssemblyLine.{neighbour}")


def test_assemblylines_sessions_module_imports_and_its_sql_store_is_refused_by_name(assemblyline):
    # sessions.py works on docassemble's SQL store of sessions, which offstage does not have: it imports
    # (with sqlalchemy installed), and what reaches the store says it is not provided
    sessions = importlib.import_module("docassemble.AssemblyLine.sessions")
    with pytest.raises(NotImplementedError, match=r"safe_json is not provided by offstage"):
        sessions.update_session_metadata("intake.yml", "a-session", {"progress": 50})


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


DOCUMENTS = """\
modules:
  - docassemble.AssemblyLine.al_general
  - docassemble.AssemblyLine.al_document
---
objects:
  - client: ALIndividual
  - letter: ALDocument.using(title="Letter to the court", filename="letter", has_addendum=False)
  - cover: ALDocument.using(title="Cover sheet", filename="cover", enabled=True, has_addendum=False)
  - bundle: ALDocumentBundle.using(elements=[cover, letter], filename="all_forms", title="All forms", enabled=True)
---
mandatory: True
code: |
  client.name.first
  client.address.address
  client.wants_letter
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
  - City: client.address.city
  - State: client.address.state
  - Zip: client.address.zip
---
question: Include the letter?
yesno: client.wants_letter
---
code: |
  letter.enabled = client.wants_letter
---
attachment:
  variable name: letter[i]
  name: Letter
  filename: letter
  valid formats: [pdf, docx]
  content: |
    Dear court, ${ client.name.full() } of ${ client.address.on_one_line() } writes.
---
attachment:
  variable name: cover[i]
  name: Cover
  filename: cover
  valid formats: [pdf, docx]
  content: |
    Cover sheet for ${ client.name.full() }.
---
generic object: ALDocumentBundle
template: x.view_label
content: View
---
generic object: ALDocumentBundle
template: x.download_label
content: Download
---
generic object: ALDocumentBundle
template: x.zip_label
content: Download all
---
generic object: ALDocumentBundle
template: x.send_label
content: Send
---
event: final
question: Forms for ${ client.name_full() }
subquestion: |
  Enabled: ${ comma_and_list([doc.title for doc in bundle.enabled_documents()]) }.

  Pages: ${ bundle.as_pdf().num_pages() }.

  [Everything as one PDF](${ bundle.as_pdf().url_for() })

  ${ bundle.download_list_html(include_zip=True) }

  Editable copy: ${ bundle.as_docx().filename }.
"""


@pytest.fixture(scope="module")
def stack(assemblyline, tmp_path_factory):
    from offstage.local.stack import LocalStack

    folder = tmp_path_factory.mktemp("al_interviews")
    (folder / "al_people.yml").write_text(INTERVIEW)
    (folder / "al_documents.yml").write_text(DOCUMENTS)
    # the documents screen converts several documents with LibreOffice, which on a loaded 2-core machine
    # can pass the 10 s screen limit: raised as an operator would (the limit is tested in test_runaway.py)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SCREEN_TIME_LIMIT_SECONDS", "25")
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


def test_assemblyline_documents_and_bundles_keep_working_across_requests(stack):
    import html
    import io
    import re
    import urllib.request
    import zipfile

    from tests.support.files import pdf_text

    _, session = call(stack, "GET", "/api/session/new?i=al_documents.yml")
    keys = {"i": "al_documents.yml", "session": session["session"], "secret": session["secret"]}

    def post(variables):
        status, screen = call(stack, "POST", "/api/session", {**keys, "variables": variables})
        assert status == 200, screen
        return screen

    post({"client.name.first": "Jane", "client.name.last": "Doe"})
    post({"client.address.address": "1 Main St", "client.address.city": "Boston",
          "client.address.state": "MA", "client.address.zip": "02110"})
    final = post({"client.wants_letter": True})
    # each request rebuilt the ALIndividual, ALDocument and ALDocumentBundle from the stored answers
    _, again = call(stack, "GET", f"/api/session/question?i=al_documents.yml&session={session['session']}"
                                  f"&secret={session['secret']}")
    for screen in (final, again):
        assert screen["questionText"] == "Forms for Jane Doe", screen
        assert "Enabled: Cover sheet and Letter to the court." in screen["subquestionText"]
        assert "Pages: 2." in screen["subquestionText"]
    assert "Editable copy: all_forms.docx." in again["subquestionText"]
    # AssemblyLine shows View (the URL ends in .pdf) and Download for each document, and the ZIP
    assert again["subquestionText"].count("al_view") == 2
    assert again["subquestionText"].count("al_download") == 2
    links = [html.unescape(link) for link in re.findall(r'href="([^"]+)"', again["subquestionText"])]

    def fetch(link):
        request = urllib.request.Request(stack.url + link[link.index("/interview/file"):], headers={
            "X-API-Key": stack.api_key, "X-Session-Secret": session["secret"]})
        with urllib.request.urlopen(request) as response:
            return response.headers["Content-Disposition"], response.read()

    named, data = fetch(next(link for link in links if link.endswith("all_forms.pdf")))
    assert 'filename="all_forms.pdf"' in named
    text = " ".join(pdf_text(data).split())
    assert "Cover sheet for Jane Doe." in text
    assert "Dear court, Jane Doe of 1 Main St, Boston, MA 02110 writes." in text
    named, data = fetch(next(link for link in links if link.endswith(".zip")))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["cover.pdf", "letter.pdf"], archive.namelist()
        assert "Dear court, Jane Doe" in pdf_text(archive.read("letter.pdf"))


def test_every_assemblyline_object_class_round_trips_through_the_answers_codec(assemblyline):
    import inspect

    from offstage.answers.codec import dumps, loads
    from offstage.library.objects import DAObject

    modules = ("docassemble.AssemblyLine.al_general", "docassemble.AssemblyLine.al_document")
    made = {}
    for name in modules:
        module = importlib.import_module(name)
        for member in module.__all__:
            cls = getattr(module, member)
            if inspect.isclass(cls) and issubclass(cls, DAObject) and cls.__module__ == name:
                made[member] = cls(member)
    assert len(made) >= 20
    assert "ALExhibitList" in made
    assert "ALDocumentBundle" in made
    skipped: list[str] = []
    back = loads(dumps(made, allowed_modules=modules, skipped=skipped), allowed_modules=modules)
    assert skipped == []
    for name, obj in made.items():
        assert type(back[name]) is type(obj)
        assert back[name].instanceName == name
        assert set(vars(back[name])) == set(vars(obj)), name  # e.g. ALExhibitList.auto_labeler (a function)
    assert back["ALExhibitList"].auto_labeler(0) == "A"
