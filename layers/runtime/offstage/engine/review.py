"""`review:` screens: each item a link that asks its variable again (then comes back here) beside the
item's `button` text; `note` / `html` items as text; Resume (the screen's Continue) ends the event."""

from __future__ import annotations

from typing import Any

from offstage.engine.seek import Bindings
from offstage.text import escape, markdown_to_html

_ITEM_KEYS = frozenset({"button", "note", "html", "show if", "help", "css class", "field", "fields"})


def review_html(ev: Any, block_id: str, items: list[Any], bindings: Bindings, tabular: Any = None) -> str:
    """The review items as HTML, in order; an item whose `show if` is false is left out. With `tabular`
    (True, or the table's CSS classes) the items are the rows of a table, as docassemble draws them:
    the item's text beside its link, its note in a third column."""
    from offstage.engine.functions import url_action

    table_class = _table_class(ev, tabular)
    parts: list[str] = []
    for place, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        try:  # docassemble leaves out an item that needs an answer not given yet (`skip undefined`)
            parts.append(_item(ev, item, bindings, url_action, block_id, place, table_class is not None))
        except _MISSING:
            continue
    if table_class is None or not any(parts):
        return "".join(parts)
    return f'<table class="da-review-tabular {escape(table_class)}"><tbody>{"".join(parts)}</tbody></table>'


_MISSING = (NameError, AttributeError, KeyError, IndexError)


def _table_class(ev: Any, tabular: Any) -> str | None:
    """`tabular: True` is docassemble's borderless table; a text names the table's classes (a template)."""
    if not tabular:
        return None
    if isinstance(tabular, str):
        return " ".join(ev.render(tabular).split()) or "table table-borderless"
    return "table table-borderless"


def _item(ev: Any, item: dict[str, Any], bindings: Bindings, url_action: Any, block_id: str, place: int,
          rows: bool = False) -> str:
    shown = item.get("show if")
    if isinstance(shown, list):  # variable names: shown once every one of them is defined
        if not all(ev.is_defined(bindings.apply(str(name).strip())) for name in shown):
            return ""
    elif shown is not None and not (shown if isinstance(shown, bool) else ev.evaluate_bound(str(shown), bindings)):
        return ""
    notes = [markdown_to_html(ev.render(str(item[key]))) for key in ("note", "html") if item.get(key) is not None]
    link = _link(ev, item, bindings, url_action, block_id, place)
    text = "".join(markdown_to_html(ev.render(str(item[key]))) for key in ("button", "help")
                   if item.get(key) is not None)
    if rows:
        return _rows(link, text, notes)
    texts = [f'<div class="da-review-{key}">{note}</div>'
             for key, note in zip([k for k in ("note", "html") if item.get(k) is not None], notes, strict=True)]
    if link or text:
        texts.append(f'<div class="da-review-item">{link}{text}</div>')
    return "".join(texts)


def _rows(link: str, text: str, notes: list[str]) -> str:
    """An item's table row: its text, then its link, then its note; a note alone spans the row."""
    side = "".join(notes)
    if not link and not text:
        return f'<tr class="da-review da-review-note"><td colspan="2">{side}</td></tr>' if side else ""
    side_cell = f'<td class="da-side-note-tabular">{side}</td>' if side else ""
    if not text:
        return f'<tr class="da-review da-review-label"><td colspan="2">{link}</td>{side_cell}</tr>'
    return f'<tr class="da-review da-review-button-tabular"><td>{text}</td><td>{link}</td>{side_cell}</tr>'


def _link(ev: Any, item: dict[str, Any], bindings: Bindings, url_action: Any, block_id: str, place: int) -> str:
    """`Label: variable` (or `field: variable` with `label:`): a link that asks the variable again."""
    labels = [key for key in item if key not in _ITEM_KEYS and key != "label"]
    if item.get("field") is not None or item.get("fields") is not None:
        label, target = str(item.get("label") or "Edit"), item.get("field", item.get("fields"))
    elif labels:
        label, target = labels[0], item[labels[0]]
    else:
        return ""
    if isinstance(target, list) and target and all(_askable(entry) for entry in target):
        from offstage.engine.ask_links import FORCE_ASK  # variables: each asked again, in order

        href = url_action(FORCE_ASK, variables=[bindings.apply(name) for name in names_of(target)])
    elif isinstance(target, list):  # actions (undefine, recompute ...), found again by the item's place
        href = url_action(APPLY, block=block_id, item=place)
    else:
        href = url_action(bindings.apply(str(target).strip()))
    return (f'<a href="{escape(href)}" class="btn btn-sm btn-secondary da-review-edit">'
            f"{markdown_to_html(ev.render(label), trim=True)}</a> ")


