"""Answers posted to a question: convert each value by its datatype and validate, all or nothing."""

from __future__ import annotations

import contextlib
import datetime as _dt
import re
from collections.abc import Callable
from typing import Any

from offstage.documents.uploads import FILE_DATATYPES, SIGNATURE, Pending, Refused, Upload, from_data_url
from offstage.engine.seek import Bindings
from offstage.interview import Choice, Field, QuestionBlock
from offstage.text.sanitize import strip_tags

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TRUE = {"true", "1", "on", "yes", "y", "t"}
_FALSE = {"false", "0", "off", "no", "n", "f", ""}
REQUIRED = "This field is required."
# Answers of these datatypes keep their HTML (docassemble's `raw`; a password is a secret, never shown);
# every other text an answer holds is stripped of tags when posted.
KEEPS_HTML = ("raw", "password")
_OPTIONAL_KEYS = ("show if", "hide if", "js show if", "js hide if", "enable if", "disable if",
                  "js enable if", "js disable if")


class Invalid(Exception):
    """A posted value refused; `kind` is docassemble's name of the rule (required, min, max ...) by which
    an interview's `default validation messages` or a field's `validation messages` replace the text."""

    def __init__(self, message: str, kind: str | None = None, value: Any = None) -> None:
        super().__init__(message)
        self.kind, self.value = kind, value


def message_of(exc: Invalid, own: Any, messages: dict[str, str] | None) -> str:
    """The text of a refusal: the field's own `validation messages`, else the interview's defaults."""
    for found in (own if isinstance(own, dict) else {}, messages or {}):
        if exc.kind and exc.kind in found:
            text = str(found[exc.kind]).strip()
            return text.replace("%s", str(exc.value)) if exc.value is not None else text
    return str(exc)


ChoicesOf = Callable[[Field, dict[str, Any]], list[Any]]


def _offered_by_code(code: str, choices_of: ChoicesOf | None, values: dict[str, Any]) -> list[Choice]:
    """The question's choices given by code, computed now with the other answers in place."""
    if choices_of is None:
        raise Invalid("The options of this question cannot be checked.")
    try:
        offered = choices_of(Field(None, None, choices_code=code), values)
    except Exception:  # noqa: BLE001 - choices that cannot be computed now cannot be chosen from
        raise Invalid("The options of this question are not available; please try again.") from None
    return [Choice(str(v), v) for v in offered]


