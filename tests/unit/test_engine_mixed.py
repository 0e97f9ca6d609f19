"""Interviews of our own that combine the corpus's constructs in other ways, stepped to their end."""

from __future__ import annotations

import re

from offstage.interview import load_interview_text

from tests.support.harness import Harness

HOUSEHOLD = """\
metadata:
  title: Household
---
objects:
  - parent: DAObject
  - children: DAList.using(object_type=DAObject, complete_attribute='age')
---
mandatory: True
code: |
  need(parent.name, children.gather(), summary)
  done
---
question: Who are you?
fields:
  - Name: parent.name
  - Age: parent.age
    datatype: integer
---
question: Do you have children?
yesno: children.there_are_any
---
generic object: DAList
question: |
  What is the name of child number ${ i + 1 }?
fields:
  - Name: x[i].name
---
generic object: DAObject
question: How old is ${ x.name }?
fields:
  - Age: x.age
    datatype: integer
  - School: x.school
    code: |
      ['day school', 'boarding school'] if parent.age < 65 and x is not parent else ['day school']
---
question: Besides ${ children }, is there another child?
yesno: children.there_is_another
---
if: parent.age >= 65
question: Shall I list your grandchildren's parents by name, ${ parent.name }?
yesno: by_name
---
if: parent.age < 65
question: Shall I list your children by name, ${ parent.name }?
yesno: by_name
---
code: |
  if by_name:
    summary = parent.name + " has " + comma_and_list(
      [child.name + " (" + str(child.age) + ")" for child in children]) + "."
  else:
    summary = parent.name + " has " + str(len(children)) + " children."
---
event: done
question: ${ summary }
"""


def _household(age: str) -> Harness:
    h = Harness(load_interview_text(HOUSEHOLD, "household.yml"))
    assert h.text == "Who are you? Name Age"
    h.answer({"Name": "Rosa", "Age": age})
    assert h.text == "Do you have children? Yes No"
    h.press("Yes")
    so_far = {1: "Ana", 2: "Ana and Ben"}  # the question shows the list gathered so far
    for number, (name, years) in enumerate([("Ana", "9"), ("Ben", "7")], start=1):
        assert h.text == f"What is the name of child number {number}? Name"
        assert h.screen.fields[0].variable_name == f"children[{number - 1}].name"
        h.answer({"Name": name})
        assert h.text == f"How old is {name}? Age School"
        if age != "40":  # boarding is offered only to the younger parent
            assert h.answer({"Age": years, "School": "boarding school"}).validation_errors == {
                f"children[{number - 1}].school": "Please choose one of the options."}
        h.answer({"Age": years, "School": "boarding school" if age == "40" else "day school"})
        assert h.text == f"Besides {so_far[number]}, is there another child? Yes No"
        h.press("Yes" if number == 1 else "No")
    return h


def test_household_gathers_a_list_of_objects_and_picks_a_question_by_condition():
    h = _household("40")
    assert h.text == "Shall I list your children by name, Rosa? Yes No"
    h.press("Yes")
    assert h.text == "Rosa has Ana (9) and Ben (7)."
    assert [child.name for child in h.answers["children"]] == ["Ana", "Ben"]
    assert h.answers["children"][1].school == "boarding school"


def test_household_other_branch_of_the_if_modifier():
    h = _household("70")
    assert h.text == "Shall I list your grandchildren\u2019s parents by name, Rosa? Yes No"
    h.press("No")
    assert h.text == "Rosa has 2 children."
    assert [child.school for child in h.answers["children"]] == ["day school", "day school"]


def test_household_without_children():
    h = Harness(load_interview_text(HOUSEHOLD, "household.yml"))
    h.answer({"Name": "Sol", "Age": "30"})
    h.press("No")
    h.press("No")
    assert h.text == "Sol has 0 children."


ORDER = """\
objects:
  - order: DAObject
---
mandatory: True
code: |
  order.item
  if not order.quote.ready():
    waiting
  final
---
question: What would you like?
fields:
  - Item: order.item
  - Quantity: order.quantity
    datatype: integer
under: |
  [TARGET price]
check in: show_price
---
template: price_note
target: price
content: |
  % if action_argument('order.quantity'):
  That would be ${ action_argument('order.quantity') } of ${ action_argument('order.item') }.
  % else:
  How many?
  % endif
---
event: show_price
code: |
  price_note
---
code: |
  order.quote = background_action('work_out', 'refresh', quantity=order.quantity)
---
event: work_out
code: |
  background_response_action('keep_total', total=action_argument('quantity') * 3)
---
event: keep_total
code: |
  order.total = action_argument('total')
  background_response()
---
event: waiting
question: Working out your quote
reload: True
---
event: final
question: Your ${ order.item } will cost ${ currency(order.total) }.
"""


