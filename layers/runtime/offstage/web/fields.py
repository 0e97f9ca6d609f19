"""The fields of a question as form controls.

Markup contract (docassemble's browser scenarios rely on it): every control has a `<label for=id>` whose
text is exactly the field label (labels are HTML rendered by the engine, values are escaped here); radio and checkbox choices sit in a fieldset whose legend is a
`div.da-legend` followed by a div of `<label><input><span>choice</span></label>`; validation messages
sit next to the control, which is marked aria-invalid.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from offstage.documents.uploads import ACCEPT_OF, CAPTURE_OF, FILE_DATATYPES, SIGNATURE
from offstage.text.sanitize import safe_html
from offstage.web.markup import as_text, attrs, esc, plain_text, tag
from offstage.web.security import nonce_attribute

INPUT_TYPES = {"text": "text", "email": "email", "number": "number", "integer": "number", "currency": "number",
               "float": "number", "date": "date", "time": "time", "datetime": "datetime-local",
               "password": "password", "range": "range", "file": "file", "files": "file", "url": "url"}
YESNO_CHECKBOX = {"yesno", "noyes", "yesnowide", "noyeswide"}
YESNO_RADIO = {"yesnoradio", "noyesradio", "yesnomaybe", "noyesmaybe"}
CURRENCY_SYMBOL = "$"  # the US locale's, as offstage.library.words.currency_symbol() gives it
CHOICE_DATATYPES = {"radio", "dropdown", "combobox", "checkboxes", "object_radio", "object_checkboxes",
                    "object", "multiselect"}


class FieldContext:
    """Per-render state: the values to show (posted ones after a failed validation) and the errors."""

    def __init__(self, values: dict[str, Any] | None = None, errors: dict[str, str] | None = None) -> None:
        self.values = values or {}
        self.errors = errors or {}
        self.counter = 0
        self.conditions: list[str] = []  # `js show if` & co. expressions, by the index their fields carry
        self.uploads_script = False  # uploads.js is on the page (once, with the first file or signature field)
        self.error_links: list[tuple[str, str, str]] = []  # (variable, control id, message): the error summary

    def next_id(self) -> str:
        self.counter += 1
        return f"daf{self.counter}"

    def value(self, field: dict[str, Any]) -> Any:
        name = field.get("variable_name")
        return self.values[name] if name in self.values else field.get("default")

    def condition(self, expression: str) -> int:
        self.conditions.append(expression)
        return len(self.conditions) - 1

    def condition_scripts(self) -> str:
        """The `js show if` expressions as functions app.js calls, one nonce'd script each (a syntax error
        in one leaves the others working), so that the page needs no eval under its CSP."""
        return "".join(f"<script{nonce_attribute()}>(window.daConditions=window.daConditions||[])[{n}]="
                       f"function(val){{return ({_in_script(expression)});}};</script>"
                       for n, expression in enumerate(self.conditions))


def _in_script(expression: str) -> str:
    """The author's JavaScript expression, unable to end the <script> element it sits in."""
    return expression.replace("</", "<\\/").replace("<!--", "<\\!--")


def render_fields(fields: list[dict[str, Any]], ctx: FieldContext) -> str:
    return "".join(render_field(f, ctx) for f in fields)


def render_field(field: dict[str, Any], ctx: FieldContext) -> str:
    for key in ("html", "note"):
        if field.get(key) and not field.get("variable_name"):
            return tag("div", safe_html(field[key]), class_="da-note")  # already rendered by the engine
    name = field.get("variable_name")
    if not name:
        return tag("div", safe_html(field.get("label")), class_="da-note") if field.get("label") else ""
    if plain_text(field.get("label")) == "no label":
        field = {**field, "label": unseen_label(str(name))}
    kind = control_kind(field)
    fid = ctx.next_id()
    error = ctx.errors.get(name)
    body = {"checkbox": yesno_checkbox, "radio": choice_group, "checkboxes": choice_group,
            "select": select, "textarea": textarea, "hidden": hidden, "file": file_input,
            "signature": signature_pad, "combobox": combobox}.get(kind, text_input)(field, fid, ctx, kind)
    if kind == "hidden":
        return body
    if error:
        # the summary links to the first box of a group (its fieldset cannot take the focus)
        label = plain_text(field.get("label")) or esc(name)
        ctx.error_links.append((name, f"{fid}_0" if kind in ("radio", "checkboxes") else fid, f"{label}: {esc(error)}"))
    parts = [body, *field_texts(field, fid)]
    if error:
        parts.append(tag("div", esc(error), id=f"{fid}-error", class_="da-error invalid-feedback d-block"))
    classes = ("da-field da-field-container mb-3" + f" da-field-container-datatype-{esc(field.get('datatype') or 'text')}"
               + (" da-has-error" if error else "") + (" da-required" if field.get("required") else ""))
    extra = show_if_attrs(field, ctx) + disable_others_attr(field)
    return f'<div class="{classes}" data-variable="{esc(name)}"{extra}>' + "".join(parts) + "</div>"