# An item given as a list of actions (`undefine`, `invalidate`, `set`, `recompute`) links to APPLY with the
# question's id and the item's place: the names come from the interview, never from the link. APPLY runs
# once; RECOMPUTE stays on the action stack while the recomputed names' questions are asked.
APPLY = "_da_review_apply"
FOLLOW_UP = "follow_up"  # marks a `follow up` name on the action stack (asked only if a question applies)
RECOMPUTE = "_da_review_recompute"
ACTIONS = frozenset({APPLY, RECOMPUTE})
_STEPS = ("undefine", "invalidate", "set", "recompute", "follow up")


def check(interview: Any, arguments: dict[str, Any]) -> None:
    """Refuse (BadRequest) a link that does not name a review item with actions."""
    _steps(interview, arguments)


def _steps(interview: Any, arguments: dict[str, Any]) -> list[dict[str, Any]]:
    from offstage.errors import BadRequest

    block = next((b for b in interview.blocks if b.id == arguments.get("block")), None)
    items = block.data.get("review") if block is not None else None
    place = arguments.get("item")
    item = items[place] if isinstance(items, list) and isinstance(place, int) and 0 <= place < len(items) else None
    target = None
    if isinstance(item, dict):
        target = item.get("field", item.get("fields")) or \
            next((value for key, value in item.items() if key not in _ITEM_KEYS and key != "label"), None)
    if not isinstance(target, list):
        raise BadRequest("The link does not name an item of a review screen.")
    return [step for step in target if isinstance(step, dict) and set(step) <= set(_STEPS)] + \
        [{"ask": step} for step in target if isinstance(step, str)]


def apply(ev: Any, arguments: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Undefine (or invalidate) and set what the item lists, and the names it recomputes; then RECOMPUTE."""
    steps = _steps(ev.interview, arguments)
    for step in steps:
        for name in _names(step.get("undefine")) + _names(step.get("invalidate")) + _names(step.get("recompute")):
            ev.undefine(name)
        for assignment in step.get("set") or []:
            for name, value in (assignment.items() if isinstance(assignment, dict) else ()):
                ev.assign(str(name), value)
    asked = [str(step["ask"]).strip() for step in steps if "ask" in step]
    if asked:  # the item's variables, asked again in order (as url_ask's link does), then the follow-ups
        from offstage.engine import signals

        ev.queue_forced([name for step in steps for name in _names(step.get("follow up"))], {FOLLOW_UP: True})
        ev.queue_forced(asked[1:])
        raise signals.SeekName(asked[0], force=True)
    return RECOMPUTE, {"block": arguments["block"], "item": arguments["item"]}


def follow_up(ev: Any, name: str) -> None:
    """A `follow up` variable: asked again if a question for it applies now (its `if` holds), else left."""
    from offstage.engine.evaluate import Undefined

    try:
        ev.seek(name, force=True)
    except Undefined as missing:
        if missing.name != name:
            raise


def recompute(ev: Any, arguments: dict[str, Any]) -> None:
    """Seek each recomputed name (MISSING propagates: the engine asks for it and comes back)."""
    for step in _steps(ev.interview, arguments):
        for name in _names(step.get("recompute")):
            ev.evaluate_name(name)


def _askable(entry: Any) -> bool:
    """A variable to ask again, or a `recompute` list (a `follow up` makes the item an APPLY link)."""
    return isinstance(entry, str) or (isinstance(entry, dict) and bool(entry) and set(entry) <= {"recompute"})


def names_of(target: list[Any]) -> list[str]:
    """The names a review item's list asks again, in order (`follow up` names are not among them)."""
    from offstage.engine.ask_links import names_of as asked

    return asked([e if isinstance(e, str) else {"recompute": _names(e.get("recompute"))} for e in target
                  if isinstance(e, str) or e.get("recompute")])


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(name).strip() for name in (value if isinstance(value, list) else [value])]
