"""docassemble language forms found in its example collection (issue 11, item 5): each as a user sees it."""

from __future__ import annotations

from offstage.interview import load_interview_text

from tests.support.harness import Harness


def _h(source: str) -> Harness:
    return Harness(load_interview_text(source, "lang.yml"))


def test_question_text_is_rendered_before_the_subquestion() -> None:
    h = _h("""\
mandatory: True
question: Your fruit is ${ mine }.
subquestion: Your brother likes ${ brother_fruit }.
---
question: What is your favorite fruit?
fields:
  - Fruit: mine
---
question: What is your brother's favorite fruit?
fields:
  - Fruit: brother_fruit
""")
    assert "What is your favorite fruit?" in h.text
    h.answer({"Fruit": "apple"})
    assert "What is your brother’s favorite fruit?" in h.text  # noqa: RUF001 - Markdown's typographic apostrophe


def test_code_choices_in_docassemble_forms_with_default_help_and_show_if() -> None:
    h = _h("""\
mandatory: True
question: You like ${ likes.true_values() if hasattr(likes, 'true_values') else [k for k, v in likes.items() if v] }.
---
question: Which fruits?
fields:
  - Fruits: likes
    datatype: checkboxes
    code: |
      [{'apple': 'Apples', 'default': True},
       {'peach': 'Peaches', 'help': 'Fuzzy'},
       {'value': 'pear', 'label': 'Pears'},
       {'plum': 'Plums', 'show if': False}]
""")
    field = h.screen.fields[0]
    assert [c["value"] for c in field.choices] == ["apple", "peach", "pear"]
    assert field.default == ["apple"]
    assert field.choices[1]["help"] == "Fuzzy"
    # what the browser posts for the untouched screen: the default box ticked (was a 500: unhashable dict)
    h.answer({"likes": ["apple"]})
    assert "apple" in h.text
    assert "pear" not in h.text.split("like")[-1]


def test_field_and_choices_from_code_ask_and_check_the_choice() -> None:
    h = _h("""\
variable name: fruits
data:
  - Apple
  - ${ extra }
---
question: Which extra fruit?
fields:
  - Extra: extra
---
question: What is your favorite fruit?
field: favorite
choices:
  code: fruits
---
mandatory: True
question: You chose ${ favorite }.
""")
    assert "Which extra fruit?" in h.text  # the data block's Mako needs it first
    h.answer({"extra": "Kiwi"})
    assert [c["value"] for c in h.screen.fields[0].choices] == ["Apple", "Kiwi"]
    h.step(posted={"favorite": "Durian"}, question_id=h.screen.block_id)
    assert h.result.validation_errors
    h.step(posted={"favorite": "Kiwi"}, question_id=h.screen.block_id)
    assert "You chose Kiwi." in h.text


def test_data_from_code_and_use_objects() -> None:
    h = _h("""\
variable name: fruit
data from code:
  Apple:
    seeds: 10 // 2
    colour: "'red'.upper()"
---
variable name: trees
use objects: True
data:
  - Oak
  - Elm
---
mandatory: True
question: An apple has ${ fruit['Apple']['seeds'] } seeds and is ${ fruit['Apple']['colour'] }.
subquestion: Trees are ${ trees } (${ type(trees).__name__ }, gathered ${ trees.gathered }).
""")
    assert "An apple has 5 seeds and is RED." in h.text
    assert "Trees are Oak and Elm (DAList, gathered True)." in h.text


def test_button_code_runs_and_defines_the_variables() -> None:
    h = _h("""\
question: What kind of car do you want?
buttons:
  - Ford Focus:
      code: |
        car_model = "Focus"
        car_make = "Ford"
  - Toyota Camry:
      code: |
        car_model = "Camry"
        car_make = "Toyota"
---
mandatory: True
question: Go to a ${ car_make } dealer for a ${ car_model }.
""")
    assert [b.value for b in h.screen.buttons] == ["Ford Focus", "Toyota Camry"]
    h.step(button="Toyota Camry", posted={}, question_id=h.screen.block_id)
    assert "Go to a Toyota dealer for a Camry." in h.text


