"""DALink: a hyperlink (`url`, `anchor_text`) that shows as a Markdown link on a page or in a document."""

from __future__ import annotations

from typing import Any

from offstage.answers.registry import register
from offstage.library.objects import DAObject


@register
class DALink(DAObject):
    def show(self, **kwargs: Any) -> str:  # noqa: ARG002 - docassemble's signature
        anchor = str(self.anchor_text).replace("]", "\\]")
        return f"[{anchor}]({self.url})"

    def __str__(self) -> str:
        return self.show()
