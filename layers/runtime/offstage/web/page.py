"""Whole HTML pages: a question screen, the list of interviews, an error page.

Question, subquestion, under and right texts arrive as HTML already rendered by the engine (Markdown,
Mako, `[TARGET x]` spans); they, and every other HTML area (labels, notes, flash messages, documents),
pass the one sanitizer (`safe_html`) on the way to the page; every other value is escaped here. Scripts
the page runs carry the response's nonce (offstage.web.security).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from offstage.settings import CHECKIN_INTERVAL_MS
from offstage.text.sanitize import safe_html
from offstage.web import static
from offstage.web.decorations import decoration, inline_images
from offstage.web.fields import FieldContext, embed_fields, needs_multipart, render_fields
from offstage.web.markup import as_text, attrs, esc, inline_icons, plain_text, tag, uses_icons
from offstage.web.navparts import navbar_brand, page_body, with_exit_part
from offstage.web.progress import progress_bar
from offstage.web.security import nonce_attribute, with_nonces

SPECIAL_BUTTON_NAME = "_button"


@dataclass
class MenuItem:
    label: str  # text
    url: str


@dataclass
class PageContext:
    """What the page needs besides the screen: where to post, the CSRF token, check-in settings."""

    interview: str
    action_url: str
    csrf: str = ""
    checkin_url: str = "/checkin"
    checkin_interval_ms: int = CHECKIN_INTERVAL_MS
    pending_tasks: int = 0
    values: dict[str, Any] = field(default_factory=dict)  # posted values, shown again after a failed validation
    errors: dict[str, str] = field(default_factory=dict)
    flash: list[str] = field(default_factory=list)  # HTML messages for the flash area
    interview_title: str = ""
    interview_help: str = ""  # HTML of the interview's `interview help`, shown under the Help tab
    menu: list[MenuItem] = field(default_factory=list)  # Exit, Restart and the interview's `menu_items`
    variables_url: str = ""  # where get_interview_variables() reads the session's answers
    question_back_button: bool = False  # `features: question back button`: Back among the question's buttons
    question_help_button: bool = False  # `features: question help button`: the question's help is a button
    help_labels: tuple[str, str] = ("", "")  # text: `interview help`'s own label, the metadata's `help label`

    def help_tab_label(self, question_label: str | None) -> str:
        """The Help tab's name: the question's own help label (unless its help is a button), else the
        interview help's, else the metadata's `help label`, else "Help"."""
        own = None if self.question_help_button else question_label
        return own or self.help_labels[0] or self.help_labels[1] or "Help"

    def help_button_label(self, question_label: str | None) -> str:
        return question_label or self.help_labels[1] or "Help"


def layout(title: str, body: str, *, data: dict[str, Any] | None = None, head: str = "", scripts: str = "",
           body_class: str = "") -> str:
    """The page around a body; `title` must already be escaped.

    Bootstrap's CSS is the only thing that holds the first paint; the scripts (jQuery, Bootstrap's
    bundle, the page's own) sit at the end of the body, before the author's `script:` (`scripts`), which
    can use `$` and `bootstrap` as in docassemble. The one script in <head> picks the light or dark
    theme before the page is drawn.
    """
    data_island = ""
    if data is not None:
        # every `<` is written as \u003c (JSON only has it inside strings), so interview data can never
        # close the script element nor open a comment in it
        payload = json.dumps(data).replace("<", "\\u003c")
        data_island = f'<script type="application/json" id="da-page-data">{payload}</script>'
    page_scripts = "".join(f'<script src="{static.url(name)}"{nonce_attribute()}></script>'
                           for name in ("jquery.min.js", "bootstrap.bundle.min.js", "app.js"))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{title}</title><link rel="icon" href="data:,">'
            f"<script{nonce_attribute()}>{THEME_SCRIPT}</script>"
            f'<link rel="stylesheet" href="{static.url("bootstrap.min.css")}">'
            f'<link rel="stylesheet" href="{static.url("app.css")}">{head}</head>'
            f'<body class="{esc(("dabody " + body_class).strip())}"><a class="visually-hidden-focusable dasrskip" href="#damain">Skip to the question</a>'
            f"{body}{data_island}{page_scripts}{scripts}</body></html>")


# Bootstrap 5.3's colour modes follow the system's setting (set before the first paint: no flash of light)
THEME_SCRIPT = ("document.documentElement.setAttribute('data-bs-theme',"
                "window.matchMedia&&matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light');")


def navbar(title: str, *, back_form: str = "", menu: list[MenuItem] | None = None, help_tab: str = "",
           brand: str = "", extra: str = "", inverse: bool = True) -> str:
    """docassemble's navigation bar: Back, the interview's title, the Help tab and the menu.

    The menu is a dropdown on wide screens and, on a phone, a list under the toggler (#damobile-toggler);
    the dropdown's items come first, as docassemble's scenarios click the first link with the item's text.
    `help_tab` is the Help tab's name (text; '' for no tab); `brand` (HTML) takes the title's place
    (offstage.web.navparts); `extra` is the author's `navigation bar html` (HTML, sanitized). `inverse`:
    docassemble's default dark bar (Bootstrap's dark theme on the bar alone); False, the light one.
    """
    brand = brand or tag("span", plain_text(title), id="dapagetitle", class_="navbar-brand danavbar-title text-truncate")
    if extra:
        brand += tag("ul", safe_html(extra), class_="nav navbar-nav danavbar-html")
    help_link = ""
    if help_tab:
        help_link = tag("ul", tag("li", tag("a", esc(help_tab), href="#dahelp", id="dahelptoggle", role="tab",
                                            class_="nav-link dahelptoggle", aria_controls="dahelp",
                                            aria_selected="false"), class_="nav-item", role="presentation"),
                        class_="nav navbar-nav dahelpnav ms-auto", role="tablist")
    items = menu or []
    collapse = ""
    if items:
        dropdown = "".join(tag("li", tag("a", esc(i.label), href=i.url, class_="dropdown-item")) for i in items)
        phone = "".join(tag("li", tag("a", esc(i.label), href=i.url, class_="nav-link"), class_="nav-item d-md-none")
                        for i in items)
        collapse = (tag("button", '<span class="navbar-toggler-icon"></span>', type="button", id="damobile-toggler",
                        class_="navbar-toggler", data_bs_toggle="collapse", data_bs_target="#danav",
                        aria_controls="danav", aria_expanded="false", aria_label="Menu")
                    + tag("div", tag("ul", tag("li", tag("a", "Menu", href="#", role="button", id="damenuLabel",
                                                         class_="nav-link dropdown-toggle", data_bs_toggle="dropdown",
                                                         aria_expanded="false")
                                                 + tag("ul", dropdown, class_="dropdown-menu dropdown-menu-end",
                                                       aria_labelledby="damenuLabel"),
                                                 class_="nav-item dropdown d-none d-md-block") + phone,
                                         class_="navbar-nav ms-auto"),
                          class_="collapse navbar-collapse", id="danav"))
    look = "bg-dark" if inverse else "bg-body-tertiary border-bottom"
    return tag("nav", tag("div", back_form + brand + help_link + collapse, class_="container danavcontainer"),
               class_=f"navbar navbar-expand-md {look} danavbar da-header", id="danavbar", aria_label="Interview",
               data_bs_theme="dark" if inverse else None)


def render_question_page(screen: dict[str, Any], ctx: PageContext) -> str:
    """A question (or message / error screen) as a full page: docassemble's navbar, the question in
    form#daform under h1#daMainQuestion, and a Help tab when the question or the interview has help."""
    question = decoration(screen.get("decoration"), screen.get("images") or {}) + safe_html(screen.get("questionText") or "")
    parts = [tag("h1", question, id="daMainQuestion", class_="h3 da-question-title")]
    if screen.get("preText"):  # the author's `pre` (or `default screen parts`): above the question
        parts.insert(0, tag("div", safe_html(screen["preText"]), class_="da-pre"))
    fields_ctx = FieldContext(ctx.values, ctx.errors)
    # `[FIELD name]` puts a field's control in the subquestion or under text (offstage.web.fields)
    subquestion, shown_fields = embed_fields(safe_html(screen.get("subquestionText") or ""), list(screen.get("fields") or []), fields_ctx)
    under, shown_fields = embed_fields(safe_html(screen.get("underText") or ""), shown_fields, fields_ctx)
    if subquestion:
        parts.append(tag("div", subquestion, class_="da-subquestion"))
    fields_html = render_fields(shown_fields, fields_ctx)
    parts.append(error_summary(fields_ctx, ctx.errors))
    parts.append(fields_html)
    parts.append(render_attachments(screen.get("attachments") or []))
    if screen.get("submitText"):
        parts.append(tag("div", safe_html(screen["submitText"]), class_="da-submit"))
    help_button = ctx.help_button_label(screen.get("helpLabel")) if ctx.question_help_button and screen.get("helpText") else ""
    question_back = screen.get("questionBackButton", ctx.question_back_button)  # the question's own, else the feature
    parts.append(render_buttons(screen, question_back=bool(question_back) and bool(screen.get("can_go_back")),
                                help_button=help_button, back_label=str(screen.get("backLabel") or "Back")))
    if under:
        parts.append(tag("div", under, class_="da-under"))
    if screen.get("postText"):
        parts.append(tag("div", safe_html(screen["postText"]), class_="da-post"))
    hidden = (f"<input{attrs(type='hidden', name='_csrf', value=ctx.csrf)}>"
              f"<input{attrs(type='hidden', name='_question', value=screen.get('block_id'))}>"
              f"<input{attrs(type='hidden', name='_event_list', value=json.dumps(screen.get('event_list') or []))}>")
    enctype = ' enctype="multipart/form-data"' if needs_multipart(list(screen.get("fields") or [])) else ""
    form = (f'<form method="post" action="{esc(ctx.action_url)}" id="daform" class="da-form"{enctype} '
            f'aria-labelledby="daMainQuestion" novalidate>{hidden}{"".join(parts)}</form>')
    right = tag("aside", safe_html(screen["rightText"]), class_="da-right") if screen.get("rightText") else ""
    # log() messages are text (escaped); the page's own flash messages are HTML, sanitized in flash_message
    messages = ctx.flash + [esc(m.get("message")) for m in screen.get("flash") or [] if isinstance(m, dict)]
    flash = "".join(flash_message(m) for m in messages)
    helps = [h for h in (screen.get("helpText"), ctx.interview_help) if h]
    tab_label = ctx.help_tab_label(screen.get("helpLabel")) if helps else ""
    bar = progress_bar(screen.get("progress"), bool(screen.get("progressPercentage")))
    question_tab = tag("section", f'{bar}<div class="da-layout"><div class="da-card">{form}</div>{right}</div>',
                       id="daquestion", class_="datab")
    help_tab = ""
    if helps:
        help_tab = tag("section", tag("h2", esc(tab_label), class_="h3 da-question-title", tabindex="-1", id="dahelpheading")
                       + "".join(tag("div", safe_html(h), class_="da-help-text") for h in helps)
                       + tag("button", "Back to question", type="button", id="dabackToQuestion",
                             class_="btn btn-da btn-primary dabackToQuestion"),
                       id="dahelp", class_="datab da-card", hidden=True, aria_labelledby="dahelpheading")
    screen_parts = dict(screen.get("parts") or {})
    nav_title = screen.get("title") or ctx.interview_title or ""  # set_parts(title=...) shows in the navbar too
    nav = navbar(str(nav_title or ""), back_form=back_button(screen, ctx),
                 menu=with_exit_part(ctx.menu, screen_parts), help_tab=tab_label,
                 brand=navbar_brand(str(nav_title or ""), screen_parts), extra=screen_parts.get("navigation bar html", ""),
                 inverse=screen.get("navbarInverse") is not False)
    main = f'<main id="damain" tabindex="-1">{question_tab}{help_tab}</main>'
    body = nav + page_body(main, f'<div id="daflash" aria-live="polite">{flash}</div>', screen)
    body = inline_images(body, screen.get("images") or {})
    data = {"interview": ctx.interview, "url": ctx.action_url, "csrf": ctx.csrf, "checkinUrl": ctx.checkin_url,
            "checkinIntervalMs": ctx.checkin_interval_ms, "checkin": screen.get("checkin"),
            "reloadAfter": screen.get("reload_after"), "pendingTasks": ctx.pending_tasks,
            "questionType": screen.get("questionType"), "variablesUrl": ctx.variables_url}
    body = inline_icons(body)
    head = with_nonces(str(screen.get("css") or ""))
    if uses_icons(body):
        head = f'<link rel="stylesheet" href="{static.url("fontawesome.min.css")}">' + head
    title = plain_text(screen_parts.get("tab title") or screen.get("title") or ctx.interview_title or "Interview")
    scripts = fields_ctx.condition_scripts() + author_script(str(screen.get("script") or ""))
    return layout(title, body, data=data, head=head, scripts=scripts, body_class=str(screen.get("cssClass") or ""))