def field_texts(field: dict[str, Any], fid: str) -> list[str]:
    """What goes under a field's control: its help (behind a button), its hint, its own note."""
    parts = []
    if field.get("help"):
        parts.append(tag("button", "Help", type="button", class_="btn btn-link btn-sm p-0 dafieldhelp",
                         aria_expanded="false", aria_controls=f"{fid}-help")
                     + tag("div", safe_html(field["help"]), id=f"{fid}-help", class_="da-help dahelptext", hidden=True))
    hint = field.get("helptext") or field.get("under_text")
    if hint:
        parts.append(tag("div", safe_html(hint), class_="da-help form-text"))
    if field.get("note"):  # a field's own `note` / `html`: docassemble shows it beside the field
        parts.append(tag("div", safe_html(field["note"]), class_="da-side-note danote"))
    return parts


def disable_others_attr(field: dict[str, Any]) -> str:
    """`disable others`: app.js turns the other fields off (all, or those listed) once this one is answered."""
    setting = field.get("disable_others", field.get("disable others"))
    if not setting:
        return ""
    listed = "all" if not isinstance(setting, list) else json.dumps([str(name) for name in setting])
    return f' data-disable-others="{esc(listed)}"'



def show_if_attrs(field: dict[str, Any], ctx: FieldContext) -> str:
    """`js show if` & co., evaluated in the page by app.js with val(): the attribute holds the index of
    the expression's function (FieldContext.condition_scripts). `show if` / `hide if` naming another
    field of the screen (`show if: likes_fruit`, or `variable:` and `is:`) become such expressions too."""
    mapping = {"js_show_if": "data-js-show-if", "js_hide_if": "data-js-hide-if",
               "js_enable_if": "data-js-enable-if", "js_disable_if": "data-js-disable-if"}
    out = []
    for key, attr in mapping.items():
        expr = field.get(key) or field.get(key.replace("_", " "))
        if not expr and key in ("js_show_if", "js_hide_if"):
            expr = field_condition(field.get(key[3:], field.get(key[3:].replace("_", " "))))
        if expr:
            out.append(f' {attr}="{ctx.condition(str(expr))}"')
    return "".join(out)


def field_condition(setting: Any) -> str | None:
    """A `show if` / `hide if` that names a field of the screen, as a page expression (daShowIf in
    app.js: true when the field holds the value, or is true; true also when no such field is on the
    screen). Other forms (`code:`) are the engine's, decided before the page is drawn."""
    if isinstance(setting, str) and setting.strip():
        name, wanted = setting.strip(), None
    elif isinstance(setting, dict) and isinstance(setting.get("variable"), str):
        name, wanted = setting["variable"].strip(), setting.get("is")
    else:
        return None
    expected = as_text(wanted) if wanted is not None else None
    if isinstance(setting, dict) and "is" in setting and wanted is None:
        expected = "None"  # `is: null`: an object_radio's `none of the above` choice (its value is None)
    return f"window.daShowIf({json.dumps(name)}, {json.dumps(expected)})"


