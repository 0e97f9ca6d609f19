"""Names of things and people: Name (one `.text`) and IndividualName (first, middle, last, suffix).

`str(name)` is `.full()`. Reading `.first` (or `.text`) asks for it when it is missing; the other
parts are used when they are there and never asked.
"""

from __future__ import annotations

from typing import Any

from offstage.answers.registry import register
from offstage.library.objects import DAObject


def _given(obj: DAObject, attribute: str) -> str:
    """An optional part: its text when defined and not empty, else ''."""
    value = obj.__dict__.get(attribute)
    return "" if value is None else str(value).strip()


@register
class Name(DAObject):
    """The name of a Thing or Person: `.text`; every way of saying it is the text."""

    def full(self, **kwargs: Any) -> str:  # noqa: ARG002 - docassemble's signature
        return str(self.text)

    def familiar(self) -> str:
        return str(self.text)

    def firstlast(self) -> str:
        return str(self.text)

    def lastfirst(self) -> str:
        return str(self.text)

    def middle_initial(self, with_period: bool = True) -> str:  # noqa: ARG002 - docassemble's signature
        return ""

    def defined(self) -> bool:
        return "text" in self.__dict__

    def __str__(self) -> str:
        return self.full()

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, (str, Name)):
            return str(self) == str(other)
        return NotImplemented

    __hash__ = DAObject.__hash__


@register
class IndividualName(Name):
    """A person's name in parts. `.uses_parts = False` makes it a plain Name kept in `.text`."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        if "uses_parts" not in kwargs:
            self.uses_parts = True
        super().init(*pargs, **kwargs)

    def _parts(self) -> bool:
        return bool(self.__dict__.get("uses_parts", True))

    def defined(self) -> bool:
        return "first" in self.__dict__ if self._parts() else "text" in self.__dict__

    def middle_initial(self, with_period: bool = True) -> str:
        middle = _given(self, "middle")
        if not middle or not self._parts():
            return ""
        return middle[0] + ("." if with_period else "")

    def full(self, middle: str | bool | None = "initial", use_suffix: bool = True, **kwargs: Any) -> str:  # noqa: ARG002 - docassemble's signature
        """'John Q. Adams Jr.'; middle='full' writes the middle name out, middle=None leaves it out."""
        if not self._parts():
            return super().full()
        words = [str(self.first).strip()]
        if middle == "full":
            words.append(_given(self, "middle"))
        elif middle is not None and middle is not False:
            words.append(self.middle_initial())
        words.append(_given(self, "last"))
        if use_suffix:
            words.append(_given(self, "suffix"))
        return " ".join(word for word in words if word)

    def firstlast(self) -> str:
        if not self._parts():
            return super().firstlast()
        return " ".join(w for w in (str(self.first).strip(), _given(self, "last"), _given(self, "suffix")) if w)

    def lastfirst(self) -> str:
        """'Adams, John Q.' (suffix after the first name, as docassemble writes it)."""
        if not self._parts():
            return super().lastfirst()
        last = _given(self, "last")
        rest = " ".join(w for w in (str(self.first).strip(), self.middle_initial(), _given(self, "suffix")) if w)
        return f"{last}, {rest}" if last else rest

    def familiar(self) -> str:
        return str(self.first) if self._parts() else super().familiar()
