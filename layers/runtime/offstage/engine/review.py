"""`review:` screens: each item a link that asks its variable again (then comes back here) beside the
item's `button` text; `note` / `html` items as text; Resume (the screen's Continue) ends the event."""

from __future__ import annotations

from typing import Any

from offstage.engine.seek import Bindings
from offstage.text import escape, markdown_to_html

_ITEM_KEYS = frozenset({"button", "note", "html", "show if", "help", "css class", "field", "fields"})


def review_html(ev: Any, items: list[Any], bindings: Bindings) -> str:
    """The review items as HTML, in order; an item whose `show if` is false is left out."""
    from offstage.engine.functions import url_action

    parts: list[str] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        shown = item.get("show if")
        if shown is not None and not (shown if isinstance(shown, bool) else ev.evaluate_bound(str(shown), bindings)):
            continue
        parts.extend(f'<div class="da-review-{key}">{markdown_to_html(ev.render(str(item[key])))}</div>'
                     for key in ("note", "html") if item.get(key) is not None)
        link = _link(ev, item, bindings, url_action)
        button = markdown_to_html(ev.render(str(item["button"]))) if item.get("button") is not None else ""
        if link or button:
            parts.append(f'<div class="da-review-item">{link}{button}</div>')
    return "".join(parts)


def _link(ev: Any, item: dict[str, Any], bindings: Bindings, url_action: Any) -> str:
    """`Label: variable` (or `field: variable` with `label:`): a link that asks the variable again."""
    labels = [key for key in item if key not in _ITEM_KEYS and key != "label"]
    if item.get("field") is not None:
        label, target = str(item.get("label") or "Edit"), item["field"]
    elif labels:
        label, target = labels[0], item[labels[0]]
    else:
        return ""
    if not isinstance(target, str):
        raise ValueError(f"review item {label!r}: actions (undefine, recompute ...) are not supported; "
                         "give the variable to ask again")
    href = url_action(bindings.apply(target.strip()))
    return (f'<a href="{escape(href)}" class="btn btn-sm btn-secondary da-review-edit">'
            f"{markdown_to_html(ev.render(label), trim=True)}</a> ")
