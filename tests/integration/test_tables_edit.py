"""A table's Edit and Delete buttons and a group's Add button, clicked as a user clicks them in the
browser on the local stack: Edit asks the item's listed attributes again (the answers shown), Delete
takes the item out, Add asks for exactly one more item, and the table then shows the change."""

from __future__ import annotations

import html
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

FRUIT = """\
objects:
  - fruit: DAList.using(object_type=Thing, complete_attribute='complete', there_are_any=True)
---
code: |
  fruit[i].name.text
  fruit[i].seeds
  fruit[i].complete = True
---
question: What fruit is number ${ i + 1 }?
fields:
  - Name: fruit[i].name.text
  - Seeds: fruit[i].seeds
    datatype: integer
---
question: Is there more fruit?
yesno: fruit.there_is_another
---
table: fruit.table
rows: fruit
columns:
  - Fruit: row_item.name.text
  - Seeds: row_item.seeds
edit:
  - seeds
confirm: True
---
mandatory: True
question: Your fruit
subquestion: |
  ${ fruit.table }

  ${ fruit.add_action() }
continue button field: fruit_reviewed
---
mandatory: True
question: You have ${ fruit.number() } fruit, ${ fruit }.
"""

INCOME = """\
objects:
  - income: DADict.using(object_type=DAObject, keys=['wages', 'rent'], complete_attribute='complete',
      there_is_another=False)
---
code: |
  income[i].amount
  income[i].complete = True
---
question: How much from ${ i }?
fields:
  - Amount: income[i].amount
    datatype: integer
---
question: What other income is there?
fields:
  - Kind: income.new_item_name
---
table: income.table
rows: income
columns:
  - Kind: row_index
  - Amount: row_item.amount
delete buttons: True
---
mandatory: True
question: Your income
subquestion: |
  ${ income.table }

  ${ income.add_action(label="Add income") }
field: income_reviewed
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from offstage.local.stack import LocalStack

    folder = tmp_path_factory.mktemp("tables")
    (folder / "fruit.yml").write_text(FRUIT)
    (folder / "income.yml").write_text(INCOME)
    with LocalStack(interviews=[folder], with_poller=False) as running:
        yield running


class Browser:
    """A browser with its own cookies: opens the interview, posts its form, follows links on the page."""

    def __init__(self, stack, interview: str) -> None:
        self.stack, self.interview = stack, interview
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.page = ""

    def _send(self, url: str, data: bytes | None = None) -> str:
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if data else {}
        request = urllib.request.Request(url, data=data, headers=headers)
        try:
            with self.opener.open(request) as response:
                self.page = response.read().decode()
        except urllib.error.HTTPError as error:
            self.page = error.read().decode()
            raise AssertionError(f"HTTP {error.code}: {re.sub(r'<[^>]+>', ' ', self.page.split('<body')[-1])[:400]}") from None
        return self.page

    def open(self) -> str:
        return self._send(f"{self.stack.url}/interview?i={self.interview}")

    def answer(self, **fields: str) -> str:
        hidden = {name: html.unescape(re.search(rf'name="{name}" value="([^"]*)"', self.page).group(1))
                  for name in ("_csrf", "_question", "_event_list")}
        body = urllib.parse.urlencode({**hidden, **{k.replace("__", "."): v for k, v in fields.items()}})
        return self._send(f"{self.stack.url}/interview?i={self.interview}", body.encode())

    def click(self, label: str, row: str | None = None) -> str:
        """Follow the button `label` (in the table row holding `row`, when given)."""
        scope = self.page
        if row is not None:
            scope = next(r for r in re.findall(r"<tr>.*?</tr>", self.page, re.S) if row in r)
        links = re.findall(r'<a href="([^"]+)"[^>]*>(?:(?!</a>).)*?' + re.escape(label), scope, re.S)
        assert links, f"no {label!r} button on the page"
        href = html.unescape(links[0])
        return self._send(href if href.startswith("http") else self.stack.url + href)

    def question(self) -> str:
        return html.unescape(re.search(r'<h1 id="daMainQuestion"[^>]*>(.*?)</h1>', self.page, re.S).group(1))

    def rows(self) -> list[list[str]]:
        """The table's rows as the user reads them (cells' text, buttons' labels included)."""
        found = []
        for row in re.findall(r"<tr>(.*?)</tr>", self.page, re.S):
            cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
            found.append([" ".join(re.sub(r"<[^>]+>", " ", html.unescape(c)).split()) for c in cells])
        return found


