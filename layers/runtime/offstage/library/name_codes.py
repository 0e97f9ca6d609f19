"""encode_name() / decode_name(): docassemble's base64 form of a variable name, as its pages' field names
and JavaScript use it (offstage's own pages name fields plainly; package code still calls these)."""

from __future__ import annotations

import base64


def encode_name(var: str) -> str:
    """The name in standard base64, without the `=` padding."""
    return base64.b64encode(str(var).encode("utf-8")).decode("ascii").rstrip("=")


def decode_name(var: str) -> str:
    """The name from its encode_name() form (padding restored)."""
    text = str(var)
    return base64.b64decode(text + "=" * (-len(text) % 4)).decode("utf-8")
