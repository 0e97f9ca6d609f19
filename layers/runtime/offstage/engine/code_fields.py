"""Fields given by code (`fields: - code: name_list`): the expression's list of field dicts, each read as a
YAML field item is, computed when the question is shown and again when it is answered.

The question's block is shared by every session, so the computed fields go into a copy of it made for
the one request.
"""

from __future__ import annotations

import copy
from typing import Any

from offstage.engine.seek import Bindings
from offstage.interview import Field, QuestionBlock
from offstage.interview.fields import parse_field


def has_code_fields(block: QuestionBlock) -> bool:
    return any(f.from_code for f in block.fields)


def expanded(ev: Any, block: QuestionBlock, bindings: Bindings) -> QuestionBlock:
    """The block with each `- code:` item replaced by the fields it computes (the block itself if none)."""
    if not has_code_fields(block):
        return block
    fields: list[Field] = []
    for spec in block.fields:
        if spec.from_code is None:
            fields.append(spec)
            continue
        computed = ev.evaluate_bound(spec.from_code, bindings)
        items = [computed] if isinstance(computed, dict) else computed
        if not isinstance(items, list | tuple):
            raise TypeError(f"{block.describe()}: fields given by code must be a list of field "
                            f"dicts, not {type(computed).__name__}")
        fields += [parse_field(_plain(item), block.origin) for item in items]
    made = copy.copy(block)
    made.fields = fields
    return made


def _plain(item: Any) -> Any:
    """A field dict as YAML would give it (docassemble allows `label` + `field` keys, or `Label: name`)."""
    return dict(item) if isinstance(item, dict) else item