def collect(block: QuestionBlock, bindings: Bindings, posted: dict[str, Any], raw: bool,
            button: str | None, required: dict[str, bool] | None = None,
            choices_of: ChoicesOf | None = None,
            messages: dict[str, str] | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """(values to set by variable name, errors by variable name); nothing is set here.

    `choices_of(field, values)` gives the values a field with `code:` choices offers, computed now with
    the question's other answers (`values`) in place, since a check-in may have changed them on the page
    (country -> states). A posted value outside them is an error, as for `choices:`; without
    `choices_of` such a field is refused. Those fields are taken last, after the others.
    """
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    ordered = sorted((f for f in block.fields if f.variable), key=lambda f: bool(f.choices_code))
    disabled = disabled_by_others(block, bindings, posted)
    not_answering = _not_answering(block, bindings, posted)
    for spec in ordered:
        assert spec.variable is not None  # the fields without one were filtered out above  # noqa: S101 - narrows the type for mypy; the code above guarantees it
        variable = bindings.apply(spec.variable)
        if variable not in disabled and id(spec) not in not_answering:
            _one_field(spec, variable, posted, raw, (required or {}).get(variable, spec.required is True),
                       choices_of, messages, values, errors)
    for name, choices in ((block.yesno, None), (block.noyes, None), (block.field, block.buttons or block.choices)):
        if not name:
            continue
        variable = bindings.apply(name)
        try:
            code = block.choices_code or block.buttons_code
            if name == block.field and code:  # choices given by code: offered now, as for a field's
                choices = _offered_by_code(code, choices_of, values)
            values[variable] = _single_choice(block, name, choices, posted.get(variable, button))
        except Invalid as exc:
            errors[variable] = str(exc)
    if block.continue_field and not errors:
        values[bindings.apply(block.continue_field)] = True
    return values, errors


def _one_field(spec: Field, variable: str, posted: dict[str, Any], raw: bool, is_required: bool,
               choices_of: ChoicesOf | None, messages: dict[str, str] | None, values: dict[str, Any],
               errors: dict[str, str]) -> None:
    """One field's posted answer into `values`, or its refusal into `errors`."""
    if variable not in posted and _offers_nothing(spec, choices_of, values):
        values[variable] = empty_answer(spec, variable)  # not shown: nothing to choose from
        return
    try:
        wanted = variable in posted or (spec.datatype or "").lower() == "checkboxes"
        options = _options(spec, choices_of, values) if wanted else None
        present, val = _field_value(spec, posted, variable, raw, is_required, options)
    except Invalid as exc:
        errors[variable] = message_of(exc, spec.extras.get("validation messages"), messages)
        return
    if present:
        values[variable] = val


def disabled_by_others(block: QuestionBlock, bindings: Bindings, posted: dict[str, Any]) -> set[str]:
    """The fields a `disable others` field turns off: when it is answered, the others (all of them, or
    those it lists), which docassemble's page disables and does not post; when it is left empty, itself."""
    disabled: set[str] = set()
    for spec in block.fields:
        setting = spec.extras.get("disable others")
        if not setting or not spec.variable:
            continue
        variable = bindings.apply(spec.variable)
        if str(posted.get(variable) or "").strip() == "":
            disabled.add(variable)
            continue
        listed = {str(name) for name in setting} if isinstance(setting, list) else None
        disabled.update(name for f in block.fields if f.variable and f is not spec
                        and (name := bindings.apply(f.variable)) != variable
                        and (listed is None or f.variable in listed))
    return disabled - shared_with_others(block, bindings)


def shared_with_others(block: QuestionBlock, bindings: Bindings) -> set[str]:
    """The variables a `disable others` field shares with another field (a list, and "Other" to type in)."""
    shared = set()
    for spec in block.fields:
        if spec.extras.get("disable others") and spec.variable:
            variable = bindings.apply(spec.variable)
            if any(f is not spec and f.variable and bindings.apply(f.variable) == variable for f in block.fields):
                shared.add(variable)
    return shared


def _not_answering(block: QuestionBlock, bindings: Bindings, posted: dict[str, Any]) -> set[int]:
    """Of fields sharing a variable with a `disable others` field, those the posted value is not for: the
    `disable others` field when the value is none of its choices (it was typed in the other), else the others."""
    skipped: set[int] = set()
    for variable in shared_with_others(block, bindings):
        fields = [f for f in block.fields if f.variable and bindings.apply(f.variable) == variable]
        source = next(f for f in fields if f.extras.get("disable others"))
        value = str(posted.get(variable) or "")
        offered = [str(c.value) for c in source.choices] if source.choices is not None else None
        by_source = value != "" and (offered is None or value in offered)
        skipped.update(id(f) for f in fields if (f is source) != by_source)
    return skipped


def asked_names(block: QuestionBlock, bindings: Bindings) -> list[str]:
    """The variables the question sets when answered, as spelled for this screen (x, i bound)."""
    names = [bindings.apply(spec.variable) for spec in block.fields if spec.variable]
    names += [bindings.apply(name) for name in (block.yesno, block.noyes, block.field, block.continue_field) if name]
    return names


def _single_choice(block: QuestionBlock, name: str, choices: list[Choice] | None, raw: Any) -> Any:
    if name in (block.yesno, block.noyes):
        if block.maybe and str(raw).strip().lower() in ("none", "null", "maybe"):
            return None  # yesnomaybe's third answer
        answer = to_bool(raw)
        return answer if name == block.yesno else not answer
    if not choices:  # `field:` alone: the continue button sets it to True
        return True
    for choice in choices:
        if raw == choice.value or str(raw) == str(choice.value) or raw == choice.label:
            # a number listed as a choice arrives as the text the form sent, as in docassemble
            # (`choices: [3, 4, 5]` sets "4"); names, booleans and None keep their kind
            number = isinstance(choice.value, int | float) and not isinstance(choice.value, bool)
            return str(choice.value) if number else choice.value
    if "combobox" in block.data and isinstance(raw, str) and raw.strip():  # an answer typed in
        return without_html(raw.strip())
    raise Invalid("Please choose one of the options.")


def _offers_nothing(spec: Field, choices_of: ChoicesOf | None, values: dict[str, Any]) -> bool:
    """A choice field whose list of choices is empty now (docassemble skips such a field)."""
    if spec.choices is None and not spec.choices_code:
        return False
    try:
        return _options(spec, choices_of, values) == []
    except Invalid:
        return False


def empty_answer(spec: Field, variable: str) -> Any:
    """What a choice field with nothing to choose from answers, as docassemble sets it: an empty DADict
    for checkboxes, an empty DAList for object checkboxes, else None."""
    return empty_value((spec.datatype or "").lower(), variable)


def empty_value(datatype: str, variable: str) -> Any:
    """empty_answer by the field's datatype."""
    if datatype == "checkboxes":
        return checkbox_result(variable, {})
    if datatype in ("object_checkboxes", "object_multiselect"):
        return object_list(variable, [])
    return None


def object_list(variable: str, chosen: list[Any]) -> Any:
    """The objects ticked in an object_checkboxes field: a gathered DAList named after the field."""
    from offstage.library.objects import DAList

    made = DAList(variable, elements=chosen, auto_gather=False)
    made.gathered = True
    return made


def _options(spec: Field, choices_of: ChoicesOf | None, values: dict[str, Any]) -> list[Any] | None:
    """The values a field may take: its `choices:`, its `code:` choices, or None (any value)."""
    if spec.choices is not None:
        return [c.value for c in spec.choices]
    if not spec.choices_code:
        return None
    if choices_of is None:
        raise Invalid("The options of this field cannot be checked.")
    try:
        return choices_of(spec, values)
    except Exception:  # noqa: BLE001 - choices that cannot be computed now cannot be chosen from
        raise Invalid("The options of this field are not available; please try again.") from None


def _field_value(spec: Field, posted: dict[str, Any], variable: str, raw: bool,
                 required: bool, options: list[Any] | None = None) -> tuple[bool, Any]:
    datatype = (spec.datatype or "text").lower()
    if datatype == "object_radio" and _none_of_the_above(spec, posted.get(variable)):
        return False, None  # the object the variable holds is kept (its attributes are asked for instead)
    if variable not in posted:
        if datatype in ("yesno", "noyes", "yesnowide", "noyeswide"):  # an unticked box is not posted
            return True, datatype.startswith("no")
        if datatype == "checkboxes":
            return True, checkbox_result(variable, {o: False for o in options or []})
        if required and not any(k in spec.extras for k in _OPTIONAL_KEYS):
            raise Invalid(REQUIRED, "required")
        return False, None
    if datatype in ("object_checkboxes", "object_multiselect"):  # the objects ticked, by their text
        return True, object_list(variable, _ticked_objects(options, posted[variable]))
    converted = convert(spec, posted[variable], raw, required, options)
    if datatype == "checkboxes":  # a DADict named after the field, as docassemble makes it
        return True, checkbox_result(variable, converted)
    return True, converted


def _ticked_objects(options: list[Any] | None, value: Any) -> list[Any]:
    """The offered objects whose text was posted (a list, one text, or nothing: none of the above)."""
    posted = value if isinstance(value, list | tuple) else [] if _is_empty(value) else [value]
    wanted = {str(v) for v in posted}
    offered = options or []
    unknown = wanted - {str(o) for o in offered}
    if unknown:
        raise Invalid("Please choose among the options shown.")
    return [o for o in offered if str(o) in wanted]


def checkbox_result(variable: str, ticked: dict[Any, bool]) -> Any:
    from offstage.library.objects import DADict

    return DADict(variable, elements=ticked, auto_gather=False)


_YES_NO = ("yesno", "yesnowide", "yesnoradio", "noyes", "noyeswide", "noyesradio")
_MAYBE = ("yesnomaybe", "noyesmaybe")
_NUMBERS = ("number", "currency", "float", "range")


def convert(spec: Field, value: Any, raw: bool, required: bool, options: list[Any] | None = None) -> Any:
    """One posted value as its datatype wants it; `options`: the values offered (default: `choices:`)."""
    if options is None and spec.choices is not None:
        options = [c.value for c in spec.choices]
    datatype = _datatype(spec)
    if datatype in (*_YES_NO, *_MAYBE, "checkboxes", SIGNATURE) or datatype in FILE_DATATYPES:
        return _not_text(datatype, value, required, options)
    if _is_empty(value):
        if required:
            raise Invalid(REQUIRED, "required")
        return None if datatype in ("integer", *_NUMBERS, "date") else ""
    from offstage.library.custom_datatypes import registered

    custom = registered(spec.datatype or "")  # as spelled: custom datatype names keep their case
    if custom is not None:  # an interview module's CustomDataType: its validate and transform
        return _custom(custom, value)
    return _within_length(spec, _text(spec, datatype, value, raw, options))


def _within_length(spec: Field, answer: Any) -> Any:
    """A typed answer held to the field's `minlength` / `maxlength` (docassemble's messages)."""
    if not isinstance(answer, str):
        return answer
    least, most = spec.extras.get("minlength"), spec.extras.get("maxlength")
    if least is not None and len(answer) < int(least):
        raise Invalid(f"You must type at least {int(least)} characters.", "minlength", int(least))
    if most is not None and len(answer) > int(most):
        raise Invalid(f"You cannot type more than {int(most)} characters.", "maxlength", int(most))
    return answer


def _custom(datatype: Any, value: Any) -> Any:
    from offstage.library.custom_datatypes import answer

    try:
        return answer(datatype, without_html(str(value)))
    except ValueError as refused:
        raise Invalid(str(refused)) from None


def _not_text(datatype: str, value: Any, required: bool, options: list[Any] | None) -> Any:
    """Answers that are not typed in: yes/no, files and signatures, checkboxes."""
    if datatype in _YES_NO:
        return _yes_or_no(datatype, value, required)
    if datatype in _MAYBE:  # the third answer, "I don't know", is None
        return None if str(value).strip() == "None" else _yes_or_no(datatype.replace("maybe", "radio"), value, required)
    if datatype == "checkboxes":
        return _checkboxes(options, value)
    return _files(datatype, value, required)


def _text(spec: Field, datatype: str, value: Any, raw: bool, options: list[Any] | None) -> Any:
    """A typed-in answer (not empty) as its datatype wants it."""
    if datatype == "integer":
        return _bounded(spec, _number(value, int))
    if datatype in _NUMBERS:
        return _bounded(spec, _number(value, float))
    if datatype == "date":
        return _date(value)
    if datatype == "email":
        text = strip_tags(str(value).strip())
        if not _EMAIL.match(text):
            raise Invalid("You need to enter a complete e-mail address.", "email")
        return text
    if options is not None or datatype in ("radio", "dropdown", "combobox"):
        chosen = _choice(options, value, datatype)
        if datatype in _TEXT_CHOICES and isinstance(chosen, int | float) and not isinstance(chosen, bool):
            return str(chosen)  # `choices: [3, 4]` without a datatype: the answer is text, as docassemble keeps it
        return chosen
    if not isinstance(value, str) and raw:
        raise Invalid("This answer must be text.")
    return value if datatype in KEEPS_HTML else without_html(value)


_TEXT_CHOICES = ("text", "radio", "dropdown", "combobox")


def _datatype(spec: Field) -> str:
    """The field's datatype; `input type: combobox` answers as a combobox does (chosen, or typed in)."""
    if (spec.input_type or "").lower() == "combobox":
        return "combobox"
    return (spec.datatype or "text").lower()


def without_html(value: Any) -> Any:
    """The text of an answer without HTML tags (in lists and dicts an API may send, too); `a < b` stays."""
    if isinstance(value, str):
        return strip_tags(value)
    if isinstance(value, list | tuple):
        return type(value)(without_html(v) for v in value)
    if isinstance(value, dict):
        return {without_html(k): without_html(v) for k, v in value.items()}
    return value


def _files(datatype: str, value: Any, required: bool) -> Pending | None:
    """Uploaded files (or the signature pad's drawing), checked and stored later with the question's
    `accept` (offstage.library.uploads); None when nothing was uploaded to an optional field."""
    items = list(value) if isinstance(value, list | tuple) else [value]
    if datatype == SIGNATURE and items and isinstance(items[0], str) and items[0].strip():
        try:
            items = [from_data_url(items[0].strip())]
        except Refused as exc:
            raise Invalid(str(exc)) from None
    uploads = tuple(item for item in items if isinstance(item, Upload))
    if len(uploads) != len([i for i in items if not _is_empty(i)]):
        raise Invalid("Please choose a file to upload." if datatype != SIGNATURE else "Please sign your name.")
    if not uploads:
        if required:
            raise Invalid("Please sign your name." if datatype == SIGNATURE else REQUIRED, "required")
        return None
    if datatype not in ("files",):
        uploads = uploads[:1]
    return Pending(datatype, uploads)


def _yes_or_no(datatype: str, value: Any, required: bool) -> bool | None:
    if value in (None, "") and datatype.endswith("radio"):
        if required:
            raise Invalid(REQUIRED, "required")
        return None
    answer = to_bool(value)
    return (not answer) if datatype.startswith("no") else answer


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE or value is None:
        return False
    raise Invalid("Please answer yes or no.")


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: Any, kind: type) -> Any:
    if isinstance(value, bool):
        raise Invalid("You need to enter a valid number.", "number")
    if isinstance(value, (int, float)):
        if kind is int and float(value) != int(value):
            raise Invalid("You need to enter a whole number.")
        return kind(value)
    text = str(value).strip().replace(",", "")
    try:
        return kind(text) if kind is float else int(text)
    except ValueError:
        if kind is int:
            try:
                number = float(text)
            except ValueError:
                number = None
            if number is not None and number.is_integer():
                return int(number)
            raise Invalid("You need to enter a whole number.") from None
        raise Invalid("You need to enter a valid number.", "number") from None