def test_choice_items_with_code_under_a_field() -> None:
    h = _h("""\
question: Pick one
field: picked
choices:
  - Big:
      code: size = 10
  - Small:
      code: size = 1
---
mandatory: True
question: Size ${ size } (${ picked }).
""")
    h.step(posted={"picked": "Small"}, question_id=h.screen.block_id)
    assert "Size 1 (Small)." in h.text


def test_yesnomaybe_shows_a_third_button_that_sets_none() -> None:
    h = _h("""\
question: Is Topeka the capital of Kansas?
yesnomaybe: topeka
---
mandatory: True
question: The answer is ${ topeka }.
""")
    assert "I don\u2019t know" in h.text
    assert len(h.screen.buttons) == 3
    h.press("I don\u2019t know")
    assert "The answer is None." in h.text


def test_buttons_show_if_and_url() -> None:
    h = _h("""\
mandatory: True
question: Which flour?
field: flour
buttons:
  - Wheat: wheat
    show if: not celiac
  - Rice: rice
  - Learn more: learn
    url: https://example.com/${ 'flour' }
---
code: celiac = True
""")
    buttons = h.screen.buttons
    assert [b.label for b in buttons] == ["Rice", "Learn more"]
    assert buttons[1].kind == "link"
    assert buttons[1].url == "https://example.com/flour"


def test_field_validate_refuses_with_the_authors_message_and_sets_nothing() -> None:
    h = _h("""\
question: Repeat after me.
fields:
  - no label: oath
    validate: |
      lambda y: validation_error("No, you typed it wrong.") if y != 'I swear' else True
  - Number: number
    datatype: integer
    validate: |
      lambda n: n % 2 == 0
---
mandatory: True
question: Sworn ${ oath } ${ number }.
""")
    h.answer({"oath": "whatever", "number": "4"})
    assert h.result.validation_errors == {"oath": "No, you typed it wrong."}
    assert "oath" not in h.answers
    assert "number" not in h.answers
    h.answer({"oath": "I swear", "number": "3"})
    assert h.result.validation_errors == {"number": "Please enter a valid value."}
    h.answer({"oath": "I swear", "number": "4"})
    assert "Sworn I swear 4." in h.text


def test_validation_code_refuses_or_transforms() -> None:
    h = _h("""\
question: What is your phone number?
fields:
  - Phone number: phone
validation code: |
  digits = ''.join(c for c in phone if c.isdigit())
  if len(digits) != 10:
    validation_error("Please enter ten digits", field="phone")
  phone = digits[:3] + '-' + digits[3:]
---
mandatory: True
question: Your phone number is ${ phone }.
""")
    h.answer({"phone": "12 34"})
    assert h.result.validation_errors == {"phone": "Please enter ten digits"}
    assert "phone" not in h.answers
    h.answer({"phone": "(555) 123 4567"})
    assert "Your phone number is 555-1234567." in h.text


def test_help_as_a_dict_shows_its_content() -> None:
    h = _h("""\
mandatory: True
question: Hello
help:
  label: More
  content: Some *help*.
""")
    assert "Some <em>help</em>." in (h.screen.help_text or "")


def test_pre_post_and_default_screen_parts() -> None:
    h = _h("""\
default screen parts:
  under: Seen by ${ who }.
  pre: Not legal advice.
  continue button label: Next step
---
code: who = "nobody"
---
question: Name?
post: The end of the page.
fields:
  - Name: name
---
mandatory: True
question: Hello ${ name }
under: Own under.
""")
    screen = h.screen
    assert "Not legal advice." in screen.pre_text
    assert "The end of the page." in screen.post_text
    assert "Seen by nobody." in screen.under_text
    assert screen.continue_label == "Next step"
    h.answer({"Name": "Ann"})
    assert "Own under." in h.screen.under_text


