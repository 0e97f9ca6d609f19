"""The parts of a question a user answers: fields, choices and buttons."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from offstage.interview.errors import Origin, invalid

# Modifiers a field item may carry besides its `label: variable` pair (kept even when not acted on).
FIELD_KEYS = frozenset({
    "datatype", "required", "hint", "help", "default", "choices", "code", "exclude", "none of the above",
    "shuffle", "show if", "hide if", "js show if", "js hide if", "enable if", "disable if", "js enable if",
    "js disable if", "input type", "min", "max", "minlength", "maxlength", "step", "scale", "inline width",
    "label", "field", "note", "html", "raw html", "css class", "validate", "validation messages",
    "address autocomplete", "disable others", "uncheck others", "check others", "all of the above",
    "object labeler", "image generator", "under text", "label above field", "floating label", "grid", "item grid", "rows",
    "file css class", "accept", "maximum image size", "image upload type", "persistent", "private",
    "allow privileges", "allow users", "currency symbol", "object type", "help generator", "image",
    "permissions", "disabled", "pen color", "inline",
    "action", "trigger at",  # of `input type: ajax`: the action the page asks for suggestions
})

# docassemble's own datatypes; any other names a CustomDataType of the interview's modules, whose extra
# field keys (its parameters) are only known once the modules are imported
BUILT_IN_DATATYPES = frozenset({
    "text", "area", "password", "email", "url", "number", "integer", "float", "currency", "range", "date", "time",
    "datetime", "file", "files", "camera", "user", "environment", "camcorder", "microphone", "yesno", "noyes",
    "yesnowide", "noyeswide", "yesnoradio", "noyesradio", "yesnomaybe", "noyesmaybe", "checkboxes", "multiselect",
    "radio", "dropdown", "combobox", "object", "object_radio", "object_multiselect", "object_checkboxes", "ml",
    "mlarea", "raw", "hidden", "signature", "code",
})

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")

# A button whose value is one of these does something instead of setting a variable.
SPECIAL_BUTTONS = frozenset({"continue", "refresh", "exit", "restart", "leave", "signin", "new_session",
                             "logout", "exit_logout"})


# Keys a choice or button item may carry beside its `label: value` pair.
CHOICE_KEYS = ("image", "help", "default", "css class", "color", "show if", "url", "group", "key")


@dataclass
class Choice:
    label: str
    value: Any
    special: bool = False  # a special button (refresh, exit, ...)
    default: bool = False  # ticked / chosen when the screen first shows
    help: str | None = None
    show_if: Any = None  # Python text: the item is offered only when it holds
    url: str | None = None  # a button that opens a link instead of answering
    code: str | None = None  # an item whose choice runs code (which defines the variables)
    embedded: dict[str, Any] | None = None  # an item whose choice asks an embedded question (its YAML)


@dataclass
class Field:
    label: str | None
    variable: str | None
    datatype: str = "text"
    input_type: str | None = None
    choices: list[Choice] | None = None
    choices_code: str | None = None
    default: Any = None
    required: Any = True
    hint: str | None = None
    min: Any = None
    max: Any = None
    note: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)  # every other modifier, kept for the page
    from_code: str | None = None  # `- code: expr`: fields computed when the question is shown or answered


def parse_choices(raw: Any, origin: Origin, what: str) -> list[Choice]:
    """YAML choices: `- Label: value`, `- plain`, or {label:, value:} items; a mapping is label -> value."""
    if isinstance(raw, dict):
        raw = [{k: v} for k, v in raw.items()]
    if not isinstance(raw, list):
        raise invalid(origin, f"{what} must be a list, not {type(raw).__name__}")
    choices = []
    for item in raw:
        if isinstance(item, dict) and "label" in item and ("value" in item or "code" in item):
            choices.append(_choice(str(item["label"]), item.get("value", item["label"]), item, origin, what))
        elif isinstance(item, dict):
            extra = {k: v for k, v in item.items() if k not in CHOICE_KEYS}
            if len(extra) != 1:
                raise invalid(origin, f"each item of {what} must be 'label: value', got {sorted(item)}")
            (label, value), = extra.items()
            if isinstance(value, dict) and set(value) == {"code"}:  # `- Label: {code: ...}` runs code
                choices.append(_choice(str(label), str(label), {**item, **value}, origin, what))
            elif isinstance(value, dict) and "question" in value:  # `- Label: {question: ...}` embeds one
                choices.append(Choice(str(label), str(label), embedded=value))
            else:
                choices.append(_choice(str(label), value, item, origin, what))
        elif isinstance(item, (str, int, float, bool)):
            choices.append(Choice(str(item), item))
        else:
            raise invalid(origin, f"cannot understand the item {item!r} of {what}")
    return choices


def _choice(label: str, value: Any, item: dict[str, Any], origin: Origin, what: str) -> Choice:
    code = item.get("code")
    if code is not None and not isinstance(code, str):
        raise invalid(origin, f"the code of {label!r} in {what} must be Python text")
    for key in ("help", "url"):
        if item.get(key) is not None and not isinstance(item[key], str):
            raise invalid(origin, f"the {key} of {label!r} in {what} must be text")
    return Choice(label, value, default=bool(item.get("default")), help=item.get("help"),
                  show_if=item.get("show if"), url=item.get("url"), code=code)


def parse_buttons(raw: Any, origin: Origin, has_field: bool) -> list[Choice]:
    buttons = parse_choices(raw, origin, "buttons")
    for button in buttons:
        button.special = not has_field and isinstance(button.value, str) and button.value in SPECIAL_BUTTONS
    return buttons


def parse_fields(raw: Any, origin: Origin) -> list[Field]:
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        raise invalid(origin, f"fields must be a list, not {type(raw).__name__}")
    return [_parse_field(item, origin) for item in raw]


def _label_and_variable(item: dict[str, Any], origin: Origin) -> tuple[Any, Any]:
    """A field item's label and variable, in either of docassemble's forms (`Label: var`, `field:`)."""
    pairs = [k for k in item if k not in FIELD_KEYS]
    if _custom_datatype(item):  # keys past the label's pair are the datatype's parameters (_parse_field)
        pairs = [] if "field" in item else pairs[:1]
    if "field" in item:
        if pairs:
            raise invalid(origin, f"unknown key {pairs[0]!r} in a field")
        return item.get("label"), item["field"]
    if len(pairs) == 1:
        return pairs[0], item[pairs[0]]
    if not pairs and ("note" in item or "html" in item or "raw html" in item):
        return None, None
    if not pairs:
        raise invalid(origin, f"a field needs a 'Label: variable' pair, got {sorted(item)}")
    raise invalid(origin, f"unknown key {pairs[1]!r} in the field for {pairs[0]!r}")


def _custom_datatype(item: dict[str, Any]) -> bool:
    datatype = item.get("datatype")
    return isinstance(datatype, str) and datatype not in BUILT_IN_DATATYPES


def _field_choices(item: dict[str, Any], datatype: str) -> tuple[Any, Any]:
    """The field's listed choices and its choices code; object choices may name their list or objects."""
    raw_choices = item.get("choices")
    code = item.get("code")
    if isinstance(raw_choices, str) and code is None:  # object choices name their list: `choices: people`
        return None, raw_choices
    if datatype.startswith("object") and isinstance(raw_choices, list) and raw_choices and code is None \
            and all(isinstance(c, str) and _NAME.match(c.strip()) for c in raw_choices):
        # object choices listed by name (`- client`): the objects themselves, as `code:` choices give them
        return None, "[" + ", ".join(c.strip() for c in raw_choices) + "]"
    return raw_choices, code


