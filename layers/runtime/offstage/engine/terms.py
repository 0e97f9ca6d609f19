"""The glossary a question's texts are marked up with: the interview's `terms` / `auto terms` blocks, the
question's own, and those `update_terms()` added to the session. A term the question defines keeps the
question's definition."""

from __future__ import annotations

from typing import Any

from offstage.text.terms import Glossary


def glossary(ev: Any, block: Any) -> Glossary:
    found = Glossary()
    own = Glossary()
    for key, auto in (("terms", False), ("auto terms", True)):
        if key in block.data:  # a question's terms are templates, as its other texts
            own.add(_rendered(ev, block.data[key]), auto=auto)
    interview_wide = _interview_terms(ev.interview)
    found.terms.update(interview_wide.terms)
    found.auto.update(interview_wide.auto)
    internal = getattr(ev, "internal", None) or {}
    languages = ("*", str(internal.get("language", "en")))  # update_terms(..., language=): all, or this one
    for key, auto in (("terms", False), ("auto terms", True)):
        for language, entries in (internal.get(key) or {}).items():
            if language in languages:
                found.add(entries, auto=auto)
    found.terms.update(own.terms)
    found.auto.update(own.auto)
    return found


def _interview_terms(interview: Any) -> Glossary:
    """The interview's `terms` / `auto terms` blocks, read once per loaded interview."""
    cached = interview.cache.get("glossary")
    if isinstance(cached, Glossary):
        return cached
    found = Glossary()
    for setting in interview.blocks:
        if getattr(setting, "kind", None) == "settings":
            for key, auto in (("terms", False), ("auto terms", True)):
                if key in setting.data:
                    found.add(setting.data[key], auto=auto)
    interview.cache["glossary"] = found
    return found


def _rendered(ev: Any, entries: Any) -> Any:
    if isinstance(entries, dict):
        return {key: ev.render(str(value)) if isinstance(value, str) else value for key, value in entries.items()}
    if isinstance(entries, list):
        return [_rendered(ev, item) for item in entries]
    return entries
