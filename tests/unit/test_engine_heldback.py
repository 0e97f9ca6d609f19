"""Behaviours docassemble's own scenarios (its TestExamples.feature) check, each on a small interview."""

from __future__ import annotations

from typing import Any

import pytest
from offstage.errors import BadRequest
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
    h.answer({"fruit": "apple"})
    assert h.screen is not None
    assert "Under from code" in (h.screen.under_text or "")  # set_parts() is kept with the session


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
    assert field.default == "rival"  # the page ticks the choice whose value is that object's name
    assert [c["label"] for c in field.choices or [] if c["value"] == "rival"] == ["Tom"]
    h.answer({"villain": field.default})
    assert "Tom will surely be defeated!" in h.text


DISABLE_OTHERS = """\
objects:
  - hero: Individual
  - rival: Individual
  - villain: Individual
  - cast: DAList.using(auto_gather=False, gathered=True)
---
mandatory: True
code: |
  hero.name.first = "Harry"
  rival.name.first = "Tom"
  cast.append(hero, rival)
---
question: Who is the villain?
fields:
  - One of these: villain
    datatype: object
    choices: cast
    disable others: True
  - First Name: villain.name.first
---
mandatory: True
question: ${ villain } will surely be defeated!
"""


def test_disable_others_an_empty_choice_lets_the_other_fields_describe_a_new_object() -> None:
    h = Harness(load_interview_text(DISABLE_OTHERS))
    assert h.screen is not None
    assert h.screen.fields[0].required is False
    h.answer({"villain": "", "villain.name.first": "Damon"})
    assert "Damon will surely be defeated!" in h.text


def test_disable_others_a_chosen_object_turns_the_other_fields_off() -> None:
    h = Harness(load_interview_text(DISABLE_OTHERS))
    h.answer({"villain": "Tom", "villain.name.first": ""})
    assert "Tom will surely be defeated!" in h.text


APPEND_RENAMES = """\
objects:
  - person: DAList.using(object_type=Individual, there_are_any=True)
  - doctor: Individual
---
question: Name of person ${ i + 1 }?
fields:
  - First: person[i].name.first
---
question: Age of ${ person[i] }?
fields:
  - Age: person[i].age
    datatype: integer
---
question: Another?
yesno: person.there_is_another
---
question: Who is your doctor?
fields:
  - First: doctor.name.first
---
mandatory: True
code: |
  person.gather()
  need(doctor.name.first)
  person.append(doctor, set_instance_name=True)
---
mandatory: True
question: |
  % for y in person:
  ${ y } is ${ y.age }.
  % endfor
"""


def test_appending_an_object_with_set_instance_name_asks_its_attributes_under_its_place_in_the_list() -> None:
    h = Harness(load_interview_text(APPEND_RENAMES))
    h.answer({"person[0].name.first": "Fred"})
    h.press("No")
    h.answer({"doctor.name.first": "Bamm"})
    assert "Age of Fred?" in h.text
    h.answer({"person[0].age": "40"})
    assert "Age of Bamm?" in h.text  # asked as person[1].age: the doctor and its name were renamed
    assert h.screen is not None
    assert h.screen.fields[0].variable_name == "person[1].age"
    h.answer({"person[1].age": "4"})
    assert "Fred is 40. Bamm is 4." in h.text


REVIEW = """\
question: Your name?
fields:
  - Name: name
---
question: Your fruit?
fields:
  - Fruit: fruit
---
mandatory: True
question: Thanks, ${ name }, who likes ${ fruit }.
---
event: review_answers
question: Edit your answers
review:
  - Change: name
    button: Your name is ${ name }.
  - note: Fruit is **${ fruit }**.
"""


def test_a_review_screen_links_to_each_answer_comes_back_after_it_and_resumes() -> None:
    h = Harness(load_interview_text(REVIEW))
    h.answer({"name": "Ann"})
    h.answer({"fruit": "fig"})
    h.action("review_answers")
    assert h.screen is not None
    assert h.screen.continue_label == "Resume"
    assert "Your name is Ann." in h.text
    assert "Fruit is fig." in h.text
    assert 'da-review-edit">Change</a>' in (h.screen.subquestion_text or "")
    h.action("name")
    assert "Your name?" in h.text
    h.answer({"name": "Bob"})
    assert "Your name is Bob." in h.text  # back on the review screen
    h.press("Resume")
    assert "Thanks, Bob, who likes fig." in h.text


