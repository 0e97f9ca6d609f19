"""action_button_html(): docassemble's button-looking links, as they reach the page."""

from __future__ import annotations

from offstage.library.buttons import action_button_html
from offstage.text.sanitize import safe_html
from offstage.web.page import PageContext, render_question_page


def test_a_button_link_has_docassemble_classes_and_survives_the_page_sanitizer():
    html = action_button_html("/interview?i=x.yml&action=abc", label="Edit <name>", color="primary", size="md",
                              new_window=True, id_tag="edit-1", icon="pencil-alt")
    assert html.startswith('<a href="/interview?i=x.yml&amp;action=abc" class="btn btn-primary btn-darevisit" '
                           'id="edit-1" target="_blank" rel="noopener noreferrer">')
    assert "Edit &lt;name&gt;</a>" in html
    page = render_question_page({"questionType": "fields", "questionText": "Q", "fields": [],
                                 "subquestionText": safe_html(html)},
                                PageContext(interview="x.yml", action_url="/interview?i=x.yml"))
    assert 'class="btn btn-primary btn-darevisit"' in page
    assert "action=abc" in page


def test_unknown_colours_and_sizes_fall_back_and_script_urls_do_not_survive():
    html = action_button_html("javascript:alert(1)", color="evil", size="huge", classname='x" onclick="y')
    assert 'class="btn btn-sm btn-success btn-darevisit x&quot; onclick=&quot;y"' in html
    assert "javascript:" not in safe_html(html)


def test_interviews_can_call_it_without_importing_anything():
    from offstage.library import exports

    assert exports()["action_button_html"] is action_button_html
