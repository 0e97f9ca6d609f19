"""The actions behind a group's Add, Edit and Delete buttons (docassemble's `_da_list_add` & co.).

A button's link carries the action and the group's name; the name is read with the name grammar, never
evaluated. Add and Delete change the group once, then leave a completion action (`_da_list_complete`)
that gathers the group again until it is complete: that one is safe to repeat, so it is what stays on
the session's action stack while its questions are asked. Edit asks the item's listed attributes again
(force-asked, their answers shown), then completes the group the same way.
"""

from __future__ import annotations

import ast
import logging
from typing import Any

from offstage.engine import signals, varpath
from offstage.errors import BadRequest

log = logging.getLogger(__name__)

CHANGES = frozenset({"_da_list_add", "_da_dict_add", "_da_list_remove", "_da_dict_remove",
                     "_da_list_edit", "_da_dict_edit", "_da_list_reorder", "_da_dict_reorder"})
COMPLETIONS = frozenset({"_da_list_complete", "_da_dict_complete", "_da_list_ensure_complete",
                         "_da_dict_ensure_complete"})
ACTIONS = CHANGES | COMPLETIONS
_MAX_KEY = 200  # characters of an item key in a link (a repr of an index or a dict key)


def check(action: str, arguments: dict[str, Any], answers: dict[str, Any]) -> None:
    """Refuse (BadRequest), before anything runs, a link that does not name one of the session's groups
    and, for Delete and Edit, an item of it: the names are read with the name grammar, never evaluated."""
    from offstage.library.objects import _Group

    try:
        group = varpath.get(varpath.parse_name(_group_name(arguments)), answers)
    except (varpath.NotAName, *_MISSING):
        raise BadRequest("The button's link does not name a list or dictionary of this interview.") from None
    if not isinstance(group, _Group):
        raise BadRequest("The button's link does not name a list or dictionary of this interview.")
    if action.endswith("_remove"):
        _key(arguments.get("item"))
    if action.endswith("_edit"):
        _follow_names(group, arguments)
    if action.endswith("_reorder"):
        _move_target(group, arguments)


_MISSING = (NameError, AttributeError, KeyError, IndexError, TypeError)


def _group_name(arguments: dict[str, Any]) -> str:
    name = arguments.get("list", arguments.get("dict", arguments.get("group")))
    if not isinstance(name, str):
        raise BadRequest("The button's link does not name a list or dictionary.")
    return varpath.parse_name(name).spelling


def _group(ev: Any, arguments: dict[str, Any]) -> Any:
    from offstage.library.objects import _Group

    name = _group_name(arguments)
    found = ev.evaluate_name(name)
    if not isinstance(found, _Group):
        raise BadRequest(f"{varpath.shown(name)} is not a list or dictionary the interview gathers.")
    return found


def _key(text: Any) -> Any:
    """The item of a Delete link: the repr of a list index or a dict key (a literal, never evaluated)."""
    if not isinstance(text, str) or len(text) > _MAX_KEY:
        raise BadRequest("The button's link does not name an item.")
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        raise BadRequest("The button's link does not name an item.") from None


