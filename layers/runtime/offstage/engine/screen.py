"""The screen a step shows: a plain model the web page renders and the JSON API returns.

Texts are HTML already (Mako rendered, then Markdown). `to_json()` uses docassemble's key names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The name under which a question's `choices:` without a `field:` post the item picked: the button pressed
PICKED_BUTTON = "_button"


@dataclass
class ScreenField:
    variable_name: str | None
    label: str | None  # HTML
    datatype: str = "text"
    choices: list[dict[str, Any]] | None = None  # [{label (HTML), value}]
    default: Any = None
    required: bool = True
    hint: str | None = None
    inputtype: str | None = None
    min: Any = None
    max: Any = None
    note: str | None = None  # HTML of a note/html item
    extras: dict[str, Any] = field(default_factory=dict)  # js show if, js enable if, ...

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"variable_name": self.variable_name, "label": self.label,
                                "datatype": self.datatype, "required": self.required}
        for key in ("choices", "default", "hint", "inputtype", "min", "max", "note"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        for key, val in self.extras.items():
            data[key.replace(" ", "_")] = val
        return data


@dataclass
class ScreenButton:
    label: str  # HTML
    value: Any
    kind: str = "choice"  # choice (sets the question's field) | special (continue, refresh, exit ...)
    #                        | maybe (yesnomaybe's third answer) | link (opens `url`)
    url: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = {"label": self.label, "value": self.value, "kind": self.kind}
        if self.url:
            data["url"] = self.url
        return data


@dataclass
class Screen:
    question_type: str  # fields, yesno, noyes, multiple_choice, buttons, settrue, deadend, message, error
    question_text: str = ""
    subquestion_text: str | None = None
    under_text: str | None = None
    right_text: str | None = None
    help_text: str | None = None
    help_label: str | None = None  # text: a `help:` dict's `label`, the help tab's name on this screen
    back_label: str | None = None  # text: `back button label`, the question back button's
    pre_text: str | None = None  # above the question (`pre`), below the buttons (`post`), above them (`submit`)
    post_text: str | None = None
    submit_text: str | None = None
    fields: list[ScreenField] = field(default_factory=list)
    buttons: list[ScreenButton] = field(default_factory=list)
    continue_label: str = "Continue"
    reload_after: int | None = None  # milliseconds
    checkin: str | None = None  # the `check in` action
    targets: list[str] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    event_list: list[str] = field(default_factory=list)
    block_id: str | None = None
    can_go_back: bool = True
    title: str = ""
    script: str | None = None
    css: str | None = None
    flash: list[dict[str, str]] = field(default_factory=list)  # log(msg, priority) messages
    error: dict[str, Any] | None = None
    # the page around the question (offstage.engine.screen_parts)
    progress: float | None = None  # the progress bar's value (None: no bar)
    progress_percentage: bool = False  # `show progress bar percentage`
    sections: dict[str, Any] | None = None  # {style, items} of the section navigation
    decoration: str | None = None  # the image name by the question's title
    images: dict[str, str] = field(default_factory=dict)  # interview image name -> URL, for `:name:` and the decoration
    attributions: list[str] = field(default_factory=list)  # HTML: the image sets' credits of the images shown
    parts: dict[str, str] = field(default_factory=dict)  # logo, short title, footer (HTML), exit label ...
    css_class: str | None = None  # the question's `css class`, on the page's <body>
    navbar_back: bool = True  # `features: navigation back button: False` hides the navbar's Back
    navbar_inverse: bool = True  # docassemble's dark ("inverse") navbar; `features: inverse navbar: False`
    action_buttons: list[dict[str, Any]] = field(default_factory=list)  # `action buttons` (engine.action_buttons)
    question_back: bool | None = None  # the question's `back button` (None: the interview's feature decides)

    def text(self) -> str:
        """Every visible text of the screen, HTML tags kept: what tests and the CLI look for phrases in."""
        parts = [self.pre_text, self.question_text, self.subquestion_text, self.submit_text, self.under_text,
                 self.right_text, self.post_text]
        parts += [f.label for f in self.fields] + [b.label for b in self.buttons]
        parts += [m["message"] for m in self.flash]
        parts += [b["label"] for b in self.action_buttons]
        return "\n".join(p for p in parts if p)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "questionType": self.question_type, "questionText": self.question_text,
            "fields": [f.to_json() for f in self.fields], "buttons": [b.to_json() for b in self.buttons],
            "continueLabel": self.continue_label, "event_list": list(self.event_list),
            "block_id": self.block_id, "can_go_back": self.can_go_back, "title": self.title,
            "targets": list(self.targets), "attachments": list(self.attachments),
        }
        optional = {"subquestionText": self.subquestion_text, "underText": self.under_text,
                    "rightText": self.right_text, "helpText": self.help_text, "helpLabel": self.help_label, "backLabel": self.back_label, "preText": self.pre_text,
                    "postText": self.post_text, "submitText": self.submit_text,
                    "reload_after": self.reload_after, "checkin": self.checkin, "script": self.script,
                    "css": self.css, "error": self.error}
        data.update({k: v for k, v in optional.items() if v is not None})
        if self.flash:
            data["flash"] = list(self.flash)
        if self.action_buttons:
            data["actionButtons"] = [dict(b) for b in self.action_buttons]
        if self.question_back is not None:
            data["questionBackButton"] = self.question_back
        data.update(self._surroundings())
        return data

    def _surroundings(self) -> dict[str, Any]:
        found: dict[str, Any] = {"progress": self.progress, "sections": self.sections, "decoration": self.decoration,
                                 "cssClass": self.css_class}
        found = {k: v for k, v in found.items() if v is not None}
        if not self.navbar_back:
            found["navbarBack"] = False
        if not self.navbar_inverse:
            found["navbarInverse"] = False
        if self.progress is not None and self.progress_percentage:
            found["progressPercentage"] = True
        for key, value in (("images", self.images), ("attributions", self.attributions), ("parts", self.parts)):
            if value:
                found[key] = value.copy()
        return found


def reload_after_ms(value: Any) -> int | None:
    """docassemble's `reload:` rule: True -> 10 s, digits -> that many seconds, at least 4 s."""
    if value is None or value is False:
        return None
    if value is True:
        seconds = 10
    else:
        text = str(value).strip()
        if text.lower() in ("false", "none", "null", ""):
            return None
        if text.lower() == "true":
            seconds = 10
        else:
            digits = "".join(c for c in text if c.isdigit())
            seconds = int(digits) if digits else 10
    return max(seconds, 4) * 1000
