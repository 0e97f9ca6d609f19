"""The page's surroundings as the engine gives them: the progress bar's value, the section navigation,
the navbar parts, the question's decoration and the interview's images (docassemble's rules)."""

from __future__ import annotations

from pathlib import Path

import pytest
from offstage.errors import UnknownAction
from offstage.interview import load_interview_text

from tests.support.harness import Harness

PROGRESS = """
features:
  progress bar: True
---
mandatory: True
code: |
  first
  second
  third
  fourth
  done
---
question: First
progress: 40
fields:
  - A: first
---
question: Second
fields:
  - B: second
---
question: Third
progress: 10
fields:
  - C: third
---
question: Fourth
progress: null
fields:
  - D: fourth
---
question: Done
event: done
"""


def _next(h: Harness, values: dict[str, str]) -> None:
    """Answer as a browser step does (the server counts steps in `_internal['steps']`)."""
    internal = h.answers.setdefault("_internal", {})
    internal["steps"] = int(internal.get("steps") or 1) + 1
    h.answer(values)


def test_a_question_sets_the_bar_one_without_advances_it_and_it_never_goes_back():
    h = Harness(load_interview_text(PROGRESS))
    assert h.screen.progress == 40
    _next(h, {"first": "a"})
    assert h.screen.progress == pytest.approx(43.0)  # 5 % of the way to 100
    h.refresh()
    assert h.screen.progress == pytest.approx(43.0)  # once per step, not per drawing
    _next(h, {"second": "b"})
    assert h.screen.progress == pytest.approx(43.0)  # `progress: 10` is behind: the bar stays
    _next(h, {"third": "c"})
    assert h.screen.progress is None  # `progress: null` hides it
    assert h.screen.to_json().get("progress") is None


def test_stepped_advances_toward_the_next_progress_of_the_interview_and_the_multiplier_is_the_share():
    text = PROGRESS.replace("progress bar: True", "progress bar: True\n  progress bar method: stepped\n"
                            "  progress bar multiplier: 0.5").replace("progress: 10", "progress: 80")
    h = Harness(load_interview_text(text))
    _next(h, {"first": "a"})
    assert h.screen.progress == pytest.approx(60.0)  # half of the way from 40 to 80


def test_no_bar_without_the_feature_and_set_progress_moves_it():
    h = Harness(load_interview_text(PROGRESS.replace("progress bar: True", "progress bar: False")))
    assert h.screen.progress is None
    text = PROGRESS.replace("question: Second", "question: Second\nprogress: 90").replace(
        "  second\n", "  second\n  set_progress(15)\n")
    h = Harness(load_interview_text(text.replace("progress can go backwards", "")))
    _next(h, {"first": "a"})
    _next(h, {"second": "b"})
    assert h.screen.progress == pytest.approx(15.0)  # set_progress() may go back; `progress: 10` then cannot
    assert "progressPercentage" not in h.screen.to_json()  # `show progress bar percentage` not asked for


SECTIONS = """
sections:
  - intro: Introduction
  - about: About you
    subsections:
      - contact: Contact info
      - demographic: Demographics
  - Preferences
  - conclusion: Conclusion
---
features:
  navigation: True
---
mandatory: True
code: |
  name
  email
  color
  final
---
event: intro
code: |
  force_ask('name')
---
section: intro
question: Name?
fields:
  - Name: name
---
section: contact
question: E-mail?
fields:
  - E-mail: email
---
code: |
  nav.set_section('Preferences')
  color = 'blue'
---
question: The end
event: final
"""


def _items(h: Harness) -> dict[str, dict]:
    found = {}
    for item in h.screen.sections["items"]:
        found[item["title"]] = item
        found.update({s["title"]: s for s in item["subsections"]})
    return found


def test_the_current_section_is_active_later_ones_are_not_reached_and_only_defined_keywords_are_links():
    h = Harness(load_interview_text(SECTIONS))
    items = _items(h)
    assert items["Introduction"]["state"] == "active"
    assert "action=" in items["Introduction"]["url"]  # `intro` is an event of the interview
    assert items["About you"]["state"] == "future"
    assert items["About you"]["url"] is None
    assert items["Conclusion"]["state"] == "future"
    h.answer({"name": "Ann"})
    items = _items(h)
    assert items["Contact info"]["state"] == "active"
    assert h.screen.sections["items"][1]["open"] is True  # the subsections of the section we are in
    assert items["Introduction"]["state"] == "past"
    assert items["Introduction"]["url"]
    assert items["Demographics"]["state"] == "future"


def test_nav_set_section_in_code_moves_the_current_section_and_a_section_link_runs_its_action():
    h = Harness(load_interview_text(SECTIONS))
    h.answer({"name": "Ann"})
    h.answer({"email": "a@example.com"})
    items = _items(h)
    assert items["Preferences"]["state"] == "active"
    assert items["Preferences"]["url"] is None  # a section without a keyword is never a link
    h.action("intro")
    assert h.screen.question_text.startswith("Name?")


