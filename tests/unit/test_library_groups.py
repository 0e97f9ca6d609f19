"""Groups and money: lists of objects that fill up, checkbox answers as a DADict, financial lists,
and every standard class surviving the answers' storage."""

from __future__ import annotations

from decimal import Decimal

import pytest
from offstage.answers.codec import dumps, loads
from offstage.interview.loader import load_interview_text
from offstage.library.addresses import Address
from offstage.library.finance import FinancialList, PeriodicFinancialList, PeriodicValue, Value
from offstage.library.links import DALink
from offstage.library.objects import DADict, DAEmpty, DAList, DAObject, DAOrderedDict
from offstage.library.people import Individual
from offstage.library.recipients import DAEmailRecipient, DAEmailRecipientList
from offstage.library.words import currency

from tests.support.harness import Harness


def test_a_list_of_objects_fills_itself_up_to_an_index_that_is_set():
    people = DAList("people", object_type=Individual)
    people[1].name.first = "Bob"  # on an empty list, as in docassemble
    assert [p.instanceName for p in people.elements] == ["people[0]", "people[1]"]
    assert str(people[1]) == "Bob"
    with pytest.raises(IndexError, match="more than 10"):
        people[40]
    plain = DAList("plain")
    plain[2] = "c"
    assert plain.elements == [None, None, "c"]


def test_a_list_without_object_type_still_asks_for_a_missing_item():
    fruits = DAList("fruits")
    with pytest.raises(IndexError) as caught:
        fruits[0]
    assert caught.value.offstage_name == "fruits[0]"


def test_objects_take_their_name_from_the_assignment():
    client = Individual()
    assert client.instanceName == "client"
    case = DAObject("case")
    case.judge = Individual()
    assert case.judge.instanceName == "case.judge"
    people = DAList("people")
    people[0] = Individual()  # an item takes the list's index as its name
    assert people[0].instanceName == "people[0]"
    registry = DADict("registry")
    registry["ann"] = DAObject()
    assert registry["ann"].instanceName == "registry['ann']"
    x = DAObject("people[0]")  # a generic block's x, standing for an item
    x.pets = DAList()
    assert x.pets.instanceName == "people[0].pets"


def test_item_gives_an_empty_stand_in_rather_than_asking():
    people = DAList("people", elements=["Ann"])
    assert people.item(0) == "Ann"
    assert str(people.item(5)) == ""
    assert str(people.item(5).name.first) == ""
    places = DADict("places", elements={"home": "Boston"})
    assert places.item("home") == "Boston"
    assert not places.item("work")
    assert str(DAEmpty(str="n/a")) == "n/a"


def test_checkbox_helpers():
    fruit = DADict("fruit", elements={"apple": True, "pear": False, "fig": True}, auto_gather=False)
    assert list(fruit.true_values()) == ["apple", "fig"]
    assert list(fruit.false_values()) == ["pear"]
    assert not fruit.all_false()
    assert fruit.all_false("pear")
    assert fruit.all_true("apple", "fig")
    assert fruit.all_true("apple", "fig", exclusive=True)
    assert not fruit.all_true("apple", exclusive=True)
    assert fruit.any_true("pear", "fig")
    assert fruit.any_false()
    assert fruit == {"apple": True, "pear": False, "fig": True}
    ordered = DAOrderedDict("ordered", elements={"b": 1, "a": 2})
    assert list(ordered.keys()) == ["b", "a"]


CHECKBOXES = """\
question: Which fruit do you like?
fields:
  - Fruit: likes
    datatype: checkboxes
    choices:
      - Apple: apple
      - Pear: pear
---
mandatory: True
question: |
  % if likes.all_false():
  You like no fruit.
  % else:
  You like ${ likes.true_values() }.
  % endif
"""


def test_checkbox_answers_are_a_dadict_named_after_the_field():
    h = Harness(load_interview_text(CHECKBOXES))
    h.answer({"Fruit": ["apple", "pear"]})
    assert "You like apple and pear." in h.text
    likes = h.answers["likes"]
    assert isinstance(likes, DADict)
    assert likes.instanceName == "likes"
    assert likes.elements == {
        "apple": True, "pear": True}
    h2 = Harness(load_interview_text(CHECKBOXES))
    h2.answer({})  # nothing ticked
    assert "You like no fruit." in h2.text


