"""The name grammar and how names are resolved: what an author can write, what is refused, and why."""

from __future__ import annotations

import pytest
from offstage.engine import varpath
from offstage.engine.varpath import Attribute, IndexVariable, Item, NotAName, VarPath


@pytest.mark.parametrize(("text", "root", "steps"), [
    ("user", "user", ()),
    ("user.name.first", "user", (Attribute("name"), Attribute("first"))),
    ("fruits[0]", "fruits", (Item(0),)),
    ("table[-1][ 2 ]", "table", (Item(-1), Item(2))),
    ("pets['dog'].age", "pets", (Item("dog"), Attribute("age"))),
    ('pets["it\'s"]', "pets", (Item("it's"),)),
    ("flags[True][None]", "flags", (Item(True), Item(None))),
    ("people[i].children[j]", "people", (IndexVariable("i"), Attribute("children"), IndexVariable("j"))),
    ("  padded  ", "padded", ()),
    ("pr\u00e9nom", "pr\u00e9nom", ()),
    ("\uff46ruits[0]", "fruits", (Item(0),)),  # fullwidth letters read as Python reads them
])
def test_names_an_author_writes_are_read_as_their_parts(text, root, steps):
    assert varpath.parse_name(text) == VarPath(root, steps)


@pytest.mark.parametrize(("text", "reason"), [
    ("user.__class__", "starts with '_'"),
    ("_internal", "starts with '_'"),
    ("fruits[_i]", "starts with '_'"),
    ("user.class", "keyword"),
    ("fruits[0.5]", "']' is expected"),
    ("fruits[1:2]", "']' is expected"),
    ("f(x)", "'(' at position 2"),
    ("a + b", "' ' at position 2"),
    ("fruits['\\x41']", "escapes"),
    ("fruits['a\nb']", "invisible"),
    ("fruits['open", "not closed"),
    ("x" * 501, "longer than 500"),
    ("x" + ".y" * 33, "more than 32 steps"),
    ("", "empty"),
    (3, "text"),
])
def test_what_is_not_a_name_is_refused_saying_why(text, reason):
    with pytest.raises(NotAName) as refused:
        varpath.parse_name(text)
    assert reason in str(refused.value)
    assert varpath.as_name(text) is None


def test_the_canonical_spelling_is_what_the_engine_writes():
    assert varpath.parse_name("pets[ \"dog\" ].age").spelling == "pets['dog'].age"
    assert varpath.parse_index(" 3 ") == Item(3)
    assert varpath.parse_index("i") == IndexVariable("i")
    assert varpath.parse_index("user.spouse") is None
    assert varpath.parse_index("0].x[0") is None


class Box:
    pass


def test_names_are_resolved_set_and_undefined_by_lookups_only():
    box = Box()
    answers = {"box": box, "pets": {"dog": [1, 2]}, "i": 1, "__builtins__": {"len": len}}
    varpath.assign(varpath.parse_name("box.size"), answers, 3)
    varpath.assign(varpath.parse_name("pets['dog'][i]"), answers, 5)
    varpath.assign(varpath.parse_name("total"), answers, 7)
    assert box.size == 3
    assert answers["pets"] == {"dog": [1, 5]}
    assert answers["total"] == 7
    assert varpath.get(varpath.parse_name("pets['dog'][i]"), answers) == 5
    assert varpath.get(varpath.parse_name("len"), answers) is len  # reading sees the interview's functions
    with pytest.raises(NameError):  # ... but only the answers' own objects can be changed
        varpath.assign(varpath.parse_name("len.x"), answers, 1)
    varpath.delete(varpath.parse_name("box.size"), answers)
    varpath.delete(varpath.parse_name("total"), answers)
    assert not hasattr(box, "size")
    assert "total" not in answers


def test_a_missing_root_or_index_variable_is_a_name_error_naming_it_so_it_is_sought():
    with pytest.raises(NameError) as missing:
        varpath.get(varpath.parse_name("spouse.name"), {})
    assert missing.value.name == "spouse"
    with pytest.raises(NameError) as missing:
        varpath.get(varpath.parse_name("fruits[j]"), {"fruits": [1]})
    assert missing.value.name == "j"
    with pytest.raises(KeyError):
        varpath.get(varpath.parse_name("pets['cat']"), {"pets": {}})


class Shelf:
    shared: dict = {}  # noqa: RUF012 - the point: a class attribute: every instance, every session of the process sees it

    def __init__(self) -> None:
        self.own: dict = {}


def test_code_and_classes_are_never_changed_and_free_names_reach_only_the_answers_own_data():
    answers = {"kind": Box, "shelf": Shelf(), "act": len, "walk": varpath.get}
    for name in ("kind.size", "act.size", "walk.size"):
        with pytest.raises(TypeError, match="cannot be set on"):
            varpath.assign(varpath.parse_name(name), answers, 1)
    assert not hasattr(Box, "size")
    varpath.check_settable(varpath.parse_name("shelf.own['k']"), answers)
    with pytest.raises(AttributeError):
        varpath.check_settable(varpath.parse_name("shelf.shared['k']"), answers)
    assert Shelf.shared == {}
