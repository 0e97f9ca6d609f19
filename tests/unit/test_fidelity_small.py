"""Small things docassemble does that interviews rely on: `ordinal(..., capitalize=True)`, and a field
labelled `no label` drawn with no visible label (a screen reader still hears the variable's words)."""

from __future__ import annotations

from offstage.interview.loader import load_interview_text
from offstage.library.words import ordinal, ordinal_number
from offstage.web.page import PageContext, render_question_page

from tests.support.harness import Harness
from tests.unit.test_web_render import Tree


def test_ordinal_capitalizes_on_request():
    assert ordinal(0) == "first"
    assert ordinal(0, capitalize=True) == "First"
    assert ordinal(11, capitalize=True) == "12th"
    assert ordinal_number(3, capitalize=True, language="en") == "Third"


def test_an_interview_may_call_ordinal_with_capitalize():
    h = Harness(load_interview_text("mandatory: True\nquestion: ${ ordinal(1, capitalize=True) } step\n"))
    assert "Second step" in h.text


def test_a_no_label_field_shows_no_label_but_keeps_an_accessible_name():
    h = Harness(load_interview_text("mandatory: True\nquestion: Your sign?\nfields:\n"
                                    "  - no label: zodiac_sign\n"))
    html = render_question_page(h.screen.to_json(), PageContext(interview="x.yml", action_url="/i", csrf="t"))
    label = Tree(html).find("label", class_="form-label da-label")[0]
    # the label's only text is hidden from sight (Bootstrap's visually-hidden), heard by a screen reader
    assert '<span class="visually-hidden">zodiac sign</span>' in html
    assert label["text"].strip() == "zodiac sign"
    assert "no label" not in html


def test_no_label_hides_a_choice_groups_legend_too():
    h = Harness(load_interview_text("mandatory: True\nquestion: Pick\nfields:\n  - no label: flavour\n"
                                    "    datatype: radio\n    choices: [sweet, sour]\n"))
    html = render_question_page(h.screen.to_json(), PageContext(interview="x.yml", action_url="/i", csrf="t"))
    assert "no label" not in html
    assert '<span class="visually-hidden">flavour</span>' in html