def test_values_and_financial_lists():
    savings = Value("savings")
    with pytest.raises(AttributeError) as caught:
        savings.amount()
    assert caught.value.offstage_name == "savings.exists"
    savings.exists = False
    assert savings.amount() == 0  # the value itself is not asked
    savings.exists, savings.value = True, 1200.5
    assert currency(savings) == "$1,200.50"
    assert savings > 1000
    rent = PeriodicValue("rent", exists=True, value=1000, period=12)
    assert rent.amount() == Decimal(12000)
    assert rent.amount(12) == Decimal(1000)
    assets = FinancialList("assets", elements={"car": Value(exists=True, value=5000),
                                               "boat": Value(exists=False)})
    assert assets.total() == Decimal(5000)
    assert assets.existing_items() == ["car"]
    assert str(assets) == "5000"
    income = PeriodicFinancialList("income", elements={"job": PeriodicValue(exists=True, value=2000, period=12)})
    assert income.total() == Decimal(24000)
    assert income.total(12) == Decimal(2000)


INCOME = """\
objects:
  - income: PeriodicFinancialList
---
question: Any income?
yesno: income.there_are_any
---
question: Tell us about an income
fields:
  - Source: income.new_item_name
  - Amount: income.new_item_value
    datatype: currency
  - How often: income.new_item_period
    datatype: integer
---
question: Any other income?
yesno: income.there_is_another
---
mandatory: True
question: Your yearly income is ${ currency(income.total()) }.
"""


def test_a_periodic_financial_list_is_gathered_name_value_and_period_on_one_screen():
    h = Harness(load_interview_text(INCOME))
    h.press("Yes")
    h.answer({"Source": "job", "Amount": "1000", "How often": "12"})
    h.press("Yes")
    h.answer({"Source": "gig", "Amount": "50", "How often": "52"})
    h.press("No")
    assert "Your yearly income is $14,600.00." in h.text
    assert h.answers["income"]["gig"].instanceName == "income['gig']"


SAVINGS = """\
objects:
  - savings: FinancialList
---
question: Any savings?
yesno: savings.there_are_any
---
question: Where are they kept?
fields:
  - Kind: savings.new_item_name
---
question: How much is in ${ i }?
fields:
  - Amount: savings[i].value
    datatype: currency
---
question: Anywhere else?
yesno: savings.there_is_another
---
mandatory: True
question: Your savings come to ${ currency(savings.total()) }.
"""


def test_an_item_named_alone_exists_and_its_value_is_asked_next():
    h = Harness(load_interview_text(SAVINGS))
    h.press("Yes")
    h.answer({"Kind": "bank"})
    assert "How much is in bank?" in h.text
    h.answer({"Amount": "250"})
    h.press("No")
    assert "Your savings come to $250.00." in h.text


SEEDS = """\
objects:
  - seeds: DADict
---
mandatory: True
code: |
  seeds.there_are_any = True
---
question: Tell me about a fruit.
fields:
  - Name: seeds.new_item_name
  - Seeds: seeds.new_item_value
    datatype: integer
---
question: Another fruit?
yesno: seeds.there_is_another
---
mandatory: True
question: |
  % for fruit in seeds:
  ${ fruit } has ${ seeds[fruit] } seeds.
  % endfor
"""


def test_a_dict_of_plain_values_takes_name_and_value_from_one_screen():
    h = Harness(load_interview_text(SEEDS))
    h.answer({"Name": "plum", "Seeds": "1"})
    assert "Another fruit?" in h.text
    h.press("Yes")
    h.answer({"Name": "apple", "Seeds": "10"})
    h.press("No")
    assert "plum has 1 seeds. apple has 10 seeds." in h.text


def test_the_standard_classes_survive_the_stored_answers():
    client = Individual("client")
    client.name.first, client.gender = "Jane", "female"
    client.address.city = "Boston"
    recipients = DAEmailRecipientList("recipients")
    recipients.appendObject(address="a@example.com", name="Ann")
    answers = {
        "client": client, "home": Address("home", address="1 Main St", city="Boston"),
        "rent": PeriodicValue("rent", exists=True, value=10, period=12), "recipients": recipients,
        "link": DALink("link", url="https://example.com", anchor_text="Example"),
        "checked": DADict("checked", elements={"a": True}, auto_gather=False),
    }
    back = loads(dumps(answers))
    assert type(back["client"]) is Individual
    assert str(back["client"]) == "Jane"
    assert back["client"].pronoun() == "her"
    assert back["client"].address.city == "Boston"
    assert back["home"].on_one_line() == "1 Main St, Boston"
    assert back["rent"].amount() == Decimal(120)
    assert isinstance(back["recipients"][0], DAEmailRecipient)
    assert back["recipients"][0].email_address() == "Ann <a@example.com>"
    assert str(back["link"]) == "[Example](https://example.com)"
    assert back["checked"].true_values() == ["a"]


