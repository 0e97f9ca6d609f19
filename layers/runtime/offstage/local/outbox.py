"""The local stack's outbox: every e-mail send_email() sent, kept in memory and shown at /_local/outbox.

In AWS the mail goes through SES; locally it stays here (cleared when the stack restarts), with what an
author checks: subject, to, cc, bcc, the HTML and text bodies and the attachments' names.
"""

from __future__ import annotations

import datetime as dt
import html
import threading
import uuid
from typing import Any

_lock = threading.Lock()
_messages: list[dict[str, Any]] = []


class LocalOutboxMailer:
    """The Mailer port of the local stack: send() keeps the message and says it was accepted."""

    def __init__(self, sender: str = "offstage@localhost") -> None:
        self.sender = sender

    def send(self, *, to: list[str], subject: str, body_text: str, body_html: str | None = None,
             sender: str | None = None, cc: list[str] | None = None, bcc: list[str] | None = None,
             attachments: list[Any] | None = None) -> bool:
        message = {"message_id": uuid.uuid4().hex, "sent": dt.datetime.now(dt.UTC).isoformat(),
                   "from": sender or self.sender, "to": list(to), "cc": list(cc or []), "bcc": list(bcc or []),
                   "subject": subject, "text": body_text, "html": body_html,
                   "attachments": [str(a.get("filename") if isinstance(a, dict) else a) for a in attachments or []]}
        with _lock:
            _messages.append(message)
        return True


def messages() -> list[dict[str, Any]]:
    with _lock:
        return [dict(m) for m in _messages]


def clear() -> None:
    with _lock:
        _messages.clear()


def page(found: list[dict[str, Any]]) -> str:
    """The outbox as a plain HTML list; every value is escaped (bodies are shown as text, not rendered)."""
    def esc(value: Any) -> str:
        return html.escape(", ".join(value) if isinstance(value, list) else str(value or ""))

    rows = "".join(
        f"<li><h2>{esc(m['subject'])}</h2><dl><dt>To</dt><dd>{esc(m['to'])}</dd><dt>Cc</dt><dd>{esc(m['cc'])}</dd>"
        f"<dt>Bcc</dt><dd>{esc(m['bcc'])}</dd><dt>Sent</dt><dd>{esc(m['sent'])}</dd>"
        f"<dt>Attachments</dt><dd>{esc(m['attachments'])}</dd></dl><pre>{esc(m['text'])}</pre>"
        f"<details><summary>HTML</summary><pre>{esc(m['html'])}</pre></details></li>" for m in found)
    body = f"<ol>{rows}</ol>" if found else "<p>No e-mail has been sent since the stack started.</p>"
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Outbox</title></head>"
            f"<body><h1>Outbox ({len(found)})</h1>{body}</body></html>")
