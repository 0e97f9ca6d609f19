"""`list collect`: every item of a list on one screen, the next one blank, with an "Add another" button.

The question is sought for one item (`fruit[i].name` with `i` the next index); the screen repeats its
fields for each item already in the list (their answers shown) and for item `i`. Posted, each item's
fields are checked as a question's are; the blank item may stay blank when others are given. Continue
ends the list (`there_is_another` False); "Add another" asks for one more item on the same screen.
"""

from __future__ import annotations

from typing import Any

from offstage.engine.seek import Bindings
from offstage.interview import QuestionBlock

ADD_ANOTHER = "add_another"
# docassemble's button: its icon, then the words (the button's own text is " Add another", as its pages have)
ADD_ANOTHER_LABEL = '<i class="fas fa-plus-circle" aria-hidden="true"></i> Add another'


def enabled(ev: Any, block: QuestionBlock, bindings: Bindings) -> bool:
    flag = block.list_collect
    if not flag or "i" not in bindings.spelled:
        return False
    return bool(ev.evaluate_bound(flag, bindings)) if isinstance(flag, str) else True


def item_bindings(bindings: Bindings, index: int) -> Bindings:
    return Bindings(values={**bindings.values, "i": index}, spelled={**bindings.spelled, "i": str(index)})


def indices(ev: Any, block: QuestionBlock, bindings: Bindings) -> tuple[Any, range, int]:
    """(the list, the item indices shown, the index of the blank item)."""
    assert block.list_name is not None  # noqa: S101 - narrows the type for mypy; the code above guarantees it
    group = ev.evaluate_name(bindings.apply(block.list_name))
    elements = getattr(group, "elements", group)
    blank = int(bindings.values.get("i", bindings.spelled["i"]))
    return group, range(max(len(elements), blank + 1)), blank


def is_blank(block: QuestionBlock, bindings: Bindings, posted: dict[str, Any]) -> bool:
    names = [bindings.apply(f.variable) for f in block.fields if f.variable]
    return all(posted.get(n) in (None, "", [], {}) for n in names)
