"""`depends on`: a block's variables are forgotten when a variable it depends on changes.

A change is a new value for a variable that had one (defining it the first time is no change, nor is the
same value again), made by an answer. The block's variables are undefined, so the interview asks or
computes them again; a forgotten variable that other blocks depend on forgets theirs in turn. Iterator
names match any index: `depends on: people[i].pay_period` and a change of `people[1].pay_period` forget
the block's `people[1]...` variables."""

from __future__ import annotations

import re
from typing import Any

from offstage.interview import Interview

_ITERATORS = "ijklmn"


def _pattern(name: str) -> re.Pattern[str]:
    """`people[i].pay` as a pattern whose groups are the iterators' indices."""
    text = re.escape(name)
    for letter in _ITERATORS:
        text = text.replace(re.escape(f"[{letter}]"), rf"\[(?P<{letter}>[^\]]+)\]", 1)
    return re.compile(text)


def _dependents(interview: Interview) -> list[tuple[re.Pattern[str], list[str]]]:
    found = interview.__dict__.get("_depends_on")
    if found is None:
        found = []
        for block in interview.blocks:
            listed = block.data.get("depends on")
            if not listed:
                continue
            for name in listed if isinstance(listed, list) else [listed]:
                found.append((_pattern(str(name)), block.names()))
        interview.__dict__["_depends_on"] = found
    return found


def forget_dependents(interview: Interview, changed: list[str], undefine: Any) -> list[str]:
    """Undefine what depends on the changed variables (and on what that undefines); the names undefined."""
    dependents = _dependents(interview)
    if not dependents:
        return []
    forgotten: list[str] = []
    pending = list(changed)
    while pending:
        variable = pending.pop(0)
        for pattern, names in dependents:
            match = pattern.fullmatch(variable)
            if match is None:
                continue
            for name in names:
                bound = name
                for letter, index in match.groupdict().items():
                    bound = bound.replace(f"[{letter}]", f"[{index}]")
                if bound not in forgotten and bound != variable and not any(f"[{x}]" in bound for x in _ITERATORS):
                    undefine(bound)
                    forgotten.append(bound)
                    pending.append(bound)
    return forgotten
