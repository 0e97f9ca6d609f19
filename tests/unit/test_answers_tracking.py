"""Change tracking (offstage.answers.tracking): a Watch says "unchanged" only when nothing was changed.

The attacker's side first: every way interview code can change the answers must make the watch say
"changed" (else the change would be lost); then the side that makes it worth having: no change,
or writes that put back the very same value, say "unchanged".
"""

from __future__ import annotations

import contextlib
import decimal
import types
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from offstage.answers.codec import dumps, loads_watched
from offstage.library.objects import DADict, DAList, DAObject, DASet
from offstage.library.things import Thing

MODULES = (__name__,)


class Plain:
    """An author's class that is not a DAObject: no hooks, so its attributes are compared."""

    def __init__(self, **attributes: Any) -> None:
        self.__dict__.update(attributes)


class Guarded(DAObject):
    """An author's DAObject that writes past the hooks in its own __setattr__."""

    def __setattr__(self, attribute: str, value: Any) -> None:
        self.__dict__[attribute] = value


class OwnState:
    """An author's class whose stored state is its own method's: cannot be watched."""

    def __init__(self) -> None:
        self.value = 1

    def __getstate__(self) -> dict[str, Any]:
        return {"value": self.value}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.value = state["value"]


def session() -> dict[str, Any]:
    people = DAList("people", elements=[DAObject(f"people[{i}]", age=i, tags=[]) for i in range(3)])
    pets = DADict("pets", auto_gather=False, gathered=True)
    pets.elements.update({"rex": "dog", "tom": "cat"})
    colours = DASet("colours", auto_gather=False, gathered=True)
    colours.elements.update({"red", "blue"})
    client = Thing("client", name="Ann")
    client.address = DAObject("client.address", city="Lyon", zero=0.0)
    return {"people": people, "pets": pets, "colours": colours, "client": client, "plain": Plain(x=1, items=[1]),
            "guarded": Guarded("guarded", x=1), "notes": ["a", 1, 2.5], "table": {"k": [1, {"deep": []}]},
            "flags": {1, 2}, "pair": (1, [2]), "count": 1, "big": 123456789, "zero": 0.0, "money": decimal.Decimal("1.50"),
            "_internal": {"steps": 1, "answered": ["q1"], "event_stack": {}}}


def watched(answers: dict[str, Any] | None = None) -> tuple[dict[str, Any], Any]:
    loaded, watch = loads_watched(dumps(answers or session(), allowed_modules=MODULES), allowed_modules=MODULES)
    watch.trusted = True
    return loaded, watch


