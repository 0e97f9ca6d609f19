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
             attachments: list[Any] | None = None) -> bool:  # noqa: ARG002 - NOT sent yet: SES Simple content carries no attachments
        body: dict[str, Any] = {"Text": {"Data": body_text, "Charset": "UTF-8"}}
        if body_html:
            body["Html"] = {"Data": body_html, "Charset": "UTF-8"}
        try:
            self.client.send_email(
                FromEmailAddress=sender or self.sender,
                Destination={"ToAddresses": list(to), "CcAddresses": list(cc or []), "BccAddresses": list(bcc or [])},
                Content={"Simple": {"Subject": {"Data": subject, "Charset": "UTF-8"}, "Body": body}})
            return True
        except Exception:  # send_email reports failure as False, the interview decides
            log.exception("sending e-mail failed")
            return False


class DisabledMailer:
    """No MailSender configured: send_email() returns False and the reason is logged."""

    def send(self, **_: Any) -> bool:
        log.warning("send_email was called but no MailSender is configured")
        return False
