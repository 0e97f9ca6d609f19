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

    rendered = {part: text(getattr(block, part)) for part in ("subquestion", "under", "right", "help")}
    screen = Screen(
        question_type=_question_type(block), question_text=text(block.question, trim=True) or "",
        subquestion_text=rendered["subquestion"], under_text=rendered["under"],
        right_text=rendered["right"], help_text=rendered["help"],
        fields=[_field(ev, f, bindings) for f in block.fields],
        buttons=_buttons(ev, block, bindings), checkin=block.checkin, block_id=block.id,
        event_list=[sought] if sought else [bindings.apply(n) for n in block.names()],
        can_go_back=not block.prevent_going_back, title=ev.interview.title,
        script=ev.render(block.script) if block.script else None,
        css=ev.render(block.css) if block.css else None,
        attachments=_attachments(ev, block, bindings))
    if block.reload is not None:
        screen.reload_after = reload_after_ms(block.reload if isinstance(block.reload, bool)
                                              else ev.render(str(block.reload)))
    if "continue button label" in block.data:
        screen.continue_label = escape(ev.render(str(block.data["continue button label"])))
    for part in (block.question, block.subquestion, block.under, block.right):
        screen.targets.extend(target_names(part))
    if block.field and block.choices:
        screen.fields.append(ScreenField(bindings.apply(block.field), None, "radio",
                                         choices=_static_choices(ev, block.choices)))
    return screen


def _attachments(ev: Any, block: QuestionBlock, bindings: Bindings) -> list[dict[str, Any]]:
    """The question's documents, assembled (documents load only for a screen that has some)."""
    if not block.attachments and not block.attachment_code:
        return []
    from offstage.engine.attachments import shown_attachments

    return shown_attachments(ev, block, bindings)


def _question_type(block: QuestionBlock) -> str:
    if block.fields:
        return "fields"
    if block.yesno:
        return "yesno"
    if block.noyes:
        return "noyes"
    if block.field and (block.buttons or block.choices):
        return "multiple_choice"
    if block.field:
        return "settrue"
    if block.buttons:
        return "buttons"
    return "deadend"


def _buttons(ev: Any, block: QuestionBlock, bindings: Bindings) -> list[ScreenButton]:
    if block.yesno or block.noyes:
        return [ScreenButton("Yes", True), ScreenButton("No", False)]
    return [ScreenButton(markdown_to_html(ev.render(b.label), trim=True), b.value,
                         "special" if b.special else "choice") for b in block.buttons]


def _field(ev: Any, spec: Field, bindings: Bindings) -> ScreenField:
    variable = bindings.apply(spec.variable) if spec.variable else None
    label = markdown_to_html(ev.render(spec.label), trim=True) if spec.label is not None else None
    choices = None
    if spec.choices is not None:
        choices = _static_choices(ev, spec.choices)
    elif spec.choices_code:
        choices = normalize_choices(ev.evaluate(spec.choices_code))
    default = spec.default
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
        extras=_page_extras(ev, spec))


def _page_extras(ev: Any, spec: Field) -> dict[str, Any]:
    """The field's modifiers the page uses: `js show if` & co., `help` (rendered), `none of the above`."""
    extras = {k: v for k, v in spec.extras.items() if k.startswith(("js ", "show if", "hide if"))}
    if spec.extras.get("help"):
        extras["help"] = markdown_to_html(ev.render(str(spec.extras["help"])))
    if "none of the above" in spec.extras:
        nota = spec.extras["none of the above"]
        extras["none of the above"] = nota if isinstance(nota, bool) else escape(ev.render(str(nota)))
    return extras


def _static_choices(ev: Any, choices: list[Any]) -> list[dict[str, Any]]:
    return [{"label": markdown_to_html(ev.render(c.label), trim=True), "value": c.value} for c in choices]


def normalize_choices(raw: Any) -> list[dict[str, Any]]:
    """Choices computed by code: ['a', ...], [{value: label}], [[value, label]], {value: label}."""
    if isinstance(raw, dict):
        raw = [{k: v} for k, v in raw.items()]
    found = []
    for item in raw or []:
        if isinstance(item, dict) and "value" in item:
            found.append({"label": escape(item.get("label", item["value"])), "value": item["value"]})
        elif isinstance(item, dict) and len(item) == 1:
            (val, label), = item.items()
            found.append({"label": escape(label), "value": val})
        elif isinstance(item, (list, tuple)) and len(item) >= 2:
            found.append({"label": escape(item[1]), "value": item[0]})
        else:
            found.append({"label": escape(item), "value": item})
    return found


def _plain(value: Any) -> Any:
    """Defaults shown on the page: JSON-friendly values, other objects as their text."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)
