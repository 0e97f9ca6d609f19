"""The navbar looks as docassemble's does by default: the dark ("inverse") bar, which `features: inverse
navbar: False` turns into the light one; the interview's feature reaches the screen."""

from __future__ import annotations

from offstage.interview.loader import load_interview_text
from offstage.web.page import PageContext, render_question_page

from tests.support.harness import Harness
from tests.unit.test_web_render import Tree


def _navbar(screen: dict) -> dict:
    html = render_question_page({"questionType": "fields", "questionText": "Q", "fields": []} | screen,
                                PageContext(interview="x.yml", action_url="/interview?i=x.yml", csrf="tok"))
    return Tree(html).find("nav", id="danavbar")[0]


def test_the_navbar_is_dark_by_default_and_light_when_the_interview_says_so():
    dark = _navbar({})
    assert "bg-dark" in dark["attrs"]["class"].split()
    assert dark["attrs"]["data-bs-theme"] == "dark"  # its text and toggler in the dark theme's colours
    light = _navbar({"navbarInverse": False})
    assert "bg-dark" not in light["attrs"]["class"].split()
    assert "data-bs-theme" not in light["attrs"]


def test_the_inverse_navbar_feature_reaches_the_screen():
    question = "---\nmandatory: True\nquestion: Hello\n"
    assert "navbarInverse" not in Harness(load_interview_text(question)).screen.to_json()
    h = Harness(load_interview_text("features:\n  inverse navbar: False\n" + question))
    assert h.screen.to_json()["navbarInverse"] is False
