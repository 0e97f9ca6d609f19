"""The Add, Edit and Delete buttons of a group (`x.add_action()`, `x.item_actions(...)`, a table's
Actions column): links to the engine's group actions, in the markup docassemble's pages use.

The actions themselves (`_da_list_add`, `_da_list_remove`, `_da_list_edit` and the dict ones) are run by
offstage.engine.group_actions; here only their links are made, through the evaluation running now.
"""

from __future__ import annotations

import html
from typing import Any

from offstage.context import current

COLORS = frozenset({"primary", "secondary", "tertiary", "success", "danger", "warning", "info", "light", "dark"})


def action_url(action: str, **arguments: Any) -> str:
    return str(current().evaluator.action_url(action, arguments))


def _kind(group: Any) -> str:
    """'list' or 'dict': the word docassemble's action names and arguments use."""
    return "dict" if isinstance(getattr(group, "elements", None), dict) else "list"


def add_action(group: Any, label: str | None = None, message: str | None = None, url_only: bool = False,
               icon: str = "plus-circle", color: str | None = None, size: str = "sm",
               block: bool | None = None, classname: str | None = None) -> str:
    """A button (or with url_only its URL) that adds one item to the group."""
    kind = _kind(group)
    url = action_url(f"_da_{kind}_add", **{kind: group.instanceName})
    if url_only:
        return url
    text = label if label is not None else message
    if text is None:
        text = "Add another" if len(group.elements) else "Add an item"
    color = color if color in COLORS else ("secondary" if color is None else "success")
    classes = "btn" + {"sm": " btn-sm", "md": "", "lg": " btn-lg"}.get(size, " btn-sm") + f" btn-{color}"
    classes += " btn-block" if block else ""
    classes += f" {html.escape(str(classname), quote=True)}" if classname else ""
    icon_html = f'<i class="fa-solid fa-{html.escape(str(icon), quote=True)}" aria-hidden="true"></i> ' if icon else ""
    return f'<a href="{html.escape(url, quote=True)}" class="{classes}">{icon_html}{html.escape(str(text))}</a>'


def item_actions(group: Any, item: Any, index: Any, *follow: str, edit: bool = True, delete: bool = True,
                 confirm: bool = False, read_only_attribute: str | None = None,
                 edit_url_only: bool = False, delete_url_only: bool = False, reorder: bool = False) -> str:
    """The Edit and Delete buttons of one item (after its up and down arrows with `reorder`). Edit asks
    again the `follow` attributes of the item (all of it when none are given); Delete removes it, unless
    the group would go below its minimum."""
    kind = _kind(group)
    if read_only_attribute is not None:
        flag = getattr(item, read_only_attribute)
        if isinstance(flag, bool):
            edit, delete = edit and not flag, delete and not flag
        elif hasattr(flag, "get"):
            edit, delete = bool(flag.get("edit", True)), bool(flag.get("delete", True))
    names = [_item_name(group, index) + ("" if each.startswith("[") else ".") + each for each in follow] \
        or [_item_name(group, index)]
    edit_url = action_url(f"_da_{kind}_edit", group=group.instanceName, items=names)
    delete_url = action_url(f"_da_{kind}_remove", **{kind: group.instanceName}, item=repr(index))
    if edit_url_only:
        return edit_url
    if delete_url_only:
        return delete_url
    minimum = getattr(group, "minimum_number", None)
    can_delete = delete and not (minimum is not None and len(group.elements) <= minimum)
    out = reorder_buttons(group, index) if reorder else ""
    if edit:
        out += (f'<a href="{html.escape(edit_url, quote=True)}" role="button" class="btn btn-sm btn-secondary '
                'btn-darevisit"><span class="text-nowrap"><i class="fas fa-pencil-alt" aria-hidden="true"></i> '
                'Edit</span></a> ')
    if can_delete:
        sure = " daremovebutton" if confirm else ""
        out += (f'<a href="{html.escape(delete_url, quote=True)}" role="button" class="btn btn-sm btn-danger '
                f'btn-darevisit{sure}"><span class="text-nowrap"><i class="fas fa-trash" '
                'aria-hidden="true"></i> Delete</span></a>')
    return out


def reorder_buttons(group: Any, index: Any) -> str:
    """The up and down arrows of an item of a table that allows reordering (docassemble's `datableup` /
    `databledown`): links to the engine's reorder action; the first item has no up, the last no down."""
    kind = _kind(group)
    keys = list(group.elements) if kind == "dict" else list(range(len(group.elements)))
    position = keys.index(index) if index in keys else -1
    out = ""
    for direction, shown, can in (("up", "Move up", position > 0),
                                  ("down", "Move down", 0 <= position < len(keys) - 1)):
        if not can:
            continue
        url = action_url(f"_da_{kind}_reorder", **{kind: group.instanceName}, item=repr(index), direction=direction)
        out += (f'<a href="{html.escape(url, quote=True)}" role="button" class="btn btn-sm btn-info '
                f'btn-darevisit datable{direction}" title="Reorder by moving {direction}">'
                f'<i class="fa-solid fa-arrow-{direction}" aria-hidden="true"></i>'
                f'<span class="visually-hidden">{shown}</span></a> ')
    return out


def _item_name(group: Any, index: Any) -> str:
    return f"{group.instanceName}[{index!r}]"
