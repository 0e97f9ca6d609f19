"""A custom datatype, as an interview's module defines one (for tests/unit/test_assemblyline_full_pieces.py)."""

from __future__ import annotations

from typing import ClassVar

from docassemble.base.util import CustomDataType, DAValidationError


class ShoutedText(CustomDataType):  # type: ignore[misc]  # docassemble.base.util is served at run time
    name = "shouted"
    mako_parameters: ClassVar[list[str]] = ["shoutLabel"]
    jq_message = "Letters only, please"

    @classmethod
    def validate(cls, item: str) -> bool:
        if "!" in item:
            raise DAValidationError("No exclamation marks: this datatype adds its own")
        return item.replace(" ", "").isalpha()

    @classmethod
    def transform(cls, item: str) -> str:
        return item.upper() + "!"
