"""Glossary terms in a text (docassemble's `terms` and `auto terms`): each becomes a link that shows its
definition in a popover.

`{term}` (or `{term|shown words}`) marks a term of `terms`; any occurrence of a term of `auto terms`
is marked. The marks are made in the Markdown source as placeholders, and the links are put in their
place once the text is HTML and sanitized: only in text, never inside a tag's attribute or inside
another link (there the term's words stay plain). Term words are escaped; a definition is Markdown
through the one sanitizer. The page's script (app.js) turns `a.daterm` + its `.daterm-definition`
into a Bootstrap popover.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Private-use characters around a mark's number: Markdown and the sanitizer leave them as they are.
_OPEN, _CLOSE = "\ue000", "\ue001"
_MARK = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
# What terms are never looked for in: an HTML tag, a Markdown link's target, code in backticks.
_UNTOUCHED = re.compile(r"(<[^>]*>|\]\([^)]*\)|`[^`]*`)")


@dataclass
class Glossary:
    """Lower-cased term -> definition (Markdown), for `{term}` marks and for auto terms."""

    terms: dict[str, str] = field(default_factory=dict)
    auto: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.terms or self.auto)

    def add(self, entries: object, auto: bool = False) -> None:
        """A `terms:` value as docassemble takes it: a dict, a list of dicts, or `{phrases, definition}` items."""
        target = self.auto if auto else self.terms
        for item in entries if isinstance(entries, list) else [entries]:
            if not isinstance(item, dict):
                continue
            if set(item) == {"phrases", "definition"} and isinstance(item["phrases"], list):
                pairs = [(phrase, item["definition"]) for phrase in item["phrases"]]
            else:
                pairs = list(item.items())
            for term, definition in pairs:
                key = _key(term)
                if key:
                    target[key] = "" if definition is None else str(definition)


def _key(term: object) -> str:
    return " ".join(str(term).lower().split())


def _pattern(term: str) -> str:
    return r"\s+".join(re.escape(word) for word in term.split(" "))


@dataclass
class _Marks:
    found: list[tuple[str, str]] = field(default_factory=list)  # (words shown, definition)

    def add(self, words: str, definition: str) -> str:
        self.found.append((words, definition))
        return f"{_OPEN}{len(self.found) - 1}{_CLOSE}"


def mark(text: str, glossary: Glossary) -> tuple[str, _Marks]:
    """The Markdown text with its terms replaced by placeholders, and what each placeholder stands for."""
    text = text.replace(_OPEN, "").replace(_CLOSE, "")  # a text cannot forge a placeholder
    marks = _Marks()
    pieces = _UNTOUCHED.split(text)
    pieces[::2] = [_mark_words(piece, glossary, marks) for piece in pieces[::2]]
    return "".join(pieces), marks


def _mark_words(text: str, glossary: Glossary, marks: _Marks) -> str:
    for term, definition in sorted(glossary.terms.items(), key=lambda kv: -len(kv[0])):
        text = _braced(term).sub(_marker(marks, definition, braces=True), text)
    for term, definition in sorted(glossary.auto.items(), key=lambda kv: -len(kv[0])):
        text = _anywhere(term).sub(_marker(marks, definition, braces=False), text)
    return text


@functools.lru_cache(maxsize=512)
def _braced(term: str) -> re.Pattern[str]:
    """`{term}` or `{term|words shown}`, any case, any spaces between the term's words."""
    return re.compile(r"\{(" + _pattern(term) + r")(\|[^}]*)?\}", re.IGNORECASE)


@functools.lru_cache(maxsize=512)
def _anywhere(term: str) -> re.Pattern[str]:
    """The term as whole words (braces around it are dropped too), any case."""
    return re.compile(r"\{?\b(" + _pattern(term) + r")\b\}?", re.IGNORECASE)


def _marker(marks: _Marks, definition: str, braces: bool) -> Callable[[re.Match[str]], str]:
    """A match's placeholder: the words shown are `{term|these words}`'s, else the term as written."""
    def placeholder(match: re.Match[str]) -> str:
        label = match.group(2) if braces else None
        return marks.add(label[1:] if label else match.group(1), definition)
    return placeholder


def fill(html_text: str, marks: _Marks, definition_html: Callable[[str], str]) -> str:
    """The sanitized HTML with each placeholder replaced: a term link in text, the plain words elsewhere."""
    if not marks.found or _OPEN not in html_text:
        return html_text
    filler = _Filler(marks, definition_html)
    filler.feed(html_text)
    filler.close()
    return "".join(filler.out)


def term_link(words: str, definition: str) -> str:
    """A term's link (focusable, a button to assistive technology) and its definition, hidden until shown."""
    return (f'<a tabindex="0" role="button" class="daterm">{html.escape(words)}</a>'
            f'<span class="daterm-definition" hidden>{definition}</span>')


class _Filler(HTMLParser):
    """Copies the HTML as it is, replacing placeholders (links only in text outside other links)."""

    def __init__(self, marks: _Marks, definition_html: Callable[[str], str]) -> None:
        super().__init__(convert_charrefs=False)
        self.marks = marks
        self.definition_html = definition_html
        self.out: list[str] = []
        self.in_link = 0

    def _plain(self, text: str) -> str:
        return _MARK.sub(lambda m: html.escape(self.marks.found[int(m.group(1))][0]), text)

    def _linked(self, text: str) -> str:
        def link(m: re.Match[str]) -> str:
            words, definition = self.marks.found[int(m.group(1))]
            return term_link(words, self.definition_html(definition))
        return _MARK.sub(link, text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002 - the raw tag is copied
        self.in_link += tag == "a"
        self.out.append(self._plain(self.get_starttag_text() or ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002 - the raw tag is copied
        self.out.append(self._plain(self.get_starttag_text() or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.in_link:
            self.in_link -= 1
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(self._plain(data) if self.in_link else self._linked(data))

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{self._plain(data)}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")
