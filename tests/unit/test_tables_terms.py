"""Page features docassemble draws and offstage now draws too: a table's reorder arrows and their action,
glossary terms (`terms`, `auto terms`, `update_terms()`), `[FIELD name]` embedded fields and the
`input type: ajax` text box. The HTML as the page gets it, and the reorder action's refusals."""

from __future__ import annotations

import re

import pytest
from offstage.errors import BadRequest
from offstage.interview import load_interview_text
from offstage.text.markdown import markdown_to_html
from offstage.text.terms import Glossary
from offstage.web.fields import FieldContext, embed_fields, render_field

from tests.support.harness import Harness


def _glossary(terms: dict[str, str] | None = None, auto: dict[str, str] | None = None) -> Glossary:
    found = Glossary()
    found.add(terms or {})
    found.add(auto or {}, auto=True)
    return found


def _links(html: str) -> list[tuple[str, str]]:
    """(term words, definition HTML) of each term link, in order."""
    return re.findall(r'<a tabindex="0" role="button" class="daterm">(.*?)</a>'
                      r'<span class="daterm-definition" hidden>(.*?)</span>', html, re.S)


# ---- terms ----

def test_a_term_in_braces_becomes_a_link_to_its_definition_and_the_braces_go() -> None:
    html = markdown_to_html("Have you met a {Creeper}? A creeper explodes.", terms=_glossary({"creeper": "A *green* monster"}))
    assert _links(html) == [("Creeper", "A <em>green</em> monster")]
    assert "{" not in html
    assert html.endswith("A creeper explodes.</p>")  # without braces a `terms` term stays plain


def test_a_term_may_be_shown_in_other_words_and_spans_line_breaks() -> None:
    html = markdown_to_html("If you met a {zombie\npigman|zombified pigman} ...", terms=_glossary({"Zombie  Pigman": "Harmless"}))
    assert _links(html) == [("zombified pigman", "Harmless")]


def test_an_auto_term_is_linked_wherever_it_occurs_but_not_in_a_link_or_an_attribute() -> None:
    text = 'A pie, [pie shop](https://pie.example/pie), <span title="pie">apple pie</span>, `pie`.'
    html = markdown_to_html(text, terms=_glossary(auto={"pie": "Dessert", "apple pie": "A pie of apples"}))
    assert [words for words, _ in _links(html)] == ["pie", "apple pie"]  # the longer term first
    assert '<a href="https://pie.example/pie">pie shop</a>' in html
    assert '<span title="pie">' in html
    assert "<code>pie</code>" in html


def test_terms_cannot_inject_markup_through_their_words_or_definitions() -> None:
    glossary = _glossary({"fruit": '<img src=x onerror="alert(1)"><script>alert(2)</script>[go](javascript:alert(3))'})
    html = markdown_to_html('A {fruit|"fruit" & <3 <b onclick=alert(4)>x</b>}; {fruit|"sweet" & <3}.', terms=glossary)
    assert "onerror" not in html
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onclick" not in html
    assert [words for words, _ in _links(html)] == ["&quot;sweet&quot; &amp; &lt;3"]  # words escaped
    assert _links(html)[0][1] == '<img src="x"><a>go</a>'  # the definition through the sanitizer


def test_a_text_cannot_forge_a_terms_placeholder() -> None:
    html = markdown_to_html("\ue0000\ue001 and {fruit}", terms=_glossary({"fruit": "Sweet"}))
    assert [words for words, _ in _links(html)] == ["fruit"]
    assert "\ue000" not in html


def test_a_definition_of_several_paragraphs_stays_inside_its_term() -> None:
    html = markdown_to_html("One {pie}.", terms=_glossary({"pie": "Baked.\n\nSweet."}))
    assert _links(html) == [("pie", "Baked.<br><br>Sweet.")]


GLOSSARY = """\
terms:
  - phrases: [creeper, creepers]
    definition: A green monster
---
auto terms:
  nether: The underworld
---
mandatory: True
code: |
  update_terms({"ghast": "A floating ghost"}, auto=True)
  update_terms({"perhaps": "Not in this language"}, auto=True, language="fr")
---
question: Have you met {creepers} in the Nether?
subquestion: A ghast, perhaps, or a {pigman}.
help: Beware of a {creeper} at night.
terms:
  pigman: A ${ adjective } creature
yesno: met
---
code: adjective = "harmless"
---
mandatory: True
question: Done (${ met })
"""


