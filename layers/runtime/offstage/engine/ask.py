"""A question block + the namespace -> the Screen to show (every text through Mako, then Markdown)."""

from __future__ import annotations

from typing import Any

from offstage.engine.screen import Screen, ScreenButton, ScreenField, reload_after_ms
from offstage.engine.seek import Bindings
from offstage.interview import Field, QuestionBlock
from offstage.text import escape, markdown_to_html, target_names

_MISSING = (NameError, AttributeError, KeyError, IndexError)


def build_screen(ev: Any, block: QuestionBlock, bindings: Bindings, sought: str | None) -> Screen:
    """`ev` is the Evaluation (render(), evaluate(), is_defined()); missing names propagate to it."""
    def text(value: Any, trim: bool = False) -> str | None:
        return None if value is None else markdown_to_html(ev.render(value), trim=trim)

    # docassemble renders the question before the subquestion: the names they need are sought in that order
    question_text = text(block.question, trim=True) or ""
    defaults = ev.interview.default_screen_parts  # `default screen parts`: for a question without its own
    rendered = {part: text(getattr(block, part)) for part in ("subquestion",)}
    for name in ("under", "right", "pre", "post", "submit"):
        own = block.data.get(name)
        rendered[name] = text(own if own is not None else defaults.get(name))
    rendered["help"] = _help(ev, block.help)
    screen = Screen(
        question_type=_question_type(block), question_text=question_text,
        subquestion_text=rendered["subquestion"], under_text=rendered["under"],
        right_text=rendered["right"], help_text=rendered["help"],
        fields=[_field(ev, f, bindings) for f in block.fields],
        buttons=_buttons(ev, block, bindings), checkin=block.checkin, block_id=block.id,
        event_list=[sought] if sought else [bindings.apply(n) for n in block.names()],
        can_go_back=not block.prevent_going_back, title=ev.interview.title,
        script=ev.render(block.script) if block.script else None,
        css=ev.render(block.css) if block.css else None,
        attachments=_attachments(ev, block, bindings))
    from offstage.engine.functions import apply_page_parts

    apply_page_parts(screen)  # what set_parts() / prevent_going_back() in the interview's code asked for
    if block.list_collect:
        _list_collect(ev, block, bindings, screen)
    if block.reload is not None:
        screen.reload_after = reload_after_ms(block.reload if isinstance(block.reload, bool)
                                              else ev.render(str(block.reload)))
    continue_label = block.data.get("continue button label", defaults.get("continue button label"))
    if continue_label is not None:
        screen.continue_label = escape(ev.render(str(continue_label)).strip())
    screen.pre_text, screen.post_text, screen.submit_text = rendered["pre"], rendered["post"], rendered["submit"]
    for part in (block.question, block.subquestion, block.under, block.right):
        screen.targets.extend(target_names(part))
    if block.field and (block.choices or block.choices_code):
        choices = (_static_choices(ev, block.choices, bindings) if block.choices
                   else normalize_choices(ev.evaluate_bound(block.choices_code, bindings)))
        chosen = [c["value"] for c in choices if c.get("default")]
        screen.fields.append(ScreenField(bindings.apply(block.field), None, "radio", choices=choices,
                                         default=_plain(chosen[0]) if chosen else None))
    return screen


def _list_collect(ev: Any, block: QuestionBlock, bindings: Bindings, screen: Screen) -> None:
    """The fields again for every item of the list (offstage.engine.collect), and the two buttons."""
    from offstage.engine import collect

    if not collect.enabled(ev, block, bindings):
        return
    _, shown, blank = collect.indices(ev, block, bindings)
    fields: list[ScreenField] = []
    for index in shown:
        each = collect.item_bindings(bindings, index)
        if block.list_label or index:  # a heading between items (the author's label, numbered)
            heading = escape(f"{ev.render(block.list_label) if block.list_label else ''} {index + 1}".strip())
            fields.append(ScreenField(None, None, note=f"<p class=\"da-collect-item\">{heading}</p>"))
        for spec in block.fields:
            made = _field(ev, spec, each)
            if index == blank and len(shown) > 1:
                made.required = False  # the next item may stay blank
            fields.append(made)
    screen.fields = fields
    screen.buttons = [ScreenButton(screen.continue_label, "continue", "special"),
                      ScreenButton("Add another", collect.ADD_ANOTHER, "special")]


