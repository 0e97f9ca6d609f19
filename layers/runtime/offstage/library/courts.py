"""docassemble.base.legal's Court: a court of law, shown by its name (AssemblyLine's ALCourt builds on it)."""

from __future__ import annotations

from typing import Any

from offstage.answers.registry import register
from offstage.library.objects import DAObject


@register
class Court(DAObject):
    """`.name` (asked when missing), `.jurisdiction` (a list, empty until set)."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        if "jurisdiction" not in kwargs:
            self.jurisdiction: list[Any] = []
        super().init(*pargs, **kwargs)

    def __str__(self) -> str:
        return str(self.name)

    def in_the_court(self, **_kwargs: Any) -> str:
        """The top line of a pleading's first page: 'In the <name>' (docassemble lets a package hook
        change it; offstage has no hooks)."""
        return f"In the {self.name}"