TABLE = """\
objects:
  - fruit: DAList.using(object_type=DAObject, complete_attribute='seeds')
---
mandatory: True
question: Information about fruit
subquestion: |
  Here is a summary.

  ${ fruit_table }
---
table: fruit_table
rows: fruit
columns:
  - Fruit Name: row_item.name
  - Seeds: row_item.seeds * 2
  - header: Position
    cell: row_index + 1
sort key: row_item.name
edit:
  - name
---
code: |
  fruit.there_are_any = True
---
question: Which fruit is next?
fields:
  - Name: fruit[i].name
  - Seeds: fruit[i].seeds
    datatype: integer
---
question: Any other fruit?
yesno: fruit.there_is_another
"""


def test_a_table_block_gathers_its_rows_then_renders_a_table() -> None:
    h = _h(TABLE)
    assert "Which fruit is next?" in h.text  # rendering the table gathers the list first
    h.answer({"Name": "Pear", "Seeds": "3"})
    h.press("Yes")
    h.answer({"Name": "Apple", "Seeds": "5"})
    h.press("No")
    html = h.screen.subquestion_text
    assert '<table class="table table-striped">' in html  # Bootstrap's look, as docassemble's tables
    assert "<th>Fruit Name</th>" in html
    assert html.index("Apple") < html.index("Pear")  # sort key
    assert "<td>10</td>" in html
    assert "<td>6</td>" in html


def test_an_empty_table_shows_its_show_if_empty_text() -> None:
    h = _h("""\
mandatory: True
question: Fruit
subquestion: ${ fruit_table }
---
code: fruit = []
---
table: fruit_table
rows: fruit
columns:
  - Name: row_item
show if empty: There is no fruit.
""")
    assert "There is no fruit." in h.text


def test_a_table_without_columns_is_refused_at_load() -> None:
    import pytest
    from offstage.errors import InterviewInvalid

    with pytest.raises(InterviewInvalid, match="table 't' needs columns"):
        load_interview_text("table: t\nrows: fruit\n", "bad.yml")


def test_makos_loop_variable_and_expressions_over_several_lines() -> None:
    h = _h("""\
mandatory: True
question: Fruit
subquestion: |
  % for fruit in ['apple', 'pear', 'plum']:
  No ${ loop.index + 1 }: ${ fruit }${ ';' if not loop.last else '.' } (${ loop.cycle('odd', 'even') })
  % endfor
  Total: ${ len(
    ['apple', 'pear', 'plum']) } fruits.
""")
    text = h.text
    assert "No 1: apple; (odd)" in text
    assert "No 2: pear; (even)" in text
    assert "No 3: plum. (odd)" in text
    assert "Total: 3 fruits." in text


def test_an_unclosed_expression_is_an_error_naming_it() -> None:
    h = _h("mandatory: True\nquestion: Hello ${ name\n")
    assert h.screen.question_type == "error"
    assert "without a closing" in h.text


def _page(h: Harness) -> str:
    from offstage.web.page import PageContext, render_question_page

    return render_question_page(h.screen.to_json(), PageContext(interview="lang.yml", action_url="/i", csrf="t"))


def test_field_with_choices_and_continue_button_field_show_a_continue_button() -> None:
    h = _h("""\
question: Night or day?
field: time_of_day
choices:
  - Night
  - Day
---
question: Read this.
continue button field: read_it
---
mandatory: True
question: It is ${ time_of_day } (${ read_it }).
""")
    page = _page(h)
    assert 'type="radio"' in page
    assert ">Continue</button>" in page
    h.step(posted={"time_of_day": "Day"}, question_id=h.screen.block_id)  # radio + Continue
    assert h.screen.question_type == "settrue"
    assert ">Continue</button>" in _page(h)
    h.press("Continue")
    assert "It is Day (True)." in h.text


def test_link_and_maybe_buttons_on_the_page() -> None:
    h = _h("""\
question: Capital?
yesnomaybe: capital
---
mandatory: True
question: Leave
buttons:
  - Exit: exit
    url: https://example.com/bye
  - Bad: exit
    url: javascript:alert(1)
subquestion: ${ capital }
""")
    page = _page(h)
    assert 'value="None"' in page
    assert "I don\u2019t know" in page
    h.step(button="None", posted={}, question_id=h.screen.block_id)  # what the third button posts
    page = _page(h)
    assert '<a href="https://example.com/bye"' in page
    assert "javascript:" not in page