def test_a_list_that_asks_the_object_type_of_each_item():
    places = DAList("places", ask_object_type=True, there_are_any=True)
    with pytest.raises(AttributeError) as caught:
        places.gather()
    assert caught.value.offstage_name == "places.new_object_type"
    assert places.current_index() == 0
    places.new_object_type = Address
    with pytest.raises(AttributeError) as caught:
        places.gather()
    assert caught.value.offstage_name == "places[0].address"  # the new Address is completed by asking
    assert isinstance(places[0], Address)
    assert "new_object_type" not in places.__dict__


def test_set_operations_of_groups_give_a_daset():
    from offstage.library.objects import DASet

    mine = DAList("mine", elements=["fig", "kiwi", "plum"])
    yours = DASet("yours", elements={"kiwi", "plum", "pear"})
    both = mine.intersection(yours)
    assert isinstance(both, DASet)
    assert both.number() == 2
    assert sorted(both.elements) == ["kiwi", "plum"]
    assert sorted(mine.union(yours).elements) == ["fig", "kiwi", "pear", "plum"]
    assert mine.difference(["fig"]).number() == 2


def test_group_language_and_sorting():
    people = DAList("plaintiff", object_type=Individual, there_are_any=False)
    people.gathered = True
    one = people.appendObject()
    one.name.first, one.gender = "Dick", "male"
    assert people.as_noun() == "plaintiff"
    assert people.pronoun() == "him"
    assert people.does_verb("claim") == "claims"
    two = people.appendObject()
    two.name.first = "Jane"
    assert people.as_noun() == "plaintiffs"
    assert people.pronoun_subjective() == "they"
    assert people.does_verb("claim") == "claim"
    assert people.did_verb("claim") == "claimed"
    assert people.do_question("accept service") == "do Dick and Jane accept service"
    assert people.pronoun_possessive("assertion") == "their assertion"
    assert people.itself() == "themselves"
    assert people.quantity_noun("ox") == "two oxen"
    assert people.possessive("fish") == "plaintiffs' fish"
    assert [str(p) for p in people.sort(key=lambda p: str(p), reverse=True)] == ["Jane", "Dick"]
    assert people.item_name(1) == "plaintiff[1]"
    assert people.current_index() == 1
    assert [str(p) for p in people.filter(gender="male")] == ["Dick"]
    people.delitem(0)  # the sort reordered the list itself: Jane was first
    assert [str(p) for p in people] == ["Dick"]


def test_checkbox_answers_shown_again_keep_their_ticks():
    h = Harness(load_interview_text(CHECKBOXES + "---\nevent: change_fruit\ncode: |\n  force_ask('likes')\n"))
    h.answer({"Fruit": ["pear"]})
    h.action("change_fruit")
    assert "Which fruit do you like?" in h.text
    assert h.screen.fields[0].default == {"apple": False, "pear": True}


def test_object_names_read_as_docassemble_reads_them():
    park = DAObject("park")
    gate = park.initializeAttribute("front_gate", DAObject)
    assert gate.object_name() == "front gate in the park"
    assert gate.object_possessive("latch") == "the latch of the front gate in the park"
    players = DADict("player")
    trustee = players.initializeObject("trustee", DAObject)
    assert trustee.object_possessive("name") == "the trustee player's name"
    fruits = DAList("fruits", object_type=DAObject)
    assert fruits[1].object_name() == "second fruits"


def test_dict_keys_come_sorted_and_item_gathers_first():
    players = DADict("players", elements={"trustee": 1, "beneficiary": 2, "grantor": 3})
    assert list(players.keys()) == ["beneficiary", "grantor", "trustee"]
    ordered = DAOrderedDict("ordered", elements={"trustee": 1, "beneficiary": 2})
    assert list(ordered.keys()) == ["trustee", "beneficiary"]
    fruit = DAList("fruit", there_are_any=True)
    with pytest.raises(IndexError) as caught:
        fruit.item(5)
    assert caught.value.offstage_name == "fruit[0]"  # item() gathers the list before looking
