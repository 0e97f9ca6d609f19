"""E-mail recipients that are not people: DAEmailRecipient (`address`, `name`) and a list of them."""

from __future__ import annotations

from typing import Any

from offstage.answers.registry import register
from offstage.library.objects import DAList, DAObject


@register
class DAEmailRecipient(DAObject):
    def email_address(self, include_name: bool | None = None) -> str:
        """'Fred Smith <fred@example.com>', or the address alone while the name is not known."""
        address = str(self.address)
        if include_name is not False and "name" in self.__dict__ and str(self.__dict__["name"]):
            return f"{self.__dict__['name']} <{address}>"
        return address

    def exists(self) -> bool:
        return "address" in self.__dict__

    def __str__(self) -> str:
        return str(self.__dict__["name"]) if "name" in self.__dict__ else str(self.address)


@register
class DAEmailRecipientList(DAList):
    def init(self, *pargs: Any, **kwargs: Any) -> None:
        kwargs.setdefault("object_type", DAEmailRecipient)
        super().init(*pargs, **kwargs)