def test_order_targets_a_template_on_check_in_and_a_callback_sets_an_attribute():
    h = Harness(load_interview_text(ORDER, "order.yml"))
    assert h.text == "What would you like? Item Quantity"
    assert h.screen.targets == ["price"]
    assert 'class="datargetprice"' in h.screen.under_text
    first = h.checkin(values={"order.item": "", "order.quantity": ""}, initial=True)
    assert first == [{"action": "show_price", "value": {"target": "price", "content": "How many?"},
                      "extra": "backgroundresponse"}]
    typed = h.checkin(values={"Item": "tea", "Quantity": "4"}, changed="order.quantity")
    assert typed[0]["value"] == {"target": "price", "content": "That would be 4 of tea."}
    h.answer({"Item": "tea", "Quantity": "4"})
    assert h.text == "Working out your quote"
    assert h.run_background() == 1
    assert h.answers["order"].total == 12
    assert h.checkin() == [{"value": None, "extra": "refresh"}]  # as the worker stores it
    h.refresh()
    assert h.text == "Your tea will cost $12.00."


POINTS = """\
mandatory: True
code: |
  need(visitor, tally)
  goodbye
---
question: What is your name?
fields:
  - Name: visitor
---
code: |
  visits = []
---
reconsider: True
code: |
  points = 10 * len(visits)
---
sets: tally
question: You have ${ points } points, ${ visitor }.
subquestion: |
  [Visit again](${ url_action('visit') })

  [I am done](${ url_action('finish') })
---
event: visit
code: |
  visits.append(visitor)
---
event: finish
code: |
  tally = points
---
event: goodbye
question: Goodbye ${ visitor }, you end with ${ tally } points.
"""


def _action_of(h: Harness, label: str) -> str:
    from html import unescape
    from urllib.parse import parse_qs, urlparse

    from offstage.engine.actions import decode_action

    href = re.search(rf'<a href="([^"]+)">{label}</a>', h.screen.subquestion_text).group(1)  # type: ignore[arg-type]  # the screen has this text here
    return decode_action(parse_qs(urlparse(unescape(href)).query)["action"][0])[0]


def test_points_reconsider_sets_and_an_event_screen():
    h = Harness(load_interview_text(POINTS, "points.yml"))
    h.answer({"Name": "Kim"})
    assert h.text.startswith("You have 0 points, Kim.")
    for expected in (10, 20):
        h.action(_action_of(h, "Visit again"))
        assert h.text.startswith(f"You have {expected} points, Kim.")  # recomputed on every request
    h.refresh()
    assert h.text.startswith("You have 20 points, Kim.")
    h.action(_action_of(h, "I am done"))
    assert h.text == "Goodbye Kim, you end with 20 points."
    h.action("visit")
    assert h.text == "Goodbye Kim, you end with 20 points."  # tally was fixed when finished
    assert len(h.answers["visits"]) == 3


PETS = """
objects:
  - pets: DADict.using(object_type=DAObject, complete_attribute='kind')
  - owner: DAObject
---
mandatory: True
code: |
  need(owner.name)
  pets.gather()
  recap
---
question: Owner?
fields:
  - Name: owner.name
---
question: Any pets, ${ owner.name }?
yesno: pets.there_are_any
---
question: Name of a pet?
fields:
  - Name: pets.new_item_name
---
generic object: DADict
if: len(x.elements) == 1
question: What kind of animal is your first pet ${ i }?
fields:
  - Kind: x[i].kind
---
generic object: DADict
if: len(x.elements) > 1
question: What kind of animal is ${ i }?
fields:
  - Kind: x[i].kind
    code: |
      ['cat', 'dog']
---
question: So far ${ pets }. Another?
yesno: pets.there_is_another
---
event: recap
question: |
  ${ owner.name }: ${ comma_and_list([k + " the " + v.kind for k, v in pets.items()]) }
need: owner.name
"""


def test_pets_gathers_a_dictionary_with_a_generic_question_chosen_by_if():
    h = Harness(load_interview_text(PETS, "pets.yml"))
    h.answer({"Name": "Lee"})
    h.press("Yes")
    assert h.text == "Name of a pet? Name"
    h.answer({"Name": "Rex"})
    assert h.text == "What kind of animal is your first pet Rex? Kind"
    h.answer({"Kind": "wolf"})
    assert h.text == "So far Rex. Another? Yes No"
    h.press("Yes")
    h.answer({"Name": "Tom"})  # the second key is kept until its item is made
    assert h.text == "What kind of animal is Tom? Kind"
    assert h.answer({"Kind": "lion"}).validation_errors == {"pets['Tom'].kind": "Please choose one of the options."}
    h.answer({"Kind": "cat"})
    assert h.text == "So far Rex and Tom. Another? Yes No"
    h.press("No")
    assert h.text == "Lee: Rex the wolf and Tom the cat"