def control_kind(field: dict[str, Any]) -> str:
    datatype = str(field.get("datatype") or "text")
    inputtype = str(field.get("inputtype") or "")
    if datatype in FILE_DATATYPES:
        return "file"
    if datatype == SIGNATURE:
        return "signature"
    if datatype in YESNO_CHECKBOX and not field.get("choices"):
        return "checkbox"
    if datatype in YESNO_RADIO or inputtype == "radio" or datatype in ("radio", "object_radio"):
        return "radio"
    if datatype in ("checkboxes", "object_checkboxes", "multiselect") or inputtype == "checkboxes":
        return "checkboxes"
    if datatype == "hidden" or inputtype == "hidden":
        return "hidden"
    if datatype == "combobox" or inputtype == "combobox":
        return "combobox"
    if field.get("choices"):
        return "select"
    if datatype == "area" or inputtype == "area":
        return "textarea"
    return "text"


def described_by(fid: str, error: Any) -> dict[str, Any]:
    return {"aria_invalid": "true" if error else None, "aria_describedby": f"{fid}-error" if error else None}


def variable_words(name: str) -> str:
    """The words of a variable's last part (`user.zodiac_sign` -> "zodiac sign"): a label when it has none."""
    return re.sub(r"[^A-Za-z0-9]+", " ", name.rsplit(".", 1)[-1]).strip()


def unseen_label(name: str) -> str:
    """docassemble's `no label`: nothing shows, and a screen reader hears the variable's words instead."""
    words = variable_words(name) or "Answer"
    return tag("span", esc(words), class_="visually-hidden")


def label_for(field: dict[str, Any], fid: str) -> str:
    return tag("label", safe_html(field.get("label") or ""), for_=fid, class_="form-label da-label")


def text_input(field: dict[str, Any], fid: str, ctx: FieldContext, kind: str) -> str:  # noqa: ARG001 - every widget takes the field's kind
    datatype = str(field.get("datatype") or "text")
    itype = INPUT_TYPES.get(str(field.get("inputtype") or datatype), "text")
    step = "1" if datatype == "integer" else ("any" if itype == "number" else None)
    value = None if itype in ("file", "password") else as_text(ctx.value(field))
    name = field["variable_name"]
    box = itype not in ("file", "range")
    control = attrs(type=itype, id=fid, name=name, value=value, placeholder=field.get("hint"),
                    class_="form-control" if box else ("form-range" if itype == "range" else None),
                    alt="Input box" if box else None,
                    min=field.get("min"), max=field.get("max"), step=step,
                    required=bool(field.get("required")) and itype != "file",
                    multiple=datatype == "files", **described_by(fid, ctx.errors.get(name)))
    if field.get("inputtype") == "ajax" and field.get("action"):
        return label_for(field, fid) + ajax_input(control, field, fid)
    if datatype == "currency":  # docassemble's box has the currency symbol in front
        return label_for(field, fid) + tag("div", tag("span", esc(CURRENCY_SYMBOL), class_="input-group-text")
                                           + f"<input{control}>", class_="input-group")
    return label_for(field, fid) + f"<input{control}>"


def ajax_input(control: str, field: dict[str, Any], fid: str) -> str:
    """`input type: ajax`: a text box whose suggestions (a <datalist>) app.js asks the field's action for."""
    trigger = field.get("trigger_at")
    extra = attrs(list=f"{fid}-list", autocomplete="off", data_da_action=str(field["action"]),
                  data_da_trigger_at=str(trigger) if isinstance(trigger, int) and not isinstance(trigger, bool) else "4")
    control = control.replace(' class="form-control"', ' class="form-control daajax"', 1)
    return f"<input{control}{extra}>" + tag("datalist", "", id=f"{fid}-list")


def textarea(field: dict[str, Any], fid: str, ctx: FieldContext, kind: str) -> str:  # noqa: ARG001 - every widget takes the field's kind
    name = field["variable_name"]
    control = tag("textarea", esc(as_text(ctx.value(field))), id=fid, name=name, rows=field.get("rows") or 4,
                  class_="form-control",
                  placeholder=field.get("hint"), required=bool(field.get("required")),
                  **described_by(fid, ctx.errors.get(name)))
    return label_for(field, fid) + control


def hidden(field: dict[str, Any], fid: str, ctx: FieldContext, kind: str) -> str:  # noqa: ARG001 - every widget takes the field's kind
    return f"<input{attrs(type='hidden', id=fid, name=field['variable_name'], value=as_text(ctx.value(field)))}>"


