"""Whether decoded answers are the answers that were encoded, as a session would see them.

Equal plain data of the same types (nan equal to nan), objects of the same class with the same
attributes, classes held as values identical, and what was shared (or cyclic) still shared.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from typing import Any


def same(left: Any, right: Any, pairs: dict[int, int] | None = None) -> bool:
    pairs = {} if pairs is None else pairs
    if type(left) is not type(right):
        return False
    if isinstance(left, type):  # a class held as a value (a list's object_type)
        return left is right
    if isinstance(left, float):
        return (math.isnan(left) and math.isnan(right)) or left == right
    if isinstance(left, (str, int, bytes, decimal.Decimal, dt.date, dt.time, dt.timedelta, set, frozenset)) or left is None:
        return left == right
    if isinstance(left, (list, dict)) or not isinstance(left, tuple):
        if id(left) in pairs:  # met before (shared, or a cycle): the same one must come back for it
            return pairs[id(left)] == id(right)
        pairs[id(left)] = id(right)
    if isinstance(left, (list, tuple)):
        return len(left) == len(right) and all(same(a, b, pairs) for a, b in zip(left, right, strict=True))
    if isinstance(left, dict):
        return list(left) == list(right) and all(same(left[k], right[k], pairs) for k in left)
    return same(vars(left), vars(right), pairs)