def _bounded(spec: Field, number: Any) -> Any:
    if spec.min is not None and _is_number(spec.min) and number < float(spec.min):
        raise Invalid(f"You need to enter a number that is at least {spec.min}.", "min", spec.min)
    if spec.max is not None and _is_number(spec.max) and number > float(spec.max):
        raise Invalid(f"You need to enter a number that is at most {spec.max}.", "max", spec.max)
    return number


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _date(value: Any) -> Any:
    """A date answer as the library's DADateTime (midnight, default time zone), as docassemble gives it."""
    if isinstance(value, _dt.datetime):
        day = value.date()
    elif isinstance(value, _dt.date):
        day = value
    else:
        day = _parse_day(str(value).strip())
    from offstage.library.dates import as_datetime  # the library, loaded when a date is answered

    return as_datetime(day)


def _parse_day(text: str) -> _dt.date:
    for pattern in ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"):
        try:
            return _dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise Invalid("You need to enter a valid date.", "date")


def _none_of_the_above(spec: Field, value: Any) -> bool:
    """An object_radio's `none of the above` choice picked (its value is empty)."""
    setting = spec.extras.get("none of the above")
    return setting not in (None, False) and str(value if value is not None else "").strip() in ("", "None")


def object_key(option: Any) -> str | None:
    """An object choice's value on the page: the object's name (its text may need answers not given yet)."""
    found = getattr(option, "__dict__", {}).get("instanceName")
    return found if isinstance(found, str) else None


def _choice(options: list[Any] | None, value: Any, datatype: str) -> Any:
    if options is None:  # radio / dropdown without choices: nothing to check against
        return without_html(value)
    for option in options:
        if value == option or (object_key(option) is not None and str(value) == object_key(option)):
            return option
    for option in options:
        if object_key(option) is None and str(value) == str(option):
            return option
    for option in options:  # an object by its text, as an API client may send it
        with contextlib.suppress(Exception):
            if str(value) == str(option):
                return option
    if datatype == "combobox":  # a value typed in rather than chosen
        return without_html(value)
    raise Invalid("Please choose one of the options.")


def _checkboxes(options: list[Any] | None, value: Any) -> dict[Any, bool]:
    options = options or []
    if isinstance(value, dict):
        chosen = {str(k) for k, v in value.items() if to_bool(v)}
    elif isinstance(value, (list, tuple, set)):
        chosen = {str(v) for v in value}
    elif _is_empty(value):
        chosen = set()
    else:
        chosen = {str(value)}
    if options:
        unknown = chosen - {str(o) for o in options}
        if unknown:
            raise Invalid("Please choose among the options shown.")
        return {o: str(o) in chosen for o in options}
    return {c: True for c in chosen}
