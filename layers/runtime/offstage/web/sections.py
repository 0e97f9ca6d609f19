"""The section navigation (`sections` with `features: navigation`), in docassemble's markup.

Vertical: a column left of the question on wide screens (`.danavdiv`, `nav-pills flex-column`), and on
phones the horizontal bar in its place; `navigation: horizontal`: the horizontal bar on every screen.
The current section is `.active` (and `aria-current`); a section the visitor may go back to is a link
(`.daclickable`, its keyword in `data-key`) to the section's action; one not reached yet is muted text
(`.danotavailableyet`). Titles are text.
"""

from __future__ import annotations

from typing import Any

from offstage.web.markup import esc, tag


def section_nav(sections: dict[str, Any] | None) -> tuple[str, str]:
    """(the vertical column, the horizontal bar): either may be ''."""
    if not sections or not sections.get("items"):
        return "", ""
    items = [i for i in sections["items"] if isinstance(i, dict)]
    horizontal = tag("nav", _horizontal(items), class_="danav-horizontal-bar" + (
        " d-md-none" if sections.get("style") != "horizontal" else ""), aria_label="Sections")
    if sections.get("style") == "horizontal":
        return "", horizontal
    vertical = tag("nav", tag("div", _vertical(items), class_="nav flex-column nav-pills danav danav-vertical danavlinks"),
                   class_="col-md-3 col-lg-3 col-xl-2 d-none d-md-block danavdiv", aria_label="Sections")
    return vertical, horizontal


def _vertical(items: list[dict[str, Any]]) -> str:
    out = []
    for item in items:
        out.append(_entry(item, "nav-link danavlink"))
        subs = [s for s in item.get("subsections") or [] if isinstance(s, dict)]
        if subs and item.get("open"):
            out.append(tag("div", _vertical(subs), class_="nav flex-column nav-pills danav danavlinks danav-vertical danavnested"))
    return "".join(out)


def _horizontal(items: list[dict[str, Any]]) -> str:
    """One row of the sections; the subsections of the open one follow it (docassemble shows them only
    inside that section)."""
    top = "".join(tag("li", _entry(i, "nav-link danavlink"), class_="nav-item") for i in items)
    rows = [tag("ul", top, class_="nav nav-pills danav danav-horizontal danavlinks flex-wrap")]
    for item in items:
        subs = [s for s in item.get("subsections") or [] if isinstance(s, dict)]
        if subs and item.get("open"):
            inner = "".join(tag("li", _entry(s, "nav-link danavlink"), class_="nav-item") for s in subs)
            rows.append(tag("ul", inner, class_="nav nav-pills danav danav-horizontal danavlinks danavnested flex-wrap"))
    return "".join(rows)


def _entry(item: dict[str, Any], base: str) -> str:
    title = esc(item.get("title"))
    state = item.get("state")
    url = item.get("url")
    if state == "active":
        if url:
            return tag("a", title, href=url, class_=f"daclickable {base} active", data_key=item.get("key"),
                       aria_current="step")
        return tag("span", title, class_=f"{base} active", aria_current="step")
    if url:
        return tag("a", title, href=url, class_=f"daclickable {base}", data_key=item.get("key"))
    if state == "future":
        return tag("span", title, class_=f"{base} danotavailableyet text-body-secondary")
    return tag("span", title, class_=f"{base} inactive")
