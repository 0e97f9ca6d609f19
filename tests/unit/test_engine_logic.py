"""Interview logic on interviews written for these tests: the mechanisms, not the corpus cases."""

from __future__ import annotations

import sys
import types

import pytest
from offstage.errors import UnknownAction
from offstage.interview import load_interview_text

from tests.support.harness import Harness


class Thing:
    """A tiny object following the library's protocol: a missing attribute names its full variable."""

    def __init__(self, name: str) -> None:
        self.instanceName = name

    def __getattr__(self, attr: str):
        if attr.startswith("__"):
            raise AttributeError(attr)
        error = AttributeError(attr)
        error.offstage_name = f"{self.instanceName}.{attr}"
        raise error


class Person(Thing):
    pass


class Bag(Thing):
    """A list whose missing items name themselves, like DAList."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.items: list = []

    def __getitem__(self, index: int):
        if index >= len(self.items):
            error = IndexError(index)
            error.offstage_name = f"{self.instanceName}[{index}]"
            raise error
        return self.items[index]

    def __setitem__(self, index: int, value) -> None:
        if index == len(self.items):
            self.items.append(value)
        else:
            self.items[index] = value


_module = types.ModuleType("offstage_test_things")
_module.Person, _module.Bag, _module.Thing = Person, Bag, Thing
for _cls in (Person, Bag, Thing):  # stored answers name an object's class by its module
    _cls.__module__ = _module.__name__
sys.modules["offstage_test_things"] = _module

PEOPLE = """\
modules:
  - offstage_test_things
---
objects:
  - client: Person
  - spouse: Person
  - pets: Bag
---
mandatory: True
code: |
  need(client.summary, spouse.summary)
  for n in range(2):
    pets[n]
  final
---
generic object: Person
question: What is the name of ${ x.instanceName }?
fields:
  - Name: x.name
---
generic object: Person
code: |
  x.summary = x.name + " (" + str(x.age) + ")"
---
generic object: Person
question: How old is ${ x.name }?
fields:
  - Age: x.age
    datatype: integer
    min: 0
---
question: How old is your spouse, ${ spouse.name }?
fields:
  - Years: spouse.age
    datatype: integer
---
question: Name of pet number ${ i + 1 }?
fields:
  - Pet: pets[i]
---
event: final
question: Done
subquestion: |
  ${ client.summary } and ${ spouse.summary } have ${ pets[0] } and ${ pets[1] }.
"""


def test_generic_objects_indices_and_specific_blocks_first():
    h = Harness(load_interview_text(PEOPLE, "people.yml"))
    assert h.text == "What is the name of client? Name"
    assert h.screen.fields[0].variable_name == "client.name"
    h.answer({"Name": "Ann"})
    assert h.text == "How old is Ann? Age"
    h.answer({"Age": "-3"})
    assert h.result.validation_errors == {"client.age": "You need to enter a number that is at least 0."}
    h.answer({"Age": "40"})
    h.answer({"Name": "Bob"})
    assert h.text == "How old is your spouse, Bob? Years"  # the specific block beats the generic one
    h.answer({"Years": "41"})
    assert h.text == "Name of pet number 1? Pet"
    assert h.screen.fields[0].variable_name == "pets[0]"
    h.answer({"Pet": "Rex"})
    assert h.text == "Name of pet number 2? Pet"
    h.answer({"pets[1]": "Tom"})
    assert h.text == "Done Ann (40) and Bob (41) have Rex and Tom."
    assert "i" not in h.answers
    assert "x" not in h.answers


LOGIC = """\
mandatory: True
code: |
  visits = 0
---
initial: True
code: |
  visits += 1
---
reconsider: True
code: |
  doubled = base * 2
---
event: change_base
question: New base?
fields:
  - Base: base
    datatype: integer
---
question: Base?
fields:
  - Base: base
    datatype: integer
---
mandatory: True
code: |
  doubled
  review_done
  final_screen
---
question: Doubled is ${ doubled }.
field: review_done
---
sets: final_screen
question: Finished with ${ doubled }.
buttons:
  - Again: refresh
---
event: explode
code: |
  1 / 0
---
event: say_hi
code: |
  message("Hi there", "from an action")
---
template: note
subject: About ${ base }
content: |
  The base is **${ base }**.
---
event: show_note
code: |
  response(note.subject + ": " + str(note))
