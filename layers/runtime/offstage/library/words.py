"""Words and text: docassemble's English language functions (lists, numbers, nouns, markup helpers)."""

from __future__ import annotations

import html
import re
from typing import Any, cast

from offstage.context import maybe_current

_SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
          "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_fallback_language = {"language": "en"}


def _items_of(pargs: tuple[Any, ...]) -> list[Any]:
    if len(pargs) == 1 and not isinstance(pargs[0], str) and hasattr(pargs[0], "__iter__"):
        return list(pargs[0])
    return list(pargs)


def comma_and_list(*pargs: Any, oxford: bool = True, and_string: str = "and", comma_string: str = ", ",
                   before_and: str = " ", after_and: str = " ") -> str:
    """'lions, tigers, and bears': the items (a list, or several arguments) joined as English does."""
    items = [str(item) for item in _items_of(pargs)]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return items[0] + before_and + and_string + after_and + items[1]
    head = comma_string.join(items[:-1])
    joint = comma_string.rstrip() if oxford else ""
    return head + joint + before_and + and_string + after_and + items[-1]


def and_list(*pargs: Any, **kwargs: Any) -> str:
    """Same as comma_and_list()."""
    return comma_and_list(*pargs, **kwargs)


def comma_list(*pargs: Any, comma_string: str = ", ") -> str:
    """'lions, tigers, bears'."""
    return comma_string.join(str(item) for item in _items_of(pargs))


def add_separators(items: Any, separator: str = ";", last_separator: str = "; and",
                   end_mark: str = ".") -> list[str]:
    """Each item as text, with ';' after each, '; and' after the one before last and '.' after the last."""
    texts = [str(item) for item in items]
    for index in range(len(texts)):
        if index == len(texts) - 1:
            texts[index] += end_mark
        elif index == len(texts) - 2:
            texts[index] += last_separator
        else:
            texts[index] += separator
    return texts


def _int_words(number: int) -> str:
    if number < 0:
        return "minus " + _int_words(-number)
    if number < 20:
        return _SMALL[number]
    if number < 100:
        tens, rest = divmod(number, 10)
        return _TENS[tens] + ("-" + _SMALL[rest] if rest else "")
    for size, label in ((10**9, "billion"), (10**6, "million"), (1000, "thousand"), (100, "hundred")):
        if number >= size:
            high, rest = divmod(number, size)
            joint = " and " if rest and rest < 100 else " "
            return _int_words(high) + " " + label + (joint + _int_words(rest) if rest else "")
    return str(number)


def nice_number(number: Any, language: str | None = None, capitalize: bool = False,  # noqa: ARG001 - docassemble's signature
                use_word: bool | None = None, ordinal: bool = False) -> str:
    """'four' for 0-10, '23,423' or '12,873,818.28' otherwise; `use_word=True` spells any number out."""
    value = float(number) if not isinstance(number, int) else number
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if ordinal:
        return ordinal_number(value)
    if isinstance(value, int) and (use_word or (use_word is None and 0 <= value <= 10)):
        text = _int_words(value)
    elif use_word:
        whole, _, fraction = f"{value}".partition(".")
        text = _int_words(int(whole)) + " point " + " ".join(_SMALL[int(d)] for d in fraction)
    elif isinstance(value, int):
        text = f"{value:,}"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return capitalize_text(text) if capitalize else text


def ordinal_number(number: Any, capitalize: bool = False, **_language: Any) -> str:
    """'first' ... 'tenth', then '11th', '22nd', '103rd'; `capitalize=True` gives 'First'. docassemble's
    other keywords (language, function) are taken and have no effect: offstage speaks English."""
    value = int(number)
    words = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth"]
    if 0 <= value <= 10:
        text = words[value]
    else:
        suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
        text = f"{value}{suffix}"
    return capitalize_text(text) if capitalize else text


def ordinal(index: Any, capitalize: bool = False, **language: Any) -> str:
    """The ordinal of a zero-based index: ordinal(0) is 'first' (`capitalize=True`: 'First')."""
    return ordinal_number(int(index) + 1, capitalize=capitalize, **language)


def currency_symbol() -> str:
    """'$' (the US locale; other locales are not supported yet)."""
    return "$"


