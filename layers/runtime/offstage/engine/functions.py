"""The author functions the engine provides (library functions come from offstage.library)."""

from __future__ import annotations

import copy
import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from offstage.answers.registry import register
from offstage.context import UserInfo, current
from offstage.engine import signals, varpath
from offstage.engine.actions import encode_action, interview_link
from offstage.engine.tasks import BackgroundAction, BackgroundResult, TaskHandle, queue_task

_MISSING = (NameError, AttributeError, KeyError, IndexError)


# --- stopping the evaluation -------------------------------------------------------------------------


def message(title: str, subtitle: str = "", show_leave: bool = False, show_exit: bool | None = None,
            url: str | None = None, buttons: list[Any] | None = None, show_restart: bool | None = None,
            dead_end: bool = False, **_: Any) -> None:
    raise signals.Message(str(title), str(subtitle), show_leave=show_leave, show_exit=show_exit, url=url,
                          buttons=buttons, show_restart=show_restart, dead_end=dead_end)


def response(content: Any = None, response: Any = None, content_type: str | None = None,
             null: bool = False, sleep: float | None = None, response_code: int = 200,
             binaryresponse: bytes | None = None, url: str | None = None, **_: Any) -> None:
    body = response if response is not None else content
    raise signals.Response(body, content_type=content_type or "text/plain; charset=utf-8", null=null,
                           sleep=sleep, response_code=response_code, binary=binaryresponse, url=url)


def json_response(data: Any, response_code: int = 200, sleep: float | None = None) -> None:
    raise signals.Response(json.dumps(data, default=str), content_type="application/json",
                           response_code=response_code, sleep=sleep)


def command(kind: str = "exit", url: str | None = None, sleep: float | None = None) -> None:
    raise signals.Command(kind, url=url, sleep=sleep)


# --- background actions ------------------------------------------------------------------------------


def background_action(action: str, ui_notification: str | None = None, **kwargs: Any) -> TaskHandle:
    """Queue `action` to run in the background; the caller sends it after the answers are saved."""
    return queue_task(action, ui_notification, **kwargs)


def background_response(*pargs: Any, **kwargs: Any) -> None:
    if pargs and kwargs:
        value: Any = {"pargs": list(pargs), "kwargs": kwargs}
    elif len(pargs) > 1:
        value = list(pargs)
    elif pargs:
        value = pargs[0]
    else:
        value = dict(kwargs)
    raise signals.BackgroundResponse(value)


def background_response_action(action: str, **kwargs: Any) -> None:
    raise signals.BackgroundResponseAction(action, kwargs)


def background_error_action(action: str, **kwargs: Any) -> None:
    current().on_error = {"action": action, "arguments": kwargs}


# --- actions -----------------------------------------------------------------------------------------


def action_argument(name: str | None = None) -> Any:
    ctx = current()
    if name is None:
        return ctx.action
    return ctx.arguments.get(name)


def action_arguments() -> dict[str, Any]:
    found = copy.deepcopy(current().arguments)
    if "_initial" in found and "_changed" in found:
        del found["_initial"], found["_changed"]
    return found


def url_action(action: str, **kwargs: Any) -> str:
    ctx = current()
    return interview_link(ctx.url_root, ctx.interview_name, action=encode_action(action, kwargs))


def url_ask(data: Any) -> str:
    """A link that asks the named variables again, in order (see offstage.engine.ask_links)."""
    from offstage.engine.ask_links import FORCE_ASK, names_of

    return url_action(FORCE_ASK, variables=names_of(data))


def interview_url(**kwargs: Any) -> str:
    ctx = current()
    return interview_link(ctx.url_root, ctx.interview_name, ctx.session_id, **kwargs)


def interview_url_action(action: str, **kwargs: Any) -> str:
    ctx = current()
    return interview_link(ctx.url_root, ctx.interview_name, ctx.session_id,
                          action=encode_action(action, kwargs))


def process_action() -> None:
    current().evaluator.process_action()


# --- variables ---------------------------------------------------------------------------------------


