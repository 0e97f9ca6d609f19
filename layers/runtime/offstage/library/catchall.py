"""DACatchAll: an object that stands for a value not yet given; used as text or a number it asks `.value`.

docassemble creates these for its "catchall questions" (variables no block defines); offstage's engine
does not create them (a variable no block defines is an error naming it), but interviews may.
"""

from __future__ import annotations

from typing import Any

from offstage.answers.registry import register
from offstage.library.objects import DAObject


@register
class DACatchAll(DAObject):
    """`str()` / `int()` / `float()` / `bool()` set `.context` to how it is used, then give `.value`."""

    def _as(self, context: str) -> Any:
        self.context = context
        return self.value

    def __str__(self) -> str:
        return str(self._as("str"))

    def __int__(self) -> int:
        return int(self._as("int"))

    def __float__(self) -> float:
        return float(self._as("float"))

    def __bool__(self) -> bool:
        return bool(self._as("bool"))

    def __add__(self, other: Any) -> Any:
        self.operand = other
        return self._as("add") + other

    def __eq__(self, other: Any) -> bool:
        self.operand = other
        return bool(self._as("eq") == other)

    __hash__ = DAObject.__hash__
