"""A table's Edit on a list whose items have `complete_attribute='complete'`: the edited item's
completeness is worked out again, so a follow-up question the new answer calls for is asked (docassemble:
"the .complete attribute will be undefined ... and then the definition of .complete will be sought")."""

from __future__ import annotations

from offstage.interview.loader import load_interview_text

from tests.support.harness import Harness

PEOPLE = """\
objects:
  - person: DAList.using(object_type=Individual, there_are_any=True, complete_attribute='complete')
---
code: |
  person[i].name.first
  if person[i].fruit == 'apple':
    person[i].apple
  person[i].complete = True
---
question: Who is person ${ i + 1 }?
fields:
  - First Name: person[i].name.first
---
question: Favourite fruit of ${ person[i] }?
fields:
  - Fruit: person[i].fruit
---
question: Which apple does ${ person[i] } like?
fields:
  - Variety: person[i].apple
---
question: Anyone else?
yesno: person.there_is_another
---
mandatory: True
question: Summary
subquestion: |
  % for p in person:
  ${ p }: ${ p.fruit }
  % endfor
"""


def _one_peach_eater() -> Harness:
    h = Harness(load_interview_text(PEOPLE))
    h.answer({"person[0].name.first": "John"})
    h.answer({"person[0].fruit": "peach"})
    h.answer({"person.there_is_another": False})
    assert "John: peach" in h.text
    return h


def test_an_edit_that_now_calls_for_a_follow_up_asks_it_before_the_summary():
    h = _one_peach_eater()
    h.action("_da_list_edit", list="person", items=["person[0].fruit"])
    assert "Favourite fruit of John?" in h.text
    h.answer({"person[0].fruit": "apple"})
    assert "Which apple does John like?" in h.text  # the item's code ran again
    h.answer({"person[0].apple": "Fuji"})
    assert "John: apple" in h.text


def test_an_edit_that_changes_nothing_needed_goes_straight_back():
    h = _one_peach_eater()
    h.action("_da_list_edit", list="person", items=["person[0].fruit"])
    h.answer({"person[0].fruit": "plum"})
    assert "John: plum" in h.text