def _namespace() -> dict[str, Any]:
    return current().answers


def defined(name: str) -> bool:
    """Whether the variable `name` (a name like `user.name.first`, never an expression) is defined."""
    try:
        value(name)
    except _MISSING:
        return False
    return True


def value(name: str) -> Any:
    """The value of the variable `name`; a missing one is sought as if the code had referenced it.

    Unlike docassemble, only a name is taken (`fruits[i]`, `user.name.first`): any other text is a
    ValueError, since a name may have come from a request.
    """
    return varpath.get(varpath.parse_name(name), _namespace())


def define(name: str, val: Any) -> None:
    """Set the variable `name` to `val`."""
    current().evaluator.assign(name, val)


def undefine(*names: str) -> None:
    """Make the variables undefined, so that they are asked or computed again when needed."""
    for name in names:
        current().evaluator.undefine(name)


def need(*pargs: Any) -> bool:  # noqa: ARG001 - docassemble's signature
    """Referencing the arguments already sought them; a string names a variable to seek."""
    return True


def force_ask(*names: Any) -> None:
    wanted = [varpath.parse_name(n).spelling for n in names if isinstance(n, str)]
    if wanted:
        current().evaluator.queue_forced(wanted[1:])
        raise signals.SeekName(wanted[0], force=True)


def force_gather(*names: Any, forget_prior: bool = False, evaluate: bool = False) -> None:  # noqa: ARG001 - docassemble's signature
    """Seek the names until they are defined, across screens: as force_ask, for what is not defined yet
    (a defined name is left as it is)."""
    wanted = [varpath.parse_name(n).spelling for n in names if isinstance(n, str) and not defined(n)]
    gather = current().answers.setdefault("_internal", {}).setdefault("gather", [])
    gather.extend(name for name in wanted if name not in gather)  # sought on every pass until defined
    if wanted:
        raise signals.SeekName(wanted[-1])


def reconsider(*names: str) -> None:
    evaluator = current().evaluator
    for name in names:
        if evaluator.reconsider_once(name):
            value(name)


def forget_result_of(*question_ids: str) -> None:
    """Forget what was picked on these questions (by `id`): passed on with `continue`, or an item with an
    embedded question, so that they are asked again when their variables are sought."""
    internal = current().answers.setdefault("_internal", {})
    for question_id in question_ids:
        passed = internal.get("passed on") or []
        if question_id in passed:
            passed.remove(question_id)
        (internal.get("embedded") or {}).pop(question_id, None)


def showifdef(name: str, default: Any = "", prior: bool = False) -> Any:  # noqa: ARG001 - docassemble's signature
    return value(name) if defined(name) else default


def set_save_status(status: str) -> None:
    if status not in ("new", "overwrite", "ignore"):
        raise ValueError(f"save status must be new, overwrite or ignore, not {status!r}")
    current().save_status = status


def set_status(**settings: Any) -> None:
    """docassemble's session settings, kept with the answers: `variable_access=False` refuses the
    page's get_interview_variables() (GET /interview/variables) for this session."""
    misc = current().answers.setdefault("_internal", {}).setdefault("misc", {})
    misc.update(settings)


def get_status(setting: str) -> Any:
    """A value set_status() kept (None when it was never set)."""
    return current().answers.get("_internal", {}).get("misc", {}).get(setting)


def variable_access_allowed(answers: dict[str, Any]) -> bool:
    """False when the interview said set_status(variable_access=False)."""
    misc = answers.get("_internal", {}).get("misc", {})
    return not isinstance(misc, dict) or misc.get("variable_access", True) is not False


def log(text: Any, priority: str = "log") -> None:
    current().log.append({"message": str(text), "priority": priority})


# --- the page and its menu ----------------------------------------------------------------------------

_PAGE_PARTS = ("title", "under", "right", "pre", "post", "submit", "continue button label")
# the navbar's and the page's own parts (offstage.engine.screen_parts draws them; `short` and `tab` are
# docassemble's other names of `short title` and `tab title`)
NAV_PARTS = ("short title", "tab title", "subtitle", "logo", "short logo", "exit link", "exit label", "exit url",
             "footer", "title url", "title url opens in other window", "navigation bar html", "css class")
