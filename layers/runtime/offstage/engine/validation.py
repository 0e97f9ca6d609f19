"""Checks an author adds to a question: a field's `validate` function and the question's `validation code`.

Both run after the posted answers are converted: `validate` gets the field's value and refuses it by
returning False or raising; `validation code` runs with the answers set (and may change them) and
refuses them by raising. `validation_error(message, field=...)` is docassemble's way to raise with a
message; any other exception refuses too, its text shown. A refused answer sets nothing.
"""

from __future__ import annotations

from typing import Any

from offstage.library.validation import DAValidationError, validation_error

__all__ = ["INVALID", "DAValidationError", "Provided", "message_of", "validation_error", "where"]

INVALID = "Please enter a valid value."


def message_of(exc: BaseException) -> str:
    return str(exc) or INVALID


def where(exc: BaseException, default: str) -> str:
    """The field an error is shown at: the one validation_error() named, else `default`."""
    return getattr(exc, "field", None) or default


class Provided:
    """`validation_error` in the namespace while checks run, unless the interview has its own."""

    def __init__(self, ns: dict[str, Any]) -> None:
        self.ns = ns
        self.added = False

    def __enter__(self) -> Provided:
        builtins = self.ns.get("__builtins__")
        known = "validation_error" in self.ns or (isinstance(builtins, dict) and "validation_error" in builtins)
        if not known:
            self.ns["validation_error"] = validation_error
            self.added = True
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.added:
            self.ns.pop("validation_error", None)
