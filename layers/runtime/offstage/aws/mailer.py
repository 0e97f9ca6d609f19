"""send_email() through Amazon SES (v2). A failure is logged and reported as False, like docassemble."""

from __future__ import annotations

import logging
from typing import Any

from offstage.aws.client import ClientAdapter

log = logging.getLogger(__name__)


class SesMailer(ClientAdapter):
    service = "sesv2"

    def __init__(self, *, sender: str, client: Any = None, region: str = "us-east-1",
                 endpoint_url: str | None = None) -> None:
        self.sender = sender
        super().__init__(client=client, region=region, endpoint_url=endpoint_url)

    def send(self, *, to: list[str], subject: str, body_text: str, body_html: str | None = None,
             sender: str | None = None, cc: list[str] | None = None, bcc: list[str] | None = None,
             attachments: list[Any] | None = None) -> bool:
        source = sender or self.sender
        if attachments:  # SES's Simple content has no attachments: the whole message as MIME (Raw)
            raw = _mime(source, to, cc, subject, body_text, body_html, attachments)
            content: dict[str, Any] = {"Raw": {"Data": raw}}
        else:
            body: dict[str, Any] = {"Text": {"Data": body_text, "Charset": "UTF-8"}}
            if body_html:
                body["Html"] = {"Data": body_html, "Charset": "UTF-8"}
            content = {"Simple": {"Subject": {"Data": subject, "Charset": "UTF-8"}, "Body": body}}
        try:
            self.client.send_email(
                FromEmailAddress=source,
                Destination={"ToAddresses": list(to), "CcAddresses": list(cc or []), "BccAddresses": list(bcc or [])},
                Content=content)
        except Exception:  # send_email reports failure as False, the interview decides
            log.exception("sending e-mail failed")
            return False
        return True


def _mime(sender: str, to: list[str], cc: list[str] | None, subject: str, body_text: str,
          body_html: str | None, attachments: list[Any]) -> bytes:
    """The message with its files (dicts of filename, mimetype, data), as SES's Raw content takes it.
    Bcc stays out of the headers: SES delivers to it from the destination list."""
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(to)
    if cc:
        message["Cc"] = ", ".join(cc)
    message["Subject"] = subject
    message.set_content(body_text)
    if body_html:
        message.add_alternative(body_html, subtype="html")
    for file in attachments:
        maintype, _, subtype = str(file.get("mimetype") or "application/octet-stream").partition("/")
        message.add_attachment(bytes(file["data"]), maintype=maintype, subtype=subtype or "octet-stream",
                               filename=str(file.get("filename") or "attachment"))
    return message.as_bytes()


class DisabledMailer:
    """No MailSender configured: send_email() returns False and the reason is logged."""

    def send(self, **_: Any) -> bool:
        log.warning("send_email was called but no MailSender is configured")
        return False