PART_ALIASES = {"short": "short title", "tab": "tab title"}
# docassemble's other parts: accepted so interviews run, not shown (as other unsupported modifiers)
_UNSHOWN_PARTS = frozenset({
    "short", "tab", "help label", "back button label", "corner back button label",
    "resume button label", "date format", "time format", "datetime format", "table css class", *NAV_PARTS})


def set_parts(**kwargs: Any) -> None:
    """Set parts of the screens from now on: title, short title, tab title, logo, short logo, subtitle,
    footer, title url, exit link / label / url, navigation bar html, css class, under, right, pre,
    post, submit, continue button label (keys may use '_' for ' '); kept with the session, as
    docassemble keeps them.

    The date formats and the other labels are accepted and not used; a name docassemble does not
    know is an error.
    """
    parts = current().answers.setdefault("_internal", {}).setdefault("parts", {})
    for key, part in kwargs.items():
        name = key.replace("_", " ")
        if name not in _PAGE_PARTS and name not in _UNSHOWN_PARTS:
            raise ValueError(f"set_parts({key}=...): there is no screen part {name!r}")
        parts[PART_ALIASES.get(name, name)] = None if part is None else str(part)


def kept_parts() -> dict[str, str]:
    """What set_parts() set and has not cleared (part name -> text)."""
    from offstage.context import maybe_current

    ctx = maybe_current()
    kept = ((ctx.answers.get("_internal") or {}).get("parts") or {}) if ctx is not None else {}
    return {str(k): str(v) for k, v in kept.items() if v is not None}


def prevent_going_back() -> None:
    """No going back, now or later, to the screens up to the one this call was made on (docassemble's
    steps offset, kept with the answers; app.sessions.back_allowed reads it)."""
    ctx = current()
    vars(ctx)["offstage_no_back"] = True  # this screen, even when its answers are not saved
    internal = ctx.answers.setdefault("_internal", {})
    internal["steps_offset"] = int(internal.get("steps", 1))


def apply_page_parts(screen: Any, own: Collection[str] = ()) -> None:
    """What set_parts() and prevent_going_back() asked for, onto the screen being built; a part the
    question sets itself (`own`, e.g. its `under`) wins over set_parts(), as in docassemble."""
    from offstage.context import maybe_current

    ctx = maybe_current()
    if ctx is None:
        return
    known = vars(ctx)
    if known.get("offstage_no_back"):
        screen.can_go_back = False
    kept = (ctx.answers.get("_internal") or {}).get("parts") or {}
    parts = {name: part for name, part in kept.items() if name not in own and part is not None}
    if "title" in parts:
        screen.title = str(parts["title"])
    if "continue button label" in parts:
        from offstage.text import escape

        screen.continue_label = escape(str(parts["continue button label"]))
    from offstage.text import markdown_to_html

    if "under" in parts:
        screen.under_text = markdown_to_html(str(parts["under"]))
    if "right" in parts:
        screen.right_text = markdown_to_html(str(parts["right"]))
    for name in ("pre", "post", "submit"):
        if name in parts:
            setattr(screen, f"{name}_text", markdown_to_html(str(parts[name])))


def action_menu_item(label: str, action: str, **kwargs: Any) -> dict[str, Any]:
    """A `menu_items` entry that runs `action` (with arguments) when chosen."""
    size = kwargs.pop("_screen_size", None)
    item: dict[str, Any] = {"label": label, "url": url_action(action, **kwargs)}
    if size is not None:
        item["screen_size"] = size
    return item