def test_a_screen_marks_the_interviews_the_questions_and_update_terms_terms() -> None:
    h = Harness(load_interview_text(GLOSSARY, "glossary.yml"))
    screen = h.screen
    assert _links(screen.question_text) == [("creepers", "A green monster"), ("Nether", "The underworld")]
    # the question's own terms are templates; update_terms() added an auto term for this session
    assert _links(screen.subquestion_text or "") == [("ghast", "A floating ghost"), ("pigman", "A harmless creature")]
    assert _links(screen.help_text or "") == [("creeper", "A green monster")]  # the help too


# ---- embedded fields ----

def _field(name: str, label: str, **extra: object) -> dict[str, object]:
    return {"variable_name": name, "label": label, "datatype": "text", "required": True, **extra}


def test_an_embedded_field_sits_in_the_text_labelled_by_its_label_and_leaves_the_others() -> None:
    ctx = FieldContext()
    fields = [_field("grocery", "Grocery item", inline_width="15em"), _field("place", "no label", choices=[{"label": "gutter", "value": "gutter"}]),
              _field("seeds", "Seeds", datatype="integer")]
    text, rest = embed_fields("<p>I got [FIELD grocery] and fell in the [FIELD place].</p>", fields, ctx)
    assert [f["variable_name"] for f in rest] == ["seeds"]
    control = re.search(r'<input[^>]*name="grocery"[^>]*>', text).group(0)
    assert 'aria-label="Grocery item"' in control
    assert 'title="Grocery item"' in control
    assert "required" in control
    assert re.search(r'<select[^>]*aria-label="place"[^>]*name="place"', text)  # "no label": the variable names it
    assert "<label" not in text
    assert 'style="width: 15em"' in control  # `inline width`


def test_an_inline_width_that_is_not_a_length_is_ignored() -> None:
    field = _field("grocery", "Grocery item", inline_width='1em" onfocus="alert(1)')
    text, _ = embed_fields("<p>[FIELD grocery]</p>", [field], FieldContext())
    assert "style=" not in text
    assert "onfocus" not in text


def test_an_embedded_field_keeps_its_answer_and_shows_its_error_in_line() -> None:
    ctx = FieldContext({"grocery": "<b>eggs</b>"}, {"grocery": "This field is required."})
    text, _ = embed_fields("<p>Some [FIELD grocery].</p>", [_field("grocery", "Grocery item")], ctx)
    assert 'value="&lt;b&gt;eggs&lt;/b&gt;"' in text
    assert 'aria-invalid="true"' in text
    assert '<span id="daf1-error" class="da-embedded-error">This field is required.</span>' in text
    assert ctx.error_links == [("grocery", "daf1", "Grocery item: This field is required.")]


def test_a_field_mark_naming_no_field_is_left_as_written_and_radio_buttons_stay_below() -> None:
    fields = [_field("season", "Season", datatype="radio", choices=[{"label": "Summer", "value": "summer"}])]
    text, rest = embed_fields("<p>[FIELD nothing] in [FIELD season]</p>", fields, FieldContext())
    assert text == "<p>[FIELD nothing] in </p>"
    assert rest == fields


# ---- input type: ajax ----

def test_an_ajax_field_is_a_text_box_that_names_its_action_and_trigger() -> None:
    html = render_field(_field("word", "Word", inputtype="ajax", action="wordlist", trigger_at=2), FieldContext())
    control = re.search(r"<input[^>]*>", html).group(0)
    assert 'class="form-control daajax"' in control
    assert 'data-da-action="wordlist"' in control
    assert 'data-da-trigger-at="2"' in control
    assert 'list="daf1-list"' in control
    assert 'autocomplete="off"' in control
    assert '<datalist id="daf1-list"></datalist>' in html


def test_ajax_fields_carry_their_action_to_the_page() -> None:
    h = Harness(load_interview_text("""\
question: Word?
fields:
  - Word: favorite_word
    input type: ajax
    action: wordlist
---
event: wordlist
code: json_response(['apple'])
---
mandatory: True
question: ${ favorite_word }
""", "ajax.yml"))
    field = h.screen.fields[0].to_json()
    assert (field["inputtype"], field["action"], field["trigger_at"]) == ("ajax", "wordlist", 4)


# ---- reordering ----

