"""Thing and Event: named objects that are not people."""

from __future__ import annotations

from typing import Any

from offstage.answers import tracking
from offstage.answers.registry import register
from offstage.library.addresses import City, LatitudeLongitude
from offstage.library.names import Name
from offstage.library.objects import DAObject


class Named(DAObject):
    """An object with a `.name` object; setting `.name` to text sets `.name.text` (as docassemble does)."""

    NameClass: Any = Name

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        text = kwargs.pop("name", None) if isinstance(kwargs.get("name"), str) else None
        if "name" not in kwargs and "name" not in self.__dict__:
            self.initializeAttribute("name", self.NameClass)
        if text is not None:
            self.name = text
        super().init(*pargs, **kwargs)

    @tracking.hooked  # its own writes go through Name's hooks or super()'s
    def __setattr__(self, attribute: str, value: Any) -> None:
        if attribute == "name" and isinstance(value, str) and isinstance(self.__dict__.get("name"), Name):
            name = self.__dict__["name"]
            if "uses_parts" in name.__dict__:
                name.uses_parts = False
            name.text = value
            return
        super().__setattr__(attribute, value)

    def identified(self) -> bool:
        """Whether the name is known yet (never asks)."""
        name = self.__dict__.get("name")
        return name.defined() if isinstance(name, Name) else name is not None

    def __str__(self) -> str:
        return str(self.name.full()) if isinstance(self.name, Name) else str(self.name)


@register
class Thing(Named):
    """Something with a name: `${ pet_rock }` asks for `pet_rock.name.text`."""


@register
class Event(DAObject):
    """An event: `.address` (a City) and `.location` (LatitudeLongitude); the rest is up to the author."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        if "address" not in kwargs:
            self.initializeAttribute("address", City)
        if "location" not in kwargs:
            self.initializeAttribute("location", LatitudeLongitude)
        super().init(*pargs, **kwargs)