def author_script(script: str) -> str:
    """The question's `script:`: HTML with <script> elements, or (as docassemble also takes it) bare
    JavaScript, which is put in a <script> element of its own. Either way each one carries the nonce."""
    if not script.strip() or script.lstrip().startswith("<"):
        return with_nonces(script)
    code = script.replace("</", "<\\/")  # it cannot end its own element
    return f"<script{nonce_attribute()}>{code}</script>"


def error_summary(fields_ctx: FieldContext, errors: dict[str, str]) -> str:
    """After a failed submit: the problems at the top of the form, each a link to its field (app.js
    moves the focus here, so that a screen reader reads them first)."""
    if not errors:
        return ""
    linked = {name for name, _, _ in fields_ctx.error_links}
    # (the link text is the field's label, already escaped, and the message)
    items = [tag("li", tag("a", html_text, href=f"#{fid}", class_="alert-link")) for _, fid, html_text in fields_ctx.error_links]
    items += [tag("li", esc(message)) for name, message in errors.items() if name not in linked]
    return tag("div", tag("h2", "Please fix the following", class_="h6 alert-heading")
               + tag("ul", "".join(items), class_="mb-0"),
               id="daerrorsummary", class_="alert alert-danger da-error-summary", role="alert", tabindex="-1")


def back_button(screen: dict[str, Any], ctx: PageContext) -> str:
    if not screen.get("can_go_back") or screen.get("navbarBack") is False:
        return ""
    return (f'<form method="post" action="{esc(ctx.action_url)}" class="da-back-form">'
            f"<input{attrs(type='hidden', name='_csrf', value=ctx.csrf)}>"
            '<button type="submit" name="_back" value="1" class="btn btn-link nav-link dabackicon" '
            'aria-label="Back to the previous question">'
            '<span aria-hidden="true">&#8592;</span> <span class="daback">Back</span></button></form>')


