"""Addresses: Address (street, unit, city, state, zip, country) and City; LatitudeLongitude.

`str(address)` is `.block()`, lines joined by docassemble's [NEWLINE] markup (a line break on the page
and in documents). `.city` is asked when missing; the other parts are used only when they are there.
Geocoding (Google's API in docassemble) is not provided: `.geocode()` says so.
"""

from __future__ import annotations

from typing import Any

from offstage.answers.registry import register
from offstage.library.names import _given
from offstage.library.objects import DAObject

DEFAULT_COUNTRY = "US"


@register
class LatitudeLongitude(DAObject):
    """GPS coordinates: `.latitude`, `.longitude`, `.known` (False until set)."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        self.gathered = False
        self.known = False
        super().init(*pargs, **kwargs)

    def __str__(self) -> str:
        if self.__dict__.get("known"):
            return f"{self.latitude}, {self.longitude}"
        return ""


@register
class Address(DAObject):
    """A postal address; `city_only` (City) shows only city, state and zip."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        if "location" not in kwargs:
            self.initializeAttribute("location", LatitudeLongitude)
        if "city_only" not in kwargs:
            self.city_only = False
        super().init(*pargs, **kwargs)

    def _zip(self) -> str:
        return _given(self, "zip") or _given(self, "postal_code")

    def _country(self) -> str:
        return _given(self, "country")

    def _shows_country(self, show_country: bool | None) -> bool:
        country = self._country()
        if show_country is None:
            return bool(country) and country.upper() != DEFAULT_COUNTRY
        return bool(show_country) and bool(country)

    def _country_name(self) -> str:
        from offstage.library.geography import country_name

        country = self._country()
        try:
            return str(country_name(country))
        except Exception:  # noqa: BLE001 - an unknown code is shown as given
            return country

    def formatted_unit(self, language: str | None = None, require: bool = False) -> str:  # noqa: ARG002 - docassemble's signature
        """'Unit 2000' for a bare number, the unit as given otherwise; floor and room likewise."""
        unit = _given(self, "unit")
        if not unit and not _given(self, "floor") and not _given(self, "room") and require:
            unit = str(self.unit)  # asks for it
        if unit:
            return f"Unit {unit}" if unit[0].isdigit() else unit
        if _given(self, "floor"):
            return f"Floor {_given(self, 'floor')}"
        if _given(self, "room"):
            return f"Room {_given(self, 'room')}"
        return ""

    def line_one(self, language: str | None = None) -> str:
        """The street address with the unit: '123 Main Street, Unit 4'."""
        if self.__dict__.get("city_only"):
            return ""
        street = str(self.address).strip()
        unit = self.formatted_unit(language=language)
        return f"{street}, {unit}" if unit else street

    def line_two(self, language: str | None = None) -> str:  # noqa: ARG002 - docassemble's signature
        """'Springfield, MA 01199'."""
        text = str(self.city).strip()
        state = _given(self, "state")
        if state:
            text += ", " + state
        if self._zip():
            text += " " + self._zip()
        return text

    def block(self, language: str | None = None, international: bool = False,  # noqa: ARG002 - docassemble's signature
              show_country: bool | None = None) -> str:
        lines = []
        if not self.__dict__.get("city_only"):
            lines.append(self.line_one(language=language))
        lines.append(self.line_two(language=language))
        if self._shows_country(show_country):
            lines.append(self._country_name())
        return " [NEWLINE] ".join(line for line in lines if line)

    def on_one_line(self, include_unit: bool = True, omit_default_country: bool = True,
                    language: str | None = None, show_country: bool | None = None) -> str:
        """'123 Main Street, Unit 4, Springfield, MA 01199'."""
        parts = []
        if not self.__dict__.get("city_only"):
            parts.append(self.line_one(language=language) if include_unit else str(self.address).strip())
        parts.append(self.line_two(language=language))
        if show_country is None and not omit_default_country:
            show_country = True
        if self._shows_country(show_country):
            parts.append(self._country_name())
        return ", ".join(part for part in parts if part)

    def geocode(self, address: str | None = None, reset: bool = False) -> bool:  # noqa: ARG002 - docassemble's signature
        """False, with nothing filled in: offstage has no geocoder, and docassemble without a configured
        one answers the same (so the next block that defines the address parts, a question, is asked)."""
        self.geolocated = True
        self.geolocate_success = False
        return False

    geolocate = geocode

    def normalize(self, long_format: bool = False) -> bool:
        raise NotImplementedError("Address.normalize() is not provided by offstage (it needs Google's geocoding "
                                  "API)")

    def was_geocoded(self) -> bool:
        return False

    def was_geocoded_successfully(self) -> bool:
        return False

    def reset_geocoding(self) -> None:
        return None

    def __str__(self) -> str:
        return self.block()


@register
class City(Address):
    """An Address of which only the city, state and zip are shown."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        kwargs.setdefault("city_only", True)
        super().init(*pargs, **kwargs)
