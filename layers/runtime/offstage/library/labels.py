"""Labels for numbered things: alpha(0) 'A', roman(3) 'iv', item_label(0, 1) 'a.', name suffixes."""

from __future__ import annotations

from typing import Any, cast

_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def alpha(index: Any, case: str | None = None) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'; case='lower' gives 'a'."""
    number = int(index)
    text = ""
    while True:
        number, rest = divmod(number, 26)
        text = chr(ord("A") + rest) + text
        if number == 0:
            break
        number -= 1
    return text.lower() if case == "lower" else text


def roman(index: Any, case: str | None = None) -> str:
    """0 -> 'i', 3 -> 'iv' (numbered from zero, as docassemble's are); case='upper' gives 'IV'."""
    number = int(index) + 1
    text = ""
    for value, letters in _ROMAN:
        while number >= value:
            text += letters
            number -= value
    return text.upper() if case == "upper" else text


def item_label(index: Any, level: Any = None, punctuation: bool = True) -> str:
    """The label of item `index` at outline level `level`: 'I.', 'A.', '1.', 'a)', '(1)', '(a)', 'i)'."""
    level = min(max(int(level or 0), 0), 6)
    number = int(index)
    forms = [roman(number, case="upper"), alpha(number), str(number + 1), alpha(number, case="lower"),
             str(number + 1), alpha(number, case="lower"), roman(number)]
    text = forms[level]
    if not punctuation:
        return cast("str", text)
    return cast("str", [f"{text}.", f"{text}.", f"{text}.", f"{text})", f"({text})", f"({text})", f"{text})"][level])


def name_suffix() -> list[str]:
    """The usual suffixes of a name, for a `choices:` of a name's suffix."""
    return ["Jr.", "Sr.", "II", "III", "IV", "V", "VI"]