def yesno_checkbox(field: dict[str, Any], fid: str, ctx: FieldContext, kind: str) -> str:  # noqa: ARG001 - every widget takes the field's kind
    """One checkbox for a yes/no field; a hidden "False" first so an unchecked box still answers."""
    name = field["variable_name"]
    # The box always posts "True" when ticked; for noyes the engine inverts it (ticked means False).
    ticked_means = not str(field.get("datatype", "")).startswith("noyes")
    value = ctx.value(field)
    checked = as_text(value) == "True" if name in ctx.values else value is ticked_means
    on, off = "True", "False"
    others = field.get("uncheck_others")  # ticking this box clears the others (app.js), as docassemble's
    box = attrs(type="checkbox", id=fid, name=name, value=on, checked=checked, class_="form-check-input",
                data_uncheck_others=(json.dumps(others) if isinstance(others, list) else "*") if others else None,
                **described_by(fid, ctx.errors.get(name)))
    # docassemble's markup: the field's label is the box's own, in a <span> (scenarios click it)
    label = tag("label", f"<input{box}>" + tag("span", safe_html(field.get("label") or "")), for_=fid,
                class_="da-check da-choice form-check-label")
    return f"<input{attrs(type='hidden', name=name, value=off)}>{label}"


def choices_of(field: dict[str, Any]) -> list[dict[str, Any]]:
    choices = field.get("choices")
    if choices:
        return [c if isinstance(c, dict) else {"label": c, "value": c} for c in choices]
    if str(field.get("datatype", "")) in YESNO_RADIO:
        yes, no = ({"label": "Yes", "value": "True"}, {"label": "No", "value": "False"})
        both = [yes, no] if not str(field["datatype"]).startswith("noyes") else [no, yes]
        if str(field["datatype"]).endswith("maybe"):  # docassemble's third answer, which sets None
            both.append({"label": "I don\u2019t know", "value": "None"})
        return both
    return []


def selected_values(value: Any) -> set[str]:
    if isinstance(value, dict):
        return {str(k) for k, v in value.items() if v}
    if isinstance(value, list | tuple | set):
        return {as_text(v) for v in value}
    return {as_text(value)} if value is not None else set()


def choice_group(field: dict[str, Any], fid: str, ctx: FieldContext, kind: str) -> str:
    name = field["variable_name"]
    chosen = selected_values(ctx.value(field))
    itype = "checkbox" if kind == "checkboxes" else "radio"
    items = []
    for n, choice in enumerate(choices_of(field)):
        value = choice_value(choice)
        control = f"<input{attrs(type=itype, id=f'{fid}_{n}', name=name, value=value, checked=value in chosen, class_='form-check-input')}>"
        items.append(tag("label", control + tag("span", safe_html(choice.get("label") or "")), for_=f"{fid}_{n}",
                         class_="da-choice form-check-label") + choice_help(choice, f"{fid}_{n}"))
    marker = ""
    if object_none_of_the_above(field):  # keeps the object the variable holds (None: nothing picked)
        n = len(items)
        control = f"<input{attrs(type='radio', id=f'{fid}_{n}', name=name, value='None', checked='None' in chosen, class_='form-check-input')}>"
        items.append(tag("label", control + tag("span", esc(object_none_of_the_above(field))), for_=f"{fid}_{n}",
                         class_="da-choice form-check-label danota"))
    if kind == "checkboxes":
        marker = f"<input{attrs(type='hidden', name='_checkboxes', value=name)}>"
        if none_of_the_above(field):
            # not posted: ticking it clears the other boxes (app.js), so the group answers "none"
            n = len(items)
            control = f"<input{attrs(type='checkbox', id=f'{fid}_{n}', value='', class_='form-check-input danota-checkbox')}>"
            items.append(tag("label", control + tag("span", esc(none_of_the_above(field))), for_=f"{fid}_{n}",
                             class_="da-choice form-check-label danota"))
    error = ctx.errors.get(name)
    return (f'<fieldset id="{fid}" class="da-choices da-field-{itype}" aria-labelledby="{fid}-legend"'
            f'{attrs(**described_by(fid, error))}>'
            f'<div class="da-legend" id="{fid}-legend">{safe_html(field.get("label") or "")}</div>'
            f'<div class="da-choice-list">{"".join(items)}</div>{marker}</fieldset>')