def _help(ev: Any, help_part: Any) -> str | None:
    """`help:` as text, or as a dict whose `content` is the text (its `label` names the help tab)."""
    if help_part is None:
        return None
    if isinstance(help_part, dict):
        help_part = help_part.get("content")
        if help_part is None:
            return None
    return markdown_to_html(ev.render(help_part))


def _attachments(ev: Any, block: QuestionBlock, bindings: Bindings) -> list[dict[str, Any]]:
    """The question's documents, assembled (documents load only for a screen that has some)."""
    if not block.attachments and not block.attachment_code:
        return []
    from offstage.engine.attachments import shown_attachments

    return shown_attachments(ev, block, bindings)


def _question_type(block: QuestionBlock) -> str:
    if getattr(block, "signature", None):
        return "signature"
    if block.fields:
        return "fields"
    if block.yesno:
        return "yesno"
    if block.noyes:
        return "noyes"
    if block.field and (block.buttons or block.choices or block.choices_code or block.buttons_code):
        return "multiple_choice"
    if block.field or block.continue_field:  # answered by pressing Continue
        return "settrue"
    if block.buttons or block.buttons_code:
        return "buttons"
    return "deadend"


def _buttons(ev: Any, block: QuestionBlock, bindings: Bindings) -> list[ScreenButton]:
    if block.yesno or block.noyes:
        buttons = [ScreenButton("Yes", True), ScreenButton("No", False)]
        if block.maybe:  # yesnomaybe / noyesmaybe: a third answer, None
            buttons.append(ScreenButton(escape(block.maybe_label), "None", "maybe"))
        return buttons
    if block.buttons_code:
        return [ScreenButton(c["label"], c["value"]) for c in
                normalize_choices(ev.evaluate_bound(block.buttons_code, bindings))]
    shown = []
    for b in block.buttons:
        if b.show_if is not None and not _holds(ev, b.show_if, bindings):
            continue
        kind = "link" if b.url else "special" if b.special else "choice"
        shown.append(ScreenButton(markdown_to_html(ev.render(b.label), trim=True), b.value, kind,
                                  url=ev.render(b.url) if b.url else None))
    return shown


def _holds(ev: Any, condition: Any, bindings: Bindings) -> bool:
    if isinstance(condition, bool):
        return condition
    return bool(ev.evaluate_bound(str(condition), bindings))


def _field(ev: Any, spec: Field, bindings: Bindings) -> ScreenField:
    variable = bindings.apply(spec.variable) if spec.variable else None
    label = markdown_to_html(ev.render(spec.label), trim=True) if spec.label is not None else None
    choices = None
    if spec.choices is not None:
        choices = _static_choices(ev, spec.choices, bindings)
    elif spec.choices_code:
        choices = normalize_choices(ev.evaluate(spec.choices_code))
    default = spec.default
    if default is None and choices and any(c.get("default") for c in choices):
        chosen = [c["value"] for c in choices if c.get("default")]
        default = chosen if spec.datatype in ("checkboxes", "object_checkboxes") else chosen[0]
    if isinstance(default, str):
        default = ev.render(default)
    if variable and ev.is_defined(variable):
        default = ev.evaluate(variable)
    required = spec.required
    if isinstance(required, str):
        required = bool(ev.evaluate(required))
    return ScreenField(
        variable_name=variable, label=label, datatype=spec.datatype, choices=choices,
        default=_plain(default), required=bool(required),
        hint=ev.render(spec.hint) if spec.hint else None, inputtype=spec.input_type,
        min=spec.min, max=spec.max,
        note=markdown_to_html(ev.render(spec.note)) if spec.note else None,
        extras={**_page_extras(ev, spec), **_upload_extras(ev, spec)})