def currency(value: Any, decimals: bool = True, symbol: str | None = None,
             symbol_precedes: bool | None = None) -> str:
    """'$45.20'; `decimals=False` gives '$45'; `symbol='€'` changes the symbol."""
    amount = float(value)
    sign = "-" if amount < 0 else ""
    text = f"{abs(amount):,.2f}" if decimals else f"{round(abs(amount)):,}"
    mark = symbol if symbol is not None else currency_symbol()
    if symbol_precedes is False:
        return f"{sign}{text} {mark}"
    return f"{sign}{mark}{text}"


def capitalize_text(text: Any) -> str:
    text = str(text)
    return cast("str", text[:1].upper() + text[1:])


def capitalize(text: Any) -> str:
    """'spaghetti marinara' -> 'Spaghetti marinara'."""
    return capitalize_text(text)


_SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "vs"}


def title_case(text: Any) -> str:
    """'the lord of the rings' -> 'The Lord of the Rings' (keeps words already capitalised)."""
    words = str(text).split(" ")
    out = []
    for index, item in enumerate(words):
        lowered = item.lower()
        if index and lowered in _SMALL_WORDS:
            out.append(lowered)
        else:
            out.append(item[:1].upper() + item[1:])
    return " ".join(out)


titlecase = title_case

_UNCOUNTABLE = {"fish", "sheep", "deer", "series", "species", "money", "rice", "information", "equipment",
                "news", "moose", "aircraft", "bison", "salmon", "trout", "swine", "offspring"}
_IRREGULAR = {"person": "people", "man": "men", "woman": "women", "child": "children", "tooth": "teeth",
              "foot": "feet", "mouse": "mice", "goose": "geese", "ox": "oxen", "leaf": "leaves",
              "life": "lives", "knife": "knives", "wife": "wives", "half": "halves", "wolf": "wolves",
              "calf": "calves", "shelf": "shelves", "thief": "thieves", "cactus": "cacti",
              "analysis": "analyses", "crisis": "crises", "criterion": "criteria", "phenomenon": "phenomena",
              "datum": "data", "index": "indices", "appendix": "appendices", "potato": "potatoes",
              "tomato": "tomatoes", "hero": "heroes", "echo": "echoes"}
_SINGULAR = {plural: singular for singular, plural in _IRREGULAR.items()}


def _count(number: Any) -> Any:
    if isinstance(number, (list, tuple, dict, set, frozenset)) or hasattr(number, "__len__"):
        return len(number)
    return number


def _pluralize(noun: str) -> str:
    lowered = noun.lower()
    if lowered in _UNCOUNTABLE:
        return noun
    if lowered in _IRREGULAR:
        plural = _IRREGULAR[lowered]
        return plural if noun.islower() else plural.capitalize()
    if re.search(r"(s|x|z|ch|sh)$", lowered):
        return noun + "es"
    if re.search(r"[^aeiou]y$", lowered):
        return noun[:-1] + "ies"
    return noun + "s"


def _singularize(noun: str) -> str:
    lowered = noun.lower()
    if lowered in _UNCOUNTABLE or lowered in _IRREGULAR:
        return noun
    if lowered in _SINGULAR:
        return _SINGULAR[lowered]
    if re.search(r"[^aeiou]ies$", lowered):
        return noun[:-3] + "y"
    if re.search(r"(ss|x|z|ch|sh)es$", lowered):
        return noun[:-2]
    if lowered.endswith("s") and not lowered.endswith("ss"):
        return noun[:-1]
    return noun


def noun_plural(noun: Any, *pargs: Any, noun_is_singular: bool = False, **kwargs: Any) -> str:  # noqa: ARG001 - docassemble's signature
    """'friend' -> 'friends'; with a number (or a group) of 1 the singular: noun_plural('time', 1) -> 'time'."""
    text = str(noun)
    if pargs and _count(pargs[0]) == 1:
        return _singularize(text) if not noun_is_singular else text
    return _pluralize(text if noun_is_singular else _singularize(text))


def noun_singular(noun: Any, *pargs: Any, **kwargs: Any) -> str:  # noqa: ARG001 - docassemble's signature
    """'friends' -> 'friend'; with a number other than 1 the noun is returned untouched."""
    text = str(noun)
    if pargs and _count(pargs[0]) != 1:
        return text
    return _singularize(text)


