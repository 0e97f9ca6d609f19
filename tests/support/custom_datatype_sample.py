"""A custom datatype, as an interview's module defines one (for tests/unit/test_assemblyline_full_pieces.py)."""

from __future__ import annotations

from docassemble.base.util import CustomDataType, DAValidationError


class ShoutedText(CustomDataType):
    name = "shouted"
    mako_parameters = ["shoutLabel"]
    jq_message = "Letters only, please"

    @classmethod
    def validate(cls, item: str) -> bool:
        if "!" in item:
            raise DAValidationError("No exclamation marks: this datatype adds its own")
        return item.replace(" ", "").isalpha()

    @classmethod
    def transform(cls, item: str) -> str:
        return item.upper() + "!"
