"""`nav`: the interview's sections (the `sections` block), as docassemble's navigation object gives them.

The current section, the sections visited, the sections set by code and the hidden / disabled flags
are kept with the session; the page draws them (offstage.engine.sections, offstage.web.sections).
`show_sections()` inside a question's text is not provided and says so.
"""

from __future__ import annotations

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

    def show_sections(self, style: str = "inline", show_links: bool | None = None) -> str:
        raise NotImplementedError("nav.show_sections() is not provided by offstage (the page's section "
                                  "navigation is drawn with `features: navigation: True`)")

    def __str__(self) -> str:
        return str(self.get_section(display=True) or "")


nav = Navigation()


def device(ip: bool = False) -> None:
    """The browser's device (or with ip=True its address): None, as docassemble answers when it has no
    browser information. offstage does not pass the user agent or address to interview code."""
