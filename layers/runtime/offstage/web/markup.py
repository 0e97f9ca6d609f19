"""Small HTML building helpers: everything is escaped unless it is already-rendered HTML."""

from __future__ import annotations

import html
from typing import Any


def esc(value: Any) -> str:
    return "" if value is None else html.escape(str(value), quote=True)


def attrs(**values: Any) -> str:
    """` name="value"` pairs; True gives a bare attribute, None/False leave it out; `_` in names -> `-`."""
    out = []
    for name, value in values.items():
        name = name.rstrip("_").replace("_", "-")
        if value is None or value is False:
            continue
        out.append(f" {name}" if value is True else f' {name}="{esc(value)}"')
    return "".join(out)


def tag(element: str, inner: str = "", /, **values: Any) -> str:
    """`<element attrs>inner</element>`; `inner` must already be HTML (escape text with esc())."""
    return f"<{element}{attrs(**values)}>{inner}</{element}>"


def as_text(value: Any) -> str:
    """A field value as the string a form shows (booleans as docassemble writes them)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def plain_text(html_text: Any) -> str:
    """Engine HTML reduced to escaped text, for places that cannot hold markup (<option>, <title>)."""
    import re

    text = re.sub(r"<[^>]*>", "", "" if html_text is None else str(html_text))
    return esc(html.unescape(text).strip())
