"""`action_button_html()`: a link styled as a Bootstrap button, in the markup docassemble's pages use
(`btn btn-<size> btn-<color> btn-darevisit`), usually with a `url_action()` URL."""

from __future__ import annotations

import html

COLORS = {"primary", "secondary", "success", "danger", "warning", "info", "light", "dark", "link"}
SIZES = {"sm": " btn-sm", "md": "", "lg": " btn-lg"}


def action_button_html(url: str, icon: str | None = None, color: str = "success", size: str = "sm",
                       block: bool = False, label: str = "Edit", classname: str | None = None,
                       new_window: bool | None = None, id_tag: str | None = None) -> str:
    """HTML of a button-looking link to `url`. `icon` names a Font Awesome icon, which offstage's page
    does not ship: the icon's element is written (hidden from screen readers), the label carries the
    meaning. An unknown colour falls back to docassemble's default, `success`."""
    color = color if color in COLORS else "success"
    classes = f"btn{SIZES.get(size, ' btn-sm')} btn-{color} btn-darevisit" + (" d-block" if block else "")
    if classname:
        classes += " " + " ".join(html.escape(part, quote=True) for part in str(classname).split())
    attributes = f'href="{html.escape(str(url), quote=True)}" class="{classes}"'
    if id_tag:
        attributes += f' id="{html.escape(str(id_tag), quote=True)}"'
    if new_window:
        attributes += ' target="_blank" rel="noopener noreferrer"'
    icon_html = (f'<i class="fa-solid fa-{html.escape(str(icon), quote=True)}" aria-hidden="true"></i> '
                 if icon else "")
    return f"<a {attributes}>{icon_html}{html.escape(str(label))}</a> "
