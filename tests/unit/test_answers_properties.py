"""The answers codec, property-based: whatever nested data and library objects go in come out the same
(tests/support/sameness.py says what the same is)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from offstage.answers.codec import dumps, loads
from offstage.library.objects import DADict, DAList, DAObject

from tests.support.sameness import same

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
names = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
scalars = st.one_of(
    st.none(), st.booleans(), texts,
    st.integers(min_value=-(2**70), max_value=2**70),  # past 64 bits too: tagged
    st.floats(allow_nan=True, allow_infinity=True),
    st.binary(max_size=8), st.decimals(allow_nan=False, places=3, max_value=10**6, min_value=-(10**6)),
    st.dates(), st.times(), st.datetimes(), st.timedeltas(min_value=dt.timedelta(days=-999), max_value=dt.timedelta(days=999)),
)
hashables = st.one_of(st.none(), st.booleans(), texts, st.integers(), st.dates(),
                      st.tuples(st.integers(), texts))


def nested(leaves: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(leaves, lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(texts, inner, max_size=4),  # keys starting with "@" too
        st.dictionaries(hashables, inner, max_size=3),  # keys of any hashable type
        st.tuples(inner, inner),
        st.sets(hashables, max_size=3), st.frozensets(hashables, max_size=3),
    ), max_leaves=12)


@st.composite
def library_objects(draw: Any) -> Any:
    kind = draw(st.sampled_from(["object", "list", "dict"]))
    name = draw(names)
    if kind == "object":
        made = DAObject(name)
        for attribute, value in draw(st.dictionaries(names, nested(scalars), max_size=4)).items():
            setattr(made, attribute, value)
        return made
    if kind == "list":
        items = draw(st.lists(st.one_of(scalars, st.builds(DAObject, names)), max_size=5))
        return DAList(name, elements=items)
    return DADict(name, elements=draw(st.dictionaries(texts, nested(scalars), max_size=4)))


@PROPERTY
@given(st.dictionaries(names, nested(scalars), max_size=6))
def test_nested_plain_data_round_trips(answers):
    assert same(loads(dumps(answers)), answers)


@PROPERTY
@given(st.dictionaries(names, st.one_of(library_objects(), nested(scalars)), max_size=5))
def test_library_objects_round_trip(answers):
    back = loads(dumps(answers))
    assert same(back, answers)
    for name, value in answers.items():
        if isinstance(value, DAObject):
            assert back[name].instanceName == value.instanceName


@PROPERTY
@given(st.lists(nested(scalars), min_size=1, max_size=4), st.lists(st.integers(0, 3), min_size=2, max_size=8))
def test_values_shared_between_variables_stay_shared(values, picks):
    # the same containers and objects reached from several variables come back as one
    pool: list[Any] = [list(values), {"k": values[0]}, DAObject("shared", v=values[-1])]
    answers = {f"v{i}": pool[pick % len(pool)] for i, pick in enumerate(picks)}
    back = loads(dumps(answers))
    assert same(back, answers)
    for i, a in enumerate(picks):
        for j, b in enumerate(picks):
            assert (back[f"v{i}"] is back[f"v{j}"]) == (a % len(pool) == b % len(pool))


def every_registered_instance() -> dict[str, Any]:
    """One instance of each class offstage registers, with an attribute of nested data where it takes one."""
    import offstage.engine.tasks
    import offstage.library.daredis
    import offstage.library.dates
    import offstage.library.files
    import offstage.library.interval  # noqa: F401 - each module registers its classes
    from offstage.answers import registry
    from offstage.library.dates import as_datetime
    from offstage.library.interval import date_interval

    made: dict[str, Any] = {}
    for key, cls in sorted(registry._classes.items()):
        if not key.startswith("offstage."):
            continue  # classes the tests themselves registered
        one: Any
        if issubclass(cls, DAObject):
            one = cls(f"v{len(made)}")
        elif key.endswith("DADateTime"):
            one = as_datetime("2024-03-04 05:06")
        elif key.endswith("DateInterval"):
            one = date_interval(months=2, days=3)
        elif key.endswith("TaskHandle"):
            one = cls("t-1")  # type: ignore[call-arg]  # each registered class takes its own arguments
        elif key.endswith("ObjectFactory"):
            one = cls(DAObject, {"size": 2})  # type: ignore[call-arg]  # each registered class takes its own arguments
        else:
            one = cls()
        if hasattr(one, "__dict__") and not isinstance(one, dt.datetime):
            one.extra = {"n": [1, 2.5, None], "when": dt.date(2024, 1, 2)}
        made[key.rpartition(".")[2]] = one
    return made


def test_an_instance_of_every_registered_class_round_trips():
    answers = every_registered_instance()
    assert len(answers) >= 16
    back = loads(dumps(answers))
    for name, value in answers.items():
        assert type(back[name]) is type(value), name
        assert same(back[name], value), name
