"""`nav`: the interview's sections (the `sections` block), as docassemble's navigation object gives them.

The current section, the sections visited, the sections set by code and the hidden / disabled flags
are kept with the session; the page draws them (offstage.engine.sections, offstage.web.sections).
`show_sections()` (and `${ nav }`) draws them inside a question's text.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from offstage.context import current


def _state() -> dict[str, Any]:
    internal = current().answers.setdefault("_internal", {})
    found: dict[str, Any] = internal.setdefault("nav", {})
    return found


def _ids(sections: list[Any]) -> list[tuple[str, str]]:
    """(id, title) of each section and subsection, in order: `- intro: Introduction` or `- Introduction`."""
    found: list[tuple[str, str]] = []
    for item in sections:
        if isinstance(item, dict):
            for key, title in item.items():
                if key == "subsections":
                    continue
                if isinstance(title, list):  # `- About you: [Contact info, Demographics]`: a title and its subsections
                    found.append((str(key), str(key)))
                    found += _ids(title)
                else:
                    found.append((str(key), str(title)))
            found += _ids(item.get("subsections") or [])
        else:
            found.append((str(item), str(item)))
    return found


# the engine's builder of the sections' states and links (the library cannot call the engine itself)
_drawer: Callable[[bool], list[dict[str, Any]]] | None = None


def draw_sections_with(drawer: Callable[[bool], list[dict[str, Any]]]) -> None:
    global _drawer  # set once, when the engine is imported
    _drawer = drawer


def _sections_html(items: list[dict[str, Any]], inline: bool) -> str:
    """docassemble's `.dasections`: buttons with arrows between them (inline), or a list of links."""
    flat: list[dict[str, Any]] = []
    for item in items:
        flat.append(item)
        flat += [s for s in item.get("subsections") or [] if item.get("open")]
    base = "btn btn-secondary danavlink" if inline else "nav-link danavlink"
    parts = []
    for item in flat:
        title = html.escape(str(item.get("title") or ""))
        active = " active" if item.get("state") == "active" else ""
        current_mark = ' aria-current="step"' if active else ""
        if item.get("url"):
            parts.append(f'<a class="daclickable {base}{active}" href="{html.escape(item["url"])}"'
                         f' data-key="{html.escape(str(item.get("key") or ""))}"{current_mark}>{title}</a>')
        else:
            muted = " danotavailableyet" if item.get("state") == "future" else ""
            parts.append(f'<span class="{base}{active}{muted}"{current_mark}>{title}</span>')
    arrow = '<span class="dainlinearrow" aria-hidden="true"><i class="fas fa-chevron-right"></i></span>'
    inner = arrow.join(parts) if inline else "".join(parts)
    kind = "danavlinks dainline" if inline else "danavlinks"
    return f'<div class="dasections"><div class="{kind}"><div class="dainlineinside">{inner}</div></div></div>'


def visit(state: dict[str, Any], section: str) -> None:
    """Make `section` the current one and remember it among those visited (what makes it clickable)."""
    if state.get("current") != section:
        state["current"] = section
    past = state.setdefault("past", [])
    if section not in past:
        past.append(section)


def sections_of(sections: list[Any]) -> list[tuple[str, str]]:
    """(id, title) of each section and subsection, in order."""
    return _ids(sections)


class Navigation:
    """docassemble's `nav` (DANav) over the interview's `sections`."""

    def get_sections(self, language: str | None = None) -> list[Any]:  # noqa: ARG002 - one language only
        state = _state()
        if "sections" in state:
            return list(state["sections"])
        for block in current().interview.blocks:
            if isinstance(block.data.get("sections"), list):
                return list(block.data["sections"])
        return []

    def set_sections(self, sections: list[Any], language: str | None = None) -> None:  # noqa: ARG002
        _state()["sections"] = list(sections)

    def section_ids(self, language: str | None = None) -> list[str]:  # noqa: ARG002
        return [key for key, _ in _ids(self.get_sections())]

    def set_section(self, section: str) -> bool:
        visit(_state(), str(section))
        return str(section) in self.section_ids()

    def past(self) -> list[str]:
        """The sections visited so far (keywords, or titles of sections without one), oldest first."""
        return list(_state().get("past") or [])

    def get_section(self, display: bool = False, language: str | None = None) -> str | None:  # noqa: ARG002
        known = _ids(self.get_sections())
        wanted = _state().get("current") or (known[0][0] if known else None)
        if display:
            return next((title for key, title in known if key == wanted), wanted)
        return wanted

    def hide(self) -> None:
        _state()["hidden"] = True

    def unhide(self) -> None:
        _state()["hidden"] = False

    def disable(self) -> None:
        _state()["disabled"] = True

    def enable(self) -> None:
        _state()["disabled"] = False

    def visible(self, language: str | None = None) -> bool:  # noqa: ARG002
        return not _state().get("hidden") and bool(self.get_sections())

    def enabled(self) -> bool:
        return not _state().get("disabled")

    def show_sections(self, style: str | None = "inline", show_links: bool | None = None) -> str:
        """The sections as HTML for a question's text: docassemble's inline buttons (style 'inline') or
        its list (style None, nothing when hidden); the reachable ones are links unless show_links=False
        or the navigation is disabled."""
        if style != "inline" and not self.visible():
            return ""
        if _drawer is None:  # only outside an interview's evaluation
            raise RuntimeError("nav.show_sections() needs an interview being evaluated")
        links = self.enabled() if show_links is None else bool(show_links)
        return _sections_html(_drawer(links), inline=style == "inline")

    def __str__(self) -> str:
        """`${ nav }`: the sections inline, as docassemble writes them."""
        return self.show_sections()


nav = Navigation()


def device(ip: bool = False) -> None:
    """The browser's device (or with ip=True its address): None, as docassemble answers when it has no
    browser information. offstage does not pass the user agent or address to interview code."""
