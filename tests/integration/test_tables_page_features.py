"""A table's reorder arrows, `input type: ajax` suggestions, glossary terms and `[FIELD name]` embedded
fields, used through the local stack's HTTP as the page uses them."""

from __future__ import annotations

import html
import json
import re

import pytest

from tests.integration.test_tables_edit import Browser

FRUIT = """\
objects:
  - fruit: DAList.using(object_type=Thing, complete_attribute='complete', there_are_any=True)
---
code: |
  fruit[i].name.text
  fruit[i].complete = True
---
question: What fruit is number ${ i + 1 }?
fields:
  - Name: fruit[i].name.text
---
question: Is there more fruit?
yesno: fruit.there_is_another
---
table: fruit.table
rows: fruit
columns:
  - Fruit: row_item.name.text
edit:
  - name.text
allow reordering: True
---
mandatory: True
question: Your fruit
subquestion: |
  ${ fruit.table }
continue button field: fruit_reviewed
---
mandatory: True
question: Fruit in order ${ fruit }; the second is named ${ fruit[1].instanceName }.
"""

WORDS = """\
question: What is your favorite word?
fields:
  - Word: favorite_word
    input type: ajax
    action: wordlist
    trigger at: 2
---
event: wordlist
code: |
  start = action_argument('wordstart').lower()
  json_response([w for w in ['apple', 'apricot', 'banana'] if w.startswith(start)])
---
mandatory: True
question: Your word is ${ favorite_word }.
"""

GLOSSARY = """\
terms:
  Fruit: The seed-bearing part of a plant, *sweet* <script>alert(1)</script>
auto terms:
  seeds: What grows a plant
---
question: Fill in the blanks.
subquestion: |
  My {fruit} has seeds. I ate it with
  [FIELD side_dish].
fields:
  - Side dish: side_dish
    inline width: 10em
  - Number of seeds: seed_count
    datatype: integer
---
mandatory: True
question: You ate ${ side_dish } and counted ${ seed_count }.
"""


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
subquestion: ${ income.table }
field: income_reviewed
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from offstage.local.stack import LocalStack

    folder = tmp_path_factory.mktemp("tables_page")
    (folder / "fruit.yml").write_text(FRUIT)
    (folder / "words.yml").write_text(WORDS)
    (folder / "glossary.yml").write_text(GLOSSARY)
    (folder / "income.yml").write_text(INCOME)
    with LocalStack(interviews=[folder], with_poller=False) as running:
        yield running


def three_fruit(stack) -> Browser:
    browser = Browser(stack, "fruit.yml")
    browser.open()
    for n, name in enumerate(("apple", "banana", "cherry")):
        if n:
            browser.answer(**{"fruit.there_is_another": "True"})
        browser.answer(**{f"fruit[{n}].name.text": name})
    browser.answer(**{"fruit.there_is_another": "False"})
    assert browser.question() == "Your fruit"
    return browser


def test_each_row_has_up_and_down_arrows_except_the_first_up_and_the_last_down(stack):
    browser = three_fruit(stack)
    assert browser.rows() == [["Fruit", "Actions"], ["apple", "Move down Edit Delete"],
                              ["banana", "Move up Move down Edit Delete"], ["cherry", "Move up Edit Delete"]]


def test_moving_an_item_up_reorders_the_list_and_the_order_is_saved(stack):
    browser = three_fruit(stack)
    browser.click("Move up", row="cherry")
    assert browser.question() == "Your fruit"
    assert [row[0] for row in browser.rows()[1:]] == ["apple", "cherry", "banana"]
    browser.click("Move down", row="apple")
    assert [row[0] for row in browser.rows()[1:]] == ["cherry", "apple", "banana"]
    browser.open()  # a new request: the order was saved with the session
    assert [row[0] for row in browser.rows()[1:]] == ["cherry", "apple", "banana"]
    browser.answer(fruit_reviewed="True")
    assert browser.question() == "Fruit in order cherry, apple, and banana; the second is named fruit[1]."


