"""Small HTML building helpers: everything is escaped unless it is already-rendered HTML."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
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
    text = re.sub(r"<[^>]*>", "", "" if html_text is None else str(html_text))
    return esc(html.unescape(text).strip())


# docassemble's "emoji-style" icon references: `:bed:` (Font Awesome's solid style), `:far-fa-bell:`
# (another style, named in full); a name starts with a letter, so times like 10:30:45 stay text
_ICON = re.compile(r"(?<![\w:]):(?:(fa[srb]|fa-solid|fa-regular|fa-brands)-)?(?:fa-)?([a-z][a-z0-9]*(?:-[a-z0-9]+)*):(?![\w:])")
_TAG = re.compile(r"(<[^>]*>)")
_RAW = ("script", "style", "code", "pre", "textarea")
_ICON_CLASS = re.compile(r'class="[^"]*\bfa-[a-z]')


def inline_icons(page_html: str) -> str:
    """`:name:` references in the text of engine HTML as Font Awesome icons (decorative: hidden from
    screen readers), as docassemble draws them; never inside tags, code, scripts or text areas."""
    return in_text(page_html, lambda part: _ICON.sub(_icon, part))


def in_text(page_html: str, change: Callable[[str], str]) -> str:
    """`change` applied to the text of HTML between its tags (a piece holding a `:`, the mark of a
    `:name:` reference), never to tags, nor inside code, scripts, styles or text areas."""
    out, raw = [], 0
    for part in _TAG.split(page_html):
        if part.startswith("<"):
            name = part[1:].lstrip("/").split(None, 1)[0].rstrip(">").lower() if len(part) > 2 else ""
            if name in _RAW and not part.endswith("/>"):
                raw += -1 if part.startswith("</") else 1
            out.append(part)
        elif raw > 0 or ":" not in part:
            out.append(part)
        else:
            out.append(change(part))
    return "".join(out)


def _icon(match: re.Match[str]) -> str:
    style = {"far": "far", "fa-regular": "far", "fab": "fab", "fa-brands": "fab"}.get(match[1] or "", "fas")
    return f'<i class="{style} fa-{match[2]}" aria-hidden="true"></i>'


def uses_icons(page_html: str) -> bool:
    """Whether the page shows a Font Awesome icon (its stylesheet is loaded only then)."""
    return _ICON_CLASS.search(page_html) is not None
