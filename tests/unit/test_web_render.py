"""The question page's markup: what docassemble's browser scenarios and screen readers rely on."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from offstage.web.page import PageContext, render_error, render_index, render_question_page


class Tree(HTMLParser):
    """A flat list of (tag, attrs, text inside) good enough to query the page."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.elements: list[dict] = []
        self.stack: list[dict] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(element)
        if tag not in ("input", "meta", "link", "br"):
            self.stack.append(element)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for element in self.stack:
            element["text"] += data

    def find(self, tag, **attrs):
        return [e for e in self.elements if e["tag"] == tag
                and all(e["attrs"].get(k.rstrip("_")) == v for k, v in attrs.items())]


def page(screen, **ctx):
    return render_question_page(screen, PageContext(interview="x.yml", action_url="/interview?i=x.yml",
                                                    csrf="tok", **ctx))


def test_each_text_input_has_a_label_whose_text_is_the_field_label():
    tree = Tree(page({"questionType": "fields", "questionText": "Q", "fields": [
        {"variable_name": "swallow_velocity", "label": "Velocity", "datatype": "text"},
        {"variable_name": "notes", "label": "Notes", "datatype": "area"}]}))

    label = tree.find("label", class_="form-label da-label")
    assert [lab["text"] for lab in label] == ["Velocity", "Notes"]
    assert tree.find("input", id=label[0]["attrs"]["for"])[0]["attrs"]["name"] == "swallow_velocity"
    assert tree.find("textarea", id=label[1]["attrs"]["for"])[0]["attrs"]["name"] == "notes"


def test_radio_choices_sit_in_a_fieldset_with_a_da_legend_then_labels_with_spans():
    html = page({"questionType": "fields", "questionText": "Q", "fields": [
        {"variable_name": "food", "label": "Favorite", "datatype": "radio",
         "choices": [{"label": "Soup", "value": "soup"}, {"label": "Bread", "value": "bread"}]}]})

    legend = re.search(r'<div class="da-legend"[^>]*>Favorite</div><div class="da-choice-list">(.*?)</div>', html)
    assert legend, html
    choices = re.findall(r'<label[^>]*><input type="radio"[^>]*name="food" value="(\w+)"[^>]*><span>(\w+)</span></label>',
                         legend.group(1))
    assert choices == [("soup", "Soup"), ("bread", "Bread")]
    assert "<fieldset" in html


def test_a_dropdown_is_a_select_whose_options_show_the_choice_labels():
    tree = Tree(page({"questionType": "fields", "questionText": "Q", "fields": [
        {"variable_name": "state", "label": "State", "datatype": "dropdown", "default": "NY",
         "choices": [{"label": "New York", "value": "NY"}, {"label": "Ohio", "value": "OH"}]}]}))

    options = tree.find("option")
    assert [o["text"] for o in options][1:] == ["New York", "Ohio"]
    assert "selected" in tree.find("option", value="NY")[0]["attrs"]


def test_user_values_are_escaped_but_engine_html_is_kept():
    html = page({"questionType": "fields", "questionText": "<p>Hello <em>you</em></p>", "fields": [
        {"variable_name": "name", "label": "Name", "datatype": "text", "default": '"><script>alert(1)</script>'}]},
        errors={"name": "<b>bad</b>"})

    assert "<p>Hello <em>you</em></p>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;b&gt;bad&lt;/b&gt;" in html


def test_a_validation_message_sits_next_to_its_field_which_is_marked_invalid():
    tree = Tree(page({"questionType": "fields", "questionText": "Q", "fields": [
        {"variable_name": "age", "label": "Age", "datatype": "integer"}]},
        errors={"age": "You need to enter a whole number."}, values={"age": "ten"}))

    control = tree.find("input", name="age")[0]
    assert control["attrs"]["aria-invalid"] == "true"
    assert control["attrs"]["value"] == "ten"  # what the user typed is shown again
    error = tree.find("div", id=control["attrs"]["aria-describedby"])[0]
    assert error["text"] == "You need to enter a whole number."


def test_buttons_are_button_elements_with_the_label_as_text_and_continue_by_default():
    with_fields = Tree(page({"questionType": "fields", "questionText": "Q",
                             "fields": [{"variable_name": "a", "label": "A"}]}))
    with_buttons = Tree(page({"questionType": "buttons", "questionText": "Q", "fields": [],
                              "buttons": [{"label": "Ok", "value": "continue", "kind": "special"},
                                          {"label": "Yes", "value": True, "kind": "choice"}]}))
    dead_end = Tree(page({"questionType": "deadend", "questionText": "The end.", "fields": []}))

    assert [b["text"] for b in with_fields.find("button", type="submit")] == ["Continue"]
    buttons = with_buttons.find("button", type="submit")
    assert [(b["text"], b["attrs"]["value"]) for b in buttons] == [("Ok", "continue"), ("Yes", "True")]
    assert dead_end.find("button", type="submit") == []


