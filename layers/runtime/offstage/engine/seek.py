"""Which blocks can define a sought name, and the bindings (`x`, `i`, `j` ...) each one runs with.

The sought name is read with the name grammar (offstage.engine.varpath): its objects and indices are
looked up in the answers, never evaluated, since an action name from a request is sought here too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from offstage.engine import varpath
from offstage.interview import Block, Interview, name_pattern

SUBSCRIPT = re.compile(r"\[([^\[\]]*)\]")
ITERATORS = ("i", "j", "k", "l", "m", "n")


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
        return SUBSCRIPT.sub(lambda m: f"[{self.spelled.get(m.group(1).strip(), m.group(1))}]", variable)

    def to_dict(self) -> dict[str, str]:
        return dict(self.spelled)


def candidates(interview: Interview, name: str, namespace: dict[str, Any]) -> Iterator[tuple[Block, Bindings]]:
    """Definers of `name`: exact ones (later blocks first), then generic ones, most specific object first."""
    path = varpath.as_name(name)
    for block in _most_specific_first(interview.definers(name), name):
        yield block, _index_bindings(block, name, path.steps if path else (), namespace)
    if not interview.generic_index or path is None:
        return
    for cut in range(len(path.steps) - 1, -1, -1):  # the longest object first: user.spouse, then user
        obj_path, rest = path.prefix(cut), path.steps[cut:]
        obj = _lookup(obj_path, namespace)
        if obj is _NOTHING:
            continue
        classes = [cls.__name__ for cls in type(obj).__mro__]
        found = interview.generic_definers(varpath.spell(rest))
        for class_name in classes:
            for block in found:
                if block.generic == class_name:
                    bindings = _index_bindings(block, "x" + varpath.spell(rest), rest, namespace)
                    bindings.values["x"] = obj
                    bindings.spelled["x"] = obj_path.spelling
                    yield block, bindings


def _most_specific_first(found: list[Block], name: str) -> list[Block]:
    """Blocks written for this very index (`veggies[i][1]`) before those for any index (`veggies[i][j]`),
    as docassemble tries them; a block written for another index (`[1]` when `[0]` is sought) is left out."""
    sought = SUBSCRIPT.findall(name.replace(" ", ""))
    if not sought or not found:
        return found
    scored = []
    for block in found:
        declared = next((n for n in block.names() if name_pattern(n) == name_pattern(name)), None)
        written = SUBSCRIPT.findall(declared.replace(" ", "")) if declared else []
        literal = [(own, want) for own, want in zip(written, sought, strict=False) if own.strip() not in ITERATORS]
        if any(own.strip().replace('"', "'") != want.strip().replace('"', "'") for own, want in literal):
            continue
        scored.append((-len(literal), block))
    return [block for _, block in sorted(scored, key=lambda pair: pair[0])]  # stable: later blocks first still


def has_definer(interview: Interview, name: str, namespace: dict[str, Any]) -> bool:
    """Whether a block of the interview defines `name` (exactly, by its pattern, or as a generic object's)."""
    return next(candidates(interview, name, namespace), None) is not None


def _index_bindings(block: Block, wanted: str, actual: tuple[varpath.Step, ...],
                    namespace: dict[str, Any]) -> Bindings:
    """The block's index symbols (`i`, `j` ...) bound to the indices of the name sought."""
    bindings = Bindings()
    declared = next((n for n in block.names() if name_pattern(n) == name_pattern(wanted)), None)
    if declared is None:
        return bindings
    indices = [step for step in actual if not isinstance(step, varpath.Attribute)]
    for symbol, index in zip(SUBSCRIPT.findall(declared), indices, strict=False):
        symbol = symbol.strip()
        if symbol in ITERATORS:
            bindings.spelled[symbol] = index.spelling[1:-1]
            bindings.values[symbol] = _index_value(index, namespace)
    return bindings


def bound_value(spelled: str, namespace: dict[str, Any]) -> Any:
    """What a binding spelled `user.spouse` or `0` stands for now (the spelling itself if nothing)."""
    index = varpath.parse_index(spelled)
    if isinstance(index, varpath.Item):
        return index.key
    path = varpath.as_name(spelled)
    if path is None:
        return spelled
    found = _lookup(path, namespace)
    return spelled if found is _NOTHING else found


def _index_value(index: varpath.Step, namespace: dict[str, Any]) -> Any:
    if isinstance(index, varpath.Item):
        return index.key
    return namespace.get(index.name, index.name)  # an index variable: its value now, looked up


_NOTHING = object()


def _lookup(path: varpath.VarPath, namespace: dict[str, Any]) -> Any:
    try:
        return varpath.get(path, namespace)
    except Exception:  # noqa: BLE001 - missing, or not an object we can match
        return _NOTHING
