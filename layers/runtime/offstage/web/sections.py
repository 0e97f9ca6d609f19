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
    """(the vertical column, what goes above the question: the horizontal bar and/or the phone's
    dropdown); either may be ''. `phone` is `small screen navigation`: bar (default), none, dropdown."""
    if not sections or not sections.get("items"):
        return "", ""
    items = [i for i in sections["items"] if isinstance(i, dict)]
    wide_bar = sections.get("style") == "horizontal"
    phone = sections.get("phone") or "bar"
    shown_on = {(True, "bar"): "", (True, "none"): " d-none d-md-block", (True, "dropdown"): " d-none d-md-block",
                (False, "bar"): " d-md-none"}.get((wide_bar, phone))
    horizontal = "" if shown_on is None else tag("nav", _horizontal(items), class_="danav-horizontal-bar" + shown_on,
                                                 aria_label="Sections")
    if phone == "dropdown":
        horizontal += _dropdown(items)
    if wide_bar:
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


def _dropdown(items: list[dict[str, Any]]) -> str:
    """`small screen navigation: dropdown`: every section and subsection in a menu named after the
    current one, on phones only."""
    flat: list[tuple[dict[str, Any], bool]] = []
    for item in items:
        flat.append((item, False))
        flat += [(s, True) for s in item.get("subsections") or [] if isinstance(s, dict)]
    current = next((i.get("title") for i, _ in reversed(flat) if i.get("state") == "active"), "Sections")
    entries = []
    for item, nested in flat:
        indent = " ps-4" if nested else ""
        if item.get("url"):
            entries.append(tag("li", tag("a", esc(item.get("title")), href=item["url"], data_key=item.get("key"),
                                         class_=f"dropdown-item daclickable{indent}" + (" active" if item.get("state") == "active" else ""),
                                         aria_current="step" if item.get("state") == "active" else None)))
        else:
            muted = " text-body-secondary" if item.get("state") == "future" else ""
            entries.append(tag("li", tag("span", esc(item.get("title")), class_=f"dropdown-item-text{indent}{muted}",
                                         aria_current="step" if item.get("state") == "active" else None)))
    button = tag("button", esc(current), type="button", class_="btn btn-secondary dropdown-toggle w-100",
                 data_bs_toggle="dropdown", aria_expanded="false", id="dasectionsdropdown")
    return tag("nav", tag("div", button + tag("ul", "".join(entries), class_="dropdown-menu w-100",
                                              aria_labelledby="dasectionsdropdown"), class_="dropdown"),
               class_="danav-dropdown d-md-none mb-3", aria_label="Sections")
