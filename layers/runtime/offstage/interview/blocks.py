"""One small class per kind of block; `make_block` picks the kind from the keys of a YAML document."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from offstage.interview.errors import Origin, invalid
from offstage.interview.fields import Choice, Field, parse_buttons, parse_choices, parse_fields

COMMON_KEYS = frozenset({"id", "if", "comment", "language", "generic object", "mandatory", "initial",
                         "reconsider", "depends on", "undefine", "scan for variables", "allow emailing",
                         "allow downloading", "role", "need", "sets", "only sets", "event", "supersedes"})


class Block:
    """A YAML document of the interview. `number` is 1-based; `names` are the variables it defines."""

    kind: ClassVar[str] = "block"
    keys: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, data: dict[str, Any], origin: Origin, key_lines: dict[str, int] | None = None) -> None:
        self.data = data
        self.key_lines = key_lines or {}
        self.origin = origin
        self.number = origin.number
        self.id: str = str(data["id"]) if "id" in data else f"block-{origin.number}"
        self.condition: str | None = _text_or_none(data, "if", origin)
        self.generic: str | None = _text_or_none(data, "generic object", origin)
        self.mandatory = _flag(data.get("mandatory", False))
        self.initial = _flag(data.get("initial", False))
        self.reconsider = _flag(data.get("reconsider", False))
        self.events: list[str] = _name_list(data.get("event"), origin, "event")
        self.need: list[str] = _name_list(data.get("need"), origin, "need")
        self.cache: dict[str, Any] = {}  # compiled code / templates, built on first use

    def names(self) -> list[str]:
        """Variables this block can define when sought (events included)."""
        return list(self.events)

    def describe(self) -> str:
        named = f" (id {self.data['id']})" if "id" in self.data else ""
        return f"{self.origin.source}, block {self.number}{named} at line {self.origin.line}"


class MetadataBlock(Block):
    kind = "metadata"
    keys = frozenset({"metadata", "comment"})


class ModulesBlock(Block):
    """`modules:` (from X import *) and `imports:` (import X)."""

    kind = "modules"
    keys = frozenset({"modules", "imports", "comment"})

    def __init__(self, data: dict[str, Any], origin: Origin, key_lines: dict[str, int] | None = None) -> None:
        super().__init__(data, origin, key_lines)
        self.star_modules = _name_list(data.get("modules"), origin, "modules")
        self.imports = _name_list(data.get("imports"), origin, "imports")


class IncludeBlock(Block):
    kind = "include"
    keys = frozenset({"include", "comment"})

    def __init__(self, data: dict[str, Any], origin: Origin, key_lines: dict[str, int] | None = None) -> None:
        super().__init__(data, origin, key_lines)
        self.files = _name_list(data["include"], origin, "include")


class SettingsBlock(Block):
    """Interview-wide settings kept as data: features, default screen parts, image sets, sections ..."""

    kind = "settings"
    keys = frozenset({"features", "default screen parts", "image sets", "images", "sections",
                      "interview help", "default role", "default language", "translations", "terms",
                      "auto terms", "machine learning storage", "comment", "id", "default validation messages",
                      "auto open", "progressive"})


class ObjectsBlock(Block):
    """`objects:` - each item `name: ClassName` or `name: ClassName.using(...)`."""

    kind = "objects"
    keys = COMMON_KEYS | {"objects"}

    def __init__(self, data: dict[str, Any], origin: Origin, key_lines: dict[str, int] | None = None) -> None:
        super().__init__(data, origin, key_lines)
        raw = data["objects"]
        raw = [raw] if isinstance(raw, dict) else raw
        if not isinstance(raw, list):
            raise invalid(origin, "objects must be a list of 'name: Class' items")
        self.objects: list[tuple[str, str]] = []
        for item in raw:
            if not isinstance(item, dict):
                raise invalid(origin, f"each item of objects must be 'name: Class', got {item!r}")
            for name, cls in item.items():
                if not isinstance(cls, str):
                    raise invalid(origin, f"the class of object {name!r} must be text")
                self.objects.append((str(name), cls.strip()))

    def names(self) -> list[str]:
        return [name for name, _ in self.objects] + self.events


class CodeBlock(Block):
    kind = "code"
    keys = COMMON_KEYS | {"code", "default role"}

    def __init__(self, data: dict[str, Any], origin: Origin, key_lines: dict[str, int] | None = None) -> None:
        super().__init__(data, origin, key_lines)
        if "default role" in data:  # docassemble runs the code of a `default role` block on every pass
            self.initial = True
        if not isinstance(data["code"], str):
            raise invalid(origin, f"code must be Python text, not {type(data['code']).__name__}")
        self.source: str = data["code"]
        self.calls_process_action = "process_action(" in self.source or "process_actions(" in self.source
        self.compiled = _compile(self.source, origin, self.key_lines.get("code", origin.line) + 1)

    def names(self) -> list[str]:
        if self.events or self.initial:  # an event runs only when its name is asked for
            return list(self.events)
        # `only sets: x`: a definer of x alone; `scan for variables: False`: of nothing (it runs as written)
        if "only sets" in self.data:
            return _name_list(self.data["only sets"], self.origin, "only sets")
        # `sets: x`: a definer of x besides what it assigns (`x.initializeAttribute('child', ...)`)
        declared = _name_list(self.data.get("sets"), self.origin, "sets")
        if self.data.get("scan for variables") is False:
            return declared
        from offstage.interview.names import assigned_names

        return assigned_names(self.source) + declared


class TemplateBlock(Block):
    kind = "template"
    keys = COMMON_KEYS | {"template", "subject", "content", "content file", "subject file", "target",
                          "decoration", "usedefs"}

    def __init__(self, data: dict[str, Any], origin: Origin, key_lines: dict[str, int] | None = None) -> None:
        super().__init__(data, origin, key_lines)
        self.name = _text(data, "template", origin)
        self.subject = _text_or_none(data, "subject", origin)
        self.content = _text_or_none(data, "content", origin)
        raw_file = data.get("content file")
        self.content_file_code: str | None = None
        if isinstance(raw_file, dict) and set(raw_file) == {"code"} and isinstance(raw_file["code"], str):
            self.content_file_code = raw_file["code"]  # the file's name given by a Python expression
            self.content_file: str | None = None
        else:
            self.content_file = _text_or_none(data, "content file", origin)
        self.target = _text_or_none(data, "target", origin)
        if self.content is None and self.content_file is None and self.content_file_code is None:
            raise invalid(origin, f"template {self.name!r} needs content or content file")

    def names(self) -> list[str]:
        return [self.name, *self.events]


class AttachmentBlock(Block):
    """A standalone `attachment(s):` block whose `variable name` is defined by assembling it."""

    kind = "attachment"
    keys = COMMON_KEYS | {"attachment", "attachments"}

    def __init__(self, data: dict[str, Any], origin: Origin, key_lines: dict[str, int] | None = None) -> None:
        super().__init__(data, origin, key_lines)
        self.attachments = parse_attachments(data, origin)

    def names(self) -> list[str]:
        return [a["variable name"] for a in self.attachments if "variable name" in a] + self.events


QUESTION_KEYS = COMMON_KEYS | frozenset({
    "question", "subquestion", "under", "right", "help", "fields", "field", "buttons", "yesno", "noyes",
    "yesnomaybe", "noyesmaybe", "choices", "dropdown", "combobox", "reload", "check in",
    "continue button field", "continue button label", "resume button label", "prevent going back",
    "decoration", "script", "css", "attachment", "attachments", "attachment code", "attachments code",
    "progress", "section", "audio", "video", "signature", "review", "back button", "back button label",
    "corner back button label", "hide continue button", "disable continue button", "allowed to set",
    "action buttons", "breadcrumb", "terms", "auto terms", "validation code", "css class",
    "table css class", "continue button color", "resume button color", "back button color", "default",
    "shuffle", "under text", "subtitle", "title", "short title", "tabular", "template", "content",
    "required", "pen color",  # of a `signature:` question
    "pre", "post", "submit", "list collect",
    "skip undefined",  # of a review screen: offstage shows `review` screens as plain questions (guide)
    "datatype",  # of `field:` + `buttons:`/`choices:`: the chosen value's type
    "usedefs",
})


class QuestionBlock(Block):
    kind = "question"
    keys = QUESTION_KEYS

    def __init__(self, data: dict[str, Any], origin: Origin, key_lines: dict[str, int] | None = None) -> None:
        super().__init__(data, origin, key_lines)
        self.question = _text(data, "question", origin)
        for part in ("subquestion", "under", "right", "script", "css", "reload", "check in", "pre", "post"):
            _text_or_none(data, part, origin)
        if not isinstance(data.get("help"), dict):  # help as a dict: {label, content, audio, video}
            _text_or_none(data, "help", origin)
        self.pre, self.post = data.get("pre"), data.get("post")
        self.subquestion = data.get("subquestion")
        self.under, self.right, self.help = data.get("under"), data.get("right"), data.get("help")
        self.script, self.css, self.checkin = data.get("script"), data.get("css"), data.get("check in")
        self.reload = data.get("reload")
        self.fields: list[Field] = parse_fields(data["fields"], origin) if "fields" in data else []
        self.field: str | None = _text_or_none(data, "field", origin)
        self.yesno = _text_or_none(data, "yesno", origin) or _text_or_none(data, "yesnomaybe", origin)
        self.noyes = _text_or_none(data, "noyes", origin) or _text_or_none(data, "noyesmaybe", origin)
        self.maybe = "yesnomaybe" in data or "noyesmaybe" in data
        self.maybe_label = "I don\u2019t know"  # as docassemble's smart quotes show it
        self.continue_field = _text_or_none(data, "continue button field", origin)
        # choices or buttons given by code: `buttons: {code: ...}` (or `- code: ...` as the only item)
        self.buttons_code = _code_of(data.get("buttons"), origin, "buttons")
        self.buttons: list[Choice] = (parse_buttons(data["buttons"], origin, bool(self.field))
                                      if "buttons" in data and self.buttons_code is None else [])
        raw_choices = data.get("choices", data.get("dropdown", data.get("combobox")))
        self.choices_code = _code_of(raw_choices, origin, "choices")
        self.choices: list[Choice] = (parse_choices(raw_choices, origin, "choices")
                                      if raw_choices and self.choices_code is None else [])
        self.embedded: list[QuestionBlock] = self._embedded(origin)
        self.embedded_in: str | None = None  # the id of the question this one is embedded in
        self.list_collect, self.list_name, self.list_label = _list_collect(data, self.fields, origin)
        # `is final: False`: Continue leaves `there_is_another` to be asked (docassemble's list collect option)
        self.list_final = not (isinstance(data.get("list collect"), dict) and data["list collect"].get("is final") is False)
        self.validation_code = data.get("validation code")
        if self.validation_code is not None:
            if not isinstance(self.validation_code, str):
                raise invalid(origin, "validation code must be Python text")
            self.compiled_validation = _compile(self.validation_code, origin,
                                                self.key_lines.get("validation code", origin.line) + 1)
        self.sets: list[str] = _name_list(data.get("sets"), origin, "sets")
        self.attachments = parse_attachments(data, origin)
        self.attachment_code = data.get("attachment code", data.get("attachments code"))
        self.prevent_going_back = _flag(data.get("prevent going back", False))
        if self.fields and (self.field or self.yesno or self.noyes):
            raise invalid(origin, "a question cannot have both fields and field/yesno/noyes")
        self.signature = _text_or_none(data, "signature", origin)
        if self.signature:  # docassemble's signature screen: one field, the drawing pad
            if self.fields or self.field or self.yesno or self.noyes:
                raise invalid(origin, "a signature question cannot also have fields, field, yesno or noyes")
            extras = {"pen color": data["pen color"]} if "pen color" in data else {}
            self.fields = [Field(None, self.signature, "signature", required=data.get("required", True),
                                 extras=extras)]

    def _embedded(self, origin: Origin) -> list[QuestionBlock]:
        """Questions embedded in choices (`- Red: {question: ..., field: ...}`): asked only through this one."""
        found: list[QuestionBlock] = []
        for item in self.buttons + self.choices:
            if item.embedded is not None:
                made = QuestionBlock(item.embedded, origin)
                made.id = f"{self.id} (embedded {len(found) + 1})"
                made.embedded_in = self.id
                found.append(made)
        return found

    def embedded_for(self, picked: Any) -> QuestionBlock | None:
        """The embedded question of the item whose value is `picked`, if it has one."""
        items = [item for item in self.buttons + self.choices if item.embedded is not None]
        for item, block in zip(items, self.embedded, strict=True):
            if picked == item.value or str(picked) == str(item.value):
                return block
        return None

    def names(self) -> list[str]:
        found = [f.variable for f in self.fields if f.variable]
        for inner in self.embedded:  # what an embedded question sets, this one defines (by way of it)
            found += [name for name in inner.names() if name not in found]
        # an object_checkboxes field fills its list, so it also answers `<list>.gathered`
        found += [f"{f.variable}.gathered" for f in self.fields if f.variable and f.datatype == "object_checkboxes"]
        for name in (self.field, self.yesno, self.noyes, self.continue_field):
            if name:
                found.append(name)
        if any(c.code for c in self.buttons + self.choices):  # items whose choice runs code define its names
            from offstage.interview.names import assigned_names

            for item in self.buttons + self.choices:
                found += assigned_names(item.code) if item.code else []
        return found + self.sets + self.events


def _list_collect(data: dict[str, Any], fields: list[Field], origin: Origin) -> tuple[Any, str | None, str | None]:
    """`list collect`: True/False, a Python condition, or {enable, label}; and the list its fields fill
    (the part of their variables before `[i]`, the same for every field)."""
    raw = data.get("list collect")
    if raw is None or raw is False:
        return False, None, None
    label = None
    if isinstance(raw, dict):
        label = raw.get("label")
        raw = raw.get("enable", True)
    if not isinstance(raw, (bool, str)):
        raise invalid(origin, "list collect must be True, False, a Python condition or {enable, label}")
    lists = {f.variable.split("[i]", 1)[0] for f in fields if f.variable}
    if len(lists) != 1 or not all("[i]" in (f.variable or "[i]") for f in fields):
        raise invalid(origin, "list collect needs fields that are all items of one list (x[i] or x[i].attribute)")
    return raw, lists.pop(), None if label is None else str(label)


def _code_of(raw: Any, origin: Origin, what: str) -> str | None:
    """The Python text of choices given by code (`{code: ...}` or a list of one `code:` item), else None."""
    if isinstance(raw, list) and len(raw) == 1 and isinstance(raw[0], dict) and set(raw[0]) == {"code"}:
        raw = raw[0]
    if isinstance(raw, dict) and set(raw) <= {"code", "exclude"} and "code" in raw:
        if not isinstance(raw["code"], str):
            raise invalid(origin, f"the code of {what} must be Python text")
        return raw["code"]
    return None


class DefBlock(Block):
    """`def: name` + `mako: <%def ...>`: Mako functions a block with `usedefs: name` can call."""

    kind = "def"
    keys = frozenset({"def", "mako", "comment"})

    def __init__(self, data: dict[str, Any], origin: Origin, key_lines: dict[str, int] | None = None) -> None:
        super().__init__(data, origin, key_lines)
        self.name = _text(data, "def", origin)
        if "mako" not in data:
            raise invalid(origin, f"def {self.name!r} needs its Mako text (mako:)")
        self.mako = _text(data, "mako", origin)


class OrderBlock(Block):
    """`order: [id, id ...]`: among blocks defining the same variable, the earlier id is tried first."""

    kind = "order"
    keys = frozenset({"order", "comment"})

    def __init__(self, data: dict[str, Any], origin: Origin, key_lines: dict[str, int] | None = None) -> None:
        super().__init__(data, origin, key_lines)
        self.order = _name_list(data["order"], origin, "order")


class ResetBlock(Block):
    """`reset: [names]`: variables computed again on every request (as code with `reconsider: True`)."""

    kind = "reset"
    keys = frozenset({"reset", "comment"})

    def __init__(self, data: dict[str, Any], origin: Origin, key_lines: dict[str, int] | None = None) -> None:
        super().__init__(data, origin, key_lines)
        self.reset = _name_list(data["reset"], origin, "reset")


class OnChangeBlock(Block):
    """`on change: {variable: code}`: code run when a request changes that variable."""

    kind = "on change"
    keys = frozenset({"on change", "comment"})

    def __init__(self, data: dict[str, Any], origin: Origin, key_lines: dict[str, int] | None = None) -> None:
        super().__init__(data, origin, key_lines)
        raw = data["on change"]
        if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
            raise invalid(origin, "on change must be a mapping of 'variable: Python code'")
        line = self.key_lines.get("on change", origin.line)
        self.changes: dict[str, Any] = {str(k).strip(): _compile(v, origin, line) for k, v in raw.items()}


class DataBlock(Block):
    """`variable name:` + `data:` (texts through Mako) or `data from code:` (each text a Python expression)."""

    kind = "data"
    keys = COMMON_KEYS | {"variable name", "data", "data from code", "use objects", "gathered"}

    def __init__(self, data: dict[str, Any], origin: Origin, key_lines: dict[str, int] | None = None) -> None:
        super().__init__(data, origin, key_lines)
        self.name = _text(data, "variable name", origin)
        if ("data" in data) == ("data from code" in data):
            raise invalid(origin, "a data block needs one of data or data from code")
        self.from_code = "data from code" in data
        self.structure = data["data from code"] if self.from_code else data["data"]
        self.use_objects = data.get("use objects", False)
        if self.use_objects not in (False, True, None, "objects"):
            raise invalid(origin, f"use objects: {self.use_objects!r} is not supported (True, False or objects)")
        self.gathered = _flag(data.get("gathered", True))

    def names(self) -> list[str]:
        return [self.name, *self.events]


# Keys of a table block offstage renders; `edit`, `delete buttons` & co. are accepted but the table is
# shown without its Actions column (the authors' guide says so).
TABLE_KEYS = frozenset({"table", "rows", "columns", "show if empty", "require gathered", "show incomplete",
                        "not available label", "sort key", "sort reverse", "filter", "edit", "delete buttons",
                        "confirm", "read only", "allow reorder", "allow reordering", "edit header", "header"})


class TableBlock(Block):
    """`table:` names a variable whose text is a Markdown table of `rows`, one column per `columns` item."""

    kind = "table"
    keys = COMMON_KEYS | TABLE_KEYS

    def __init__(self, data: dict[str, Any], origin: Origin, key_lines: dict[str, int] | None = None) -> None:
        super().__init__(data, origin, key_lines)
        self.name = _text(data, "table", origin)
        self.rows = _text(data, "rows", origin)
        raw = data.get("columns")
        if not isinstance(raw, list) or not raw:
            raise invalid(origin, f"table {self.name!r} needs columns: a list of 'Header: expression' items")
        self.columns: list[tuple[str, str]] = []
        for item in raw:
            if isinstance(item, dict) and "header" in item and "cell" in item:
                header, cell = item["header"], item["cell"]
            elif isinstance(item, dict) and len(item) == 1:
                (header, cell), = item.items()
            else:
                raise invalid(origin, f"each column of table {self.name!r} must be 'Header: expression', got {item!r}")
            if isinstance(cell, (int, float)) and not isinstance(cell, bool):
                cell = str(cell)
            if not isinstance(cell, str):
                raise invalid(origin, f"the cell of column {header!r} must be a Python expression")
            self.columns.append((str(header), cell))
        edit = data.get("edit")
        if edit is not None and not isinstance(edit, bool) and not (
                isinstance(edit, list) and edit and all(isinstance(e, str) for e in edit)):
            raise invalid(origin, f"edit of table {self.name!r} must be True, False or a list of attribute names")
        for key in ("show if empty", "not available label", "sort key", "filter"):
            if data.get(key) is not None and not isinstance(data[key], (str, bool)):
                raise invalid(origin, f"{key} of table {self.name!r} must be text")

    def names(self) -> list[str]:
        return [self.name, *self.events]


def parse_attachments(data: dict[str, Any], origin: Origin) -> list[dict[str, Any]]:
    raw = data.get("attachment", data.get("attachments"))
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else [raw]
    for item in items:
        if not isinstance(item, dict):
            raise invalid(origin, f"an attachment must be a mapping, got {item!r}")
        _check_attachment(item, origin)
    return items


ATTACHMENT_SOURCES = ("content", "content file", "docx template file", "pdf template file")


def _check_attachment(item: dict[str, Any], origin: Origin) -> None:
    """What `offstage check` can tell before a document is made: one source, fields of the right shape."""
    label = f"attachment {item.get('name') or item.get('filename') or item.get('variable name') or ''}".strip()
    sources = [key for key in ATTACHMENT_SOURCES if item.get(key) is not None]
    if len(sources) != 1:
        found = " and ".join(sources) if sources else "none of them"
        raise invalid(origin, f"{label} needs one of {', '.join(ATTACHMENT_SOURCES)} (it has {found})")
    fields = item.get("fields")
    if fields is not None and not isinstance(fields, dict) and not (
            isinstance(fields, list) and all(isinstance(f, dict) for f in fields)):
        raise invalid(origin, f"{label}: fields must be a mapping or a list of 'name: value' items")
    if item.get("variable name") is not None and not isinstance(item["variable name"], str):
        raise invalid(origin, f"{label}: variable name must be a name")


# Order matters: the first kind whose marker key is present wins.
KINDS: list[tuple[str, type[Block]]] = [
    ("metadata", MetadataBlock), ("modules", ModulesBlock), ("imports", ModulesBlock),
    ("include", IncludeBlock), ("objects", ObjectsBlock), ("question", QuestionBlock),
    ("template", TemplateBlock), ("code", CodeBlock), ("attachment", AttachmentBlock),
    ("attachments", AttachmentBlock), ("table", TableBlock), ("data", DataBlock),
    ("data from code", DataBlock), ("def", DefBlock), ("order", OrderBlock), ("reset", ResetBlock),
    ("on change", OnChangeBlock),
]


def make_block(data: Any, origin: Origin, key_lines: dict[str, int]) -> Block:
    if not isinstance(data, dict):
        raise invalid(origin, f"a block must be a mapping of keys, got {type(data).__name__}")
    cls = next((c for key, c in KINDS if key in data), None)
    if cls is None and data.keys() <= SettingsBlock.keys:
        cls = SettingsBlock
    if cls is None:
        keys = ", ".join(repr(k) for k in data)
        raise invalid(origin, f"block is none of the known kinds (keys: {keys})")
    for key in data:
        if key not in cls.keys:
            raise invalid(origin, f"unknown key {key!r} in a {cls.kind} block", key_lines.get(str(key)))
    return cls(data, origin, key_lines)


def _flag(value: Any) -> Any:
    """True/False, or Python text evaluated at run time (mandatory: some_condition)."""
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return value


def _text(data: dict[str, Any], key: str, origin: Origin) -> str:
    value = data[key]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise invalid(origin, f"{key} must be text, not {type(value).__name__}")
    return value


def _text_or_none(data: dict[str, Any], key: str, origin: Origin) -> str | None:
    if data.get(key) is None:
        return None
    if isinstance(data[key], bool) and key in ("reload",):
        return cast("str | None", data[key])
    return _text(data, key, origin)


def _name_list(value: Any, origin: Origin, key: str) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    for item in items:
        if not isinstance(item, str):
            raise invalid(origin, f"{key} must be a name or a list of names, got {item!r}")
    return [item.strip() for item in items]


def _compile(source: str, origin: Origin, first_line: int) -> Any:
    try:
        return compile(source, f"<{origin.source} block {origin.number}>", "exec")
    except SyntaxError as exc:
        line = first_line + (exc.lineno or 1) - 1
        raise invalid(origin, f"Python syntax error in code: {exc.msg}", line) from None