def url_of(reference: Any, **kwargs: Any) -> str:
    """The URL of one of the places offstage has: 'interview' (this session), 'new_session' /
    'restart' (a new session of this interview), 'root' / 'exit' / 'leave' (the list of interviews),
    a DAFile's own URL, or a static file: `x.pdf` (the interview's data/static folder),
    `pkg:data/static/x.png` or `pkg:x.png` (an installed package's).

    docassemble's other places (login, profile, temp_url ...) are not served by offstage: asking for
    one is a ValueError naming it, as is a static file that does not exist.
    """
    ctx = current()
    if hasattr(reference, "url_for"):
        return str(reference.url_for())
    if reference == "interview":
        return interview_link(ctx.url_root, ctx.interview_name, ctx.session_id, **kwargs)
    if reference in ("new_session", "restart", "new"):
        return interview_link(ctx.url_root, ctx.interview_name, **kwargs)
    if reference in ("root", "exit", "leave", "logout", "interviews", "dispatch"):
        return ctx.url_root.rstrip("/") + "/"
    if isinstance(reference, str) and "." in reference:  # a file name: docassemble's places have no dot
        return _static_url(ctx, reference, kwargs.get("package"))
    raise ValueError(f"url_of({reference!r}): offstage has no such place to link to")


def _static_url(ctx: Any, reference: str, package: Any) -> str:
    from offstage.library.package_files import FileNotProvided, current_home
    from offstage.library.package_static import url_for

    if package and ":" not in reference:
        reference = f"{package}:{reference}"
    try:
        return url_for(reference, current_home(), ctx.interview_name, ctx.url_root)
    except FileNotProvided as exc:
        raise ValueError(f"url_of({reference!r}): no such static file ({exc})") from None


def set_live_help_status(availability: Any = None, mode: Any = None, partner_roles: Any = None) -> None:  # noqa: ARG001 - docassemble's signature
    """Live help (chat with an operator) is not part of offstage: accepted and ignored, so interviews
    that announce their status still run."""
    return


def dispatch(variable: str) -> bool:
    """A menu: `variable` names the screen to show next; shown, it is asked again until it is 'None'
    (a `Null` choice, which may arrive as None itself)."""
    while value(variable) not in ("None", None):
        chosen = value(variable)
        value(chosen)
        undefine(chosen)
        undefine(variable)
    undefine(variable)
    return True


# --- the answers as data ------------------------------------------------------------------------------


def all_variables(simplify: bool = True, include_internal: bool = False, special: str | None = None,
                  make_copy: bool = False) -> Any:
    """The session's variables: JSON-ready (objects as dicts, dates as ISO text) unless simplify=False;
    `special='metadata'` the interview's metadata (all its blocks merged), `special='tags'` the session's tags."""
    if special:
        return _special_variables(special)
    answers = current().answers
    chosen = {name: val for name, val in answers.items()
              if not name.startswith("__") and (include_internal or name not in ("_internal", "nav"))}
    if not simplify:
        return copy.deepcopy(chosen) if make_copy else chosen
    from offstage.answers.jsonsafe import json_safe

    return {name: json_safe(val) for name, val in chosen.items()}


def _special_variables(special: str) -> Any:
    if special == "metadata":
        return copy.deepcopy(current().interview.metadata)
    if special == "tags":
        from offstage.library.server import session_tags

        return set(session_tags())
    if special == "titles":
        return _titles(current().interview.metadata)
    raise ValueError(f"all_variables(special={special!r}) is not provided by offstage "
                     "(it gives 'metadata', 'tags' and 'titles')")


def _titles(metadata: dict[str, Any]) -> dict[str, str]:
    """The metadata's titles under both of docassemble's names for each (`title` and `full` ...)."""
    titles: dict[str, str] = {}
    for key, short in (("title", "full"), ("short title", "short"), ("tab title", "tab"), ("subtitle", "sub")):
        if metadata.get(key) is not None:
            titles[key] = titles[short] = str(metadata[key]).strip()
    return titles


def variables_as_json(include_internal: bool = False) -> None:
    """Respond with the session's variables as JSON (what docassemble's function does)."""
    json_response(all_variables(include_internal=include_internal))


