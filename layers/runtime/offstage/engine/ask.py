"""A question block + the namespace -> the Screen to show (every text through Mako, then Markdown)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from offstage.engine import varpath
from offstage.engine.screen import PICKED_BUTTON, Screen, ScreenButton, ScreenField, reload_after_ms
from offstage.engine.seek import Bindings
from offstage.interview import Field, QuestionBlock
from offstage.library.navigation import draw_sections_with
from offstage.text import escape, markdown_to_html, target_names
from offstage.text.markdown import show_files_with

if TYPE_CHECKING:
    from offstage.text.terms import Glossary

_MISSING = (NameError, AttributeError, KeyError, IndexError)


def _static_picture(reference: str) -> str | None:
    """[FILE x.png] on a screen: the URL of the static file of the running block's package or folder;
    None (the tag left as written) for anything that is not one."""
    from offstage.context import maybe_current
    from offstage.library.package_files import FileNotProvided, current_home
    from offstage.library.package_static import url_for

    ctx = maybe_current()
    if ctx is None or "." not in reference.rsplit("/", 1)[-1]:
        return None
    try:
        return url_for(reference, current_home(), ctx.interview_name, ctx.url_root)
    except FileNotProvided:
        return None


show_files_with(_static_picture)


def _section_items(show_links: bool) -> list[dict[str, Any]]:
    from offstage.engine.sections import current_items

    return current_items(show_links)


draw_sections_with(_section_items)  # nav.show_sections() in a question's text


def build_screen(ev: Any, block: QuestionBlock, bindings: Bindings, sought: str | None) -> Screen:
    """`ev` is the Evaluation (render(), evaluate(), is_defined()); missing names propagate to it."""
    from offstage.engine.terms import glossary

    terms = glossary(ev, block)

    def text(value: Any, trim: bool = False) -> str | None:
        return None if value is None else markdown_to_html(ev.render(value), trim=trim, terms=terms)

    # docassemble reads `audio` / `video` first, then the question, then the subquestion: the names they
    # need are sought in that order (offstage's page plays no media: their text is only rendered)
    for media in ("audio", "video"):
        if isinstance(block.data.get(media), str):
            ev.render(block.data[media])
    from offstage.engine.sections import visit_question_section

    visit_question_section(ev, block, ev.ctx.answers)  # `section:` is current before the texts are drawn
    question_text = text(block.question, trim=True) or ""
    # `default screen parts`, then the metadata's parts: for a question without its own
    defaults = {**_metadata_parts(ev.interview), **ev.interview.default_screen_parts}
    rendered = {part: text(getattr(block, part)) for part in ("subquestion",)}
    for name in ("under", "right", "pre", "post", "submit"):
        own = block.data.get(name)
        rendered[name] = text(own if own is not None else defaults.get(name))
    rendered["help"] = _help(ev, block.help, terms)
    help_label = _help_label(ev, block.help)
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
        attachments=_attachments(ev, block, bindings), help_label=help_label,
        pre_text=rendered["pre"], post_text=rendered["post"], submit_text=rendered["submit"])
    _labels(ev, block, defaults, screen, help_label)
    screen.action_buttons = _action_buttons(ev, block, bindings)
    from offstage.engine.functions import apply_page_parts

    apply_page_parts(screen, block.data.keys())  # what set_parts() / prevent_going_back() in the interview's code asked for
    if block.list_collect:
        _list_collect(ev, block, bindings, screen)
    if isinstance(block.data.get("review"), list):
        _review(ev, block, bindings, screen)
    if block.reload is not None:
        screen.reload_after = reload_after_ms(block.reload if isinstance(block.reload, bool)
                                              else ev.render(str(block.reload)))
    for part in (block.question, block.subquestion, block.under, block.right):
        screen.targets.extend(target_names(part))
    _choice_field(ev, block, bindings, screen)
    from offstage.engine.screen_parts import add_surroundings

    add_surroundings(ev, block, screen)  # progress, sections, navbar parts, decoration and images
    return screen


def _review(ev: Any, block: QuestionBlock, bindings: Bindings, screen: Screen) -> None:
    """A review screen: its items after the subquestion, and Resume (docassemble's label) to go on."""
    from offstage.engine.review import review_html

    screen.subquestion_text = (screen.subquestion_text or "") + review_html(ev, block.id, block.data["review"], bindings,
                                                                            block.data.get("tabular"))
    # a review that sets a variable (`field:` / `continue button field:`) goes on by Continue, as docassemble's
    plain = "Continue" if block.data.get("field") or block.data.get("continue button field") else "Resume"
    resume = block.data.get("resume button label") or block.data.get("continue button label") or plain
    screen.continue_label = escape(ev.render(str(resume)).strip())


def _labels(ev: Any, block: QuestionBlock, defaults: dict[str, Any], screen: Screen, help_label: str | None) -> None:
    """The Back, Help and Continue labels: the question's own, else the interview's defaults."""
    back_label = block.data.get("back button label", defaults.get("back button label"))
    if back_label is not None:
        screen.back_label = ev.render(str(back_label)).strip()
    if help_label is None and defaults.get("help label") is not None:
        screen.help_label = ev.render(str(defaults["help label"])).strip() or None
    continue_label = block.data.get("continue button label", defaults.get("continue button label"))
    if continue_label is not None:
        screen.continue_label = escape(ev.render(str(continue_label)).strip())
    own_back = block.data.get("back button")  # this question's: Back among its buttons, or not
    if own_back is not None:
        screen.question_back = bool(own_back if isinstance(own_back, bool) else ev.evaluate(str(own_back)))


def _choice_field(ev: Any, block: QuestionBlock, bindings: Bindings, screen: Screen) -> None:
    """The radio buttons (or list) of a question's own `choices:`: for its `field:`, or without a field,
    the item picked posted as the button pressed."""
    if block.field and (block.choices or block.choices_code):
        _field_with_choices(ev, block, bindings, screen, block.field)
    elif block.choices and not block.fields:
        screen.fields.append(ScreenField(PICKED_BUTTON, None, "radio",
                                         choices=_static_choices(ev, block.choices, bindings)))


def _field_with_choices(ev: Any, block: QuestionBlock, bindings: Bindings, screen: Screen, field: str) -> None:
    """A `field:` + `choices:` question: one radio (or `combobox:`) field of those choices."""
    choices = (_static_choices(ev, block.choices, bindings) if block.choices
               else normalize_choices(ev.evaluate_bound(block.choices_code, bindings)))
    chosen = [c["value"] for c in choices if c.get("default")]
    if not chosen and block.data.get("default") is not None:  # the question's own `default:`
        chosen = [_question_default(ev, block.data["default"])]
    # `combobox:` takes a typed answer too; `dropdown:` is a pull-down list rather than radio buttons
    kind = "combobox" if "combobox" in block.data else "dropdown" if "dropdown" in block.data else "radio"
    screen.fields.append(ScreenField(bindings.apply(field), None, kind, choices=choices,
                                     default=_plain(chosen[0]) if chosen else None))


def _question_default(ev: Any, default: Any) -> Any:
    """A `field:` question's `default:`, text rendered as a template (docassemble's TextObject)."""
    return ev.render(default).strip() if isinstance(default, str) else default


# the metadata's screen parts docassemble uses for every question (below `default screen parts`)
_METADATA_PARTS = ("pre", "post", "submit", "under", "right", "continue button label", "help label",
                   "back button label")


def _metadata_parts(interview: Any) -> dict[str, Any]:
    metadata = getattr(interview, "metadata", None) or {}
    return {k: metadata[k] for k in _METADATA_PARTS if metadata.get(k) is not None}


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
                      ScreenButton(collect.ADD_ANOTHER_LABEL, collect.ADD_ANOTHER, "special")]