def test_the_page_has_the_main_question_area_the_flash_area_and_targets_from_the_engine():
    html = page({"questionType": "fields", "questionText": "Q", "fields": [],
                 "underText": '<p><span class="datargetfeedback"></span></p>',
                 "flash": [{"message": "Saved <yours>", "priority": "info"}]})
    tree = Tree(html)

    assert tree.find("h1", id="daMainQuestion")[0]["text"] == "Q"
    assert tree.find("form", id="daform")[0]["attrs"]["aria-labelledby"] == "daMainQuestion"
    flash = tree.find("div", id="daflash")[0]
    assert flash["attrs"]["aria-live"] == "polite"
    assert "Saved <yours>" in flash["text"]
    assert '<span class="datargetfeedback"></span>' in html


def test_page_data_cannot_close_its_script_element():
    html = page({"questionType": "fields", "questionText": "Q", "fields": [], "checkin": "</script><b>"})

    data = re.search(r'<script type="application/json" id="da-page-data">(.*?)</script>', html).group(1)
    assert json.loads(data)["checkin"] == "</script><b>"


def test_the_form_carries_the_csrf_token_and_the_question_id():
    tree = Tree(page({"questionType": "fields", "questionText": "Q", "fields": [], "block_id": "block-2"}))
    assert tree.find("input", name="_csrf")[0]["attrs"]["value"] == "tok"
    assert tree.find("input", name="_question")[0]["attrs"]["value"] == "block-2"


def test_yes_no_checkbox_posts_false_when_unticked_and_shows_its_label():
    tree = Tree(page({"questionType": "fields", "questionText": "Q", "fields": [
        {"variable_name": "agree", "label": "I agree", "datatype": "yesno", "default": True}]}))
    inputs = tree.find("input", name="agree")
    assert [(i["attrs"]["type"], i["attrs"]["value"]) for i in inputs] == [("hidden", "False"), ("checkbox", "True")]
    assert "checked" in inputs[1]["attrs"]
    assert tree.find("label", for_=inputs[1]["attrs"]["id"])[0]["text"] == "I agree"


def test_index_lists_interviews_with_links_and_error_pages_are_titled_error():
    index = Tree(render_index([("under.yml", "Text <under>")]))
    link = index.find("a", href="/interview?i=under.yml")[0]
    assert link["text"] == "Text <under>"
    error = Tree(render_error(404, "no interview named 'x<y>'"))
    assert error.find("title")[0]["text"] == "Error"
    assert "no interview named 'x<y>'" in error.find("p", class_="da-error-message")[0]["text"]


def test_docassemble_markup_yes_no_span_input_box_maybe_and_none_of_the_above():
    html = page({"questionType": "fields", "questionText": "Q", "fields": [
        {"variable_name": "agrees", "label": "I agree", "datatype": "yesno"},
        {"variable_name": "name", "label": "Name", "datatype": "text", "help": "<p>Your <em>full</em> name</p>"},
        {"variable_name": "sure", "label": "Sure", "datatype": "yesnomaybe"},
        {"variable_name": "fruit", "label": "Fruit", "datatype": "checkboxes", "choices": [{"label": "Apple", "value": "a"}]},
        {"variable_name": "veg", "label": "Veg", "datatype": "checkboxes", "none_of_the_above": False,
         "choices": [{"label": "Kale", "value": "k"}]}]})
    tree = Tree(html)
    # a yes/no box's label is its own, in a <span> (docassemble's scenarios click the span's label)
    assert re.search(r'<label for="daf1" class="[^"]*"><input type="checkbox" id="daf1"[^>]*><span>I agree</span></label>', html)
    assert tree.find("input", name="name")[0]["attrs"]["alt"] == "Input box"
    assert [s["text"] for s in tree.find("span") if s["text"] in ("Yes", "No", "I don\u2019t know")] == ["Yes", "No", "I don\u2019t know"]
    assert 'value="None"' in html
    assert html.count("None of the above") == 1
    assert "danota-checkbox" in html
    help_button = tree.find("button", class_="btn btn-link btn-sm p-0 dafieldhelp")[0]
    assert tree.find("div", id=help_button["attrs"]["aria-controls"])[0]["text"] == "Your full name"
    assert tree.find("form", id="daform")
    assert tree.find("span", id="dapagetitle")