def change(ev: Any, action: str, arguments: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Apply Add / Delete / Edit once; the completion action that follows it."""
    group = _group(ev, arguments)
    kind = "dict" if isinstance(group.elements, dict) else "list"
    completion = (f"_da_{kind}_complete", {kind: group.instanceName})
    if action.endswith("_remove"):
        _remove(group, _key(arguments.get("item")))
    elif action.endswith("_reorder"):
        _move(group, arguments)
    elif action.endswith("_add"):
        _add(group)
    else:
        _edit(ev, group, arguments, completion)
    return completion


def _remove(group: Any, key: Any) -> None:
    try:
        group.elements.pop(key)
    except (IndexError, KeyError, TypeError):  # a stale button (the item went already): nothing to remove
        log.info("group action: %s has no item %r to remove", group.instanceName, key)
        return
    attributes = group.__dict__
    if not group.elements and "there_are_any" in attributes:
        group.there_are_any = False
    if attributes.get("there_is_another"):
        del group.there_is_another
    if group.ask_number and int(attributes.get("target_number", 0) or 0) > 0:
        group.target_number = int(group.target_number) - 1


def _move_target(group: Any, arguments: dict[str, Any]) -> tuple[int, int]:
    """(position of the item, position it moves to) of an up/down button: the item must be in the group
    and the move must stay inside it, else the link is forged or stale (BadRequest, nothing changes)."""
    key, direction = _key(arguments.get("item")), arguments.get("direction")
    if direction not in ("up", "down"):
        raise BadRequest("The reorder button's link must move its item up or down.")
    keys = list(group.elements) if isinstance(group.elements, dict) else list(range(len(group.elements)))
    try:
        here = keys.index(key) if not isinstance(key, bool) else -1
    except ValueError:
        here = -1
    there = here + (-1 if direction == "up" else 1)
    if here < 0 or not 0 <= there < len(keys):
        raise BadRequest("The reorder button's link names no item that can move that way.")
    return here, there


def _move(group: Any, arguments: dict[str, Any]) -> None:
    """Swap the item with its neighbour above or below (a dict keeps its keys, in the new order)."""
    here, there = _move_target(group, arguments)
    elements = group.elements
    if isinstance(elements, dict):
        pairs = list(elements.items())
        pairs[here], pairs[there] = pairs[there], pairs[here]
        elements.clear()
        elements.update(pairs)
    else:
        elements[here], elements[there] = elements[there], elements[here]
        _rename(group, elements[here], there, here)
        _rename(group, elements[there], here, there)


def _rename(group: Any, item: Any, old: int, new: int) -> None:
    """A list's item named after its place (`fruit[0]`) takes its new place's name, so that what is asked
    about it later is asked under the right name."""
    old_name = f"{group.instanceName}[{old}]"
    if getattr(item, "instanceName", None) == old_name and hasattr(item, "fix_instance_name"):
        item.fix_instance_name(old_name, f"{group.instanceName}[{new}]")


def _add(group: Any) -> None:
    """Open the group again for exactly one more item (with no item yet: for a first one)."""
    attributes = group.__dict__
    was_gathered = bool(attributes.get("gathered"))
    group.was_gathered = was_gathered
    if was_gathered:
        group.reset_gathered()
    if group.ask_number:
        if "target_number" in attributes:
            group.target_number = int(group.target_number) + 1
    elif was_gathered:
        group.there_is_another = False
        group.there_is_one_other = True
    else:
        group.there_is_another = True
    if not group.ask_number:
        group.there_are_any = True


def _edit(ev: Any, group: Any, arguments: dict[str, Any], completion: tuple[str, dict[str, Any]]) -> None:
    """Ask the listed names again (each must be an item of the group, or an attribute of one)."""
    wanted = _follow_names(group, arguments)
    _forget_completeness(ev, group, wanted[0])
    if ev.persist_actions:
        ev.internal.setdefault("event_stack", []).append({"action": completion[0], "arguments": completion[1]})
    ev.queue_forced(wanted[1:])
    raise signals.SeekName(wanted[0], force=True)


def _forget_completeness(ev: Any, group: Any, asked: str) -> None:
    """With `complete_attribute='complete'`, an edited item's `.complete` is undefined so that its code
    runs again after the edit (docassemble's rule: the item's completeness is recomputed, which may ask
    more, e.g. a follow-up that the new answer calls for)."""
    if getattr(group, "complete_attribute", None) != "complete":
        return
    depth = len(varpath.parse_name(group.instanceName).steps) + 1
    item = ev.evaluate_name(varpath.parse_name(asked).prefix(depth).spelling)
    if "complete" in getattr(item, "__dict__", {}):
        del item.complete


def _follow_names(group: Any, arguments: dict[str, Any]) -> list[str]:
    """The names an Edit link asks again: each an item of the group or an attribute of one."""
    names = arguments.get("items")
    if not isinstance(names, list) or not names or len(names) > 50:
        raise BadRequest("The Edit button's link does not name what to ask again.")
    prefix = group.instanceName + "["
    wanted = []
    for name in names:
        try:
            spelled = varpath.parse_name(name).spelling if isinstance(name, str) else ""
        except varpath.NotAName:
            spelled = ""
        if not spelled.startswith(prefix):
            raise BadRequest(f"The Edit button may only ask about items of {group.instanceName}.")
        wanted.append(spelled)
    return wanted


def complete(ev: Any, arguments: dict[str, Any]) -> None:
    """Gather the group until complete (asking what is missing), each item's complete attribute too.
    A group gone meanwhile (undefined by the interview's code) leaves nothing to complete."""
    from offstage.library.objects import _Group

    name = _group_name(arguments)
    group = ev.evaluate_name(name) if ev.is_defined(name) else None
    if not isinstance(group, _Group):
        log.info("group action: %s is no longer a group; nothing to complete", name)
        return
    for item in list(group._items()):
        group._complete(item)
    if group.auto_gather:
        group.gather()
    else:
        group.gathered = True
