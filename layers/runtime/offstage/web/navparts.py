"""The screen parts around the question docassemble draws from the metadata and set_parts(): the
navbar's logo / short title / title link, the Exit item's label and link, the section navigation's
place, the footer and the image credits."""

from __future__ import annotations

from typing import Any

from offstage.text.sanitize import safe_html
from offstage.web.decorations import attributions
from offstage.web.markup import plain_text, tag
from offstage.web.sections import section_nav


def _web_address(url: str | None) -> str | None:
    text = (url or "").strip()
    return text if text.lower().startswith(("https://", "http://", "/")) and not text.startswith("//") else None


def navbar_brand(title: str, parts: dict[str, str]) -> str:
    """The navbar's brand: the `logo` (HTML; `short logo` on phones) or the title (`short title` on
    phones), a link when there is a `title url` (opening another window unless told not to); '' when
    none of these parts is set (the plain title)."""
    logo, short_logo, short = parts.get("logo"), parts.get("short logo"), parts.get("short title")
    url = _web_address(parts.get("title url"))
    if not (logo or short or url):
        return ""
    if logo:
        wide, narrow = safe_html(logo), safe_html(short_logo or logo)
    else:
        wide, narrow = plain_text(title), plain_text(short or title)
    inner = (tag("span", wide, class_="d-none d-md-inline") + tag("span", narrow, class_="d-md-none")
             if wide != narrow else wide)
    classes = "navbar-brand danavbar-title text-truncate"
    if url:
        other = parts.get("title url opens in other window", "True") != "False"
        return tag("a", inner, href=url, id="dapagetitle", class_=classes + " datitleurl",
                   target="_blank" if other else None, rel="noopener" if other else None)
    return tag("span", inner, id="dapagetitle", class_=classes)


def with_exit_part(menu: list[Any], parts: dict[str, str]) -> list[Any]:
    """The menu with the Exit item as `exit label` names it; with `exit link: leave` it goes to the
    `exit url` (or the list of interviews) and keeps the answers, as docassemble's leave does."""
    label = parts.get("exit label")
    leave = parts.get("exit link", "").strip().lower() in ("leave", "logout")
    if not (label or leave):
        return menu
    from dataclasses import replace

    changed = []
    for item in menu:
        if "exit=1" in str(getattr(item, "url", "")):
            item = replace(item, label=label or item.label)
            if leave:
                item = replace(item, url=_web_address(parts.get("exit url")) or "/")
        changed.append(item)
    return changed


def page_body(main: str, flash: str, screen: dict[str, Any]) -> str:
    """The container under the navbar: the section navigation beside (or above) the question, then the
    image credits and the `footer`."""
    vertical, horizontal = section_nav(screen.get("sections"))
    if vertical:
        inner = tag("div", vertical + tag("div", horizontal + flash + main, class_="col-md-9 col-lg-9 col-xl-8 dacontent"),
                    class_="row")
    else:
        inner = horizontal + flash + main
    parts = screen.get("parts") or {}
    inner += attributions(list(screen.get("attributions") or []))
    footer = ""
    if parts.get("footer"):
        footer = tag("footer", tag("div", safe_html(parts["footer"]), class_="container dafooter-text"),
                     class_="dafooter bg-secondary-subtle py-3 mt-4")
    return tag("div", inner, class_="container da-page") + footer
