"""docassemble language forms added for issue 11's last stretch, each as a user sees it: index symbols in
objects blocks, def/usedefs, order/supersedes, reset, on change, default validation messages, fields
given by code, catchall, define(), lazy templates, object choices, relative modules, session objects."""

from __future__ import annotations

from pathlib import Path

import pytest
from offstage.errors import InterviewInvalid
from offstage.interview import load_interview_file, load_interview_text

from tests.support.harness import Harness


def _h(source: str) -> Harness:
    return Harness(load_interview_text(source, "groups.yml"))


def test_an_objects_item_with_an_index_is_made_only_for_the_item_sought() -> None:
    h = _h("""\
objects:
  - people: DAList.using(object_type=Individual, there_are_any=True)
  - people[i].pets: DAList.using(there_are_any=False)
---
question: Who is person ${ i + 1 }?
fields:
  - First: people[i].name.first
---
question: More people?
yesno: people.there_is_another
---
mandatory: True
question: ${ people[0] } has ${ people[0].pets.number() } pets.
""")
    h.answer({"First": "Ada"})
    assert h.text.startswith("Ada has 0 pets.")  # people[0].pets made with i = 0; no `people[i]` made


def test_usedefs_gives_the_question_the_mako_functions_of_a_def_block() -> None:
    h = _h("""\
def: praise
mako: |
  <%def name="nice(fruit)">${ fruit } are delicious.</%def>
---
mandatory: True
usedefs:
  - praise
question: Fruit
subquestion: ${ nice("Peaches") }
""")
    assert "Peaches are delicious." in h.text


def test_usedefs_naming_no_def_block_is_refused_at_load() -> None:
    with pytest.raises(InterviewInvalid, match="usedefs names 'nothing', which no def block defines"):
        load_interview_text("mandatory: True\nusedefs: nothing\nquestion: Hi\n", "groups.yml")


@pytest.mark.parametrize("precedence", [
    "order:\n  - informal\n  - regular\n---\n",
    "",  # `supersedes` on the informal question instead
])
def test_order_and_supersedes_choose_which_question_asks_a_variable(precedence: str) -> None:
    supersedes = "" if precedence else "supersedes: regular\n"
    h = _h(precedence + f"""\
id: informal
{supersedes}question: What the heck is your favorite fruit?
fields:
  - Fruit: fruit
---
id: regular
question: What is your favorite fruit?
fields:
  - Fruit: fruit
---
mandatory: True
question: You like ${{ fruit }}.
""")
    assert h.text.startswith("What the heck is your favorite fruit?")


def test_reset_computes_a_variable_again_on_every_request() -> None:
    h = _h("""\
reset:
  - cans
---
code: |
  cans = cats * 4
---
mandatory: True
code: |
  cats = 1
---
mandatory: True
question: Buy ${ cans } cans. One more cat?
yesno: another_cat
---
mandatory: True
code: |
  if another_cat:
    cats = cats + 1
---
mandatory: True
question: Now buy ${ cans } cans.
""")
    assert h.text.startswith("Buy 4 cans.")
    h.press("Yes")
    assert h.text.startswith("Now buy 8 cans.")


def test_on_change_code_runs_when_a_request_changes_its_variable() -> None:
    h = _h("""\
on change:
  married: |
    changes = changes + 1
---
code: |
  changes = 0
---
question: Are you married?
yesno: married
---
mandatory: True
question: Changed ${ changes } times; married ${ married }.
buttons:
  - Change:
      code: |
        force_ask('married')
""")
    h.press("Yes")
    assert h.text.startswith("Changed 1 times; married True.")


def test_default_validation_messages_replace_offstages_and_a_fields_own_win() -> None:
    h = _h("""\
default validation messages:
  required: Please tell me!
  max: No more than %s, please!
---
mandatory: True
question: Fruit
fields:
  - Fruit: fruit
  - Seeds: seeds
    datatype: integer
    max: 100
  - Color: color
    validation messages:
      required: A color, please.
---
mandatory: True
question: Done
""")
    result = h.answer({"Fruit": "", "Seeds": "500", "Color": ""})
    assert result.validation_errors == {"fruit": "Please tell me!", "seeds": "No more than 100, please!",
                                        "color": "A color, please."}


def test_fields_given_by_code_are_shown_and_their_answers_set() -> None:
    h = _h("""\
objects:
  - people: DAList.using(object_type=Individual, ask_number=True, target_number=2)
---
sets:
  - people[i].name.first
question: Names
fields:
  code: name_list
---
code: |
  name_list = [{"label": f"Person {n + 1}", "field": f"people[{n}].name.first"} for n in range(2)]
---
mandatory: True
question: People are ${ people }.
""")
    assert [f.variable_name for f in h.screen.fields] == ["people[0].name.first", "people[1].name.first"]
    h.answer({"Person 1": "Ada", "Person 2": "Bob"})
    assert h.text.startswith("People are Ada and Bob.")


