"""Phone numbers: checking and formatting, for the countries that share the North American plan.

docassemble uses Google's phonenumbers package; offstage carries no such data, so it knows the North
American Numbering Plan (US, CA and the other +1 countries) and, for any other country, only that an
international number has 7 to 15 digits. Formatting another country's number gives it back as typed.
"""

from __future__ import annotations

import re
from typing import Any

_PLUS_ONE = {"US", "CA", "PR", "GU", "VI", "AS", "MP", "AG", "AI", "BB", "BM", "BS", "DM", "DO", "GD", "JM",
             "KN", "KY", "LC", "MS", "SX", "TC", "TT", "VC", "VG"}


def _digits(number: Any) -> str:
    return re.sub(r"\D", "", str(number))


def _nanp(number: Any) -> str | None:
    """The ten digits of a North American number, or None when it is not one."""
    digits = _digits(number)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) == 10 and digits[0] in "23456789" and digits[3] in "23456789":
        return digits
    return None


def _country(country: str | None) -> str:
    if country:
        return str(country).upper()
    from offstage.library.info import get_country

    return get_country().upper()


def phone_number_is_valid(number: Any, country: str | None = None) -> bool:
    if str(number).strip().startswith("+") and not str(number).strip().startswith("+1"):
        return 7 <= len(_digits(number)) <= 15
    if _country(country) in _PLUS_ONE:
        return _nanp(number) is not None
    return 7 <= len(_digits(number)) <= 15


def phone_number_in_e164(number: Any, country: str | None = None) -> str | None:
    """'+12025550123', or None when the number is not valid."""
    if not phone_number_is_valid(number, country):
        return None
    text = str(number).strip()
    if text.startswith("+"):
        return "+" + _digits(text)
    national = _nanp(number)
    return "+1" + national if national else None


def phone_number_formatted(number: Any, country: str | None = None) -> str:
    """'(202) 555-0123' for a North American number; any other number as it was given."""
    national = _nanp(number) if _country(country) in _PLUS_ONE or str(number).strip().startswith("+1") else None
    if national is None:
        return str(number)
    return f"({national[:3]}) {national[3:6]}-{national[6:]}"


def phone_number_part(number: Any, part: int, country: str | None = None) -> str:  # noqa: ARG001 - docassemble's signature
    """Part 0 (area code), 1 (exchange) or 2 (line) of a North American number; '' otherwise."""
    national = _nanp(number)
    if national is None:
        return ""
    return [national[:3], national[3:6], national[6:]][part] if 0 <= part <= 2 else ""