def test_what_is_not_done_yet_is_refused_at_load_naming_it() -> None:
    import pytest
    from offstage.errors import InterviewInvalid

    with pytest.raises(InterviewInvalid, match="list collect needs fields that are all items of one list"):
        load_interview_text("question: Fruit\nfields:\n  - Name: fruit_name\nlist collect: True\n", "lc.yml")
    with pytest.raises(InterviewInvalid, match="use objects: 'sometimes' is not supported"):
        load_interview_text("variable name: x\nuse objects: sometimes\ndata:\n  a: b\n", "uo.yml")


def test_sets_makes_a_generic_code_block_the_definer_of_an_attribute_it_does_not_assign() -> None:
    h = _h("""\
objects:
  - client: Individual
---
generic object: Individual
sets: x.pets
code: |
  x.initializeAttribute('pets', DAList)
---
mandatory: True
question: ${ client.pets.instanceName } has ${ len(client.pets.elements) } pets.
""")
    assert "client.pets has 0 pets." in h.text


def test_only_sets_limits_what_a_code_block_defines() -> None:
    h = _h("""\
question: What is the best color?
fields:
  - Color: best_color
---
question: What is the time of day?
field: time_of_day
choices:
  - Night
  - Day
---
only sets: best_thing
code: |
  best_thing = 'astronomy' if time_of_day == 'Night' else 'the beach'
  best_color = 'black'
---
mandatory: True
question: Best color ${ best_color }, best thing ${ best_thing }.
""")
    assert "What is the best color?" in h.text  # not the code block's: it only sets best_thing
    h.answer({"Color": "red"})
    assert "What is the time of day?" in h.text


def test_a_bare_include_is_found_in_the_packages_questions_folder(tmp_path) -> None:
    from offstage.interview import load_interview_file

    questions = tmp_path / "pkg" / "data" / "questions"
    (questions / "examples").mkdir(parents=True)
    (questions / "shared.yml").write_text("question: Shared question\nfields:\n  - Name: name\n")
    (questions / "examples" / "main.yml").write_text(
        "include:\n  - shared.yml\n---\nmandatory: True\nquestion: Hi ${ name }\n")
    h = Harness(load_interview_file(questions / "examples" / "main.yml"))
    assert "Shared question" in h.text


def test_force_ask_keeps_its_question_until_it_is_answered() -> None:
    h = _h("""\
mandatory: True
code: |
  if not done_once:
    done_once = True
    force_ask('show_date')
---
code: done_once = False
---
event: show_date
question: A forced screen
buttons:
  - Ok: continue
---
mandatory: True
question: The end.
""")
    assert "A forced screen" in h.text
    h.refresh()
    assert "A forced screen" in h.text  # looking again does not lose it (docassemble keeps it too)
    h.press("Ok")
    assert "The end." in h.text


def test_a_template_content_file_is_found_in_the_packages_templates_folder(tmp_path) -> None:
    from offstage.interview import load_interview_file

    data = tmp_path / "pkg" / "data"
    (data / "questions").mkdir(parents=True)
    (data / "templates").mkdir()
    (data / "templates" / "disclaimer.md").write_text("No *advice* for ${ who }.\n")
    (data / "questions" / "main.yml").write_text(
        "template: disclaimer\ncontent file: disclaimer.md\n---\ncode: who = 'you'\n---\n"
        "mandatory: True\nquestion: Read\nsubquestion: ${ disclaimer }\n")
    h = Harness(load_interview_file(data / "questions" / "main.yml"))
    assert "No advice for you." in h.text


LIST_COLLECT = """\
objects:
  - fruit: DAList.using(object_type=DAObject, there_are_any=True, complete_attribute='seeds')
---
mandatory: True
code: |
  fruit.appendObject()
  fruit[-1].name = "apple"
  fruit[-1].seeds = 10
  fruit.appendObject()
---
question: Tell me about the fruit.
fields:
  - Fruit name: fruit[i].name
  - Number of seeds: fruit[i].seeds
    datatype: integer
list collect: True
---
mandatory: True
question: |
  % for f in fruit:
  ${ f.name }=${ f.seeds };
  % endfor
"""