def set_variables(variables: dict[str, Any], process_objects: bool = False) -> None:  # noqa: ARG001 - docassemble's signature
    """define() each name in the dictionary."""
    for name, val in variables.items():
        define(name, val)


@dataclass
class CurrentContext:
    """What `current_context()` tells interview code about the request."""

    session: str
    filename: str
    user: UserInfo
    action: str | None
    arguments: dict[str, Any]
    interface: str
    url_root: str
    inside_of: str = "standard"
    variable: str | None = None  # the name being sought now (a question's, while it is being built)
    package: str | None = None  # the installed package of the interview file, if any
    question_id: str | None = None  # offstage does not track the block running: None

    @property
    def current_package(self) -> str | None:
        return self.package


def current_context() -> CurrentContext:
    ctx = current()
    seeking = getattr(ctx.evaluator, "seeking", None) or [None]
    return CurrentContext(ctx.session_id, ctx.interview_name, ctx.user, ctx.action, dict(ctx.arguments),
                          ctx.interface, ctx.url_root, variable=seeking[-1], package=ctx.interview.package)


@register
class DATemplate:
    """What a `template:` block defines: its subject and content, rendered (Markdown source)."""

    def __init__(self, instance_name: str = "", subject: str = "", content: str = "") -> None:
        self.instanceName = instance_name
        self.subject = subject
        self.content = content

    def show(self, **_: Any) -> str:
        from offstage.text import markdown_to_html

        return markdown_to_html(self.content)

    def __str__(self) -> str:
        return self.content


@register
class DALazyTemplate(DATemplate):
    """What a `template` block defines, as docassemble's: its Mako is rendered each time the text is used,
    so it follows the answers, and `show(name=value)` renders it with names of the caller's."""

    def __init__(self, instance_name: str = "", source_subject: str = "", source_content: str = "",
                 bound: dict[str, Any] | None = None) -> None:
        self.instanceName = instance_name
        self.source_subject = source_subject
        self.source_content = source_content
        if bound:  # a generic block's `x` (the object) and indices (`i` ...), which its text names
            self.bound = dict(bound)

    def _render(self, source: str, names: dict[str, Any]) -> str:
        from offstage.text.mako import render

        namespace = current().answers
        extra = {**getattr(self, "bound", {}), **names}
        return render(source, {**namespace, **extra} if extra else namespace)

    @property  # rendered when read, where DATemplate holds the rendered text
    def content(self) -> str:  # type: ignore[override]
        return self._render(self.source_content, {})

    @property
    def subject(self) -> str:  # type: ignore[override]
        return self._render(self.source_subject, {}).strip()

    def show(self, **names: Any) -> str:
        from offstage.text import markdown_to_html

        return markdown_to_html(self._render(self.source_content, names))

    def as_serializable(self) -> dict[str, Any]:
        """The API's view: rendered within an interview; outside one (GET /api/session reads stored
        answers without running the interview) the template's own Mako text, under its own keys."""
        from offstage.context import maybe_current

        if maybe_current() is None:
            return {"instanceName": self.instanceName, "source_subject": self.source_subject,
                    "source_content": self.source_content}
        return {"instanceName": self.instanceName, "subject": self.subject, "content": self.content}


EXPORTS: dict[str, Any] = {
    fn.__name__: fn for fn in (
        message, response, url_ask, json_response, command, background_action, background_response,
        background_response_action, background_error_action, action_argument, action_arguments,
        url_action, interview_url, interview_url_action, process_action, defined, value, define, undefine,
        need, force_ask, force_gather, reconsider, forget_result_of, showifdef, set_save_status, set_status, get_status, log, current_context, set_parts,
        prevent_going_back, action_menu_item, url_of, set_live_help_status, dispatch, all_variables,
        variables_as_json, set_variables)
} | {"process_actions": process_action,  # the spelling of the seed's scheduled-task example
   "BackgroundAction": BackgroundAction, "DATemplate": DATemplate, "DALazyTemplate": DALazyTemplate, "BackgroundResult": BackgroundResult,
     "TaskHandle": TaskHandle}