def _help(ev: Any, help_part: Any, terms: Glossary | None = None) -> str | None:
    """`help:` as text, or as a dict whose `content` is the text under its `heading` (its `label` names
    the help tab)."""
    if help_part is None:
        return None
    if isinstance(help_part, dict):
        heading = f"### {help_part['heading']}\n\n" if help_part.get("heading") else ""
        help_part = help_part.get("content")
        if help_part is None:
            return None
        help_part = heading + str(help_part)
    return markdown_to_html(ev.render(help_part), terms=terms)


def _help_label(ev: Any, help_part: Any) -> str | None:
    """A `help:` dict's own `label` (text): the help tab's name while this question shows."""
    if not isinstance(help_part, dict) or help_part.get("label") is None:
        return None
    return ev.render(str(help_part["label"])).strip() or None


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
    if block.choices:  # radio buttons and Continue, each item running code, asking or passing on
        return "multiple_choice"
    if "review" in block.data:  # answered by Resume
        return "review"
    return "deadend"


def _action_buttons(ev: Any, block: QuestionBlock, bindings: Bindings) -> list[dict[str, Any]]:
    if "action buttons" not in block.data:
        return []
    from offstage.engine.action_buttons import action_buttons

    return action_buttons(ev, block, bindings)


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
    elif spec.choices_code and spec.datatype.startswith("object"):
        choices = object_choices(ev, spec, ev.evaluate(spec.choices_code))
        _generated(ev, spec, choices)
    elif spec.choices_code:
        choices = normalize_choices(ev.evaluate(spec.choices_code))
    if choices is not None and spec.extras.get("exclude") is not None:
        choices = _without_excluded(ev, spec.extras["exclude"], choices, bindings)
    default = _default(ev, spec, choices)
    if variable and ev.is_defined(variable):
        default = ev.evaluate(variable)
        if spec.datatype == "object_checkboxes":  # the list's items as they are, without gathering it
            default = list(getattr(default, "elements", default))
        elif spec.datatype.startswith("object") and not _has_text(default):
            default = None  # an object not yet described (its name is asked on this very screen)
    required = spec.required
    if isinstance(required, str):
        required = bool(ev.evaluate(required))
    if spec.datatype in _KEYED_OBJECT_DATATYPES:
        choices, default = _keyed(choices, default)
    return ScreenField(
        variable_name=variable, label=label, datatype=spec.datatype, choices=choices,
        default=_plain(default), required=bool(required) and not spec.extras.get("disable others"),
        hint=ev.render(spec.hint) if spec.hint else None, inputtype=spec.input_type,
        min=spec.min, max=spec.max,
        note=markdown_to_html(ev.render(spec.note)) if spec.note else None,
        extras=_bound_conditions({**_page_extras(ev, spec), **_upload_extras(ev, spec)}, bindings))