def test_the_navbar_has_back_the_help_tab_and_the_menu_with_exit_and_restart():
    from offstage.web.page import MenuItem

    html = page({"questionType": "fields", "questionText": "Q", "fields": [], "helpText": "<p>Some help</p>",
                 "can_go_back": True},
                menu=[MenuItem("About <us>", "/about"), MenuItem("Exit", "/interview?i=x.yml&exit=1")],
                interview_help="<p>General help</p>")
    tree = Tree(html)
    assert tree.find("button", class_="btn btn-link nav-link dabackicon")[0]["attrs"]["name"] == "_back"
    assert tree.find("a", id="dahelptoggle")[0]["attrs"]["aria-controls"] == "dahelp"
    helps = tree.find("section", id="dahelp")[0]
    assert "Some help" in helps["text"]
    assert "General help" in helps["text"]
    assert "hidden" in helps["attrs"]
    assert tree.find("button", id="dabackToQuestion")
    assert [a["text"] for a in tree.find("a", class_="dropdown-item")] == ["About <us>", "Exit"]
    assert "About &lt;us&gt;" in html
    assert tree.find("button", id="damobile-toggler")[0]["attrs"]["aria-controls"] == "danav"


def test_after_a_failed_submit_an_error_summary_links_to_each_field():
    html = page({"questionType": "fields", "questionText": "Q", "fields": [
        {"variable_name": "a", "label": "Age <b>now</b>", "datatype": "integer", "required": True},
        {"variable_name": "c", "label": "Color", "datatype": "radio", "choices": [{"label": "Red", "value": "r"}]}]},
        errors={"a": "Enter a <number>", "c": "Pick one"})
    tree = Tree(html)
    summary = tree.find("div", id="daerrorsummary")[0]
    assert summary["attrs"]["tabindex"] == "-1"
    assert summary["attrs"]["role"] == "alert"
    links = [a for a in tree.find("a", class_="alert-link")]
    assert [a["attrs"]["href"] for a in links] == ["#daf1", "#daf2_0"]
    assert links[0]["text"] == "Age now: Enter a <number>"
    assert "Enter a &lt;number&gt;" in html
    assert "da-required" in tree.find("div", **{"data-variable": "a"})[0]["attrs"]["class"]


def test_the_question_back_button_comes_first_when_the_interview_asks_for_it():
    screen = {"questionType": "fields", "questionText": "Q", "fields": [], "can_go_back": True}
    assert "daquestionbackbutton" not in page(screen)
    tree = Tree(page(screen, question_back_button=True))
    buttons = tree.find("button", type="submit")
    back = [b for b in buttons if "daquestionbackbutton" in b["attrs"].get("class", "")]
    assert back
    assert back[0]["attrs"]["name"] == "_back"
    assert back[0]["text"] == "Back"
    assert "daquestionbackbutton" not in page({**screen, "can_go_back": False}, question_back_button=True)


def test_the_help_tab_is_named_by_the_questions_help_label_else_the_interview_helps_else_help():
    screen = {"questionType": "fields", "questionText": "Q", "fields": [], "helpText": "<p>Some help</p>"}

    def tab(html):
        return Tree(html).find("a", id="dahelptoggle")[0]["text"]

    assert tab(page(screen)) == "Help"
    assert tab(page({**screen, "helpLabel": "Huh? <b>"})) == "Huh? <b>"
    assert "Huh? &lt;b&gt;" in page({**screen, "helpLabel": "Huh? <b>"})
    assert tab(page(screen, interview_help="<p>About</p>", help_labels=("More info", ""))) == "More info"
    assert tab(page(screen, help_labels=("", "Help label"))) == "Help label"
    assert not Tree(page({**screen, "helpText": None})).find("a", id="dahelptoggle")  # no help, no tab
    # with `question help button`, the question's help is a button named by its label (or the metadata's)
    tree = Tree(page({**screen, "helpLabel": "Huh?"}, question_help_button=True))
    assert tree.find("button", class_="btn btn-da btn-info daquestionhelpbutton")[0]["text"] == "Huh?"
    tree = Tree(page(screen, question_help_button=True, help_labels=("", "Help label")))
    assert tree.find("button", class_="btn btn-da btn-info daquestionhelpbutton")[0]["text"] == "Help label"