def _parse_field(item: Any, origin: Origin) -> Field:
    if not isinstance(item, dict):
        raise invalid(origin, f"each item of fields must be a mapping, got {item!r}")
    if set(item) == {"code"}:
        if not isinstance(item["code"], str):
            raise invalid(origin, "the code of fields given by code must be a Python expression")
        return Field(None, None, datatype="code", from_code=item["code"])
    label, variable = _label_and_variable(item, origin)
    if variable is not None and not isinstance(variable, str):
        raise invalid(origin, f"the variable of field {label!r} must be a name, got {variable!r}")
    datatype = item.get("datatype", "text")
    if not isinstance(datatype, str):
        raise invalid(origin, f"datatype of field {label!r} must be text")
    raw_choices, code = _field_choices(item, datatype)
    choices = parse_choices(raw_choices, origin, "choices") if raw_choices is not None else None
    if code is not None and not isinstance(code, str):
        raise invalid(origin, f"code of field {label!r} must be Python text")
    known = {"datatype", "choices", "code", "default", "required", "hint", "min", "max", "input type",
             "label", "field", "note"}
    return Field(
        label=None if label is None else str(label), variable=variable, datatype=datatype,
        input_type=item.get("input type"), choices=choices, choices_code=code,
        default=item.get("default"), required=item.get("required", True), hint=item.get("hint"),
        min=item.get("min"), max=item.get("max"), note=item.get("note") or item.get("html"),
        extras={k: v for k, v in item.items() if k in FIELD_KEYS and k not in known} | _custom_parameters(item))


def _custom_parameters(item: dict[str, Any]) -> dict[str, Any]:
    """A custom datatype's own field keys (`alMonthLabel: ...`): every key besides the label's pair."""
    if not _custom_datatype(item):
        return {}
    own = [k for k in item if k not in FIELD_KEYS][0 if "field" in item else 1:]
    return {"custom parameters": {k: item[k] for k in own}} if own else {}


def parse_field(item: Any, origin: Origin) -> Field:
    """One field item (as YAML gives it, or as fields given by code compute it)."""
    return _parse_field(item, origin)
