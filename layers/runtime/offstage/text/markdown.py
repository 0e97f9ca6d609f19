"""Markdown -> HTML the way docassemble shows text: SmartyPants quotes and its [MARKUP] words."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from offstage.text.sanitize import safe_html

if TYPE_CHECKING:
    from offstage.text.terms import Glossary

_TARGET = re.compile(r"\[TARGET ([^\]]*)\]")
_SIMPLE = {"[BR]": "<br>", "[NEWLINE]": "<br>", "[BLANK]": "________", "[BLANKFILL]": "__________________",
           "[TAB]": '<span class="datab"></span>', "[SKIPLINE]": "<br>", "[PAGEBREAK]": "", "[NBSP]": "&nbsp;",
           "[ENDASH]": "&ndash;", "[EMDASH]": "&mdash;", "[HYPHEN]": "&hyphen;"}
# Unicode characters rather than entities, so that "Let's" reads "Let’s" in the text as well as the page.  # noqa: RUF003 - the typographic apostrophe is the point
_SMARTY = {"left-single-quote": "\u2018", "right-single-quote": "\u2019", "left-double-quote": "\u201c",
           "right-double-quote": "\u201d", "ndash": "\u2013", "mdash": "\u2014", "ellipsis": "\u2026"}
# [FILE reference, width, alt text]: a static file shown as a picture (docassemble's markup)
_FILE = re.compile(r"\[FILE ([^,\]\s][^,\]]*?)\s*(?:,\s*([0-9.]+(?:in|cm|mm|pt|px|%|em))?\s*)?(?:,\s*([^\]]*))?\]")
_file_url: list[Callable[[str], str | None]] = []  # set by the engine: a reference -> its URL, or None
_TABLE = '<table class="table table-striped">'  # a table in the text looks as in docassemble (Bootstrap's)
_SPACED_ELLIPSIS = re.compile(r"(?<![.\w])\. \. \.(?! ?\.)")
_local = threading.local()
_CACHE: OrderedDict[tuple[str, bool], str] = OrderedDict()
_CACHE_SIZE = 2048
_CACHE_TEXT_LIMIT = 4096  # longer texts (documents) are converted every time rather than held
_cache_lock = threading.Lock()


def _converter() -> Any:
    converter = getattr(_local, "converter", None)
    if converter is None:
        import markdown

        converter = markdown.Markdown(
            extensions=["smarty", "sane_lists", "tables", "attr_list"],
            extension_configs={"smarty": {"substitutions": _SMARTY}})
        _local.converter = converter
    return converter


def markdown_to_html(text: Any, trim: bool = False, terms: Glossary | None = None) -> str:
    """HTML of Markdown text; `trim` drops a lone enclosing <p>; `terms` (a question's glossary) makes
    its terms links to their definitions (offstage.text.terms).

    The author's HTML passes through, and the result goes through the one allowlist sanitizer
    (offstage.text.sanitize): values put into the text can add markup but never script, and a Markdown
    link to a `javascript:` URL loses its target.
    """
    text = "" if text is None else str(text)
    if terms:
        return _with_terms(text, trim, terms)
    key = (text, trim)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    if "[FILE " in text:  # a file's URL depends on the interview: never cached
        return _convert(text, trim)
    html = _convert(text, trim)
    if len(text) <= _CACHE_TEXT_LIMIT:
        with _cache_lock:
            _CACHE[key] = html
            if len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
    return html


def _convert(text: str, trim: bool) -> str:
    converter = _converter()
    html = converter.reset().convert(text)
    html = _markup(html).replace("<table>", _TABLE)
    if ". . ." in html and "<code" not in html and "<pre" not in html:
        html = _SPACED_ELLIPSIS.sub("\u2026", html)  # SmartyPants' spaced ellipsis, as docassemble's filter
    if trim and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return safe_html(html)


def _with_terms(text: str, trim: bool, glossary: Glossary) -> str:
    from offstage.text import terms

    marked, marks = terms.mark(text, glossary)
    if not marks.found:
        return markdown_to_html(text, trim)
    return terms.fill(_convert(marked, trim), marks, definition_html)


def definition_html(text: str) -> str:
    """A term's definition as inline HTML (it sits in a <span> beside the term): paragraphs become breaks."""
    html = markdown_to_html(text, trim=True)
    html = re.sub(r"</p>\s*<p>", "<br><br>", html)
    return re.sub(r"</?p>", "", html)


def show_files_with(url_of_file: Callable[[str], str | None]) -> None:
    """How [FILE reference] finds its picture's URL (the engine knows the interview; text does not)."""
    _file_url[:] = [url_of_file]


def _picture(match: re.Match[str]) -> str:
    url = _file_url[0](match.group(1).strip()) if _file_url else None
    if url is None:
        return match.group(0)  # not a static file (e.g. a session file's id): left as written
    width = f' style="width: {match.group(2)}"' if match.group(2) else ""
    return f'<img src="{escape(url)}" alt="{escape((match.group(3) or "").strip())}"{width}>'


def _markup(html: str) -> str:
    if "[" not in html:
        return html
    html = _TARGET.sub(lambda m: target_html(m.group(1)), html)
    if "[FILE " in html:
        html = _FILE.sub(_picture, html)
    for word, replacement in _SIMPLE.items():
        html = html.replace(word, replacement)
    return html


def target_html(name: str) -> str:
    """The element a check-in fills: only letters, digits and _ of the name are kept."""
    return f'<span class="datarget{re.sub(r"[^A-Za-z0-9_]", "", name)}"></span>'


def target_names(text: Any) -> list[str]:
    return [re.sub(r"[^A-Za-z0-9_]", "", m) for m in _TARGET.findall(str(text or ""))]


def escape(text: Any) -> str:
    import html

    return html.escape("" if text is None else str(text), quote=True)
