"""E-mail: send_email() through the Mailer port; inbound e-mail is not supported yet."""

from __future__ import annotations

import html
import logging
from typing import Any

from offstage.context import current
from offstage.library.tasks import mark_task_as_performed, times_task_performed

log = logging.getLogger(__name__)
INTENT_KEEP_SECONDS = 7 * 86400  # longer than any redelivery or retry of the run that sent the mail
_REDELIVERED = ("cron", "worker")  # interfaces whose runs SQS may repeat after a crash


def _address(item: Any) -> str:
    if isinstance(item, str):
        return item.strip()
    email = item.email  # an object without .email asks for it, as in docassemble
    name = item.__dict__.get("name") if hasattr(item, "__dict__") else None
    return f"{name} <{email}>" if name is not None and str(name).strip() else str(email)


def _addresses(value: Any) -> list[str]:
    if value is None:
        return []
    from offstage.library.objects import DAList, DASet

    items = list(value) if isinstance(value, (list, tuple, set, frozenset, DAList, DASet)) else [value]
    return [address for address in (_address(item) for item in items) if address]


def _markdown_to_html(text: str) -> str:
    try:
        from offstage.text.markdown import markdown_to_html
    except ImportError:  # the text package is optional for the library
        return "".join(f"<p>{html.escape(part)}</p>" for part in text.split("\n\n") if part.strip())
    return markdown_to_html(text)


def _attachments(value: Any) -> list[dict[str, Any]]:
    from offstage.library.files import DAFile, DAFileCollection, DAFileList

    found: list[dict[str, Any]] = []
    for item in value if isinstance(value, (list, tuple, DAFileList)) else [value]:
        if isinstance(item, DAFileCollection):
            # one file of the document, as docassemble picks it: the PDF, else the DOCX, else the RTF
            files = [item.__dict__[key] for key in ("pdf", "docx", "rtf", "raw") if key in item._formats()][:1]
        elif isinstance(item, DAFileList):
            files = list(item.elements)
        elif isinstance(item, DAFile):
            files = [item]
        else:
            raise TypeError(f"cannot attach {type(item).__name__} to an e-mail; attach DAFile objects")
        found.extend({"filename": file.filename, "mimetype": file.mimetype, "data": file.content()} for file in files)
    return found


def _texts(template: Any, subject: str, body: str | None, html: str | None) -> tuple[str, str, str | None]:
    """The mail's subject, text body and HTML body: the template's, unless given."""
    if template is not None:
        subject = subject or str(getattr(template, "subject", "") or "")
        content = str(getattr(template, "content", "") or "")
        body = body if body is not None else content
        html = html if html is not None else _markdown_to_html(content)
    if body is None:
        body = html or ""
    return subject, body, html


def send_email(to: Any = None, sender: Any = None, cc: Any = None, bcc: Any = None, template: Any = None,
               body: str | None = None, html: str | None = None, subject: str = "", attachments: Any = None,
               task: str | None = None, task_persistent: Any = False, reply_to: Any = None,  # noqa: ARG001 - docassemble's signature
               dry_run: bool = False, **kwargs: Any) -> bool:  # noqa: ARG001 - docassemble's signature
    """Send an e-mail; True when the mail service accepted it, False otherwise.

    `to`, `cc`, `bcc`: addresses, objects with `.email` (and `.name`), or lists of them.
    `template`: a `template` block (its `subject` and Markdown `content`); `body`/`html`/`subject` override it.
    `task`: marked as performed (mark_task_as_performed) only when the mail was sent.
    """
    recipients = _addresses(to)
    subject, body, html = _texts(template, subject, body, html)
    if not recipients:
        raise ValueError("send_email() needs at least one recipient in to=")
    files = _attachments(attachments) if attachments else []
    if dry_run:
        return True
    mailer = current().ports.mailer
    if mailer is None:
        log.warning("send_email: no mailer is configured")
        return False
    intent = _Intent.of(task, task_persistent)
    if intent is not None and intent.already_sent():
        # an earlier run sent this very mail and died before its answers were saved: do not send it again
        mark_task_as_performed(str(task), persistent=task_persistent)
        return True
    if intent is not None:
        intent.record("sending")
    try:
        sent = bool(mailer.send(to=recipients, subject=str(subject or ""), body_text=str(body), body_html=html,
                                sender=_address(sender) if sender is not None else None,
                                cc=_addresses(cc) or None, bcc=_addresses(bcc) or None,
                                attachments=files or None))
    except Exception:  # a failed delivery is a False result for the interview, as in docassemble
        log.exception("send_email failed")
        sent = False
    if intent is not None:
        intent.record("sent" if sent else "failed")
    if sent and task:
        mark_task_as_performed(task, persistent=task_persistent)
    return sent


class _Intent:
    """A durable note, outside the answers, that this session's mail for `task` is being / was sent
    (scheduled events and background tasks only).

    The mail goes out before the answers (and the task's counter) are saved; a run that dies in
    between is run again, sees the note say "sent" and only marks the task. The note is keyed by the
    task and the counter it will reach, so a task sent again on purpose (set_task_counter, a second
    performance) is a new mail. Without a key-value port (unit harnesses) there is no note.
    """

    def __init__(self, kv: Any, key: str) -> None:
        self.kv, self.key = kv, key

    @classmethod
    def of(cls, task: Any, persistent: Any) -> _Intent | None:
        ctx = current()
        # only runs that a queue delivers again on the same answers (a page's request is not repeated,
        # and after Back a task undone by the rollback must be able to mail again, as in docassemble)
        if not task or ctx.ports.kv is None or not ctx.session_id or ctx.interface not in _REDELIVERED:
            return None
        count = times_task_performed(str(task), persistent=persistent) + 1
        return cls(ctx.ports.kv, f"mail-intent:{ctx.session_id}:{task}:{count}")

    def already_sent(self) -> bool:
        import json

        raw = self.kv.get(self.key)
        if not raw:
            return False
        try:
            return bool(json.loads(raw).get("state") == "sent")
        except ValueError:
            return False

    def record(self, state: str) -> None:
        import json

        self.kv.set(self.key, json.dumps({"state": state}).encode(), expire_seconds=INTENT_KEEP_SECONDS)


class InboundEmailNotSupported(NotImplementedError):
    """E-mail to an interview (interview_email(), get_emails()) is not supported by offstage yet."""


def interview_email(key: Any = None, index: Any = None) -> str:  # noqa: ARG001 - docassemble's signature
    """Not supported yet: offstage cannot receive e-mail for a session."""
    raise InboundEmailNotSupported("interview_email(): e-mail to an interview session is not supported "
                                   "by offstage yet")


def get_emails(key: Any = None, index: Any = None) -> list[Any]:  # noqa: ARG001 - docassemble's signature
    """Not supported yet: offstage cannot receive e-mail for a session."""
    raise InboundEmailNotSupported("get_emails(): e-mail to an interview session is not supported by "
                                   "offstage yet")
