"""DACatchAll: an object that stands for a value not yet given; used as text or a number it asks `.value`.

docassemble creates these for its "catchall questions": with `features: use catchall: True`, a plain
variable no block defines becomes a DACatchAll named after it (offstage's engine does the same), and
generic `DACatchAll` questions ask its `.value`.
"""

from __future__ import annotations

from typing import Any

from offstage.answers.registry import register
from offstage.library.objects import DAObject

_GUESSES = {"bool": "bool", "int": "int", "float": "float"}


@register
class DACatchAll(DAObject):
    """`str()` / `int()` / `float()` / `bool()` set `.context` to how it is used, then give `.value`."""

    def data_type_guess(self) -> str:
        """The type the interview seems to want, from how the object was used: 'str', 'bool', 'int',
        'float' (arithmetic and comparisons go by the other operand's type)."""
        context = self.__dict__.get("context", "str")
        if context in _GUESSES:
            return _GUESSES[context]
        if context in ("add", "eq"):
            operand = self.__dict__.get("operand")
            for kind in (bool, str, float, int):
                if isinstance(operand, kind):
                    return kind.__name__
        return "str"

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