def test_a_dictionary_keeps_the_order_its_arrows_give_it(stack):
    browser = Browser(stack, "income.yml")
    browser.open()
    for amount in ("1", "2", "3"):
        name = html.unescape(re.search(r'<input type="number"[^>]*name="([^"]+)"', browser.page).group(1))
        browser.answer(**{name: amount})
    assert browser.question() == "Your income"
    browser.click("Move up", row="gifts")
    assert [row[0] for row in browser.rows()[1:]] == ["wages", "gifts", "rent"]
    browser.open()  # saved with the session
    assert browser.rows()[1:] == [["wages", "1", "Move down"], ["gifts", "3", "Move up Move down"], ["rent", "2", "Move up"]]


def test_a_forged_or_out_of_range_reorder_link_is_refused_and_changes_nothing(stack):
    from offstage.engine.actions import encode_action

    browser = three_fruit(stack)
    for arguments in ({"list": "fruit", "item": "0", "direction": "up"},
                      {"list": "fruit", "item": "2", "direction": "down"},
                      {"list": "fruit", "item": "7", "direction": "up"},
                      {"list": "fruit", "item": "__import__('os').getcwd()", "direction": "up"},
                      {"list": "fruit", "item": "1", "direction": "sideways"},
                      {"list": "__import__('os')", "item": "1", "direction": "up"}):
        forged = f"{stack.url}/interview?i=fruit.yml&action={encode_action('_da_list_reorder', arguments)}"
        with pytest.raises(AssertionError, match="HTTP 400"):
            browser._send(forged)
    browser.open()
    assert [row[0] for row in browser.rows()[1:]] == ["apple", "banana", "cherry"]


def test_an_ajax_field_asks_its_action_for_suggestions_as_the_page_does(stack):
    from offstage.engine.actions import encode_action

    browser = Browser(stack, "words.yml")
    page = browser.open()
    control = re.search(r"<input[^>]*daajax[^>]*>", page).group(0)
    assert 'data-da-action="wordlist"' in control
    assert 'data-da-trigger-at="2"' in control
    list_id = re.search(r'list="([^"]+)"', control).group(1)
    assert f'<datalist id="{list_id}">' in page
    # action_call(): a GET of the action's URL, as app.js sends it when the user has typed "ap"
    answer = browser._send(f"{stack.url}/interview?i=words.yml&action="
                           + encode_action("wordlist", {"wordstart": "ap"}))
    assert json.loads(answer) == ["apple", "apricot"]
    browser.open()
    browser.answer(favorite_word="apricot")
    assert browser.question() == "Your word is apricot."


def test_a_term_is_a_focusable_link_with_its_sanitized_definition_and_an_embedded_field_is_inline(stack):
    browser = Browser(stack, "glossary.yml")
    page = browser.open()
    subquestion = re.search(r'<div class="da-subquestion">(.*?)</div>', page, re.S).group(1)
    assert '<a tabindex="0" role="button" class="daterm">fruit</a>' in subquestion
    definition = re.search(r'<span class="daterm-definition" hidden[^>]*>(.*?)</span>', subquestion, re.S).group(1)
    assert "<em>sweet</em>" in definition
    assert "<script" not in subquestion
    assert "alert(1)" not in page
    assert re.search(r'class="daterm">seeds</a>', subquestion)  # an auto term, wherever it occurs
    # [FIELD side_dish]: its control sits in the sentence, labelled by the field's label, not repeated below
    assert re.search(r'I ate it with\s*<span class="da-embedded-field"[^>]*><input[^>]*name="side_dish"', subquestion)
    assert 'aria-label="Side dish"' in subquestion
    assert 'style="width: 10em"' in subquestion
    assert page.count('name="side_dish"') == 1
    assert 'name="seed_count"' in page.split('<div class="da-subquestion">')[1].split("</div>", 1)[1]
    with pytest.raises(AssertionError, match="HTTP 400"):
        browser.answer(side_dish="", seed_count="3")  # still required and validated like the others
    assert re.search(r'<span class="da-embedded-field da-has-error"', browser.page)
    browser.answer(side_dish="rice", seed_count="3")
    assert browser.question() == "You ate rice and counted 3."