def render_buttons(screen: dict[str, Any], question_back: bool = False, help_button: str = "",
                   back_label: str = "Back") -> str:
    """The question's buttons; every one posts `_button=<value>` (yes/no, choices and special buttons alike).
    With `question_back`, docassemble's Back button is shown first (it posts `_back`: nothing is answered);
    with `help_button` (its text), a button that opens the Help tab, as docassemble's question help button."""
    buttons = list(screen.get("buttons") or [])
    # a Continue for a screen whose answers are fields (`field:` + `choices:` shows radio buttons as one)
    if not buttons and screen.get("questionType") in ("fields", "settrue", "signature", "multiple_choice", "review"):
        buttons = [{"label": screen.get("continueLabel") or "Continue", "value": None, "kind": "continue"}]
    items = []
    for n, button in enumerate(buttons):
        kind = str(button.get("kind") or "choice")
        value = button.get("value")
        style = "btn-primary" if n == 0 else "btn-secondary"
        if kind == "link":  # a button with `url:` opens its link (web addresses only: never javascript:)
            url = str(button.get("url") or "")
            href = url if url.lower().startswith(("https://", "http://", "/")) else None
            items.append(tag("a", safe_html(button.get("label") or ""), href=href,
                             class_=f"btn btn-da {style} da-btn da-btn-link"))
            continue
        items.append(tag("button", safe_html(button.get("label") or ""), type="submit",
                         name=None if value is None else SPECIAL_BUTTON_NAME,
                         value=None if value is None else as_text(value),
                         class_=f"btn btn-da {style} da-btn da-btn-{kind}"))
    items = action_buttons(screen, "before") + items + action_buttons(screen, "after")
    if help_button:
        items.append(tag("button", esc(help_button), type="button", class_="btn btn-da btn-info daquestionhelpbutton",
                         aria_controls="dahelp"))
    if question_back:  # last in the form (Enter in a field presses the first button), shown first (CSS)
        items.append(tag("button", esc(back_label), type="submit", name="_back", value="1", formnovalidate=True,
                            class_="btn btn-da btn-link daquestionbackbutton"))
    return tag("div", "".join(items), class_="da-field-buttons da-buttons") if items else ""


