"""Mako rendering (names looked up lazily) and Markdown with docassemble's markup."""

from __future__ import annotations

import pytest
from offstage.text import TemplateError, markdown_to_html, render


def test_expressions_and_control_lines():
    source = ("Hello ${ name.upper() }!\n% if count > 1:\nmany ${ count }\n% elif count == 1:\none\n"
              "% else:\nnone\n% endif\n% for item in items:\n- ${ item }\n% endfor\nend")
    assert render(source, {"name": "ann", "count": 1, "items": ["a", "b"]}) == "Hello ANN!\none\n- a\n- b\nend"
    assert render(source, {"name": "bo", "count": 3, "items": []}) == "Hello BO!\nmany 3\nend"


def test_a_line_starting_with_two_hashes_is_text_as_in_docassembles_mako():
    assert render("### Note ${ n }\nbody", {"n": 1}) == "### Note 1\nbody"
    assert render("## Title\n<%def name='f()'>x</%def>${ f() }", {}) == "## Title\nx"


def test_a_name_in_an_untaken_branch_is_not_needed():
    source = "% if ok:\n${ answer }\n% else:\nThere was an error.\n% endif\n"
    assert render(source, {"ok": False}) == "There was an error.\n"
    with pytest.raises(NameError) as caught:
        render(source, {"ok": True})
    assert caught.value.name == "answer"


def test_filters_dicts_backslash_and_raw_blocks():
    assert render("${ '<b>' | h }", {}) == "&lt;b&gt;"
    assert render("${ {'a': 1}['a'] } ${ x | n }", {"x": None}) == "1 None"
    assert render("one \\\ntwo", {}) == "one two"
    assert render("<%text>${ not rendered }</%text>", {}) == "${ not rendered }"
    assert render("<%doc>gone</%doc>kept", {}) == "kept"
    assert render("<% y = 2 * x %>${ y }", {"x": 21}) == "42"


def test_return_stop_rendering_ends_the_text_there():
    source = "Start.\n% if not more:\nShort.\n<% return STOP_RENDERING %>\n% endif\nLong ${ rest }.\n"
    assert render(source, {"more": False}) == "Start.\nShort.\n"  # `rest` is never needed
    assert render(source, {"more": True, "rest": "tail"}) == "Start.\nLong tail.\n"


def test_broken_templates_say_what_is_wrong():
    with pytest.raises(TemplateError, match="not closed"):
        render("% if x:\nyes\n", {"x": 1})
    with pytest.raises(TemplateError, match="closing"):
        render("${ x", {"x": 1})


def test_a_spaced_ellipsis_is_one_character_outside_code():
    assert markdown_to_html("Well . . . maybe...", trim=True) == "Well \u2026 maybe\u2026"
    assert ". . ." in markdown_to_html("`a . . . b`")


def test_markdown_smartypants_and_docassemble_markup():
    assert markdown_to_html("Let's calculate some stuff.", trim=True) == "Let\u2019s calculate some stuff."
    assert "\u2018the_number\u2019" in markdown_to_html("{'the_number': 3}")
    assert markdown_to_html("Food? [TARGET feed_back]", trim=True) == \
        'Food? <span class="datargetfeed_back"></span>'
    assert markdown_to_html("[TARGET a-b<c>]", trim=True) == '<span class="datargetabc"></span>'
    assert markdown_to_html("a[BR]b [BLANK]", trim=True) == "a<br>b ________"
    assert markdown_to_html("_What?_  You like it", trim=True) == "<em>What?</em>  You like it"
    html = markdown_to_html("> quoted\n\n* one\n* two")
    assert "<blockquote>" in html
    assert "<li>one</li>" in html
    assert markdown_to_html("first\n\nsecond", trim=True).count("<p>") == 2
