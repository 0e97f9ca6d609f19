"""Images the interview names (`image sets`, `images`): the question's decoration, `:name:` in its
texts, and the image sets' attributions at the foot of the page. A `:name:` the interview does not
define is left for the Font Awesome icons (offstage.web.markup.inline_icons)."""

from __future__ import annotations

import re
from typing import Any

from offstage.text.sanitize import safe_html
from offstage.web.markup import attrs, esc, in_text, tag

_REFERENCE = re.compile(r"(?<![\w:]):([A-Za-z][\w-]*):(?![\w:])")


def decoration(name: str | None, images: dict[str, str]) -> str:
    """The image by the question's title (docassemble's `.daiconfloat`), or the icon of that name."""
    if not name:
        return ""
    if name in images:
        return f"<img{attrs(alt='', src=images[name], class_='daiconfloat')}>"
    return tag("span", f":{esc(name)}:", class_="dadecoration")  # the icon of that name (inline_icons)


def inline_images(page_html: str, images: dict[str, str]) -> str:
    """`:name:` of an interview image, in text (never in tags, code, scripts or text areas), as the image."""
    if not images or ":" not in page_html:
        return page_html
    return in_text(page_html, lambda part: _REFERENCE.sub(lambda m: _image(m, images), part))


def _image(match: re.Match[str], images: dict[str, str]) -> str:
    url = images.get(match[1])
    return f"<img{attrs(alt='', src=url, class_='daicon')}>" if url else match[0]


def attributions(credits: list[Any]) -> str:
    """The image sets' credits of the images shown (author Markdown, already HTML: sanitized here)."""
    shown = [safe_html(str(c)) for c in credits if c]
    if not shown:
        return ""
    return tag("div", "".join(tag("div", c, class_="daattribution") for c in shown), class_="daattributions small")