def choice_value(choice: dict[str, Any]) -> str:
    """The value a choice posts: a `Null` choice posts 'None' (docassemble's text for it), so that
    choosing it answers the question rather than leaving it blank."""
    value = choice.get("value")
    return "None" if value is None else as_text(value)


def choice_help(choice: dict[str, Any], cid: str) -> str:
    """A choice's `help`: a small button after the choice (outside its label, so that opening the help
    does not tick the box) that shows the text under it, as the field help does."""
    if not choice.get("help"):
        return ""
    return (tag("button", "Help", type="button", class_="btn btn-link btn-sm p-0 ms-2 dafieldhelp dachoicehelp",
                aria_expanded="false", aria_controls=f"{cid}-help",
                aria_label="Help: " + html.unescape(plain_text(choice.get("label"))))
            + tag("div", safe_html(choice["help"]), id=f"{cid}-help", class_="da-help dahelptext form-text", hidden=True))


def none_of_the_above(field: dict[str, Any]) -> str:
    """The label of docassemble's "None of the above" box of a checkbox group ('' when it has none):
    added to `datatype: checkboxes` unless `none of the above: False`."""
    setting = field.get("none_of_the_above", field.get("none of the above", True))
    if setting is False or str(field.get("datatype")) not in ("checkboxes", "object_checkboxes"):
        return ""
    return "None of the above" if setting is True or setting is None else str(setting).strip()


def object_none_of_the_above(field: dict[str, Any]) -> str:
    """The label of an object_radio's `none of the above` choice ('' when it has none)."""
    setting = field.get("none_of_the_above", field.get("none of the above"))
    if str(field.get("datatype")) != "object_radio" or setting in (None, False, True):
        return ""
    return str(setting).strip()


def select(field: dict[str, Any], fid: str, ctx: FieldContext, kind: str) -> str:  # noqa: ARG001 - every widget takes the field's kind
    name = field["variable_name"]
    chosen = selected_values(ctx.value(field))
    options = ['<option value="">Select…</option>']
    for choice in choices_of(field):
        value = choice_value(choice)
        options.append(tag("option", plain_text(choice.get("label")), value=value, selected=value in chosen))
    control = tag("select", "".join(options), id=fid, name=name, required=bool(field.get("required")),
                  class_="form-select",
                  **described_by(fid, ctx.errors.get(name)))
    return label_for(field, fid) + control


def combobox(field: dict[str, Any], fid: str, ctx: FieldContext, kind: str) -> str:  # noqa: ARG001 - every widget takes the field's kind
    """docassemble's combobox: pick one of the choices or type another answer. A text box with the
    browser's own list of suggestions (a <datalist>: keyboard and screen-reader support built in)."""
    name = field["variable_name"]
    options = "".join(tag("option", plain_text(c.get("label")), value=as_text(c.get("value")))
                      for c in choices_of(field))
    control = attrs(type="text", id=fid, name=name, value=as_text(ctx.value(field)), list=f"{fid}-list",
                    class_="form-control combobox dacombobox", alt="Input box", autocomplete="off",
                    placeholder=field.get("hint"), required=bool(field.get("required")),
                    # a question's own `combobox:` has no label: the question names it
                    aria_labelledby=None if field.get("label") else "daMainQuestion",
                    **described_by(fid, ctx.errors.get(name)))
    label = label_for(field, fid) if field.get("label") else ""
    return label + tag("div", f"<input{control}>" + combobox_menu(field, fid), class_="combobox-container input-group") \
        + tag("datalist", options, id=f"{fid}-list")


def combobox_menu(field: dict[str, Any], fid: str) -> str:
    """docassemble's combobox toggle: a button opening the choices as a menu; picking one writes its label
    in the box (app.js), which the engine reads back as the choice's value."""
    items = "".join(tag("li", tag("a", plain_text(c.get("label")), href="#", class_="dropdown-item",
                                  data_value=as_text(c.get("value"))))
                    for c in choices_of(field))
    toggle = tag("button", "", type="button", class_="btn btn-outline-secondary dropdown-toggle dacomboboxtoggle",
                 data_bs_toggle="dropdown", aria_expanded="false", aria_label="Show the choices",
                 aria_controls=f"{fid}-menu")
    return toggle + tag("ul", items, id=f"{fid}-menu", class_="dropdown-menu dropdown-menu-end")


