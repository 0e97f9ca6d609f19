"""Which blocks can define a sought name, and the bindings (`x`, `i`, `j` ...) each one runs with."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from offstage.interview import Block, Interview, name_pattern

_SUBSCRIPT = re.compile(r"\[([^\[\]]*)\]")
_ITERATORS = ("i", "j", "k", "l", "m", "n")
_MISSING = (NameError, AttributeError, KeyError, IndexError)


@dataclass
class Bindings:
    """Values a block sees while it runs (`x` the object, `i` an index) and how its names are spelled."""

    values: dict[str, Any] = field(default_factory=dict)
    spelled: dict[str, str] = field(default_factory=dict)  # 'x' -> 'user.spouse', 'i' -> '0'

    def apply(self, variable: str) -> str:
        """`x.name` -> `user.spouse.name`, `fruits[i]` -> `fruits[0]`."""
        if not self.spelled:
            return variable
        if "x" in self.spelled and re.match(r"x(?=[.\[]|$)", variable):
            variable = self.spelled["x"] + variable[1:]
        return _SUBSCRIPT.sub(lambda m: f"[{self.spelled.get(m.group(1).strip(), m.group(1))}]", variable)

    def to_dict(self) -> dict[str, str]:
        return dict(self.spelled)


def candidates(interview: Interview, name: str, namespace: dict[str, Any]) -> Iterator[tuple[Block, Bindings]]:
    """Definers of `name`: exact ones (later blocks first), then generic ones, most specific object first."""
    for block in interview.definers(name):
        yield block, _index_bindings(block, name, name, namespace)
    if not interview.generic_index:
        return
    for obj_expr, rest in _splits(name):
        obj = _lookup(obj_expr, namespace)
        if obj is _NOTHING:
            continue
        classes = [cls.__name__ for cls in type(obj).__mro__]
        found = interview.generic_definers(rest)
        for class_name in classes:
            for block in found:
                if block.generic == class_name:
                    bindings = _index_bindings(block, "x" + rest, name[len(obj_expr):], namespace, "x")
                    bindings.values["x"] = obj
                    bindings.spelled["x"] = obj_expr
                    yield block, bindings


def _index_bindings(block: Block, wanted: str, actual: str, namespace: dict[str, Any],
                    prefix: str = "") -> Bindings:
    bindings = Bindings()
    declared = next((n for n in block.names() if name_pattern(n) == name_pattern(wanted)), None)
    if declared is None:
        return bindings
    for symbol, literal in zip(_SUBSCRIPT.findall(declared), _SUBSCRIPT.findall(actual), strict=False):
        symbol = symbol.strip()
        if symbol in _ITERATORS:
            bindings.spelled[symbol] = literal.strip()
            bindings.values[symbol] = _literal(literal.strip(), namespace)
    return bindings


def bound_value(spelled: str, namespace: dict[str, Any]) -> Any:
    """What a binding spelled `user.spouse` or `0` stands for now (the spelling itself if nothing)."""
    return _literal(spelled, namespace)


def _literal(text: str, namespace: dict[str, Any]) -> Any:
    import ast  # an index spelled in a name: rare enough to load the parser on demand

    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        try:
            return eval(text, namespace)  # noqa: S307 - an index written by the interview's own code
        except Exception:  # noqa: BLE001 - leave the index as written
            return text


_NOTHING = object()


def _lookup(expression: str, namespace: dict[str, Any]) -> Any:
    try:
        return eval(expression, namespace)  # noqa: S307 - a prefix of a name the interview referenced
    except _MISSING:
        return _NOTHING
    except Exception:  # noqa: BLE001 - not an object we can match
        return _NOTHING


def _splits(name: str) -> Iterator[tuple[str, str]]:
    """('user.spouse', '.name'), ('user', '.spouse.name') for 'user.spouse.name': longest object first."""
    cuts = [i for i, char in enumerate(name) if char in ".[" and _balanced(name[:i])]
    for cut in reversed(cuts):
        yield name[:cut], name[cut:]


def _balanced(text: str) -> bool:
    return text.count("[") == text.count("]") and bool(text)
