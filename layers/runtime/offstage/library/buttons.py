"""action_button_html(): a link drawn as a Bootstrap button, for question text and `under` areas."""

from __future__ import annotations

import html
import re
from typing import Any

_COLORS = {"primary", "secondary", "success", "danger", "warning", "info", "light", "link", "dark"}


def action_button_html(url: str, icon: str | None = None, color: str = "dark", size: str = "sm",
                       block: bool = False, label: Any = "Edit", classname: str | None = None,
                       new_window: Any = None, id_tag: str | None = None) -> str:
    """`<a href=... class="btn btn-sm btn-dark">label</a>`; the label and URL are escaped."""
    if color not in _COLORS:
        color = "dark"
    classes = ["btn", f"btn-{size}" if size in ("sm", "md", "lg") else "btn-sm", f"btn-{color}"]
    if block:
        classes.append("btn-block")
    if classname:
        classes.extend(c for c in str(classname).split() if re.fullmatch(r"[A-Za-z0-9_-]+", c))
    attributes = [f'href="{html.escape(str(url), quote=True)}"', f'class="{" ".join(classes)}"']
    if new_window is True:
        attributes.append('target="_blank" rel="noopener"')
    elif new_window not in (None, False):
        attributes.append(f'target="{html.escape(str(new_window), quote=True)}"')
    if id_tag:
        attributes.append(f'id="{html.escape(str(id_tag), quote=True)}"')
    icon_html = ""
    if icon:
        icon_class = str(icon).replace("-fa-", " fa-") if str(icon).startswith("fa") else f"fas fa-{icon}"
        icon_html = f'<i class="{html.escape(icon_class, quote=True)}"></i> '
    return f"<a {' '.join(attributes)}>{icon_html}{html.escape(str(label))}</a>"