REVIEW_ACTIONS = """\
event: review_sum
question: Revisit the sum
review:
  - Change this:
      - undefine:
          - a
          - b
      - recompute:
          - total
    button: ${ a } + ${ b } = ${ total }
---
code: |
  total = a + b
---
mandatory: True
question: The total is ${ total }.
---
question: a?
fields:
  - a: a
    datatype: integer
---
question: b?
fields:
  - b: b
    datatype: integer
"""


def test_a_review_items_actions_undefine_and_recompute_then_come_back_to_the_review() -> None:
    h = Harness(load_interview_text(REVIEW_ACTIONS))
    h.answer({"a": "1"})
    h.answer({"b": "2"})
    assert "The total is 3." in h.text
    h.action("review_sum")
    assert "1 + 2 = 3" in h.text
    h.action("_da_review_apply", block="block-1", item=0)
    assert "a?" in h.text
    h.answer({"a": "10"})
    h.answer({"b": "20"})
    assert "10 + 20 = 30" in h.text  # back on the review screen, recomputed
    h.press("Resume")
    assert "The total is 30." in h.text


def test_a_review_action_link_that_names_no_review_item_is_refused() -> None:
    h = Harness(load_interview_text(REVIEW_ACTIONS))
    h.answer({"a": "1"})
    with pytest.raises(BadRequest, match="does not name an item of a review screen"):
        h.action("_da_review_apply", block="block-1", item=7)
    assert "b?" in h.text  # nothing lost: the same question


def test_a_review_item_that_needs_an_answer_not_given_yet_is_left_out() -> None:
    h = Harness(load_interview_text(REVIEW))
    h.answer({"name": "Ann"})
    h.action("review_answers")  # the fruit is not answered yet: its note is left out, nothing is asked
    assert "Edit your answers" in h.text
    assert "Your name is Ann." in h.text
    assert "Fruit is" not in h.text


ERROR_ACTION_SCREEN = """\
metadata:
  error action: when_broken
---
event: when_broken
question: Something broke (${ action_argument('error_message') }).
---
mandatory: True
question: Ready?
field: ready
---
mandatory: True
code: |
  ratio = 1 / 0
"""


def test_the_error_action_shows_its_question_in_place_of_the_error_screen() -> None:
    h = Harness(load_interview_text(ERROR_ACTION_SCREEN))
    h.press("Continue")
    assert h.screen is not None
    assert h.screen.question_type != "error"
    assert "Something broke (division by zero)." in h.text


ERROR_ACTION_LOGIC = """\
metadata:
  error action: went_wrong
---
code: |
  healthy = True
---
event: went_wrong
code: |
  healthy = False
---
mandatory: True
code: |
  if not healthy:
    spare = "filled in"
  spare
  done_screen
---
code: |
  spare = 1 / 0
---
event: done_screen
question: The spare is ${ spare }.
"""


def test_the_error_action_can_change_the_logic_and_the_interview_goes_on_and_is_saved() -> None:
    h = Harness(load_interview_text(ERROR_ACTION_LOGIC))
    assert "The spare is filled in." in h.text
    assert h.answers.get("healthy") is False  # the step was saved


ERROR_ACTION_FAILS_TOO = """\
metadata:
  error action: also_broken
---
event: also_broken
code: |
  nothing = {}["missing"]
---
mandatory: True
code: |
  ratio = 1 / 0
"""


def test_an_error_in_the_error_action_is_the_error_shown() -> None:
    h = Harness(load_interview_text(ERROR_ACTION_FAILS_TOO))
    assert h.screen is not None
    assert h.screen.question_type == "error"
    assert "KeyError" in h.text