def action_buttons(screen: dict[str, Any], placement: str) -> list[str]:
    """The question's `action buttons` placed before or after its own: links styled as buttons (the
    address is an action's link or a web address; anything else, such as javascript:, gets no href)."""
    found = []
    for button in screen.get("actionButtons") or []:
        if button.get("placement") != placement:
            continue
        url = str(button.get("url") or "")
        href = url if url.lower().startswith(("https://", "http://", "/", "?")) else None
        extra = {"target": "_blank", "rel": "noopener"} if button.get("new_window") else {}
        found.append(tag("a", safe_html(button.get("label") or ""), href=href, **extra,
                         class_=f"btn btn-da btn-{button.get('color') or 'primary'} da-btn da-action-button "
                                f"{button.get('css_class') or ''}".strip()))
    return found


FORMAT_LABELS = {"pdf": "PDF", "docx": "DOCX", "md": "Markdown", "rtf": "RTF"}
VIEWABLE = {"pdf", "md"}  # a browser shows these itself; a DOCX can only be downloaded


def render_attachments(attachments: list[Any]) -> str:
    """The question's documents as docassemble shows them: a title, the description, a download link
    and a view link per format, and a Preview of a document made from Markdown content."""
    boxes = []
    for n, item in enumerate(a for a in attachments if isinstance(a, dict)):
        name = safe_html(item.get("name") or "") or esc(item.get("filename") or "Document")
        parts = [tag("div", name, class_="da-attachment-title", role="heading", aria_level="2")]
        if item.get("description"):
            parts.append(tag("div", safe_html(item["description"]), class_="da-attachment-description"))
        links = []
        urls, downloads, names = (_mapping(item.get(k)) for k in ("url", "download_url", "filename_with_extension"))
        for fmt, url in urls.items():
            label = FORMAT_LABELS.get(str(fmt), str(fmt).upper())
            view = (" " + tag("a", esc(f"View {label}"), href=url, target="_blank", rel="noopener",
                              class_="da-attachment-view")) if fmt in VIEWABLE else ""
            links.append(tag("li", tag("a", esc(f"Download {label}"), href=downloads.get(fmt) or url,
                                       class_="da-attachment-download", download=str(names.get(fmt) or ""))
                         + view))
        if links:
            parts.append(tag("ul", "".join(links), class_="da-attachment-links"))
        content = item.get("content")
        preview = content.get("html") if isinstance(content, dict) else content
        if preview:
            anchor = f"da-preview-{n}"
            parts.append(tag("a", "Preview", href=f"#{anchor}", class_="da-attachment-preview-link")
                         + tag("div", safe_html(str(preview)), id=anchor, class_="da-attachment-preview"))
        boxes.append(tag("div", "".join(parts), class_="da-attachment"))
    if not boxes:
        return ""
    # docassemble's words above the documents of a question (the browser scenarios look for them)
    intro = ("The following document has been created for you." if len(boxes) == 1
             else "The following documents have been created for you.")
    return tag("section", tag("p", intro, class_="da-attachments-intro") + "".join(boxes),
               class_="da-attachments")


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def flash_message(html_message: str) -> str:
    return (f'<div class="alert alert-info alert-dismissible da-flash" role="status">'
            f'<div class="da-flash-text">{safe_html(html_message)}</div>'
            '<button type="button" class="btn-close da-flash-close" aria-label="Dismiss"></button></div>')


