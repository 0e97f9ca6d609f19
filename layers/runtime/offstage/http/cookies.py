"""The browser's session cookie: one per interview, holding session id, secret and CSRF token."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from offstage.http.request import cookies

PREFIX = "offstage_"


@dataclass
class BrowserSession:
    session_id: str
    secret: str | None
    csrf: str

    def encode(self) -> str:
        return ".".join((self.session_id, self.secret or "-", self.csrf))

    @classmethod
    def decode(cls, value: str) -> BrowserSession | None:
        parts = value.split(".")
        if len(parts) != 3 or not all(parts):
            return None
        return cls(parts[0], None if parts[1] == "-" else parts[1], parts[2])

    @classmethod
    def fresh(cls, session_id: str, secret: str | None) -> BrowserSession:
        return cls(session_id, secret, secrets.token_urlsafe(18))


def cookie_name(interview: str) -> str:
    """One cookie per interview file, whichever way the URL names it: `pkg:data/questions/examples/x.yml`
    and `x.yml` (as url_action() links write it) are the same session, as they are in the store."""
    file_name = interview.rsplit(":", 1)[-1].rsplit("/", 1)[-1]
    return PREFIX + hashlib.sha256(file_name.encode()).hexdigest()[:16]


def read(event: dict[str, Any], interview: str) -> BrowserSession | None:
    value = cookies(event).get(cookie_name(interview))
    return BrowserSession.decode(value) if value else None


def secure() -> bool:
    """Secure cookies everywhere but the local stack (plain http on 127.0.0.1)."""
    from offstage.settings import settings

    return not settings().local


def make(interview: str, session: BrowserSession | None) -> Cookie:
    """The Set-Cookie for this interview; None clears it."""
    return Cookie(name=cookie_name(interview), value=session.encode() if session else "", path="/",
                  secure=secure(), http_only=True, same_site=SameSite.LAX_MODE,
                  max_age=None if session else 0)