def test_a_script_of_bare_javascript_is_put_in_a_script_element_that_carries_the_nonce():
    from offstage.web.security import NONCE_SLOT

    screen = {"questionType": "fields", "questionText": "Q", "fields": []}
    html = page({**screen, "script": "$('#x').text('</script><b>');"})
    assert f"<script nonce=\"{NONCE_SLOT}\">$('#x').text('<\\/script><b>');</script>" in html
    html = page({**screen, "script": "<script>var a = 1;</script>"})
    assert f"<script nonce=\"{NONCE_SLOT}\">var a = 1;</script>" in html


def test_show_if_naming_a_field_becomes_a_page_condition():
    html = page({"questionType": "fields", "questionText": "Q", "fields": [
        {"variable_name": "likes", "label": "Likes", "datatype": "yesnoradio"},
        {"variable_name": "fruit", "label": "Fruit", "show_if": "likes"},
        {"variable_name": "kind", "label": "Kind", "show_if": {"variable": "likes", "is": False}},
        {"variable_name": "other", "label": "Other", "show_if": {"code": "x > 1"}}]})
    tree = Tree(html)
    assert tree.find("div", **{"data-variable": "fruit"})[0]["attrs"]["data-js-show-if"] == "0"
    assert tree.find("div", **{"data-variable": "kind"})[0]["attrs"]["data-js-show-if"] == "1"
    assert "data-js-show-if" not in tree.find("div", **{"data-variable": "other"})[0]["attrs"]
    assert 'window.daShowIf("likes", null)' in html
    assert 'window.daShowIf("likes", "False")' in html


def test_a_currency_box_has_the_currency_symbol_in_front():
    tree = Tree(page({"questionType": "fields", "questionText": "Q", "fields": [
        {"variable_name": "price", "label": "Price", "datatype": "currency"}]}))
    group = tree.find("div", class_="input-group")
    assert len(group) == 1
    assert group[0]["text"].strip() == "$"
    assert tree.find("input", name="price")[0]["attrs"]["type"] == "number"


def test_an_object_radios_none_of_the_above_is_a_choice_of_value_none_that_shows_fields_shown_if_null():
    html = page({"questionType": "fields", "questionText": "Q", "fields": [
        {"variable_name": "villain", "label": "Villain", "datatype": "object_radio", "none_of_the_above": "Someone else",
         "choices": [{"label": "Tom", "value": "rival"}]},
        {"variable_name": "villain.name.first", "label": "First name", "datatype": "text",
         "show_if": {"variable": "villain", "is": None}}]})
    assert re.search(r'<input type="radio" id="(\w+)" name="villain" value="None"[^>]*><span>Someone else</span>', html)
    assert 'window.daShowIf("villain", "None")' in html


def test_a_fields_own_note_is_shown_beside_it():
    html = page({"questionType": "fields", "questionText": "Q", "fields": [
        {"variable_name": "answer", "label": "Answer", "datatype": "text", "note": "<p>Hint: <b>four</b>.</p>"}]})
    assert re.search(r'<div class="da-side-note danote"><p>Hint: <b>four</b>.</p></div>', html)


def test_a_questions_own_back_button_setting_wins_over_the_interviews_feature():
    screen = {"questionType": "yesno", "questionText": "Q", "can_go_back": True, "backLabel": "Wait, go back",
              "buttons": [{"label": "Yes", "value": True, "kind": "choice"}]}
    assert "daquestionbackbutton" not in page(screen)
    assert re.search(r'class="btn btn-da btn-link daquestionbackbutton">Wait, go back<', page({**screen, "questionBackButton": True}))
    assert "daquestionbackbutton" not in page({**screen, "questionBackButton": False}, question_back_button=True)


def test_a_combobox_has_docassembles_toggle_and_menu_of_its_choices():
    html = page({"questionType": "fields", "questionText": "Q", "fields": [
        {"variable_name": "color", "label": "Color", "datatype": "text", "inputtype": "combobox",
         "choices": [{"label": "Green", "value": "green"}, {"label": "Red", "value": "red"}]}]})
    assert re.search(r'<div class="combobox-container input-group"><input type="text"[^>]*class="form-control combobox dacombobox"', html)
    assert 'class="btn btn-outline-secondary dropdown-toggle dacomboboxtoggle" data-bs-toggle="dropdown"' in html
    assert re.findall(r'<a href="#" class="dropdown-item" data-value="(\w+)">(\w+)</a>', html) == [("green", "Green"), ("red", "Red")]