def test_a_forged_section_name_is_refused_by_name():
    h = Harness(load_interview_text(SECTIONS))
    with pytest.raises(UnknownAction, match="about"):
        h.action("about")  # a section, but no block defines it
    with pytest.raises(UnknownAction):
        h.action("__import__('os')")


def test_not_progressive_sections_are_all_reachable_and_disabled_or_hidden_navigation_has_no_links():
    h = Harness(load_interview_text(SECTIONS.replace("  - conclusion: Conclusion\n",
                                                     "  - conclusion: Conclusion\nprogressive: False\n")))
    assert _items(h)["Conclusion"]["state"] == "past"
    disabled = SECTIONS.replace("mandatory: True\ncode: |\n  name", "mandatory: True\ncode: |\n  nav.disable()\n  name")
    h = Harness(load_interview_text(disabled))
    assert _items(h)["Introduction"]["url"] is None
    hidden = SECTIONS.replace("mandatory: True\ncode: |\n  name", "mandatory: True\ncode: |\n  nav.hide()\n  name")
    assert Harness(load_interview_text(hidden)).screen.sections is None
    assert Harness(load_interview_text(SECTIONS.replace("navigation: True", "navigation: False"))).screen.sections is None


PARTS = """
metadata:
  title: Long interview title
  short title: Short
  logo: <img src="/logo.png" alt="Logo">
  footer: The **footer**.
  tab title: Tab ${ 1 + 1 }
  exit label: Leave
  css class: everywhere
---
mandatory: True
code: |
  first
  set_parts(footer="Changed footer", short_logo="<b>S</b>", title_url="https://example.com")
  second
---
question: One
css class: only-here
fields:
  - A: first
---
question: Two
fields:
  - B: second
"""


def test_metadata_parts_then_set_parts_and_the_questions_css_class():
    h = Harness(load_interview_text(PARTS))
    parts = h.screen.parts
    assert parts["short title"] == "Short"
    assert parts["logo"] == '<img src="/logo.png" alt="Logo">'
    assert "<strong>footer</strong>" in parts["footer"]
    assert parts["tab title"] == "Tab 2"
    assert parts["exit label"] == "Leave"
    assert h.screen.css_class == "only-here"
    h.answer({"first": "a"})
    parts = h.screen.parts
    assert "Changed footer" in parts["footer"]
    assert parts["short logo"] == "<b>S</b>"
    assert parts["title url"] == "https://example.com"
    assert h.screen.css_class == "everywhere"


def _images_interview(tmp_path: Path, with_file: bool = True, question: str = "Stars :plain: and beds :bed:") -> Harness:
    (tmp_path / "static").mkdir()
    if with_file:
        (tmp_path / "static" / "star.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (tmp_path / "images.yml").write_text("""
image sets:
  freepik:
    attribution: Icon by [Freepik](https://example.com)
    images:
      star: star.svg
---
images:
  plain: star.svg
---
mandatory: True
decoration: star
question: |
  QUESTION
yesno: likes
""".replace("QUESTION", question))
    from offstage.interview import load_interview_file

    return Harness(load_interview_file(tmp_path / "images.yml"))


def test_a_decoration_and_named_images_are_the_interviews_files_with_their_attribution(tmp_path):
    h = _images_interview(tmp_path)
    screen = h.screen
    assert screen.decoration == "star"
    assert set(screen.images) == {"star", "plain"}  # :bed: is not the interview's: it stays an icon
    assert screen.images["star"].startswith("/packagestatic/")
    assert len(screen.attributions) == 1
    assert "Freepik" in screen.attributions[0]


def test_an_image_in_the_text_whose_file_is_missing_is_the_interviews_error_naming_it(tmp_path):
    h = _images_interview(tmp_path, with_file=False)
    assert h.screen.question_type == "error"
    assert "'plain' names the file 'star.svg'" in h.text


def test_a_decoration_whose_file_is_missing_is_left_out_as_docassemble_does(tmp_path):
    h = _images_interview(tmp_path, with_file=False, question="Stars and beds :bed:")
    assert h.screen.question_type == "yesno"
    assert h.screen.decoration is None
    assert h.screen.images == {}


def test_small_screen_navigation_and_navigation_back_button_features_reach_the_screen():
    text = SECTIONS.replace("navigation: True", "navigation: True\n  small screen navigation: dropdown\n"
                            "  navigation back button: False")
    h = Harness(load_interview_text(text))
    assert h.screen.sections["phone"] == "dropdown"
    assert h.screen.to_json()["navbarBack"] is False
    assert Harness(load_interview_text(SECTIONS)).screen.sections["phone"] == "bar"


def test_nav_in_a_question_shows_the_sections_inline_with_links_where_reachable():
    text = SECTIONS.replace("question: E-mail?", "question: E-mail?\nsubquestion: |\n  ${ nav }\n\n"
                            "  ${ nav.show_sections(show_links=False) }")
    h = Harness(load_interview_text(text))
    h.answer({"name": "Ann"})
    html = h.screen.subquestion_text
    assert html.count('class="dasections"') == 2
    assert html.count("daclickable") == 1  # Introduction, in the first only
    assert 'aria-current="step">Contact info' in html
    assert "danotavailableyet" in html
