"""Countries and their subdivisions (from pycountry, imported only when first needed)."""

from __future__ import annotations

import functools
from typing import Any, cast


def _pycountry() -> Any:
    import pycountry  # lazy: large data

    return pycountry


@functools.lru_cache(maxsize=1)
def _countries_by_name() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((c.alpha_2, c.name) for c in _pycountry().countries), key=lambda item: item[1]))


def countries_list() -> list[dict[str, str]]:
    """Every country as a one-item dict {code: name}, sorted by name: [{'AF': 'Afghanistan'}, ...]."""
    return [{code: name} for code, name in _countries_by_name()]


def country_name(country_code: str) -> str:
    """'United States' for 'US'; the code itself when unknown."""
    found = _pycountry().countries.get(alpha_2=str(country_code).upper())
    return found.name if found is not None else str(country_code)


def iso_country(country: str, part: str = "alpha_2") -> str:
    """The ISO 3166-1 code (or `part`: alpha_3, name, numeric, official_name) of a country name or code."""
    lib = _pycountry()
    try:
        found = lib.countries.lookup(str(country).strip())
    except LookupError:
        raise ValueError(f"{country!r} is not a known country") from None
    return cast("str", getattr(found, part, None) or found.name)


@functools.lru_cache(maxsize=64)
def _subdivisions(country_code: str) -> tuple[tuple[str, str, str], ...]:
    found = _pycountry().subdivisions.get(country_code=country_code.upper()) or []
    # the code without the country prefix ('PT-04' -> '04'), first-level subdivisions only
    rows = [(s.code.split("-", 1)[1], s.name, s.type) for s in found if s.parent_code is None]
    return tuple(sorted(rows, key=lambda row: row[1]))


def states_list(country_code: str | None = None, abbreviate: bool = False) -> dict[str, str]:
    """The first-level subdivisions of a country as {code: name}, sorted by name (US states by default).

    Codes drop the country prefix: states_list('PT')['04'] is 'Bragança'. Empty for countries without any.
    """
    return {code: (code if abbreviate else name) for code, name, _ in _subdivisions(country_code or "US")}


def state_name(state_code: str, country_code: str | None = None) -> str:
    """'New York' for 'NY' (in the given country); the code itself when unknown."""
    return states_list(country_code).get(str(state_code).upper(), str(state_code))


def subdivision_type(country_code: str) -> str | None:
    """The name of the country's main subdivision ('State', 'District'...), None if it has none."""
    rows = _subdivisions(country_code)
    if not rows:
        return None
    kinds = [kind for _, _, kind in rows]
    return max(set(kinds), key=kinds.count)
