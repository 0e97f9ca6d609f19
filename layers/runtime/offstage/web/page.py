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
from offstage.web.fields import FieldContext, needs_multipart, render_fields
from offstage.web.markup import as_text, attrs, esc, plain_text, tag
from offstage.web.security import nonce_attribute, with_nonces

SPECIAL_BUTTON_NAME = "_button"


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


def layout(title: str, body: str, *, data: dict[str, Any] | None = None, head: str = "") -> str:
    """The page around a body; `title` must already be escaped."""
    data_island = ""
    if data is not None:
        # every `<` is written as \u003c (JSON only has it inside strings), so interview data can never
        # close the script element nor open a comment in it
        payload = json.dumps(data).replace("<", "\\u003c")
        data_island = f'<script type="application/json" id="da-page-data">{payload}</script>'
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{title}</title><link rel="icon" href="data:,">'
            f'<link rel="stylesheet" href="{static.url("app.css")}">'
            f'<script src="{static.url("app.js")}"{nonce_attribute()}></script>{head}</head>'
            f"<body>{body}{data_island}</body></html>")


def header(title: str, back_form: str = "") -> str:
    return (f'<header class="da-header"><div class="da-header-inner">{back_form}'
            f'<span class="da-brand">{plain_text(title)}</span></div></header>')


def render_question_page(screen: dict[str, Any], ctx: PageContext) -> str:
    """A question (or message / error screen) as a full page with its form."""
    question = safe_html(screen.get("questionText") or "")
    parts = [tag("div", question, class_="da-question-title", role="heading", aria_level="1")]
    if screen.get("preText"):  # the author's `pre` (or `default screen parts`): above the question
        parts.insert(0, tag("div", safe_html(screen["preText"]), class_="da-pre"))
    if screen.get("subquestionText"):
        parts.append(tag("div", safe_html(screen["subquestionText"]), class_="da-subquestion"))
    fields_ctx = FieldContext(ctx.values, ctx.errors)
    parts.append(render_fields(list(screen.get("fields") or []), fields_ctx))
    if ctx.errors and not any(name in ctx.errors for name in _variables(screen)):
        parts.append(tag("div", esc("; ".join(ctx.errors.values())), class_="da-error", role="alert"))
    parts.append(render_attachments(screen.get("attachments") or []))
    if screen.get("submitText"):
        parts.append(tag("div", safe_html(screen["submitText"]), class_="da-submit"))
    parts.append(render_buttons(screen))
    if screen.get("underText"):
        parts.append(tag("div", safe_html(screen["underText"]), class_="da-under"))
    if screen.get("postText"):
        parts.append(tag("div", safe_html(screen["postText"]), class_="da-post"))
    hidden = (f"<input{attrs(type='hidden', name='_csrf', value=ctx.csrf)}>"
              f"<input{attrs(type='hidden', name='_question', value=screen.get('block_id'))}>"
              f"<input{attrs(type='hidden', name='_event_list', value=json.dumps(screen.get('event_list') or []))}>")
    enctype = ' enctype="multipart/form-data"' if needs_multipart(list(screen.get("fields") or [])) else ""
    form = (f'<form method="post" action="{esc(ctx.action_url)}" class="da-form"{enctype} novalidate>'
            f'{hidden}{"".join(parts)}</form>')
    right = tag("aside", safe_html(screen["rightText"]), class_="da-right") if screen.get("rightText") else ""
    # log() messages are text (escaped); the page's own flash messages are HTML, sanitized in flash_message
    messages = ctx.flash + [esc(m.get("message")) for m in screen.get("flash") or [] if isinstance(m, dict)]
    flash = "".join(flash_message(m) for m in messages)
    body = (header(ctx.interview_title or screen.get("title") or "", back_button(screen, ctx))
            + f'<div class="da-page"><div id="daflash" aria-live="polite">{flash}</div>'
            + f'<div class="da-layout"><main id="daMainQuestion" class="da-card">{form}</main>{right}</div></div>')
    data = {"interview": ctx.interview, "url": ctx.action_url, "csrf": ctx.csrf, "checkinUrl": ctx.checkin_url,
            "checkinIntervalMs": ctx.checkin_interval_ms, "checkin": screen.get("checkin"),
            "reloadAfter": screen.get("reload_after"), "pendingTasks": ctx.pending_tasks,
            "questionType": screen.get("questionType")}
    head = with_nonces(str(screen.get("css") or ""))
    title = plain_text(screen.get("title") or ctx.interview_title or "Interview")
    scripts = fields_ctx.condition_scripts() + with_nonces(str(screen.get("script") or ""))
    return layout(title, body + scripts, data=data, head=head)


def _variables(screen: dict[str, Any]) -> set[str]:
    return {f.get("variable_name") for f in screen.get("fields") or [] if f.get("variable_name")}


def back_button(screen: dict[str, Any], ctx: PageContext) -> str:
    if not screen.get("can_go_back"):
        return ""
    return (f'<form method="post" action="{esc(ctx.action_url)}" class="da-back-form">'
            f"<input{attrs(type='hidden', name='_csrf', value=ctx.csrf)}>"
            '<button type="submit" name="_back" value="1" class="dabackicon da-btn da-btn-link" '
            'aria-label="Back to the previous question">&#8592; Back</button></form>')


