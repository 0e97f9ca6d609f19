"""The section navigation a screen shows (`sections`, `features: navigation`), as docassemble lays it out.

A question's `section:` (or nav.set_section() in code) makes a section current and remembers it as
visited. A section is a link only where docassemble makes one: it has a keyword, a block of the
interview defines that keyword (the link runs it as an action, by name, through url_action), links are
enabled (nav.disable()), and the visitor has reached it (or the sections are not `progressive`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from offstage.library.navigation import sections_of, visit


@dataclass
class SectionItem:
    title: str  # text
    key: str | None  # the keyword, None for a section written as its title alone
    state: str  # active | past | future
    url: str | None = None  # the action link, when the section is clickable
    subsections: list[SectionItem] = field(default_factory=list)
    open: bool = False  # its subsections are shown

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "key": self.key, "state": self.state, "url": self.url, "open": self.open,
                "subsections": [s.to_json() for s in self.subsections]}


def visit_question_section(ev: Any, block: Any, answers: dict[str, Any]) -> None:
    """A question's `section:` (Mako allowed) becomes the current section, kept with the session."""
    own = block.data.get("section")
    if own is None:
        return
    name = ev.render(str(own)).strip()
    if name:
        visit(answers.setdefault("_internal", {}).setdefault("nav", {}), name)


def screen_sections(interview: Any, answers: dict[str, Any], link: Any) -> dict[str, Any] | None:
    """{style, items} for the page (None: no navigation); `link(key)` is the URL of a section's action
    or None when no block defines it."""
    style = (getattr(interview, "features", None) or {}).get("navigation")
    if style not in (True, "horizontal"):
        return None
    state = (answers.get("_internal") or {}).get("nav") or {}
    if state.get("hidden"):
        return None
    items = section_items(interview, answers, link if not state.get("disabled") else None)
    if not items:
        return None
    phone = (getattr(interview, "features", None) or {}).get("small screen navigation", True)
    return {"style": "horizontal" if style == "horizontal" else "vertical", "items": [i.to_json() for i in items],
            "phone": "dropdown" if phone == "dropdown" else "bar" if phone is not False else "none"}


def section_items(interview: Any, answers: dict[str, Any], link: Any) -> list[SectionItem]:
    """The sections with their state and links (`link` None: no links), whether or not the page shows them."""
    state = (answers.get("_internal") or {}).get("nav") or {}
    settings = _settings(interview)
    sections = state.get("sections") if "sections" in state else settings.get("sections")
    if not isinstance(sections, list) or not sections:
        return []
    flat = sections_of(sections)
    current = state.get("current") or flat[0][0]
    position = next((n for n, (key, title) in enumerate(flat) if current in (key, title)), -1)
    walk = _Walk(current, position, set(state.get("past") or []), settings.get("progressive", True) is not False,
                 link)
    items = [walk.item(entry) for entry in sections]
    auto_open = settings.get("auto open") is True
    for item in items:
        item.open = bool(item.subsections) and (auto_open or item.state == "active"
                                                or any(s.state == "active" for s in item.subsections))
    return items


def current_items(show_links: bool) -> list[dict[str, Any]]:
    """nav.show_sections()'s sections, for the interview being evaluated."""
    from offstage.context import current

    ctx = current()
    from offstage.engine.screen_parts import section_link

    link = (lambda key: section_link(ctx.interview, ctx.answers, key)) if show_links else None
    return [item.to_json() for item in section_items(ctx.interview, ctx.answers, link)]


def _settings(interview: Any) -> dict[str, Any]:
    """The `sections` block's list and its `progressive` / `auto open` (they sit in the same block)."""
    found: dict[str, Any] = {}
    for block in getattr(interview, "blocks", []):
        data = getattr(block, "data", None)
        if not isinstance(data, dict) or ("language" in data and data["language"] not in ("*", "en")):
            continue
        if isinstance(data.get("sections"), list) and "sections" not in found:
            found["sections"] = data["sections"]
        for key in ("progressive", "auto open"):
            if key in data and key not in found:
                found[key] = data[key]
    return found


@dataclass
class _Walk:
    current: str
    position: int  # of the current section among all (-1: not one of them)
    past: set[str]
    progressive: bool
    link: Any
    seen: int = 0

    def item(self, entry: Any) -> SectionItem:
        key, title, subs = _parts(entry)
        state = self._state(key, title)
        self.seen += 1
        url = self.link(key) if self.link and key and state != "future" else None
        made = SectionItem(title, key, state, url)
        made.subsections = [self.item(sub) for sub in subs]
        return made

    def _state(self, key: str | None, title: str) -> str:
        if self.current in (key, title):
            return "active"
        if not self.progressive or self.seen < self.position or key in self.past or title in self.past:
            return "past"
        return "future"


def _parts(entry: Any) -> tuple[str | None, str, list[Any]]:
    """(keyword, title, subsections) of one `sections` item, in each of docassemble's spellings."""
    if not isinstance(entry, dict):
        return None, str(entry), []
    subs = entry.get("subsections")
    for key, value in entry.items():
        if key == "subsections":
            continue
        if isinstance(value, list):
            return None, str(key), value
        return str(key), str(value), subs if isinstance(subs, list) else []
    return None, "", []
