"""Custom datatypes: a module's `class X(CustomDataType)` with a `name` makes `datatype: name` a field type.

What offstage uses of such a class: its `validate` (False or a DAValidationError refuses the answer) and
`transform` (the value kept), run on the server when the answer is posted, and `parameters`,
`code_parameters`, `mako_parameters` (the field keys it accepts, kept as the field's extras). The input
is a plain text box: the class's `javascript`, `input_class`, `jq_rule` and `jq_message` are not used.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from offstage.library.validation import DAValidationError

_NAME = re.compile(r"[A-Za-z0-9_-]+")
# datatype name -> the class that defines it (the last module imported wins, as in docassemble)
_REGISTERED: dict[str, type[CustomDataType]] = {}


class _Registering(type):
    def __init__(cls, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> None:
        super().__init__(name, bases, namespace)
        own_name = namespace.get("name")
        if bases and isinstance(own_name, str) and _NAME.fullmatch(own_name):
            _REGISTERED[own_name] = cls  # type: ignore[assignment]  # every class made here is a CustomDataType


class CustomDataType(metaclass=_Registering):
    """The base of an author's datatype (docassemble's API: classmethods that take the typed-in text)."""

    name: ClassVar[str | None] = None
    parameters: ClassVar[list[str]] = []
    code_parameters: ClassVar[list[str]] = []
    mako_parameters: ClassVar[list[str]] = []
    jq_message: ClassVar[str | None] = None

    @classmethod
    def validate(cls, item: Any) -> bool:  # noqa: ARG003 - docassemble's signature: anything typed is valid
        return True

    @classmethod
    def transform(cls, item: Any) -> Any:
        return item


def registered(datatype: str) -> type[CustomDataType] | None:
    """The class of a custom datatype imported so far, or None."""
    return _REGISTERED.get(datatype)


def accepted_keys(datatype: str) -> frozenset[str]:
    """The field keys a custom datatype takes besides the usual ones (empty when not registered)."""
    found = registered(datatype)
    if found is None:
        return frozenset()
    return frozenset((*found.parameters, *found.code_parameters, *found.mako_parameters))


def answer(datatype: type[CustomDataType], text: str) -> Any:
    """The value kept for a typed-in answer; ValueError with the message shown when the class refuses it."""
    try:
        valid = datatype.validate(text)
    except DAValidationError as refused:
        raise ValueError(str(refused)) from None
    if not valid:
        raise ValueError(str(datatype.jq_message or "You need to enter a valid value."))
    return datatype.transform(text)