def render_buttons(screen: dict[str, Any]) -> str:
    """The question's buttons; every one posts `_button=<value>` (yes/no, choices and special buttons alike)."""
    buttons = list(screen.get("buttons") or [])
    # a Continue for a screen whose answers are fields (`field:` + `choices:` shows radio buttons as one)
    if not buttons and screen.get("questionType") in ("fields", "settrue", "signature", "multiple_choice"):
        buttons = [{"label": screen.get("continueLabel") or "Continue", "value": None, "kind": "continue"}]
    items = []
    for n, button in enumerate(buttons):
        kind = str(button.get("kind") or "choice")
        value = button.get("value")
        style = "da-btn-primary" if n == 0 else "da-btn-secondary"
        if kind == "link":  # a button with `url:` opens its link (web addresses only: never javascript:)
            url = str(button.get("url") or "")
            href = url if url.lower().startswith(("https://", "http://", "/")) else None
            items.append(tag("a", safe_html(button.get("label") or ""), href=href, class_=f"da-btn {style} da-btn-link"))
            continue
        items.append(tag("button", safe_html(button.get("label") or ""), type="submit",
                         name=None if value is None else SPECIAL_BUTTON_NAME,
                         value=None if value is None else as_text(value), class_=f"da-btn {style} da-btn-{kind}"))
    return tag("div", "".join(items), class_="da-buttons") if items else ""


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
    return (f'<div class="da-flash" role="status"><div class="da-flash-text">{safe_html(html_message)}</div>'
            '<button type="button" class="da-flash-close" aria-label="Dismiss">&times;</button></div>')


def render_index(interviews: list[tuple[str, str]]) -> str:
    items = "".join(tag("li", tag("a", esc(title), href=f"/interview?i={_quote(name)}")
                           + tag("span", esc(name), class_="da-muted")) for name, title in interviews)
    body = (header("offstage")
            + '<div class="da-page"><main id="daMainQuestion" class="da-card">'
            + '<h1 class="da-question-title">Interviews</h1>'
            + (tag("ul", items, class_="da-index") if items else "<p>No interviews are installed.</p>")
            + "</main></div>")
    return layout("Interviews", body)


def render_error(status: int, message: str, *, title: str = "Error", restart_url: str | None = None) -> str:
    """An error page; its <title> is "Error" (docassemble's scenarios look for that)."""
    link = tag("a", "Start over", href=restart_url, class_="da-btn da-btn-primary") if restart_url else ""
    body = (header("offstage")
            + '<div class="da-page"><main id="daMainQuestion" class="da-card da-error-page">'
            + tag("div", esc(title), class_="da-question-title", role="heading", aria_level="1")
            + tag("p", esc(message), class_="da-error-message")
            + tag("p", f"HTTP {int(status)}", class_="da-muted")
            + tag("div", link + tag("a", "All interviews", href="/", class_="da-btn da-btn-secondary"),
                  class_="da-buttons")
            + "</main></div>")
    return layout("Error", body)


def render_action_confirmation(interview_title: str, url: str, *, resume_url: str | None = None) -> str:
    """Asked instead of following a link from another site that would change the visitor's session (run
    an action; with `resume_url`, start over): a click here, on the interview's own page (which no other
    site can frame), is the visitor's own choice."""
    title = esc(interview_title or "the interview")
    if resume_url:
        question = f"Start {title} again?"
        why = ("You followed a link from another site that starts this interview again. Your answers so far "
               "stay only if you resume.")
        choices = (tag("a", "Resume", href=resume_url, class_="da-btn da-btn-primary")
                   + tag("a", "Start again", href=url, class_="da-btn da-btn-secondary"))
    else:
        question = f"Continue to {title}?"
        why = "You followed a link from another site to this interview. Continue only if you meant to."
        choices = (tag("a", "Continue", href=url, class_="da-btn da-btn-primary")
                   + tag("a", "All interviews", href="/", class_="da-btn da-btn-secondary"))
    body = (header(interview_title or "offstage")
            + '<div class="da-page"><main id="daMainQuestion" class="da-card">'
            + tag("div", question, class_="da-question-title", role="heading", aria_level="1")
            + tag("p", why, class_="da-muted") + tag("div", choices, class_="da-buttons")
            + "</main></div>")
    return layout(question, body)


def render_leaving(url: str) -> str:
    """The interview sends the visitor to another site: go there now, with a link if the browser stays."""
    body = (header("offstage") + '<div class="da-page"><main id="daMainQuestion" class="da-card">'
            + tag("div", "Leaving the interview…", class_="da-question-title", role="heading", aria_level="1")
            + tag("p", tag("a", esc(url), href=url)) + "</main></div>")
    return layout("Leaving", body, head=f'<meta http-equiv="refresh" content="0;url={esc(url)}">')


def render_wait(message: str, seconds: float, url: str) -> str:
    """The `command('wait')` page: shows a message and tries again after `seconds`."""
    body = (header("offstage") + '<div class="da-page"><main id="daMainQuestion" class="da-card">'
            + tag("div", esc(message), class_="da-question-title", role="heading", aria_level="1")
            + '<div class="da-spinner" aria-hidden="true"></div></main></div>')
    head = f'<meta http-equiv="refresh" content="{max(1, int(seconds))};url={esc(url)}">'
    return layout("Please wait", body, head=head)


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")