def _bound_conditions(extras: dict[str, Any], bindings: Bindings) -> dict[str, Any]:
    """`show if` / `hide if` naming another field (`income[i].receives`) as that field is named on this
    screen (`income['interest'].receives`), so that the page finds it."""
    for key in ("show if", "hide if"):
        setting = extras.get(key)
        if isinstance(setting, str) and varpath.as_name(bindings.apply(setting.strip())) is not None:
            extras[key] = bindings.apply(setting.strip())
        elif isinstance(setting, dict) and isinstance(setting.get("variable"), str):
            extras[key] = {**setting, "variable": bindings.apply(setting["variable"].strip())}
    return extras


# object fields of one choice: each object is named on the page by its variable name, not its text
_KEYED_OBJECT_DATATYPES = frozenset({"object", "object_radio"})


def _keyed(choices: list[dict[str, Any]] | None, default: Any) -> tuple[list[dict[str, Any]] | None, Any]:
    from offstage.engine.posted import object_key

    keyed = [{**c, "value": object_key(c["value"]) or c["value"]} for c in choices or []]
    return (keyed if choices is not None else None), (object_key(default) or default)


def _without_excluded(ev: Any, exclude: Any, choices: list[dict[str, Any]], bindings: Bindings) -> list[dict[str, Any]]:
    """`exclude:` (Python: one value or a list, or a list of such expressions) leaves those values out."""
    expressions = exclude if isinstance(exclude, list) else [exclude]
    left_out: list[Any] = []
    for expression in expressions:
        found = ev.evaluate_bound(str(expression).strip(), bindings)
        left_out += list(found) if isinstance(found, (list, tuple, set)) else [found]
    return [c for c in choices if not any(c["value"] == v or str(c["value"]) == str(v) for v in left_out)]


