"""Posted answers: converted by datatype, validated, and all-or-nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from offstage.interview import load_interview_text

from tests.support.harness import Harness

FORM = """\
mandatory: True
question: Tell me things
fields:
  - Count: count
    datatype: integer
  - Price: price
    datatype: currency
  - E-mail: email
    datatype: email
  - Born: born
    datatype: date
  - Likes cats: cats
    datatype: yesno
  - Hates dogs: dogs
    datatype: noyes
  - Sure: sure
    datatype: yesnoradio
  - Fruit: fruit
    datatype: checkboxes
    choices:
      - Apple: apple
      - Pear: pear
  - Colour: colour
    choices:
      - Red: red
      - Blue: blue
  - Nickname: nickname
    required: False
---
mandatory: True
question: Done
"""

GOOD = {"count": "1,200", "price": "3.50", "email": "a@b.org", "born": "2001-02-03", "cats": "True",
        "dogs": "True", "sure": "False", "fruit": ["pear"], "colour": "blue", "nickname": ""}


def test_values_are_converted_by_datatype():
    h = Harness(load_interview_text(FORM, "form.yml"))
    h.answer(GOOD)
    assert h.text == "Done"
    a = h.answers
    assert a["count"] == 1200
    assert a["price"] == 3.5
    assert a["email"] == "a@b.org"
    assert a["born"].date() == dt.date(2001, 2, 3)
    assert a["born"].format("yyyy-MM-dd") == "2001-02-03"
    assert a["cats"] is True
    assert a["dogs"] is False
    assert a["sure"] is False
    assert a["fruit"] == {"apple": False, "pear": True}
    assert a["colour"] == "blue"
    assert a["nickname"] == ""


def test_one_invalid_value_sets_nothing_and_keeps_the_screen():
    h = Harness(load_interview_text(FORM, "form.yml"))
    bad = dict(GOOD, count="many", email="nope", colour="green", born="someday")
    result = h.answer(bad)
    assert result.kind == "question"
    assert h.text.startswith("Tell me things")
    assert result.validation_errors == {
        "count": "You need to enter a whole number.", "email": "You need to enter a complete e-mail address.",
        "colour": "Please choose one of the options.", "born": "You need to enter a valid date."}
    assert not any(k in h.answers for k in GOOD)
    missing = dict(GOOD)
    del missing["price"]
    assert h.answer(missing).validation_errors == {"price": "This field is required."}
    assert "count" not in h.answers


def test_unticked_boxes_and_typed_json_values():
    h = Harness(load_interview_text(FORM, "form.yml"))
    values: dict[str, Any] = {k: v for k, v in GOOD.items() if k not in ("cats", "dogs")}
    values.update(count=7, price=2, sure=True)
    h.answer(values, raw=False)
    # the API sets what it is given (docassemble's): boxes it does not send are left unset, not unticked
    assert "cats" not in h.answers
    assert "dogs" not in h.answers
    assert h.answers["count"] == 7
    assert h.answers["price"] == 2.0
    assert h.answers["sure"] is True
    h.answer({"cats": False, "dogs": True}, raw=False)
    assert h.answers["cats"] is False
    assert h.answers["dogs"] is False
    h = Harness(load_interview_text(FORM, "form.yml"))
    assert h.answer(dict(GOOD, count=1.5), raw=False).validation_errors == {
        "count": "You need to enter a whole number."}


def test_yesno_and_button_questions_set_their_field():
    source = """\
question: Ready?
yesno: ready
---
question: Which?
field: which
buttons:
  - First: 1
  - Second: 2
---
mandatory: True
question: ${ ready } ${ which }
"""
    h = Harness(load_interview_text(source, "yn.yml"))
    assert h.screen.question_type == "yesno"
    h.press("No")
    assert h.screen.question_type == "multiple_choice"
    assert h.answer({"which": "3"}).validation_errors == {"which": "Please choose one of the options."}
    h.answer({"which": "2"})
    assert h.text == "False 2"
    assert h.answers["which"] == "2"  # the text posted, as docassemble sets it (its help example tests == "4")


def test_answers_to_an_unknown_question_are_refused():
    h = Harness(load_interview_text(FORM, "form.yml"))
    result = h.step(posted={"count": "1"}, question_id="block-99")
    assert result.validation_errors == {"_question": "There is no question to answer."}
    assert "count" not in h.answers


COMPUTED = """\
mandatory: True
question: Pick
fields:
  - Size: size
    code: |
      sizes
  - Extras: extras
    datatype: checkboxes
    code: |
      [{'ham': 'Ham'}, {'egg': 'Egg'}]
  - Birthday: birthday
    datatype: date
---
code: |
  sizes = ['small', 'large']
---
mandatory: True
question: |
  A ${ size } one with ${ comma_and_list([k for k, v in extras.items() if v]) },
  born on ${ birthday.format('MMMM d') } (${ birthday.dow }).
"""


def test_values_of_computed_choices_are_checked_against_the_choices_offered():
    h = Harness(load_interview_text(COMPUTED, "computed.yml"))
    assert [c["value"] for c in h.screen.fields[0].choices] == ["small", "large"]
    tampered = h.answer({"size": "enormous", "extras": ["ham"], "birthday": "2000-01-31"})
    assert tampered.validation_errors == {"size": "Please choose one of the options."}
    assert "size" not in h.answers
    assert "birthday" not in h.answers
    assert h.text.startswith("Pick")
    h.answer({"size": "small", "extras": ["ham", "bacon"], "birthday": "2000-01-31"})
    assert h.result.validation_errors == {"extras": "Please choose among the options shown."}
    h.answer({"size": "large", "extras": ["egg"], "birthday": "01/31/2000"})
    assert h.text == "A large one with egg, born on January 31 (1)."


SET_ANY = """\
objects:
  - client: DAObject
---
mandatory: True
question: |
  ${ first } and ${ second }, ${ client.name }
---
question: First?
fields:
  - First: first
---
question: Second?
fields:
  - Second: second
---
question: Name?
fields:
  - Name: client.name
"""


def test_the_api_sets_variables_that_are_not_on_screen_as_docassemble_does():
    h = Harness(load_interview_text(SET_ANY, "set.yml"))
    assert h.screen.question_text == "First?"
    result = h.step(posted={"second": "two"}, raw_values=False, interface="api")
    assert not result.validation_errors
    assert h.screen.question_text == "First?"  # not answered by that
    h.answer({"first": "one"}, raw=False)
    assert h.screen.question_text == "Name?"  # `second` is not asked: it was set
    h.answer({"client.name": "Ann"}, raw=False)
    assert h.text == "one and two, Ann"


def test_the_api_refuses_names_it_cannot_set_and_then_sets_nothing():
    h = Harness(load_interview_text(SET_ANY, "set.yml"))
    for bad, message in [({"second": "two", "_internal": 1}, "is not a variable name"),
                         ({"second": "two", "1st": 1}, "is not a variable name"),
                         ({"second": "two", "nobody.name": "x"}, "nobody.name cannot be set")]:
        result = h.step(posted=bad, raw_values=False, interface="api")
        (name, text), = [(k, v) for k, v in result.validation_errors.items()]
        assert name in bad
        assert message in text
        assert "second" not in h.answers
    assert h.screen.question_text == "First?"