def quantity_noun(number: Any, noun: Any, as_integer: bool = True, capitalize: bool = False) -> str:
    """'two apples', 'one apple', '144 apples'; rounds to a whole number unless as_integer=False."""
    value = round(float(number)) if as_integer else number
    return nice_number(value, capitalize=capitalize) + " " + noun_plural(noun, value)


def indefinite_article(text: Any, capitalize: bool = False) -> str:
    """'a bean', 'an apple'."""
    word = str(text)
    article = "an" if re.match(r"(?i)[aeiou]|h(our|onest|onor)", word) and not re.match(
        r"(?i)(uni|use|usu|eu|one)", word) else "a"
    result = f"{article} {word}"
    return capitalize_text(result) if capitalize else result


def space_to_underscore(text: Any) -> str:
    """'John Wilkes Booth' -> 'John_Wilkes_Booth', keeping only characters safe in a file name."""
    cleaned = re.sub(r"[^A-Za-z0-9_.\- ]", "", str(text)).strip().lstrip(".")
    return re.sub(r"\s+", "_", cleaned)


def single_paragraph(text: Any) -> str:
    """Line breaks replaced by spaces, so user text stays one Markdown paragraph."""
    return re.sub(r"\s*\n\s*", " ", str(text))


def single_to_double_newlines(text: Any) -> str:
    """Each single line break becomes a paragraph break."""
    return re.sub(r"\n+", "\n\n", str(text).replace("\r\n", "\n"))


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


def verbatim(text: Any) -> str:
    """User text shown as typed: HTML and Markdown characters are neutralised."""
    escaped = html.escape(str(text), quote=False)
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", escaped)
    return escaped.replace("\n", "  \n")


def quote_paragraphs(text: Any) -> str:
    """Markdown that shows the text as a block quotation."""
    return "\n".join("> " + line if line.strip() else ">" for line in str(text).splitlines())


def indent(text: Any, by: int = 4) -> str:
    """Every line of the text indented by four spaces (to keep it inside a Markdown list item)."""
    pad = " " * by
    return "\n".join(pad + line for line in str(text).splitlines())


def fix_punctuation(text: Any, mark: str = ".", other_marks: tuple[str, ...] = (".", "?", "!")) -> str:
    """'I have a claim' -> 'I have a claim.'; text already ending in . ? or ! is left alone."""
    value = str(text).rstrip()
    if not value or value.endswith(tuple(other_marks)) or value.endswith(mark):
        return value
    return value + mark


def _wrap(text: Any, marker: str, default: Any) -> str:
    value = "" if text is None else str(text).strip()
    if not value:
        value = "" if default is None else str(default)
        if not value:
            return ""
    return f"{marker}{value}{marker}" if marker else value


def plain(text: Any, default: Any = None) -> str:
    """The text, or `default` when it is empty."""
    return _wrap(text, "", default)


def bold(text: Any, default: Any = None) -> str:
    """'**text**', or nothing (or bold `default`) when the text is empty."""
    return _wrap(text, "**", default)


def italic(text: Any, default: Any = None) -> str:
    """'_text_', or nothing (or italic `default`) when the text is empty."""
    return _wrap(text, "_", default)


def yesno(value: Any, invert: bool = False) -> str:
    """'Yes' for a true value, 'No' otherwise (for form filling)."""
    return "Yes" if bool(value) != invert else "No"


def noyes(value: Any) -> str:
    """'No' for a true value, 'Yes' otherwise."""
    return yesno(value, invert=True)


def word(text: Any, **kwargs: Any) -> str:  # noqa: ARG001 - docassemble's signature
    """The translation of a phrase into the current language (English only for now: returned as is)."""
    return str(text)


def _internal() -> dict[str, Any]:
    ctx = maybe_current()
    if ctx is None:
        return _fallback_language
    return cast("dict[str, Any]", ctx.answers.setdefault("_internal", {}))


def get_language() -> str:
    """The current language code ('en' unless set_language() changed it)."""
    return cast("str", _internal().get("language", "en"))


def set_language(language: str, dialect: str | None = None) -> None:  # noqa: ARG001 - docassemble's signature
    """Set the language of the session (offstage's words are English whatever the setting)."""
    _internal()["language"] = language


def get_dialect() -> str | None:
    return None