def simple_page(title: str, inner: str, *, nav_title: str = "offstage", head: str = "") -> str:
    """A page with one card under the navbar (lists, errors, confirmations); `title` is text."""
    body = (navbar(nav_title) + '<div class="container da-page"><main id="damain" tabindex="-1">'
            + tag("div", inner, class_="da-card") + "</main></div>")
    return layout(esc(title), body, head=head)


def page_title(text_html: str, **extra: Any) -> str:
    return tag("h1", text_html, id="daMainQuestion", class_="h3 da-question-title", **extra)


def link_button(label: str, url: str, primary: bool = True) -> str:
    return tag("a", esc(label), href=url, class_=f"btn btn-da {'btn-primary' if primary else 'btn-secondary'}")


def render_index(interviews: list[tuple[str, str]]) -> str:
    items = "".join(tag("li", tag("a", esc(title), href=f"/interview?i={_quote(name)}")
                           + tag("span", esc(name), class_="da-muted"), class_="list-group-item")
                    for name, title in interviews)
    inner = page_title("Interviews") + (tag("ul", items, class_="list-group da-index") if items
                                        else "<p>No interviews are installed.</p>")
    return simple_page("Interviews", inner)


@dataclass
class ErrorDetails:
    """What the author's error screen shows in development (never in production)."""

    message: str
    block: str | None = None
    file: str | None = None
    line: int | None = None
    trace: str | None = None


