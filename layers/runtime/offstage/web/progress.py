"""The progress bar above the question (`features: progress bar`), in docassemble's Bootstrap markup."""

from __future__ import annotations

from typing import Any

from offstage.web.markup import tag


def progress_bar(value: Any, show_percentage: bool = False) -> str:
    """A `.progress` with its `.progress-bar`; nothing at 0 or below (docassemble hides it), full above 100."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return ""
    shown = min(float(value), 100.0)
    whole = int(shown)
    label = f"{whole}%" if show_percentage else ""
    bar = tag("div", label, class_="progress-bar", style=f"width: {shown:.4g}%")
    return tag("div", bar, class_="progress mt-2 mb-3 daprogress", role="progressbar", aria_label="Interview progress",
               aria_valuenow=str(whole), aria_valuemin="0", aria_valuemax="100")