def _default(ev: Any, spec: Field, choices: list[dict[str, Any]] | None) -> Any:
    """The field's `default`, else its choices marked default. An object field's `default` names
    objects (Python expressions, one or a list), as in docassemble; other defaults are templates."""
    default = spec.default
    if isinstance(default, dict) and set(default) == {"code"}:  # `default: {code: ...}`: Python's value
        return _plain(ev.evaluate(str(default["code"]).strip()))
    if default is None and choices and any(c.get("default") for c in choices):
        chosen = [c["value"] for c in choices if c.get("default")]
        return chosen if spec.datatype in ("checkboxes", "object_checkboxes") else chosen[0]
    if spec.datatype.startswith("object") and isinstance(default, (str, list)):
        named = [ev.evaluate(str(item)) for item in (default if isinstance(default, list) else [default])]
        return named if spec.datatype in ("object_checkboxes", "object_multiselect") else named[0]
    if isinstance(default, str):
        return ev.render(default)
    return default


def _page_extras(ev: Any, spec: Field) -> dict[str, Any]:
    """The field's modifiers the page uses: `js show if` & co., `help` (rendered), `none of the above`."""
    extras = {k: v for k, v in spec.extras.items() if k.startswith(("js ", "show if", "hide if"))}
    if spec.extras.get("help"):
        extras["help"] = markdown_to_html(ev.render(str(spec.extras["help"])))
    if spec.extras.get("inline width") is not None:  # an embedded field's width (`[FIELD name]`)
        extras["inline width"] = str(spec.extras["inline width"]).strip()
    if spec.input_type == "ajax" and isinstance(spec.extras.get("action"), str):  # suggestions the page asks for
        extras["action"] = spec.extras["action"].strip()
        extras["trigger at"] = spec.extras.get("trigger at", 4)
    if spec.extras.get("uncheck others"):  # True (every other yes/no box) or the names of those it clears
        setting = spec.extras["uncheck others"]
        extras["uncheck others"] = [str(n) for n in setting] if isinstance(setting, list) else True
    if spec.extras.get("disable others"):
        extras["disable others"] = spec.extras["disable others"]
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
    if spec.extras.get("file css class"):
        found["file css class"] = ev.render(str(spec.extras["file css class"]))
    # the page shrinks pictures before sending them, as docassemble's does (the server still enforces it)
    size = str(spec.extras.get("maximum image size") or "").strip()
    if size.isdigit():
        found["maximum image size"] = int(size)
        if str(spec.extras.get("image upload type") or "").lower() in ("jpeg", "jpg", "png"):
            found["image upload type"] = str(spec.extras["image upload type"]).lower()
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
        made = {"label": escape(item[1]), "value": item[0]}
        if len(item) >= 3 and item[2]:  # [value, label, default]: chosen when the screen first shows
            made["default"] = True
        return made
    return {"label": escape(item), "value": item}


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


def object_choices(ev: Any, spec: Field, raw: Any) -> list[dict[str, Any]]:
    """An object field's choices: with an `object labeler` each object is labelled by it alone (its own
    text, which may need answers not given yet, is never asked for), otherwise by its text."""
    if isinstance(raw, dict) or not isinstance(raw, Iterable) or isinstance(raw, str):
        return normalize_choices(raw)
    items = list(raw)
    if not spec.extras.get("object labeler") or any(isinstance(i, (dict, list, tuple, str)) for i in items):
        return normalize_choices(items)
    make = ev.evaluate(str(spec.extras["object labeler"]))
    return [{"label": escape(make(item)), "value": item} for item in items]


_GENERATORS = (("object labeler", "label"), ("help generator", "help"), ("image generator", "image"))


def _generated(ev: Any, spec: Field, choices: list[dict[str, Any]]) -> None:
    """Object choices' `object labeler`, `help generator` and `image generator`: functions (Python
    expressions) given each object, for its label, its help text and its image (an icon name)."""
    for key, part in _GENERATORS:
        if spec.extras.get(key):
            make = ev.evaluate(str(spec.extras[key]))
            for choice in choices:
                choice[part] = escape(make(choice["value"]))


def _has_text(value: Any) -> bool:
    try:
        str(value)
    except _MISSING:
        return False
    return True


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
