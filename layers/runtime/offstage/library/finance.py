"""Money: Value and PeriodicValue, and the dictionaries of them FinancialList and PeriodicFinancialList.

A Value asks `.exists` before `.value`, so an interview asks "do you have real estate?" before
"how much is it worth?". Totals are Decimals, as in docassemble. A PeriodicValue's `.period` is how
many times a year it applies: its amount for the year is value x period.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from offstage.answers import tracking
from offstage.answers.registry import register
from offstage.library.objects import DADict, DAObject


@register
class Value(DAObject):
    """An amount that may not apply: `.exists`, then `.value`; `.amount()` is 0 when it does not exist."""

    def amount(self) -> Decimal:
        if not self.exists:
            return Decimal(0)
        return Decimal(str(self.value))

    def __str__(self) -> str:
        return str(self.amount())

    def __float__(self) -> float:
        return float(self.amount())

    def __int__(self) -> int:
        return int(self.amount())

    def _compare(self, other: Any) -> Decimal:
        return Decimal(str(float(other))) if not isinstance(other, Decimal) else other

    def __lt__(self, other: Any) -> bool:
        return self.amount() < self._compare(other)

    def __le__(self, other: Any) -> bool:
        return self.amount() <= self._compare(other)

    def __gt__(self, other: Any) -> bool:
        return self.amount() > self._compare(other)

    def __ge__(self, other: Any) -> bool:
        return self.amount() >= self._compare(other)

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, (int, float, Decimal, Value)):
            return self.amount() == self._compare(other)
        return NotImplemented

    __hash__ = DAObject.__hash__


@register
class PeriodicValue(Value):
    """A Value that recurs `.period` times a year; `.amount()` is the yearly amount."""

    def amount(self, period_to_use: Any = 1) -> Decimal:
        if not self.exists:
            return Decimal(0)
        return Decimal(str(self.value)) * Decimal(str(self.period)) / Decimal(str(period_to_use))


@register
class FinancialList(DADict):
    """A DADict of Values (e.g. assets); `str()` and `.total()` give the sum of those that exist."""

    ValueClass: Any = Value

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        kwargs.setdefault("object_type", self.ValueClass)
        super().init(*pargs, **kwargs)

    def total(self) -> Decimal:
        self._trigger_gather()
        return sum((self.elements[key].amount() for key in sorted(self.elements, key=str)), Decimal(0))

    def existing_items(self) -> list[Any]:
        self._trigger_gather()
        return [key for key in sorted(self.elements, key=str) if self.elements[key].exists]

    def _new_item(self) -> Any:
        values = {part: self.__dict__.pop(f"new_item_{part}") for part in ("value", "period")
                  if f"new_item_{part}" in self.__dict__}  # one question may give name, value and period
        if values:
            tracking.changed()  # written past the attribute hooks
        item = super()._new_item()
        for part, value in values.items():
            setattr(item, part, value)
        item.exists = True  # named while gathering: it exists (docassemble's callback sets this too)
        return item

    def __str__(self) -> str:
        return str(self.total())

    def __float__(self) -> float:
        return float(self.total())


@register
class PeriodicFinancialList(FinancialList):
    """A FinancialList of PeriodicValues (income, expenses); `.total()` is yearly unless told a period."""

    ValueClass = PeriodicValue

    def total(self, period_to_use: Any = 1) -> Decimal:
        self._trigger_gather()
        if not period_to_use:
            return Decimal(0)
        return sum((self.elements[key].amount(period_to_use) for key in sorted(self.elements, key=str)),
                   Decimal(0))


@register
class Asset(FinancialList):
    """A FinancialList of what a person owns."""


@register
class Income(PeriodicFinancialList):
    """A PeriodicFinancialList of what comes in."""


@register
class Expense(PeriodicFinancialList):
    """A PeriodicFinancialList of what goes out."""


def period_list() -> list[list[Any]]:
    """The choices for a PeriodicValue's period: times a year with their names."""
    return [[12, "Per Month"], [1, "Per Year"], [52, "Per Week"], [24, "Twice Per Month"], [26, "Every Two Weeks"]]
