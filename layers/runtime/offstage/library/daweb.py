"""DAWeb (docassemble's client for other web APIs): named so packages that import it load, refused on use.

offstage interviews make no outbound HTTP calls through the library; a package method that uses
DAWeb fails with an error naming DAWeb instead of calling out.
"""

from __future__ import annotations

from typing import Any

from offstage.answers.registry import register
from offstage.library.objects import DAObject

NOT_PROVIDED = "DAWeb (calls to other web APIs) is not provided by offstage"


class DAWebError(Exception):
    """What a DAWeb call raises in docassemble; offstage raises it for every call."""


@register
class DAWeb(DAObject):
    """Holds `base_url` and the other settings a package gives it; every request raises DAWebError."""

    def _refuse(self, *pargs: Any, **kwargs: Any) -> Any:  # noqa: ARG002 - docassemble's signature
        raise DAWebError(NOT_PROVIDED)

    get = post = put = patch = delete = _refuse
