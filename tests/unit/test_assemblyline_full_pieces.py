"""The pieces offstage gained so that AssemblyLine's whole assembly_line.yml runs: custom datatypes,
url_ask links, all_variables(special=...), the step count, docassemble's session-store modules refused
by name on use, and a few small functions (encode_name, random_alphanumeric, get_current_info ...).

The whole include itself runs in tests/integration/test_assemblyline_full_include.py.
"""

from __future__ import annotations

import offstage  # noqa: F401 - serves docassemble's module names
import pytest
from offstage.errors import InterviewInvalid
from offstage.interview import load_interview_text

from tests.support.harness import Harness

SHOUTED = """\
metadata:
  title: Custom datatype
  short title: Shout
---
modules:
  - tests.support.custom_datatype_sample
---
mandatory: True
code: |
  motto
  done
---
question: Your motto?
fields:
  - Motto: motto
    datatype: shouted
    shoutLabel: Say it loud
---
event: done
question: |
  ${ motto } (${ all_variables(special='metadata')['short title'] },
  ${ all_variables(special='titles')['short'] })
"""


def test_a_custom_datatype_field_keeps_its_own_keys_and_its_class_checks_and_transforms_the_answer() -> None:
    interview = load_interview_text(SHOUTED, name="shouted.yml")
    field = next(f for b in interview.blocks for f in getattr(b, "fields", []))
    assert field.extras["custom parameters"] == {"shoutLabel": "Say it loud"}
    h = Harness(interview)
    h.step()
    h.answer({"motto": "be brave"})
    assert "BE BRAVE! (Shout, Shout)" in h.text


@pytest.mark.parametrize(("typed", "message"), [("4 ever", "Letters only, please"),
                                                ("yes!", "No exclamation marks")])
def test_a_custom_datatype_refuses_what_its_class_refuses_and_nothing_is_saved(typed: str, message: str) -> None:
    h = Harness(load_interview_text(SHOUTED, name="shouted.yml"))
    h.step()
    result = h.answer({"motto": typed})
    assert message in result.validation_errors["motto"]
    assert "motto" not in h.answers


def test_an_unknown_key_on_a_built_in_datatype_is_still_refused() -> None:
    source = "question: Q\nfields:\n  - Name: name\n    datatype: text\n    shoutLabel: x\n"
    with pytest.raises(InterviewInvalid, match="unknown key 'shoutLabel' in the field for 'Name'"):
        load_interview_text(source, name="refused.yml")


ASKING = """\
mandatory: True
code: |
  colour
  shape
  summary
---
question: Colour?
fields:
  - Colour: colour
---
question: Shape?
fields:
  - Shape: shape
---
question: Summary
subquestion: |
  ${ colour } ${ shape }
  [Change both](${ url_ask(['colour', {'recompute': ['shape']}]) })
event: summary
"""


def test_a_url_ask_link_asks_its_names_again_in_order() -> None:
    h = Harness(load_interview_text(ASKING, name="asking.yml"))
    h.step()
    h.answer({"colour": "red"})
    h.answer({"shape": "round"})
    assert "red round" in h.text
    h.action("_da_force_ask", variables=["colour", "shape"])
    assert h.screen.question_text == "Colour?"
    h.answer({"colour": "blue"})
    assert h.screen.question_text == "Shape?"
    h.answer({"shape": "square"})
    assert "blue square" in h.text


def test_url_ask_refuses_what_offstage_does_not_do_and_links_refuse_undefined_names() -> None:
    from offstage.engine.ask_links import checked, names_of
    from offstage.errors import BadRequest

    assert names_of(["a.b", {"recompute": ["c[0]"]}]) == ["a.b", "c[0]"]
    with pytest.raises(ValueError, match="url_ask: 'set' is not provided by offstage"):
        names_of([{"set": [{"a": 1}]}])
    with pytest.raises(BadRequest, match="does not define"):
        checked({"variables": ["nothing_defines_this"]}, lambda _name: False)
    with pytest.raises(BadRequest, match="does not define"):
        checked({"variables": ["__import__('os')"]}, lambda _name: True)


def test_docassemble_session_store_modules_import_and_refuse_by_name_when_used() -> None:
    from docassemble.base.util import create_session
    from docassemble.webapp.db import session_scope
    from docassemble.webapp.jsonstore import JsonStorage

    with pytest.raises(NotImplementedError, match="create_session is not provided by offstage"):
        create_session("x.yml")
    with pytest.raises(NotImplementedError, match="session_scope is not provided by offstage"):
        session_scope()
    with pytest.raises(NotImplementedError, match="JsonStorage is not provided by offstage"):
        JsonStorage(filename="x")
    with pytest.raises(ImportError, match=r"docassemble\.base\.util\.send_fax is not provided by offstage"):
        exec("from docassemble.base.util import send_fax", {})  # noqa: S102 - our own literal: an import's error


def test_small_functions_package_code_imports() -> None:
    from docassemble.base.functions import get_current_info
    from docassemble.base.generate_key import random_alphanumeric
    from docassemble.base.util import decode_name, encode_name, interview_menu

    assert encode_name("users[0].name.first") == "dXNlcnNbMF0ubmFtZS5maXJzdA"
    assert decode_name(encode_name("a.b")) == "a.b"
    key = random_alphanumeric(32)
    assert len(key) == 32
    assert key.isalnum()
    assert interview_menu() == []
    assert isinstance(get_current_info(), dict)