def upload_limits() -> tuple[int, int]:
    """(bytes per file, bytes per form) the deployment takes, for the page's own check before sending."""
    from offstage.settings import settings

    found = settings()
    return found.max_upload_bytes, found.max_upload_request_bytes


def direct_upload_limits() -> tuple[int, int]:
    """(files over this go straight to S3, the most bytes such a file may have); (0, 0): direct uploads off."""
    from offstage.settings import settings

    found = settings()
    return (found.direct_upload_over_bytes, found.max_direct_upload_bytes) if found.direct_upload_over_bytes else (0, 0)


def uploads_script(ctx: FieldContext) -> str:
    """uploads.js (the signature pad, the size check before sending), once per page, under the nonce."""
    if ctx.uploads_script:
        return ""
    ctx.uploads_script = True
    from offstage.web import static

    return f'<script src="{esc(static.url("uploads.js"))}"{nonce_attribute()}></script>'


def file_input(field: dict[str, Any], fid: str, ctx: FieldContext, kind: str) -> str:  # noqa: ARG001 - every widget takes the field's kind
    """`file`, `files`, `camera`, `microphone` ...: a file input whose `accept` is the field's (else the
    datatype's family) and whose `capture` asks phones for the camera or microphone."""
    datatype = str(field.get("datatype") or "file")
    name = field["variable_name"]
    per_file, per_form = upload_limits()
    direct_over, direct_most = direct_upload_limits()  # uploads.js sends bigger files straight to S3
    direct_over = min(direct_over, per_file)  # ... and any file the form itself could not carry
    # `file css class`: the author's classes on the file input (names only: nothing else gets in)
    extra = " ".join(re.findall(r"[A-Za-z0-9_-]+", str(field.get("file_css_class") or "")))
    control = attrs(type="file", id=fid, name=name, class_=f"form-control dafile {extra}".strip(),
                    accept=field.get("accept") or ACCEPT_OF.get(datatype), capture=CAPTURE_OF.get(datatype),
                    multiple=datatype == "files", data_max_bytes=direct_most or per_file, data_max_form_bytes=per_form,
                    data_direct_over=direct_over or None, data_max_image_size=field.get("maximum_image_size"),
                    data_image_type=field.get("image_upload_type"),
                    aria_required="true" if field.get("required") else None,
                    **described_by(fid, ctx.errors.get(name)))
    return label_for(field, fid) + f"<input{control}>" + uploads_script(ctx)


def signature_pad(field: dict[str, Any], fid: str, ctx: FieldContext, kind: str) -> str:  # noqa: ARG001 - every widget takes the field's kind
    """docassemble's signature screen: a canvas drawn on with mouse, pen or finger; uploads.js keeps the
    drawing as a PNG data URL in the hidden input, which is what the form posts."""
    name = field["variable_name"]
    kept = ctx.values.get(name)  # a drawing posted with answers refused elsewhere is shown again
    value = kept if isinstance(kept, str) and kept.startswith("data:image/png;base64,") else ""
    # docassemble's id: its browser steps ("I click inside the signature area") find the pad by it
    pad = tag("canvas", "Your browser cannot show the signature pad.", id="dasigcanvas", class_="da-signature-pad",
              width=600, height=200, role="img", aria_label="Signature pad: draw your signature here",
              # its own look (white paper with an edge, as wide as the screen allows), whatever the theme
              style="display:block;max-width:100%;height:auto;background:#fff;border:1px solid #6c757d;"
                    "border-radius:.375rem;touch-action:none;cursor:crosshair")
    clear = tag("button", "Clear", type="button", class_="btn btn-outline-secondary btn-sm da-signature-clear")
    # the keyboard's way to sign (WCAG 2.2): uploads.js writes the typed name on the pad; not posted itself
    typed = (tag("label", "Or type your name to sign", for_=f"{fid}-typed", class_="form-label da-signature-typed-label mt-2")
             + f"<input{attrs(type='text', id=f'{fid}-typed', class_='form-control da-signature-typed', autocomplete='name')}>")
    # the question's own text says what to sign (docassemble's screen has no label of its own)
    label = tag("div", safe_html(field["label"]), id=f"{fid}-label", class_="da-label") if field.get("label") else ""
    hidden_value = f"<input{attrs(type='hidden', id=fid, name=name, value=value)}>"
    return (f'<div class="da-signature" role="group" data-pen-color="{esc(field.get("pen_color") or "")}"'
            f'{attrs(aria_labelledby=f"{fid}-label" if label else None, **described_by(fid, ctx.errors.get(name)))}>'
            f"{label}{pad}<div>{clear}</div>{typed}{hidden_value}</div>" + uploads_script(ctx))