DEPENDS_ON = """\
question: Width?
fields:
  - Width: width
    datatype: integer
---
question: Height for width ${ width }?
fields:
  - Height: height
    datatype: integer
depends on:
  - width
---
code: |
  area = width * height
depends on:
  - width
  - height
---
code: |
  double_width = width * 2
depends on: width
---
mandatory: True
question: Area ${ area }, double width ${ double_width }.
"""


def test_depends_on_forgets_what_depends_on_a_changed_answer_and_asks_or_computes_it_again() -> None:
    h = Harness(load_interview_text(DEPENDS_ON))
    h.answer({"Width": "3"})
    h.answer({"Height": "4"})
    assert "Area 12, double width 6." in h.text
    h.action("width")
    h.answer({"Width": "3"})  # the same value: no change, nothing forgotten
    assert "Area 12, double width 6." in h.text
    h.action("width")
    h.answer({"Width": "5"})
    assert "Height for width 5?" in h.text
    h.answer({"Height": "2"})
    assert "Area 10, double width 10." in h.text


OBJECT_NOT_DESCRIBED_YET = """\
objects:
  - home: Address.using(choice_name="My home")
  - elsewhere: Address.using(choice_name="Somewhere else")
  - delivery: Address
---
question: Deliver where?
fields:
  - no label: delivery
    datatype: object_radio
    choices:
      - home
      - elsewhere
    object labeler: |
      lambda a: a.choice_name
    none of the above: A new place
  - Street: delivery.address
    show if:
      variable: delivery
      is: null
  - City: delivery.city
    show if:
      variable: delivery
      is: null
---
code: |
  home.address = "1 Main St"
  home.city = "Springfield"
---
mandatory: True
question: Delivering to ${ delivery.address }, ${ delivery.city }.
"""


def test_object_choices_labelled_by_the_labeler_need_no_text_of_their_objects_and_are_named_on_the_page() -> None:
    h = Harness(load_interview_text(OBJECT_NOT_DESCRIBED_YET))
    assert h.screen is not None
    assert "Deliver where?" in h.text  # `elsewhere` has no address: its text is never asked for
    assert [(c["value"], c["label"]) for c in h.screen.fields[0].choices or []] == [
        ("home", "My home"), ("elsewhere", "Somewhere else")]
    h.step(posted={"delivery": "home"}, question_id=h.screen.block_id)
    assert "Delivering to 1 Main St, Springfield." in h.text


def test_none_of_the_above_of_an_object_radio_keeps_the_object_and_sets_its_attributes() -> None:
    h = Harness(load_interview_text(OBJECT_NOT_DESCRIBED_YET))
    assert h.screen is not None
    h.step(posted={"delivery": "None", "delivery.address": "9 Elm St", "delivery.city": "Shelbyville"},
           question_id=h.screen.block_id)
    assert "Delivering to 9 Elm St, Shelbyville." in h.text


NUMBER_CHOICES = """\
question: What is 2+2?
fields:
  - Answer: answer
    choices:
      - 3
      - 4
  - How many: how_many
    datatype: integer
    choices:
      - 1
      - 2
---
mandatory: True
question: |
  % if answer == "4" and how_many == 2:
  Right.
  % endif
"""


def test_number_choices_of_a_field_without_a_datatype_answer_as_text_as_in_docassemble() -> None:
    h = Harness(load_interview_text(NUMBER_CHOICES))
    assert h.screen is not None
    h.step(posted={"answer": "4", "how_many": "2"}, question_id=h.screen.block_id)
    assert h.answers["answer"] == "4"
    assert h.answers["how_many"] == 2
    assert "Right." in h.text


def test_a_questions_back_button_setting_is_on_its_screen() -> None:
    h = Harness(load_interview_text("question: Sky blue?\nyesno: blue\nback button: True\n"
                                    "---\nmandatory: True\nquestion: ${ blue }\n"))
    assert h.screen is not None
    assert h.screen.to_json()["questionBackButton"] is True


