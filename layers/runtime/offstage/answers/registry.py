"""Which classes may live in stored answers.

Loading answers must never run arbitrary code, so the codec only rebuilds instances of classes it
knows: the library's objects, classes registered here, and classes of the interview's own `modules:`.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T", bound=type)

_classes: dict[str, type] = {}


def class_key(cls: type) -> str:
    """The name a class is stored under: 'module.QualName'."""
    return f"{cls.__module__}.{cls.__qualname__}"


def register(cls: T) -> T:
    """Class decorator: instances of `cls` may be stored in answers and rebuilt when loaded."""
    _classes[class_key(cls)] = cls
    return cls


def lookup(key: str) -> type | None:
    """The registered class stored under `key`, or None."""
    return _classes.get(key)