def _page_extras(ev: Any, spec: Field) -> dict[str, Any]:
    """The field's modifiers the page uses: `js show if` & co., `help` (rendered), `none of the above`."""
    extras = {k: v for k, v in spec.extras.items() if k.startswith(("js ", "show if", "hide if"))}
    if spec.extras.get("help"):
        extras["help"] = markdown_to_html(ev.render(str(spec.extras["help"])))
    if "none of the above" in spec.extras:
        nota = spec.extras["none of the above"]
        extras["none of the above"] = nota if isinstance(nota, bool) else escape(ev.render(str(nota)))
    return extras


def _upload_extras(ev: Any, spec: Field) -> dict[str, Any]:
    """A file field's `accept` (Python code, as in docassemble) and a signature's pen color, for the page."""
    found: dict[str, Any] = {}
    if spec.extras.get("accept"):
        from offstage.documents.uploads import accept_list

        found["accept"] = accept_list(spec.extras["accept"], ev.evaluate) or ""
    if spec.extras.get("pen color"):
        found["pen color"] = ev.render(str(spec.extras["pen color"]))
    return found


def _static_choices(ev: Any, choices: list[Any], bindings: Bindings) -> list[dict[str, Any]]:
    found = []
    for c in choices:
        if c.show_if is not None and not _holds(ev, c.show_if, bindings):
            continue
        item = {"label": markdown_to_html(ev.render(c.label), trim=True), "value": c.value}
        if c.default:
            item["default"] = True
        if c.help:
            item["help"] = markdown_to_html(ev.render(c.help), trim=True)
        found.append(item)
    return found


# Keys a choice computed by code may carry beside its value and label (docassemble's forms).
_CHOICE_EXTRAS = ("default", "help", "image", "css class", "color", "show if", "group")


def normalize_choices(raw: Any) -> list[dict[str, Any]]:
    """Choices computed by code, in docassemble's forms: ['a', ...], [{value: label}], [[value, label]],
    {value: label}, and dicts with `value`/`key` and `label`; any of them may add `default`, `help`,
    `color`, `image`, `show if` (a choice whose `show if` is false is left out)."""
    if isinstance(raw, dict):
        raw = [{k: v} for k, v in raw.items()]
    found = []
    for item in raw or []:
        extras: dict[str, Any] = {}
        if isinstance(item, dict):
            extras = {k: item[k] for k in _CHOICE_EXTRAS if k in item}
            if "show if" in extras and not extras["show if"]:
                continue
        choice = _choice(item)
        if extras.get("default"):
            choice["default"] = True
        if extras.get("help"):
            choice["help"] = escape(extras["help"])
        found.append(choice)
    return found


def _choice(item: Any) -> dict[str, Any]:
    """One choice's label and value, from any of docassemble's forms."""
    if isinstance(item, dict):
        rest = {k: v for k, v in item.items() if k not in _CHOICE_EXTRAS}
        if "value" in rest or "key" in rest:
            val = rest.get("value", rest.get("key"))
            return {"label": escape(rest.get("label", val)), "value": val}
        if len(rest) == 1:
            (val, label), = rest.items()
            return {"label": escape(label), "value": val}
        raise ValueError(f"a choice must be one 'value: label' pair (with default, help ...), got {item!r}")
    if isinstance(item, (list, tuple)) and len(item) >= 2:
        return {"label": escape(item[1]), "value": item[0]}
    return {"label": escape(item), "value": item}


def _plain(value: Any) -> Any:
    """Defaults shown on the page: JSON-friendly values, other objects as their text."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(getattr(value, "elements", None), dict):  # a DADict: checkbox answers shown again
        return _plain(value.elements)
    return str(value)
