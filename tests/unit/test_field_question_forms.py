"""A question's own `field:` with a list of choices, in docassemble's forms: `dropdown:`, the question's
`default:`, as the page shows them."""

from __future__ import annotations

from offstage.interview import load_interview_text
from offstage.web.page import PageContext, render_question_page

from tests.support.harness import Harness


def _h(source: str) -> Harness:
    return Harness(load_interview_text(source, "forms.yml"))


def _page(h: Harness) -> str:
    return render_question_page(h.screen.to_json(), PageContext(interview="forms.yml", action_url="/i", csrf="t"))


def test_a_dropdown_question_is_a_pull_down_list() -> None:
    h = _h("""\
question: Which boat?
field: boat
dropdown:
  - Canoe
  - Kayak
---
mandatory: True
question: You row a ${ boat }.
""")
    html = _page(h)
    assert '<select' in html
    assert '<option value="Kayak">Kayak</option>' in html
    assert 'type="radio"' not in html
    h.step(posted={"boat": "Kayak"}, question_id=h.screen.block_id)
    assert "You row a Kayak." in h.text


def test_the_question_default_picks_a_choice() -> None:
    h = _h("""\
question: Which boat?
field: boat
default: Ka${ "yak" }
choices:
  - Canoe
  - Kayak
---
mandatory: True
question: You row a ${ boat }.
""")
    html = _page(h)
    assert 'value="Kayak" checked' in html
    assert 'value="Canoe" checked' not in html


MENU = """\
mandatory: True
code: |
  dispatch('menu')
  done_screen
---
question: Menu
field: menu
choices:
  - Boats: boats
  - Finished: Null
---
question: Boats screen
field: boats
---
event: done_screen
question: All done after ${ visits }.
---
code: visits = 1
"""


def test_a_null_choice_posts_none_and_ends_a_dispatch_menu() -> None:
    h = _h(MENU)
    html = _page(h)
    assert 'value="None"' in html  # not a blank value, which would leave the question unanswered
    h.step(posted={"menu": "boats"}, question_id=h.screen.block_id)
    assert "Boats screen" in h.text
    h.press("Continue")
    assert "Menu" in h.text
    h.step(posted={"menu": "None"}, question_id=h.screen.block_id)
    assert "All done after 1." in h.text


EMPTY = """\
code: |
  boats = [] if lake_is_dry else ['Canoe', 'Kayak']
---
question: Is the lake dry?
yesno: lake_is_dry
---
question: Pick
fields:
  - Boat: boat
    datatype: radio
    code: boats
  - Oars: oars
    datatype: checkboxes
    code: boats
---
mandatory: True
question: Boat ${ boat }, oars ${ oars if isinstance(oars, str) else len(oars.elements) }.
"""


def test_a_question_with_nothing_to_choose_is_skipped_and_answers_empty() -> None:
    h = _h(EMPTY)
    h.press("Yes")
    assert "Boat None, oars 0." in h.text


def test_a_field_with_nothing_to_choose_is_left_off_and_answers_empty() -> None:
    h = _h(EMPTY.replace("  - Oars: oars\n    datatype: checkboxes\n    code: boats\n",
                         "  - Oars: oars\n"))
    h.press("Yes")
    assert [f.variable_name for f in h.screen.fields] == ["oars"]
    assert "Boat" not in _page(h)
    h.answer({"Oars": "two"})
    assert "Boat None, oars two." in h.text


VILLAINS = """\
objects:
  - hero: Individual
  - rogue: Individual
---
mandatory: True
code: |
  hero.name.first = "Ann"
  rogue.name.first = "Bob"
---
question: Who are the villains?
fields:
  - no label: villains
    datatype: object_checkboxes
    choices:
      - hero
      - rogue
---
mandatory: True
question: Villains ${ villains.number() }, ${ villains }.
"""


def test_object_checkboxes_make_a_list_of_the_objects_ticked() -> None:
    h = _h(VILLAINS)
    h.step(posted={"villains": ["Bob"]}, question_id=h.screen.block_id)
    assert "Villains 1, Bob." in h.text
    h = _h(VILLAINS)
    h.step(posted={"villains": []}, question_id=h.screen.block_id)  # none of the above
    assert "Villains 0" in h.text
    h = _h(VILLAINS)
    h.step(posted={"villains": ["Eve"]}, question_id=h.screen.block_id)
    assert h.result.validation_errors


SNACK = """\
question: Just type your snack.
fields:
  - Snack: snack
---
id: snack menu
question: Which snack?
choices:
  - Nuts:
      code: snack = 'nuts'
  - Something else: continue
---
event: ask_again
code: |
  del snack
  forget_result_of('snack menu')
---
mandatory: True
question: Your snack is ${ snack }.
"""


def test_choices_without_a_field_are_radio_buttons_whose_continue_passes_on() -> None:
    h = _h(SNACK)
    assert 'name="_button" value="continue"' in _page(h)  # the pick posts as the button pressed
    h.step(button="continue", posted={}, question_id=h.screen.block_id)
    assert "Just type your snack." in h.text  # passed on to the earlier block
    h.answer({"Snack": "figs"})
    assert "Your snack is figs." in h.text
    h.step(action="ask_again")
    assert "Which snack?" in h.text  # forgotten: asked again
    h.step(button="Nuts", posted={}, question_id=h.screen.block_id)
    assert "Your snack is nuts." in h.text