def needs_multipart(fields: list[dict[str, Any]]) -> bool:
    """A form with a file field is sent as multipart/form-data (its enctype)."""
    return any(str(f.get("datatype") or "") in FILE_DATATYPES for f in fields)


# `[FIELD name]` in a question's text (docassemble's embedded fields); a name may hold brackets (`x[0].y`)
_EMBEDDED = re.compile(r"\[FIELD\s+((?:[^\[\]\s]|\[[^\[\]]*\])+)\s*\]")
_EMBEDDABLE = frozenset({"text", "select", "combobox", "textarea"})
_WIDTH = re.compile(r"\d+(?:\.\d+)?(?:em|rem|ch|px|%|in|cm|mm|pt|vw)")  # `inline width: 15em`


def embed_fields(text_html: str, fields: list[dict[str, Any]], ctx: FieldContext) -> tuple[str, list[dict[str, Any]]]:
    """The text with each `[FIELD name]` of a field of the screen replaced by that field's control, and
    the fields left to show the usual way. The label becomes the control's tooltip and accessible name.
    A field whose control cannot sit in a line (choices as radio buttons or checkboxes, uploads ...)
    stays among the others, its mark removed."""
    if "[FIELD" not in text_html:
        return text_html, fields
    by_name = {f.get("variable_name"): f for f in fields if f.get("variable_name")}
    embedded: set[str] = set()

    def control(match: re.Match[str]) -> str:
        field = by_name.get(html.unescape(match.group(1)))
        if field is None:
            return match.group(0)  # not a field of this question: left as written, as docassemble does
        if control_kind(field) not in _EMBEDDABLE or field["variable_name"] in embedded:
            return ""
        embedded.add(field["variable_name"])
        return embedded_control(field, ctx)

    text_html = _EMBEDDED.sub(control, text_html)
    return text_html, [f for f in fields if f.get("variable_name") not in embedded]


def embedded_control(field: dict[str, Any], ctx: FieldContext) -> str:
    """One field's control inside a sentence: the same widget, without the label around it."""
    name = field["variable_name"]
    kind = control_kind(field)
    fid = ctx.next_id()
    error = ctx.errors.get(name)
    title = plain_text(field.get("label"))
    if title in ("", "no label"):  # docassemble's "no label": the variable's words name the control
        title = variable_words(name) or name
    widget = {"select": select, "textarea": textarea, "combobox": combobox}.get(kind, text_input)
    body = widget({**field, "label": None}, fid, ctx, kind)
    body = re.sub(r"<label[^>]*></label>", "", body, count=1)
    body = body.replace(f' id="{fid}"', f' id="{fid}" title="{esc(title)}" aria-label="{esc(title)}"', 1)
    body = re.sub(r' class="(form-control|form-select)', r' class="\1 da-embedded', body, count=1)
    width = str(field.get("inline_width") or "")
    if _WIDTH.fullmatch(width):
        body = body.replace(f' id="{fid}"', f' id="{fid}" style="width: {width}"', 1)
    if body.startswith("<textarea") or "aria-labelledby=" in body:
        body = body.replace(' aria-labelledby="daMainQuestion"', "", 1)
    if error:
        ctx.error_links.append((name, fid, f"{title}: {esc(error)}"))
        body += tag("span", esc(error), id=f"{fid}-error", class_="da-embedded-error")
    return tag("span", body, class_="da-embedded-field" + (" da-has-error" if error else ""), data_variable=name)