def two_fruit(stack) -> Browser:
    browser = Browser(stack, "fruit.yml")
    browser.open()
    browser.answer(**{"fruit[0].name.text": "apple", "fruit[0].seeds": "10"})
    assert browser.question() == "Is there more fruit?"
    browser.answer(**{"fruit.there_is_another": "True"})
    browser.answer(**{"fruit[1].name.text": "banana", "fruit[1].seeds": "3"})
    browser.answer(**{"fruit.there_is_another": "False"})
    assert browser.question() == "Your fruit"
    return browser


def test_the_table_has_an_actions_column_with_edit_and_delete_for_each_item(stack):
    browser = two_fruit(stack)
    assert browser.rows() == [["Fruit", "Seeds", "Actions"], ["apple", "10", "Edit Delete"],
                              ["banana", "3", "Edit Delete"]]
    assert "daremovebutton" in browser.page  # `confirm: True`: the page asks before it deletes


def test_edit_asks_the_listed_attribute_again_with_the_answer_shown_then_the_table_shows_the_new_one(stack):
    browser = two_fruit(stack)
    browser.click("Edit", row="banana")
    assert browser.question() == "What fruit is number 2?"
    assert 'name="fruit[1].seeds" value="3"' in browser.page
    browser.answer(**{"fruit[1].name.text": "banana", "fruit[1].seeds": "4"})
    assert browser.question() == "Your fruit"
    assert browser.rows()[1:] == [["apple", "10", "Edit Delete"], ["banana", "4", "Edit Delete"]]


def test_delete_takes_the_item_out_and_the_interview_goes_on_with_the_rest(stack):
    browser = two_fruit(stack)
    browser.click("Delete", row="apple")
    assert browser.question() == "Your fruit"
    assert browser.rows()[1:] == [["banana", "3", "Edit Delete"]]
    browser.answer(**{"fruit_reviewed": "True"})
    assert browser.question() == "You have 1 fruit, banana."


def test_add_asks_for_exactly_one_more_item_then_shows_the_table_again(stack):
    browser = two_fruit(stack)
    browser.click("Add another")
    assert browser.question() == "What fruit is number 3?"
    browser.answer(**{"fruit[2].name.text": "cherry", "fruit[2].seeds": "1"})
    assert browser.question() == "Your fruit"  # not "Is there more fruit?": Add adds one
    assert [row[0] for row in browser.rows()[1:]] == ["apple", "banana", "cherry"]


def test_a_dictionary_table_deletes_by_key_and_adds_a_named_item(stack):
    browser = Browser(stack, "income.yml")
    browser.open()
    assert browser.question() == "How much from rent?"  # keys in order, as docassemble gathers them
    browser.answer(**{"income['rent'].amount": "500"})
    browser.answer(**{"income['wages'].amount": "2000"})
    assert browser.question() == "Your income"
    # shown in the order the keys were given (docassemble's table takes the dict's items as they are)
    assert browser.rows() == [["Kind", "Amount", "Actions"], ["wages", "2000", "Delete"], ["rent", "500", "Delete"]]
    browser.click("Delete", row="rent")
    assert browser.rows()[1:] == [["wages", "2000", "Delete"]]
    browser.click("Add income")
    assert browser.question() == "What other income is there?"
    browser.answer(**{"income.new_item_name": "gifts"})
    assert browser.question() == "How much from gifts?"
    browser.answer(**{"income['gifts'].amount": "50"})
    assert browser.question() == "Your income"
    assert [row[0] for row in browser.rows()[1:]] == ["wages", "gifts"]


def test_a_forged_delete_link_naming_something_else_is_refused_and_changes_nothing(stack):
    from offstage.engine.actions import encode_action

    browser = two_fruit(stack)
    for arguments in ({"list": "__import__('os')", "item": "0"}, {"list": "fruit", "item": "os.system('x')"},
                      {"list": "fruit_reviewed", "item": "0"}):
        forged = f"{stack.url}/interview?i=fruit.yml&action={encode_action('_da_list_remove', arguments)}"
        with pytest.raises(AssertionError, match="HTTP 4"):
            browser._send(forged)
    browser.open()
    assert [row[0] for row in browser.rows()[1:]] == ["apple", "banana"]