def test_checkbox_defaults_from_code_and_from_a_choices_third_item() -> None:
    h = _h("""\
question: Which fruit?
fields:
  - Fruit: fruit
    datatype: checkboxes
    choices:
      - Apples
      - Pears
    default:
      code: |
        ['Pears']
  - Nuts: nuts
    datatype: checkboxes
    code: |
      [['almond', 'Almonds'], ['pecan', 'Pecans', True]]
---
mandatory: True
question: Picked `${ repr(fruit) }` and `${ repr(nuts) }`.
""")
    html = _page(h)
    assert 'value="Pears" checked' in html
    assert 'value="Apples" checked' not in html
    assert 'value="pecan" checked' in html
    assert 'value="almond" checked' not in html
    h.step(posted={"fruit": ["Pears"], "nuts": ["pecan"]}, question_id=h.screen.block_id)
    # a group's repr is its elements', as docassemble writes it
    assert "Picked {'Apples': False, 'Pears': True} and {'almond': False, 'pecan': True}." in h.text


def test_exclude_leaves_choices_out_and_a_field_left_with_none_answers_none() -> None:
    source = """\
question: Your fruit?
fields:
  - Fruit: mine
    datatype: radio
    choices: [Fig, Kiwi]
---
question: Your brother's fruit?
fields:
  - Fruit: brothers
    datatype: radio
    choices: [Fig, Kiwi]
    exclude: EXCLUDED
---
mandatory: True
question: Mine ${ mine }, brother ${ brothers }.
"""
    h = _h(source.replace("EXCLUDED", "mine"))
    h.step(posted={"mine": "Fig"}, question_id=h.screen.block_id)
    assert [c["value"] for c in h.screen.fields[0].choices] == ["Kiwi"]
    h = _h(source.replace("EXCLUDED", "\"['Fig', 'Kiwi']\""))
    h.step(posted={"mine": "Fig"}, question_id=h.screen.block_id)
    assert "Mine Fig, brother None." in h.text  # nothing left to choose: not asked


def test_a_message_has_exit_and_restart_unless_told_otherwise() -> None:
    h = _h("""\
mandatory: True
code: |
  message("All over.", "Thanks.")
""")
    assert [(b.label, b.value) for b in h.screen.buttons] == [("Exit", "exit"), ("Restart", "restart")]
    html = _page(h)
    assert 'name="_button" value="restart"' in html
    h = _h("""\
mandatory: True
code: |
  message("All over.", show_leave=True, show_restart=False)
""")
    assert [(b.label, b.value) for b in h.screen.buttons] == [("Leave", "leave")]


def test_minlength_and_maxlength_hold_a_typed_answer() -> None:
    h = _h("""\
question: Code?
fields:
  - Code: code
    minlength: 3
    maxlength: 5
---
mandatory: True
question: Code ${ code }.
""")
    h.step(posted={"code": "ab"}, question_id=h.screen.block_id)
    assert h.result.validation_errors == {"code": "You must type at least 3 characters."}
    h.step(posted={"code": "abcdef"}, question_id=h.screen.block_id)
    assert h.result.validation_errors == {"code": "You cannot type more than 5 characters."}
    h.step(posted={"code": "abcd"}, question_id=h.screen.block_id)
    assert "Code abcd." in h.text


def test_a_number_listed_as_a_choice_is_set_as_the_text_posted() -> None:
    h = _h("""\
question: What is 2+2?
field: answer
choices:
  - 3
  - 4
---
mandatory: True
question: ${ "Right" if answer == "4" else "Wrong" }.
""")
    h.step(posted={"answer": "4"}, question_id=h.screen.block_id)
    assert "Right." in h.text


def test_force_gather_seeks_a_name_on_every_screen_until_it_is_defined() -> None:
    h = _h(SNACK.replace("""event: ask_again
code: |
  del snack
  forget_result_of('snack menu')""", """event: ask_again
code: |
  force_gather('snack')""").replace("question: Your snack is ${ snack }.", "question: Done.\nsubquestion: ${ snack if defined('snack') else 'none' }"))
    assert "Done. none" in h.text
    h.step(action="ask_again")
    assert "Which snack?" in h.text
    h.step(button="continue", posted={}, question_id=h.screen.block_id)
    assert "Just type your snack." in h.text  # still sought on the next screen
    h.answer({"Snack": "figs"})
    assert "Done. figs" in h.text


def test_an_uncheck_others_box_says_which_boxes_it_clears() -> None:
    h = _h("""\
question: Which?
fields:
  - Apples: apples
    datatype: yesnowide
  - Pears: pears
    datatype: yesnowide
  - Neither: neither
    datatype: yesnowide
    uncheck others: True
  - Nope: nope
    datatype: yesnowide
    uncheck others:
      - apples
---
mandatory: True
question: Done ${ neither }.
""")
    html = _page(h)
    assert 'name="neither" value="True" class="form-check-input" data-uncheck-others="*"' in html
    assert 'data-uncheck-others="[&quot;apples&quot;]"' in html
    assert html.count("data-uncheck-others") == 2
