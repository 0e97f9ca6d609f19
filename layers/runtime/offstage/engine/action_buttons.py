"""A question's `action buttons`: extra buttons that run an action of the interview (or open a web address).

Each button is a dict with `label` and `action` (and optionally `arguments`, `color`, `icon`, `css class`,
`placement: before`, `new window`, `show if`); `action buttons: {code: ...}` gives the list from Python.
Labels and the other texts take Mako, as docassemble's. A button becomes a link: to the action (url_action)
or to the address itself when the action is a web address."""

from __future__ import annotations

import html
import re
from typing import Any

from offstage.engine.seek import Bindings
from offstage.interview import QuestionBlock

COLORS = frozenset({"primary", "secondary", "success", "danger", "warning", "info", "light", "link", "dark"})
_WEB_ADDRESS = ("http://", "https://", "/", "?")
_ICON_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


class ActionButtonsInvalid(ValueError):
    """`action buttons` is not a list of buttons each with a label and an action."""


def action_buttons(ev: Any, block: QuestionBlock, bindings: Bindings) -> list[dict[str, Any]]:
    """The question's action buttons as the page draws them: label (HTML), url, color, css class, placement."""
    spec = block.data.get("action buttons")
    if spec is None:
        return []
    if isinstance(spec, dict) and "code" in spec:
        spec = ev.evaluate_bound(str(spec["code"]), bindings)
    if not isinstance(spec, list):
        raise ActionButtonsInvalid(f"`action buttons` in {block.describe()} must be a list of buttons "
                                   "(each with a label and an action) or a dict with `code`.")
    return [button for item in spec if (button := _button(ev, block, bindings, item)) is not None]


def _button(ev: Any, block: QuestionBlock, bindings: Bindings, item: Any) -> dict[str, Any] | None:
    if not isinstance(item, dict) or "label" not in item or "action" not in item:
        raise ActionButtonsInvalid(f"Each of the `action buttons` in {block.describe()} needs a `label` "
                                   "and an `action`.")
    shown_if = item.get("show if")
    if shown_if is not None and not (shown_if if isinstance(shown_if, bool)
                                     else ev.evaluate_bound(str(shown_if), bindings)):
        return None

    def text(key: str, default: str = "") -> str:
        value = item.get(key)
        return default if value is None else str(ev.render(str(value))).strip()

    from offstage.text import markdown_to_html

    label = markdown_to_html(text("label"), trim=True)
    icon = text("icon").removeprefix("fa-")
    if icon and _ICON_NAME.fullmatch(icon):
        label = f'<i class="fas fa-{icon}" aria-hidden="true"></i> {label}'
    color = text("color", "primary")
    return {"label": label, "url": _address(ev, text("action"), item.get("arguments")),
            "color": color if color in COLORS else "primary", "css_class": html.escape(text("css class")),
            "placement": "before" if text("placement") == "before" else "after",
            "new_window": bool(item.get("new window"))}


def _address(ev: Any, action: str, arguments: Any) -> str:
    if action.lower().startswith(_WEB_ADDRESS):
        return action
    from offstage.engine.functions import url_action

    given = arguments if isinstance(arguments, dict) else {}
    return url_action(action, **{str(k): ev.render(v) if isinstance(v, str) else v for k, v in given.items()})
