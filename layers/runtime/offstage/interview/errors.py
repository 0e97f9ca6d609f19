"""Where in an interview file a problem is: every load error names file, line and block."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from offstage.errors import InterviewInvalid

if TYPE_CHECKING:
    from offstage.library.package_files import Home


@dataclass(frozen=True)
class Origin:
    """The place a block comes from: file name, 1-based line of its first key, 1-based block number."""

    source: str
    line: int
    number: int
    # where the block's own bare file names are looked up (its file's folder or package)
    home: Home | None = field(default=None, compare=False, repr=False)

    def describe(self) -> str:
        return f"{self.source}, line {self.line} (block {self.number})"


def invalid(origin: Origin, problem: str, line: int | None = None) -> InterviewInvalid:
    where = origin.describe() if line is None else f"{origin.source}, line {line} (block {origin.number})"
    return InterviewInvalid(f"{where}: {problem}")
