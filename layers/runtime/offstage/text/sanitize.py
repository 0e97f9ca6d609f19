"""Answers never run as script: text answers lose their tags, and every HTML area passes one allowlist.

`strip_tags` is what a text answer goes through when it is posted (docassemble: "inputs with the
datatype of text will be sanitized of any HTML"; `raw` keeps it). `safe_html` is the one sanitizer of
HTML that mixes the author's text with values, run before it reaches a page: the author's ordinary
markup is kept, anything that can run script is removed (nh3, the Python binding of ammonia, which
parses as a browser does).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Any, cast

# A `<` that opens markup for a browser (a letter, `/`, `!` or `?` after it) up to its `>`, or to the end
# of the text when it is never closed: the browser would close it with whatever the page puts next.
# Any other `<` is text ("a < b", "<3", "<=").
_MARKUP = re.compile(r"<[A-Za-z/!?][^>]*(?:>|$)")

_TAGS = {
    "a", "abbr", "address", "article", "aside", "b", "bdi", "bdo", "blockquote", "br", "button", "caption",
    "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em",
    "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img",
    "ins", "kbd", "label", "li", "mark", "nav", "ol", "p", "pre", "q", "s", "samp", "section", "small", "span",
    "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
    "tt", "u", "ul", "var", "wbr",
}
_EVERYWHERE = {"class", "id", "style", "title", "lang", "dir", "role", "hidden", "tabindex"}
_ATTRIBUTES = {
    "*": _EVERYWHERE,
    "a": {"href", "target", "hreflang", "download"},
    "img": {"src", "alt", "width", "height", "align", "loading"},
    "td": {"colspan", "rowspan", "align", "valign", "headers"},
    "th": {"colspan", "rowspan", "align", "valign", "headers", "scope"},
    "col": {"span", "width"}, "colgroup": {"span", "width"}, "table": {"width", "align", "border"},
    "ol": {"start", "type", "reversed"}, "li": {"value"}, "details": {"open"}, "font": {"color", "size", "face"},
    "time": {"datetime"}, "del": {"datetime", "cite"}, "ins": {"datetime", "cite"}, "q": {"cite"},
    "blockquote": {"cite"}, "label": {"for"},
}
_BUTTON_TYPES = {"button": {"type": {"button"}}}  # never a submit button inside the page's own form
_SCHEMES = {"http", "https", "mailto", "tel", "data"}  # data: is narrowed to images in _attribute
_DATA_IMAGE = re.compile(r"\s*data:image/(png|gif|jpeg|jpg|webp|bmp|svg\+xml)[;,]", re.I)
# ids and label targets the page itself uses (daflash, daMainQuestion, da-page-data, daf1, daConditions
# ...): markup that took one of them could stand in for the page's own elements ("dates" is fine)
_PAGE_IDS = re.compile(r"\s*da(?:[A-Z_-]|f\d|flash)")

_local = threading.local()
_CACHE: OrderedDict[str, str] = OrderedDict()
_CACHE_SIZE = 1024
_CACHE_TEXT_LIMIT = 4096  # longer texts are sanitized every time rather than held
_lock = threading.Lock()


def strip_tags(text: str) -> str:
    """A text answer with its HTML tags and comments removed, every other character kept as typed."""
    if "<" not in text:
        return text
    previous = None
    while previous != text:  # "<<b>script>" leaves "<script>" after one pass
        previous, text = text, _MARKUP.sub("", text)
    return text


def safe_html(html: Any) -> str:
    """HTML with what can run script removed: script/iframe/object/embed/form elements, on* attributes,
    javascript:/vbscript:/data: URLs (data:image stays in <img src>), page ids."""
    text = "" if html is None else str(html)
    if "<" not in text:
        return text  # nothing to parse: plain words are already safe
    if len(text) > _CACHE_TEXT_LIMIT:
        return cast("str", _cleaner().clean(text))
    cached = _CACHE.get(text)
    if cached is not None:
        return cached
    clean = _cleaner().clean(text)
    with _lock:
        _CACHE[text] = clean
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return cast("str", clean)


def _attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute in ("href", "src") and value.lstrip()[:5].lower() == "data:":
        return value if element == "img" and attribute == "src" and _DATA_IMAGE.match(value) else None
    if attribute in ("id", "for") and _PAGE_IDS.match(value):
        return None
    return value


def _cleaner() -> Any:
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        import nh3  # loaded with the first page that holds markup

        cleaner = nh3.Cleaner(tags=_TAGS, attributes=_ATTRIBUTES, tag_attribute_values=_BUTTON_TYPES,
                              clean_content_tags={"script", "style"}, attribute_filter=_attribute,
                              url_schemes=_SCHEMES, generic_attribute_prefixes={"aria-"},
                              link_rel=None)  # the author's links stay as written; Referrer-Policy guards
        _local.cleaner = cleaner
    return cleaner