INCOME = """\
objects:
  - income: DADict.using(object_type=DAObject, keys=['wages', 'rent', 'gifts'], there_is_another=False)
---
question: How much from ${ i }?
fields:
  - Amount: income[i].amount
    datatype: integer
---
table: income.table
rows: income
columns:
  - Kind: row_index
  - Amount: row_item.amount
allow reordering: True
---
mandatory: True
question: Your income
subquestion: |
  ${ income.table }

  Plain: ${ income.table.show(editable=False) }
field: income_reviewed
"""


def _income() -> Harness:
    h = Harness(load_interview_text(INCOME, "income.yml"))
    for amount in ("1", "2", "3"):
        h.answer({"Amount": amount})
    assert h.text.startswith("Your income")
    return h


def _kinds(h: Harness) -> list[str]:
    return list(h.answers["income"].elements)


def test_a_dictionary_moves_an_item_by_its_key_keeping_keys_and_values() -> None:
    h = _income()
    assert _kinds(h) == ["wages", "rent", "gifts"]
    tables = (h.screen.subquestion_text or "").split("Plain:")
    assert tables[0].count("datableup") == 2
    assert tables[0].count("databledown") == 2
    assert "datable" not in tables[1]
    assert "Actions" not in tables[1]
    h.action("_da_dict_reorder", dict="income", item="'gifts'", direction="up")
    assert _kinds(h) == ["wages", "gifts", "rent"]
    assert h.answers["income"]["gifts"].amount == 3
    assert h.text.startswith("Your income")


@pytest.mark.parametrize("arguments", [
    {"dict": "income", "item": "'wages'", "direction": "up"},  # the first cannot go up
    {"dict": "income", "item": "'gifts'", "direction": "down"},  # nor the last down
    {"dict": "income", "item": "'salary'", "direction": "up"},  # no such item
    {"dict": "income", "item": "__import__('os').getcwd()", "direction": "up"},  # never evaluated
    {"dict": "income", "item": "'rent'", "direction": "left"},
    {"dict": "income", "item": "'rent'"},
    {"dict": "income_reviewed", "item": "0", "direction": "up"},  # not a group
])
def test_a_forged_or_impossible_reorder_is_refused_and_nothing_moves(arguments: dict[str, str]) -> None:
    h = _income()
    with pytest.raises(BadRequest):
        h.action("_da_dict_reorder", **arguments)
    assert _kinds(h) == ["wages", "rent", "gifts"]


# ---- tabular review screens ----

REVIEW = """\
question: Your fruit?
fields:
  - Fruit: fruit
---
question: Your vegetable?
fields:
  - Vegetable: vegetable
---
event: review_answers
question: Revisit your answers
review:
  - Revisit fruit: fruit
    button: You like ${ fruit }.
    note: A side note
  - Revisit vegetable: vegetable
  - note: Nothing else to see.
tabular: ${ "table table-striped" }
---
mandatory: True
question: You like ${ fruit } and ${ vegetable }.
"""


def test_a_tabular_review_draws_its_items_as_table_rows_with_the_given_classes() -> None:
    h = Harness(load_interview_text(REVIEW, "review.yml"))
    h.answer({"Fruit": "apple"})
    h.answer({"Vegetable": "leek"})
    h.action("review_answers")
    html = h.screen.subquestion_text or ""
    assert html.startswith('<table class="da-review-tabular table table-striped"><tbody>')
    rows = re.findall(r'<tr class="([^"]+)">(.*?)</tr>', html, re.S)
    assert [kind for kind, _ in rows] == ["da-review da-review-button-tabular", "da-review da-review-label",
                                          "da-review da-review-note"]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", rows[0][1], re.S)
    assert cells[0] == "<p>You like apple.</p>"
    assert "Revisit fruit</a>" in cells[1]
    assert cells[2] == "<p>A side note</p>"
    h.action("vegetable")  # what the second row's link asks
    assert h.text.startswith("Your vegetable?")


def test_a_review_without_tabular_keeps_its_items_as_blocks() -> None:
    h = Harness(load_interview_text(REVIEW.replace('tabular: ${ "table table-striped" }\n', ""), "review.yml"))
    h.answer({"Fruit": "apple"})
    h.answer({"Vegetable": "leek"})
    h.action("review_answers")
    assert "<table" not in (h.screen.subquestion_text or "")
    assert '<div class="da-review-item">' in (h.screen.subquestion_text or "")
