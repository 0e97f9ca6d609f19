"""Objects ask for what they lack: missing attributes and items name the variable to ask for."""

from __future__ import annotations

import pytest
from offstage.library.objects import DADict, DAEmpty, DAList, DAObject, DASet


def missing_name(action):
    with pytest.raises((AttributeError, LookupError)) as caught:
        action()
    return caught.value.offstage_name


def test_a_missing_attribute_names_the_full_variable():
    client = DAObject("client")
    client.initializeAttribute("name", DAObject)
    assert missing_name(lambda: client.name.first) == "client.name.first"
    client.name.first = "Ann"
    assert str(client) == str(client.name) != ""
    assert client.attr_name("phone") == "client.phone"


def test_initialize_attribute_keeps_an_existing_object_and_reinitialize_replaces_it():
    client = DAObject("client")
    first = client.initializeAttribute("address", DAObject)
    assert client.initializeAttribute("address", DAObject) is first
    assert client.reInitializeAttribute("address", DAObject) is not first


def test_using_builds_objects_with_parameters():
    factory = DAList.using(object_type=DAObject, there_are_any=True)
    people = factory("people")
    assert people.instanceName == "people"
    assert people.there_are_any is True
    person = people.appendObject()
    assert person.instanceName == "people[0]"


def test_gathering_a_list_asks_there_are_any_then_items_then_there_is_another():
    fruits = DAList("fruits")
    assert missing_name(lambda: len(fruits)) == "fruits.there_are_any"
    fruits.there_are_any = True
    assert missing_name(lambda: list(fruits)) == "fruits[0]"
    fruits[0] = "apple"  # what a question answering fruits[0] does
    assert missing_name(lambda: fruits.number()) == "fruits.there_is_another"
    fruits.there_is_another = True
    assert missing_name(lambda: fruits.number()) == "fruits[1]"
    fruits[1] = "pear"
    fruits.there_is_another = False
    assert fruits.number() == 2
    assert fruits.gathered is True
    assert str(fruits) == "apple and pear"


def test_a_list_with_no_items_is_gathered_empty():
    fruits = DAList("fruits", there_are_any=False)
    assert len(fruits) == 0
    assert fruits.gathered


def test_a_list_of_objects_asks_the_complete_attribute_of_each_new_item():
    people = DAList("people", object_type=DAObject, complete_attribute="age", there_are_any=True)
    assert missing_name(people.gather) == "people[0].age"
    people[0].age = 30
    people.there_is_another = False
    assert people.gather()
    assert [p.age for p in people] == [30]


def test_a_dict_asks_for_the_key_then_the_value():
    pets = DADict("pets", there_are_any=True)
    assert missing_name(pets.gather) == "pets.new_item_name"
    pets.new_item_name = "rex"
    assert missing_name(pets.gather) == "pets['rex']"
    pets["rex"] = "dog"
    pets.there_is_another = False
    assert dict(pets.items()) == {"rex": "dog"}
    assert str(pets) == "rex"


def test_a_set_asks_for_new_items():
    colors = DASet("colors", there_are_any=True)
    assert missing_name(colors.gather) == "colors.new_item"
    colors.new_item = "red"
    colors.there_is_another = False
    assert "red" in colors
    assert len(colors) == 1


def test_objects_without_a_name_raise_plain_attribute_errors():
    anonymous = [DAObject()][0]  # not assigned directly: nothing to take a name from
    with pytest.raises(AttributeError) as caught:
        anonymous.color  # noqa: B018
    assert caught.value.offstage_name is None


def test_private_and_special_attributes_are_never_asked():
    client = DAObject("client")
    assert not hasattr(client, "_secret")
    assert not hasattr(client, "__deepcopy__")


def test_da_empty_is_empty_text_whatever_is_asked():
    empty = DAEmpty()
    assert str(empty.name.first) == ""
    assert not empty
    assert str(empty[3]()) == ""