"""


def test_reconsider_sets_actions_and_pending_events():
    h = Harness(load_interview_text(LOGIC, "logic.yml"))
    assert h.text == "Base? Base"
    first_visits = h.answers["visits"]
    h.answer({"Base": "3"})
    assert h.answers["visits"] > first_visits  # initial code runs on every request
    assert h.text == "Doubled is 6. Continue" or h.text == "Doubled is 6."
    assert h.screen.question_type == "settrue"
    h.press("Continue")
    assert h.text == "Finished with 6. Again"
    h.action("change_base")
    assert h.text == "New base? Base"
    h.refresh()
    assert h.text == "New base? Base"  # an action's question stays until answered
    h.answer({"Base": "5"})
    assert h.text == "Finished with 10. Again"  # reconsider: doubled is computed again
    h.press("Again")
    assert h.text == "Finished with 10. Again"


def test_actions_that_raise_or_message_or_respond():
    h = Harness(load_interview_text(LOGIC, "logic.yml"))
    h.answer({"Base": "3"})
    result = h.action("explode")
    assert result.kind == "error"
    assert result.error["type"] == "ZeroDivisionError"
    assert "logic.yml, block 9" in result.error["block"]
    assert "ZeroDivisionError" in h.text
    assert "Traceback" not in h.text
    result = h.action("say_hi")
    assert result.kind == "message"
    assert h.text == "Hi there from an action Exit Restart"  # docassemble's buttons of a message
    result = h.action("show_note")
    assert result.kind == "response"
    assert result.value == "About 3: The base is **3**.\n"
    with pytest.raises(UnknownAction, match="no_such_thing"):  # a 400: only what the interview defines
        h.action("no_such_thing")
    h.refresh()
    assert h.text == "Doubled is 6."  # the failed actions left the answers as they were


def test_conditions_need_force_ask_and_loops():
    source = """\
mandatory: True
code: |
  if not defined('asked_once'):
    asked_once = True
    force_ask('greeting')
  drink
  done
---
event: greeting
question: Hello!
buttons:
  - Ok: continue
---
question: What do you drink, kid?
fields:
  - Juice: drink
---
question: What do you drink?
if: age >= 18
fields:
  - Drink: drink
---
question: Age?
fields:
  - Age: age
    datatype: integer
---
question: Done with ${ drink }.
need:
  - age
  - nickname
field: done
---
code: |
  nickname = "N" + str(age)
---
code: |
  a = b
---
code: |
  b = a
---
event: loop
code: |
  a
"""
    h = Harness(load_interview_text(source, "cond.yml"))
    assert h.text == "Hello! Ok"
    h.press("Ok")
    assert h.text == "Age? Age"
    h.answer({"Age": "12"})
    assert h.text == "What do you drink, kid? Juice"  # the later block's `if` is false
    h.answer({"Juice": "milk"})
    assert h.text == "Done with milk."
    assert h.answers["nickname"] == "N12"
    result = h.action("loop")
    assert result.kind == "error"
    assert "seeks 'a' again" in result.error["message"]


def test_explicit_process_action_and_arguments():
    source = """\
mandatory: True
code: |
  count = 0
  status = 'new'
---
initial: True
code: |
  count += 1
  process_action()
---
event: set_status
code: |
  if 'status' in action_arguments():
    status = action_argument('status')
  response(status + " " + action_argument())
---
mandatory: True
question: Status ${ status }, link ${ url_action('set_status', status='x') }
"""
    h = Harness(load_interview_text(source, "proc.yml"), url_root="https://host")
    assert "Status new, link https://host/interview?i=proc.yml&amp;action=" in h.screen.question_text
    result = h.action("set_status", status="danger")
    assert result.kind == "response"
    assert result.value == "danger set_status"
    h.refresh()
    assert h.text.startswith("Status danger")
    from offstage.engine.actions import decode_action

    link = h.screen.question_text.split("action=")[1].split('"')[0].split("<")[0]
    assert decode_action(link) == ("set_status", {"status": "x"})


def test_commands_and_special_buttons():
    source = """\
event: leave_now
question: Leave now?
buttons:
  - Exit: exit
  - Restart: restart
  - Stay: refresh
---
mandatory: True
code: |
  seen = True
  leave_now
"""
    h = Harness(load_interview_text(source, "cmd.yml"))
    assert h.screen.question_type == "buttons"
    assert [b.kind for b in h.screen.buttons] == ["special"] * 3
    assert h.press("Stay").kind == "question"
    result = h.press("Exit")
    assert result.kind == "command"
    assert result.command == "exit"
    assert result.delete_session
    assert h.answers == {}


def test_missing_definition_and_code_errors_name_the_block():
    h = Harness(load_interview_text("mandatory: True\ncode: |\n  x = 1\n  y = undefined_thing + 1\n", "e.yml"))
    assert h.result.kind == "undefined_variable"
    assert h.result.variable == "undefined_thing"
    assert "e.yml, block 1" in h.result.error["message"]
    h = Harness(load_interview_text("mandatory: True\nquestion: ${ 1 + 'a' }\n", "t.yml"))
    assert h.result.kind == "error"
    assert h.result.error["type"] == "TypeError"
    assert "t.yml, block 1" in h.result.error["block"]
