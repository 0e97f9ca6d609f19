"""The page around a question: progress bar, section navigation, navbar parts, decoration and images.

Each comes from the interview (features, metadata, `sections`, `image sets`), the session (set_parts(),
set_progress(), nav) and the question's own modifiers (`progress`, `section`, `decoration`, `css class`).
"""

from __future__ import annotations

from typing import Any

from offstage.engine.screen import Screen

# parts that are HTML as the author wrote it; `footer` is Markdown; the rest are text
_HTML_PARTS = ("logo", "short logo", "navigation bar html")


def add_surroundings(ev: Any, block: Any, screen: Screen) -> None:
    from offstage.engine.images import named_images, screen_images
    from offstage.engine.progress import screen_progress
    from offstage.engine.sections import screen_sections
    from offstage.text import markdown_to_html

    interview, answers = ev.interview, ev.ctx.answers
    features = getattr(interview, "features", None) or {}
    screen.progress = screen_progress(interview, block, answers)
    screen.progress_percentage = features.get("show progress bar percentage") is True
    screen.navbar_back = features.get("navigation back button") is not False
    screen.navbar_inverse = features.get("inverse navbar") is not False
    screen.sections = screen_sections(interview, answers, lambda key: section_link(interview, answers, key))
    screen.parts = _parts(ev, interview)
    own_class = block.data.get("css class")
    css_class = ev.render(str(own_class)).strip() if own_class is not None else screen.parts.pop("css class", "")
    screen.parts.pop("css class", None)
    screen.css_class = css_class or None
    decoration = block.data.get("decoration")
    screen.decoration = ev.render(str(decoration)).strip() or None if decoration is not None else None
    texts = [screen.question_text, screen.subquestion_text, screen.under_text, screen.right_text, screen.pre_text,
             screen.post_text, screen.submit_text, screen.help_text]
    texts += [f.label for f in screen.fields] + [f.note for f in screen.fields]
    texts += [str(c.get("label") or "") for f in screen.fields for c in f.choices or []]
    texts += [b.label for b in screen.buttons]
    screen.images, credits = screen_images(interview, texts, screen.decoration, ev.ctx.interview_name,
                                           ev.ctx.url_root)
    screen.attributions = [markdown_to_html(credit) for credit in credits]
    if screen.decoration in named_images(interview) and screen.decoration not in screen.images:
        screen.decoration = None  # its file is missing: docassemble leaves the decoration out


def section_link(interview: Any, answers: dict[str, Any], key: str) -> str | None:
    """A section's action link, when a block of the interview defines its keyword (docassemble's rule)."""
    from offstage.engine import varpath
    from offstage.engine.functions import url_action
    from offstage.engine.seek import has_definer

    name = varpath.as_name(key)
    if name is None or not has_definer(interview, key, answers):
        return None
    return url_action(key)


def _parts(ev: Any, interview: Any) -> dict[str, str]:
    """The metadata's navbar parts (Mako), then what set_parts() keeps, as the page shows them."""
    from offstage.engine.functions import NAV_PARTS, kept_parts
    from offstage.text import markdown_to_html

    metadata = getattr(interview, "metadata", None) or {}
    found = {name: ev.render(str(metadata[name])) for name in NAV_PARTS
             if isinstance(metadata.get(name), (str, int, float)) and not isinstance(metadata.get(name), bool)}
    if isinstance(metadata.get("title url opens in other window"), bool):
        found["title url opens in other window"] = str(metadata["title url opens in other window"])
    found.update({k: v for k, v in kept_parts().items() if k in NAV_PARTS})
    shown: dict[str, str] = {}
    for name, value in found.items():
        if name == "footer":
            shown[name] = markdown_to_html(value)
        elif name in _HTML_PARTS or value.strip():
            shown[name] = value.strip()
    return {k: v for k, v in shown.items() if v}