def test_use_catchall_makes_a_catchall_whose_value_a_generic_question_asks() -> None:
    h = _h("""\
features:
  use catchall: True
---
generic object: DACatchAll
question: What is ${ x.object_name() }?
fields:
  - no label: x.value
validation code: |
  define(x.instanceName, x.value)
---
mandatory: True
question: Your name is ${ user_name }.
""")
    assert h.text.startswith("What is user name?")
    h.answer({str(h.screen.fields[0].variable_name): "Ada"})
    assert h.text.startswith("Your name is Ada.")


def test_define_with_a_name_marks_its_code_block_a_definer() -> None:
    h = _h("code: |\n  define('fruit', 'apple')\n---\nmandatory: True\nquestion: You like ${ fruit }.\n")
    assert h.text.startswith("You like apple.")


def test_a_template_is_rendered_when_used_and_show_takes_names() -> None:
    h = _h("""\
template: disclaimer
content: Not the views of ${ company }.
---
mandatory: True
question: Welcome
subquestion: ${ disclaimer.show(company="ABC") }
field: seen
---
mandatory: True
question: Bye
subquestion: ${ disclaimer }
---
code: |
  company = "XYZ"
""")
    assert "Not the views of ABC." in h.text
    h.press("Continue")
    assert "Not the views of XYZ." in h.text


def test_a_generic_template_keeps_its_x_and_index_when_rendered_later() -> None:
    # AssemblyLine's al_document.yml defines x.download_label this way for every ALDocumentBundle
    h = _h("""\
objects:
  - bundle: DAObject
  - parts: DAList.using(object_type=DAObject, there_are_any=True, auto_gather=False, gathered=True)
---
generic object: DAObject
template: x.label
content: Download ${ x.title }
---
template: parts[i].caption
content: Part ${ i + 1 } of ${ len(parts) }
---
mandatory: True
code: |
  bundle.title = "the forms"
  parts.appendObject()
  parts.appendObject()
---
mandatory: True
question: ${ bundle.label } / ${ parts[1].caption }
field: seen
""")
    assert h.text.startswith("Download the forms / Part 2 of 2")


def test_object_choices_listed_by_name_offer_the_objects_by_their_names() -> None:
    h = _h("""\
objects:
  - hero: Individual
  - foe: Individual
---
mandatory: True
code: |
  hero.name.first = "Harry"
  foe.name.first = "Tom"
---
question: Who is the villain?
fields:
  - Villain: villain
    datatype: object
    choices:
      - hero
      - foe
---
mandatory: True
question: The villain is ${ villain }.
""")
    assert [c["label"] for c in h.screen.fields[0].choices] == ["Harry", "Tom"]
    h.answer({"Villain": "Tom"})
    assert h.text.startswith("The villain is Tom.")


def test_a_relative_module_comes_from_the_interviews_package(tmp_path: Path) -> None:
    package = tmp_path / "mypkg"
    (package / "data" / "questions").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "helpers.py").write_text("def plus_one(n):\n    return n + 1\n")
    (package / "data" / "questions" / "main.yml").write_text(
        "modules:\n  - .helpers\n---\nmandatory: True\nquestion: After 3 comes ${ plus_one(3) }.\n")
    h = Harness(load_interview_file(package / "data" / "questions" / "main.yml"))
    assert h.text.startswith("After 3 comes 4.")


def test_session_local_is_an_object_made_when_first_used() -> None:
    h = _h("""\
question: How are you?
field: session_local.mood
choices:
  - Well: well
---
mandatory: True
question: You are ${ session_local.mood }.
""")
    h.answer({str(h.screen.fields[0].variable_name): "well"})
    assert h.text.startswith("You are well.")


def test_a_name_sought_from_inside_its_definer_is_given_by_an_earlier_block() -> None:
    h = _h("""\
mandatory: True
question: The variable is ${ target }.
---
code: |
  target = "foo"
---
code: |
  if target:
    target = "bar"
---
question: What is the target, ${ target }?
fields:
  - Target: target
""")
    assert h.text.startswith("The variable is bar.")


def test_session_tags_start_from_the_metadata_and_server_capabilities_say_what_offstage_lacks() -> None:
    h = _h("""\
metadata:
  tags: [apples]
---
mandatory: True
code: |
  session_tags().add('grapes')
---
mandatory: True
question: Tags ${ ' '.join(sorted(session_tags())) }; SMS ${ server_capabilities()['sms'] }; sent ${ send_sms(to='x') }.
""")
    assert h.text.startswith("Tags apples grapes; SMS False; sent False.")