MUTATIONS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "namespace set": lambda a: a.__setitem__("new", 1),
    "namespace replace": lambda a: a.__setitem__("count", 2),
    "namespace same value, other type": lambda a: a.__setitem__("count", 1.0),
    "namespace del": lambda a: a.pop("count"),
    "namespace float sign": lambda a: a.__setitem__("zero", -0.0),
    "attribute float sign": lambda a: setattr(a["client"].address, "zero", -0.0),
    "namespace reorder": lambda a: a.__setitem__("count", a.pop("count")),
    "attribute set": lambda a: setattr(a["client"].address, "city", "Paris"),
    "attribute equal but other type": lambda a: setattr(a["people"][1], "age", 1.0),
    "attribute delete": lambda a: delattr(a["client"].address, "city"),
    "DAObject.delattr": lambda a: a["client"].address.delattr("city"),
    "class changed": lambda a: setattr(a["client"].address, "__class__", Thing),
    "Thing name set": lambda a: setattr(a["client"], "name", "Bea"),
    "DAList append": lambda a: a["people"].append(DAObject("people[3]")),
    "DAList extend": lambda a: a["people"].extend([1, 2]),
    "DAList insert": lambda a: a["people"].insert(0, 5),
    "DAList pop": lambda a: a["people"].pop(),
    "DAList remove": lambda a: a["people"].remove(a["people"][0]),
    "DAList sort": lambda a: a["people"].sort(key=lambda p: -p.age),
    "DAList setitem": lambda a: a["people"].__setitem__(0, 7),
    "DAList clear": lambda a: a["people"].clear(),
    "DAList elements in place": lambda a: a["people"].elements.append(1),
    "item's plain list in place": lambda a: a["people"][2].tags.append("x"),
    "gathered flip": lambda a: setattr(a["people"], "gathered", False),
    "there_is_another": lambda a: setattr(a["people"], "there_is_another", True),
    "reset_gathered": lambda a: a["people"].reset_gathered(),
    "DADict set": lambda a: a["pets"].__setitem__("rex", "wolf"),
    "DADict new key": lambda a: a["pets"].__setitem__("ada", "cow"),
    "DADict del": lambda a: a["pets"].__delitem__("rex"),
    "DADict elements update": lambda a: a["pets"].elements.update({"tom": "lion"}),  # DADict has no update()
    "DADict pop": lambda a: a["pets"].pop("tom"),
    "DASet add": lambda a: a["colours"].add("green"),
    "DASet discard": lambda a: a["colours"].discard("red"),
    "plain list append": lambda a: a["notes"].append("b"),
    "plain list equal item, other type": lambda a: a["notes"].__setitem__(1, True),
    "plain list sort": lambda a: a["notes"].reverse(),
    "plain dict set": lambda a: a["table"].__setitem__("j", 0),
    "nested plain dict": lambda a: a["table"]["k"][1]["deep"].append(None),
    "set add": lambda a: a["flags"].add(3),
    "set swap equal item": lambda a: (a["flags"].discard(1), a["flags"].add(1.0)),
    "list inside a tuple": lambda a: a["pair"][1].append(3),
    "author's object attribute": lambda a: setattr(a["plain"], "x", 2),
    "author's object __dict__": lambda a: a["plain"].__dict__.update(y=1),
    "author's object list": lambda a: a["plain"].items.append(2),
    "author's __setattr__ past the hooks": lambda a: setattr(a["guarded"], "x", 2),
    "internal state": lambda a: a["_internal"]["answered"].append("q2"),
    "internal steps": lambda a: a["_internal"].__setitem__("steps", 2),
    "internal new dict": lambda a: a["_internal"]["event_stack"].__setitem__("s", [1]),
}


@pytest.mark.parametrize("mutate", MUTATIONS.values(), ids=MUTATIONS.keys())
def test_every_kind_of_change_is_seen(mutate):
    answers, watch = watched()
    before = dumps(answers, allowed_modules=MODULES)
    mutate(answers)
    assert dumps(answers, allowed_modules=MODULES) != before  # the mutation does change what is stored
    assert watch.unchanged(answers) is False


def test_nothing_changed_or_the_same_values_put_back_is_unchanged():
    answers, watch = watched()
    assert watch.unchanged(answers) is True
    people = answers["people"]
    people[0].age = people[0].age  # the very same object: not a write
    answers["notes"][0] = answers["notes"][0]
    answers["count"] = answers["count"]
    people.gathered = people.gathered
    answers["big"] = int("123456789")  # a new object, stored alike
    answers["notes"][2] = float("2.5")
    answers["client"].address.city = "".join(["Ly", "on"])
    answers["client"].address.zero = float("0.0")
    str(answers["client"]), len(people), list(answers["pets"].keys()), answers["table"].get("k")
    assert watch.unchanged(answers) is True
    assert watch.unchanged(answers) is True  # asking twice is no change either


def test_a_change_after_an_unchanged_answer_is_still_seen():
    answers, watch = watched()
    assert watch.unchanged(answers) is True
    answers["people"][0].age = 40
    assert watch.unchanged(answers) is False


def test_other_answers_than_the_ones_read_are_a_change():
    answers, watch = watched()
    assert watch.unchanged(dict(answers)) is False


def test_a_watch_nobody_vouched_for_says_changed():
    answers, watch = loads_watched(dumps(session(), allowed_modules=MODULES), allowed_modules=MODULES)
    assert watch.unchanged(answers) is False


def test_an_object_with_its_own_state_methods_is_never_watched():
    answers, watch = watched({"thing": OwnState(), "n": 1})
    assert watch.opaque is True
    assert watch.unchanged(answers) is False


def test_a_write_straight_into_a_library_objects_dict_needs_tracking_changed():
    from offstage.answers import tracking

    answers, watch = watched()
    answers["client"].address.__dict__["city"] = "Nice"  # past the hooks: what the app's scan guards against
    tracking.changed()
    assert watch.unchanged(answers) is False


