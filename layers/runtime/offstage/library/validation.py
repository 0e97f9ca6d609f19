"""Refusing an answer from interview code: `validation_error('...')` and DAValidationError.

Raised in a field's `validate` function or a `validation code` block, the message is shown on the
screen and nothing is saved (the engine treats it as an invalid answer).
"""

from __future__ import annotations

from typing import Any


class DAValidationError(Exception):
    """An answer refused by interview code; `field` names the field the message belongs to."""

    def __init__(self, *pargs: Any, field: str | None = None) -> None:
        super().__init__(*pargs)
        self.field = field


def validation_error(message: Any, field: str | None = None) -> None:
    raise DAValidationError(str(message), field=field)


def ensure_definition(*pargs: Any, **kwargs: Any) -> None:
    """Make sure the values given are defined (reading them asks for what is missing)."""
    for item in (*pargs, *kwargs.values()):
        str(item)