def test_a_case_has_plaintiffs_and_defendants_and_changes_with_its_action_type() -> None:
    h = _h("""\
objects:
  - case: Case
---
mandatory: True
code: |
  case.set_action_type('petition')
---
mandatory: True
question: ${ case.firstParty.instanceName } v. ${ case.secondParty.instanceName }; plaintiff ${ hasattr(case, 'plaintiff') }.
""")
    assert h.text.startswith("case.petitioner v. case.respondent; plaintiff False.")


def test_object_choices_take_their_labels_and_help_from_the_generators() -> None:
    h = _h("""\
objects:
  - bus: Thing
  - car: Thing
---
code: |
  bus.name.text = 'bus'
  car.name.text = 'car'
  bus.help_text = 'Cheap.'
  car.help_text = 'Yours.'
---
question: How would you travel?
fields:
  - no label: travel
    datatype: object_radio
    choices:
      - bus
      - car
    object labeler: |
      lambda y: capitalize(y)
    help generator: |
      lambda y: y.help_text
---
mandatory: True
question: By ${ travel }.
""")
    choices = h.screen.fields[0].choices
    assert [(c["label"], c["help"]) for c in choices] == [("Bus", "Cheap."), ("Car", "Yours.")]


def test_a_questions_audio_is_read_before_its_question_so_its_names_are_asked_first() -> None:
    h = _h("""\
question: Your note?
fields:
  - Note: note
---
question: Your name?
fields:
  - Name: name
---
mandatory: True
question: Listen, ${ name }.
audio: ${ note }
""")
    assert h.text.startswith("Your note?")


def test_use_objects_objects_makes_the_objects_a_data_block_describes() -> None:
    h = _h("""\
variable name: rock
use objects: objects
data from code:
  object: Thing
  item:
    name:
      object: Name
      item:
        text: the_name
    size: 4 * unit
---
code: |
  the_name = "granite"
  unit = 2
---
mandatory: True
question: The ${ rock } weighs ${ rock.size } (${ rock.__class__.__name__ }, ${ rock.name.instanceName }).
""")
    assert h.text.startswith("The granite weighs 8 (Thing, rock.name).")


def test_nav_gives_the_sections_and_keeps_the_current_one_and_device_is_none() -> None:
    h = _h("""\
sections:
  - intro: Introduction
  - about: About you
    subsections:
      - contact: Contact info
---
mandatory: True
code: |
  nav.set_section('contact')
---
mandatory: True
question: ${ ' '.join(nav.section_ids()) }; ${ nav.get_section(display=True) }; device ${ device(ip=True) }.
""")
    assert h.text.startswith("intro about contact; Contact info; device None.")


def test_a_choice_with_an_embedded_question_asks_it_when_chosen() -> None:
    h = _h("""\
question: What is your favorite color?
buttons:
  - Red:
      question: Dark red or light red?
      field: favorite_color
      buttons:
        - Dark Red
        - Light Red
  - Green:
      question: Dark green or light green?
      field: favorite_color
      buttons:
        - Dark Green
        - Light Green
---
mandatory: True
question: Your favorite color is ${ favorite_color }.
""")

    def click(value: str) -> None:  # as the browser posts a button: `_button=<value>`
        h.step(button=value, posted={}, question_id=h.screen.block_id, raw_values=True)

    assert h.text.startswith("What is your favorite color?")
    click("Green")
    assert h.text.startswith("Dark green or light green?")
    click("Light Green")
    assert h.text.startswith("Your favorite color is Light Green.")


def test_a_pending_completion_of_something_no_longer_a_group_completes_nothing() -> None:
    h = _h("""\
objects:
  - fruit: DAList.using(there_are_any=False)
---
mandatory: True
question: Fruit ${ fruit.number() }
field: seen
---
mandatory: True
question: Done, ${ fruit }
""")
    h.answers["fruit"] = "none left"  # the interview's code replaced the list meanwhile
    h.answers["_internal"]["event_stack"] = [{"action": "_da_list_complete", "arguments": {"list": "fruit"}}]
    h.press("Continue")
    assert h.text.startswith("Done, none left")
    assert h.answers["_internal"]["event_stack"] == []


def test_a_lazy_template_read_outside_an_interview_is_its_source_not_a_crash() -> None:
    # GET /api/session shows stored answers without running the interview
    from offstage.answers.jsonsafe import json_safe
    from offstage.engine.functions import DALazyTemplate

    shown = json_safe(DALazyTemplate("disclaimer", "", "Not the views of ${ company }."))
    assert shown == {"instanceName": "disclaimer", "source_subject": "",
                     "source_content": "Not the views of ${ company }."}