REVIEW_LISTS = """\
question: Fruit?
field: fruit
choices:
  - Apple
  - Pear
---
if: fruit == 'Apple'
question: Which apple?
fields:
  - Variety: variety
---
question: Vegetable?
fields:
  - Vegetable: vegetable
---
mandatory: True
question: Done with ${ fruit } and ${ vegetable }.
---
event: review_food
question: Revisit
review:
  - Edit:
      - fruit
      - vegetable
    button: Both, ${ fruit } and ${ vegetable }.
  - label: Change fruit
    fields:
      - fruit
      - follow up:
          - variety
    button: |
      Fruit ${ fruit }.
      % if fruit == 'Apple':
      Variety ${ variety }.
      % endif
  - note: All answered.
    show if:
      - fruit
      - vegetable
---
event: review_with_field
question: Check
review:
  - Change: vegetable
continue button field: checked
"""


def _first_review_link(h: Harness) -> Any:
    import base64
    import html
    import json
    import re
    from urllib.parse import parse_qs, urlparse

    assert h.screen is not None
    href = html.unescape(re.findall(r'<a href="([^"]+)" class="btn btn-sm btn-secondary da-review-edit"',
                                    h.screen.subquestion_text or "")[0])
    action = parse_qs(urlparse(href).query)["action"][0]
    return json.loads(base64.urlsafe_b64decode(action + "=" * (-len(action) % 4)))


def _pick(h: Harness, fruit: str) -> None:
    assert h.screen is not None
    h.step(posted={"fruit": fruit}, question_id=h.screen.block_id)


def test_a_review_items_list_of_variables_asks_each_again_in_order_then_comes_back() -> None:
    h = Harness(load_interview_text(REVIEW_LISTS))
    _pick(h, "Pear")
    h.answer({"vegetable": "kale"})
    h.action("review_food")
    assert "Both, Pear and kale." in h.text
    assert "All answered." in h.text
    assert _first_review_link(h) == {"action": "_da_force_ask", "arguments": {"variables": ["fruit", "vegetable"]}}
    h.action("_da_force_ask", variables=["fruit", "vegetable"])  # the Edit link's action
    assert "Fruit?" in h.text
    _pick(h, "Pear")
    assert "Vegetable?" in h.text
    h.answer({"vegetable": "leek"})
    assert "Both, Pear and leek." in h.text


def test_a_review_items_follow_up_is_asked_again_only_when_a_question_for_it_applies() -> None:
    h = Harness(load_interview_text(REVIEW_LISTS))
    _pick(h, "Apple")
    h.answer({"variety": "Fuji"})
    h.answer({"vegetable": "kale"})
    h.action("review_food")
    h.action("_da_review_apply", block="block-5", item=1)
    _pick(h, "Pear")
    assert "Fruit Pear." in h.text  # no apple question applies: back on the review
    h.action("_da_review_apply", block="block-5", item=1)
    _pick(h, "Apple")
    assert "Which apple?" in h.text
    h.answer({"variety": "Gala"})
    assert "Variety Gala." in h.text


def test_a_review_items_show_if_list_waits_for_every_variable_and_a_review_with_a_field_continues() -> None:
    h = Harness(load_interview_text(REVIEW_LISTS))
    _pick(h, "Pear")
    h.action("review_food")
    assert "All answered." not in h.text
    h.action("review_with_field")
    assert h.screen is not None
    assert h.screen.continue_label == "Continue"


def test_a_show_if_naming_a_field_of_an_iterated_question_names_it_as_the_screen_does() -> None:
    h = Harness(load_interview_text("""\
objects:
  - pay: DADict.using(object_type=DAObject, keys=['rent'], there_is_another=False)
---
question: Income from ${ i }
fields:
  - Any?: pay[i].receives
    datatype: yesnoradio
  - How much?: pay[i].amount
    show if: pay[i].receives
  - Why?: pay[i].why
    show if:
      variable: pay[i].receives
      is: False
---
mandatory: True
question: ${ pay['rent'].receives }
"""))
    assert h.screen is not None
    extras = {f.variable_name: f.extras for f in h.screen.fields}
    assert extras["pay['rent'].amount"]["show if"] == "pay['rent'].receives"
    assert extras["pay['rent'].why"]["show if"]["variable"] == "pay['rent'].receives"