def render_error(status: int, message: str, *, title: str = "Error", restart_url: str | None = None,
                 back_url: str | None = None, back_posts: bool = True, csrf: str = "", reference: str | None = None,
                 details: ErrorDetails | None = None, help_html: str = "") -> str:
    """An error page: what happened, its HTTP status, and a way out (Back when there is a step to go
    back to, Restart, the list of interviews). Its h1 and <title> are "Error" as docassemble's are.
    `help_html`, the interview's `error help`, takes the place of the plain message."""
    said = (tag("div", safe_html(help_html), class_="da-error-message da-error-help") if help_html
            else tag("p", esc(message), class_="da-error-message"))
    # with the author's `error help`, its words are the page (docassemble shows no "Error" heading then)
    heading = (tag("h1", "Something went wrong", id="daMainQuestion", class_="visually-hidden") if help_html
               else page_title(esc(title)))
    parts = [heading, said]
    if reference:
        parts.append(tag("p", "Reference: " + tag("code", esc(reference), class_="da-error-reference"),
                         class_="da-muted"))
    if details is not None:
        where = [f"{label} {esc(value)}" for label, value in
                 (("block", details.block), ("file", details.file), ("line", details.line)) if value]
        parts.append(tag("section", tag("h2", "For the interview's author", class_="h5")
                         + (tag("p", "In " + ", ".join(where), class_="da-error-where") if where else "")
                         + tag("pre", esc(details.message), class_="da-error-detail")
                         + (tag("pre", esc(details.trace), class_="da-error-trace small") if details.trace else ""),
                         class_="da-error-author alert alert-warning"))
    parts.append(tag("p", f"HTTP {int(status)}", class_="da-muted"))
    ways = ""
    if back_url and not back_posts:  # the question as it was before the answer that failed
        ways += link_button("Back", back_url)
    elif back_url:
        ways += (f'<form method="post" action="{esc(back_url)}" class="d-inline">'
                 f"<input{attrs(type='hidden', name='_csrf', value=csrf)}>"
                 '<button type="submit" name="_back" value="1" class="btn btn-da btn-primary">Back</button></form>')
    if restart_url:
        ways += link_button("Restart", restart_url, primary=not back_url)
    ways += link_button("All interviews", "/", primary=not (back_url or restart_url))
    parts.append(tag("div", ways, class_="da-buttons"))
    return simple_page("Error", tag("div", "".join(parts), class_="da-error-page"))


def render_action_confirmation(interview_title: str, url: str, *, resume_url: str | None = None) -> str:
    """Asked instead of following a link from another site that would change the visitor's session (run
    an action; with `resume_url`, start over): a click here, on the interview's own page (which no other
    site can frame), is the visitor's own choice."""
    title = esc(interview_title or "the interview")
    if resume_url:
        question = f"Start {title} again?"
        why = ("You followed a link from another site that starts this interview again. Your answers so far "
               "stay only if you resume.")
        choices = link_button("Resume", resume_url) + link_button("Start again", url, primary=False)
    else:
        question = f"Continue to {title}?"
        why = "You followed a link from another site to this interview. Continue only if you meant to."
        choices = link_button("Continue", url) + link_button("All interviews", "/", primary=False)
    inner = page_title(question) + tag("p", why, class_="da-muted") + tag("div", choices, class_="da-buttons")
    body = (navbar(interview_title or "offstage") + '<div class="container da-page"><main id="damain" tabindex="-1">'
            + tag("div", inner, class_="da-card") + "</main></div>")
    return layout(question, body)


def render_leaving(url: str) -> str:
    """The interview sends the visitor to another site: go there now, with a link if the browser stays."""
    inner = page_title("Leaving the interview…") + tag("p", tag("a", esc(url), href=url))
    return simple_page("Leaving", inner, head=f'<meta http-equiv="refresh" content="0;url={esc(url)}">')


def render_wait(message: str, seconds: float, url: str) -> str:
    """The `command('wait')` page: shows a message and tries again after `seconds`."""
    inner = (page_title(esc(message))
             + '<div class="spinner-border da-spinner" role="status"><span class="visually-hidden">Waiting…</span></div>')
    head = f'<meta http-equiv="refresh" content="{max(1, int(seconds))};url={esc(url)}">'
    return simple_page("Please wait", inner, head=head)


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")