LIST_COLLECT_NOT_FINAL = LIST_COLLECT.replace("list collect: True", "list collect:\n  is final: False") + """\
---
question: Any other fruit?
yesno: fruit.there_is_another
"""


def test_list_collect_not_final_asks_whether_there_is_another_after_continue() -> None:
    h = _h(LIST_COLLECT_NOT_FINAL)
    posted = {"fruit[0].name": "apple", "fruit[0].seeds": "10", "fruit[1].name": "pear", "fruit[1].seeds": "3"}
    h.step(posted=posted, button="continue", question_id=h.screen.block_id)
    assert "Any other fruit?" in h.text
    h.press("No")
    assert "apple=10; pear=3;" in h.text


def test_add_another_while_editing_an_item_of_a_gathered_list_asks_for_one_more_on_the_same_screen() -> None:
    h = _h(LIST_COLLECT)
    posted = {"fruit[0].name": "apple", "fruit[0].seeds": "10", "fruit[1].name": "pear", "fruit[1].seeds": "3"}
    h.step(posted=posted, button="continue", question_id=h.screen.block_id)
    assert "apple=10; pear=3;" in h.text
    h.action("_da_list_edit", list="fruit", items=["fruit[1].name"])
    h.step(posted=posted, button="add_another", question_id=h.screen.block_id)
    names = [f.variable_name for f in h.screen.fields if f.variable_name]
    assert names[-2:] == ["fruit[2].name", "fruit[2].seeds"]
    h.step(posted=dict(posted, **{"fruit[2].name": "fig", "fruit[2].seeds": "0"}), button="continue",
           question_id=h.screen.block_id)
    assert "apple=10; pear=3; fig=0;" in h.text


def test_list_collect_shows_every_item_and_a_blank_one_then_sets_them_all() -> None:
    h = _h(LIST_COLLECT)
    screen = h.screen
    names = [f.variable_name for f in screen.fields if f.variable_name]
    assert names == ["fruit[0].name", "fruit[0].seeds", "fruit[1].name", "fruit[1].seeds"]
    assert screen.fields[0].default == "apple"
    assert not screen.fields[-1].required
    assert [b.value for b in screen.buttons] == ["continue", "add_another"]
    assert screen.buttons[1].label.endswith("</i> Add another")  # an icon, then the words, as docassemble's
    posted = {"fruit[0].name": "apple", "fruit[0].seeds": "10", "fruit[1].name": "pear", "fruit[1].seeds": "x"}
    h.step(posted=posted, button="add_another", question_id=screen.block_id)
    assert h.result.validation_errors == {"fruit[1].seeds": "You need to enter a whole number."}
    h.step(posted=dict(posted, **{"fruit[1].seeds": "3"}), button="add_another", question_id=screen.block_id)
    names = [f.variable_name for f in h.screen.fields if f.variable_name]
    assert names[-2:] == ["fruit[2].name", "fruit[2].seeds"]  # "Add another": one more blank item
    posted = {"fruit[0].name": "apple", "fruit[0].seeds": "10", "fruit[1].name": "pear", "fruit[1].seeds": "3",
              "fruit[2].name": "", "fruit[2].seeds": ""}
    h.step(posted=posted, button="continue", question_id=h.screen.block_id)
    assert "apple=10; pear=3;" in h.text  # the blank third item dropped, the list done


def test_a_question_for_one_index_is_asked_before_the_general_one_and_only_for_it() -> None:
    h = _h("""\
question: Weight of item ${ i }?
fields:
  - Grams: weights[i]
    datatype: integer
---
question: And the last one, item 2?
fields:
  - Grams: weights[2]
    datatype: integer
---
mandatory: True
question: Total ${ weights[0] + weights[1] + weights[2] }.
---
code: weights = DAList('weights', auto_gather=False)
""")
    assert "Weight of item 0?" in h.text  # not the question written for item 2
    h.answer({"Grams": "1"})
    h.answer({"Grams": "2"})
    assert "And the last one, item 2?" in h.text  # written for this index: asked, though earlier in the file
    h.answer({"Grams": "3"})
    assert "Total 6." in h.text