# --- random sequences of changes ------------------------------------------------------------------

STEPS = st.lists(st.sampled_from(sorted(MUTATIONS)) | st.just("nothing") | st.just("same value"), max_size=6)


@settings(max_examples=150, deadline=None)
@given(STEPS)
def test_random_changes_are_never_missed(steps):
    """Whatever the sequence: "unchanged" only when the answers store exactly what was read."""
    answers, watch = watched()
    # the same objects encoded before any step: a set's iteration order may differ after another decode
    # (its elements re-inserted), so a second round trip is no baseline
    fresh = dumps(answers, allowed_modules=MODULES)
    for step in steps:
        with contextlib.suppress(LookupError, AttributeError, ValueError, TypeError):  # e.g. a second del
            if step == "same value":
                answers["client"].address.city = answers["client"].address.city
            elif step != "nothing":
                MUTATIONS[step](answers)
    # only this direction is a property: another test's thread in this worker may write a library object
    # meanwhile (WRITES is process-wide), which rightly reads as "changed" even when no step changed anything
    if watch.unchanged(answers):
        assert dumps(answers, allowed_modules=MODULES) == fresh


# --- same(): for writers that would put back an equal value ---------------------------------------

@pytest.mark.parametrize(("one", "other"), [
    (1, 1.0), (1, True), (0.0, -0.0), ({"a": 1}, {"a": True}), ({"a": 1, "b": 2}, {"b": 2, "a": 1}),
    ([1, [2]], [1, [2.0]]), ("a", b"a"), (DAObject("x"), DAObject("x")),
])
def test_values_stored_differently_are_not_the_same(one, other):
    from offstage.answers.tracking import same

    assert same(one, other) is False


def test_equal_plain_data_is_the_same():
    from offstage.answers.tracking import same

    thing = DAObject("x")
    assert same({"block": "q", "bindings": {"i": 0, "n": [1.5, None, thing]}},
                {"block": "q", "bindings": {"i": 0, "n": [1.5, None, thing]}})


# --- the app's scan for code that writes past the hooks ---------------------------------------------

def test_an_interview_whose_code_writes_into_dict_is_not_trusted(tmp_path):
    from offstage.app.evaluation import watch_changes, writes_past_hooks
    from offstage.interview import load_interview_file

    plain = tmp_path / "plain.yml"
    plain.write_text("question: Hi\nfield: x\n")
    sneaky = tmp_path / "sneaky.yml"
    sneaky.write_text("question: Hi\nfield: x\n---\ncode: |\n  vars(client).update(age=3)\n")
    assert writes_past_hooks(load_interview_file(plain)) is False
    interview = load_interview_file(sneaky)
    assert writes_past_hooks(interview) is True
    answers, watch = loads_watched(dumps({"n": 1}))
    record = types.SimpleNamespace(watch=watch)
    watch_changes(record, interview)  # type: ignore[arg-type]  # the watch is all it reads
    assert watch.trusted is False
    assert watch.unchanged(answers) is False


def test_an_authors_module_that_writes_into_dict_is_found(tmp_path, monkeypatch):
    from offstage.app.evaluation import writes_past_hooks

    (tmp_path / "sneaky_module_for_tracking.py").write_text("def age(o):\n    o.__dict__['age'] = 3\n")
    (tmp_path / "tidy_module_for_tracking.py").write_text(
        "def age(o):\n    if 'age' in o.__dict__:\n        return sorted(o.__dict__.keys())\n    o.age = 3\n")
    package = tmp_path / "tracking_package_for_tests"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "front.py").write_text("from .helpers import age\n")
    (package / "helpers.py").write_text("def age(o):\n    vars(o).update(age=3)\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    def interview(*modules: str) -> types.SimpleNamespace:
        return types.SimpleNamespace(blocks=[], modules=list(modules), imports=[], cache={})

    assert writes_past_hooks(interview("tidy_module_for_tracking", "json")) is False
    assert writes_past_hooks(interview("tidy_module_for_tracking", "sneaky_module_for_tracking")) is True
    assert writes_past_hooks(interview("tracking_package_for_tests.front")) is True  # its package's helper
    assert writes_past_hooks(interview("no_such_module_for_tracking")) is True
