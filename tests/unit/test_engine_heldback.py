"""Behaviours docassemble's own scenarios (its TestExamples.feature) check, each on a small interview."""

from __future__ import annotations

from offstage.interview import load_interview_text

from tests.support.harness import Harness

UNDER_OVERRIDES = """\
default screen parts:
  under: The default under
---
mandatory: True
code: |
  set_parts(under="Under from code")
---
question: Fruit?
fields:
  - Fruit: fruit
under: Under of the question
---
mandatory: True
question: Vegetable with ${ fruit }?
fields:
  - Vegetable: vegetable
"""


def test_a_questions_own_under_wins_over_set_parts_and_default_screen_parts() -> None:
    h = Harness(load_interview_text(UNDER_OVERRIDES))
    assert h.screen is not None
    assert "Under of the question" in (h.screen.under_text or "")
    assert "Under from code" not in h.text


OBJECT_DEFAULT = """\
objects:
  - hero: Individual
  - rival: Individual
---
code: |
  hero.name.first = "Harry"
  rival.name.first = "Tom"
---
question: Who is the villain?
fields:
  - The villain is: villain
    datatype: object_radio
    default: rival
    choices:
      - hero
      - rival
---
mandatory: True
question: ${ villain } will surely be defeated!
"""


def test_an_object_fields_default_names_the_object_chosen_on_the_page() -> None:
    h = Harness(load_interview_text(OBJECT_DEFAULT))
    assert h.screen is not None
    field = h.screen.fields[0]
    assert field.default == "Tom"  # the page ticks the choice whose value is that text
    h.answer({"villain": field.default})
    assert "Tom will surely be defeated!" in h.text
