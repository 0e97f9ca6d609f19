"""The page's protections that live in headers: a Content-Security-Policy with a fresh nonce per response.

Pages are built before the response that carries them, so a page marks where the nonce goes with
NONCE_SLOT (random per process, never sent: every response replaces it) and `protect()` puts the
response's own nonce there and in the policy. Only scripts that carry the nonce run: the page's own and
the author's `script:` blocks; anything else (an injected <script>, an on* attribute, a javascript:
URL) is refused by the browser even if it got past the sanitizer.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

NONCE_SLOT = "nonce-slot-" + secrets.token_hex(16)
_SCRIPT_TAG = re.compile(r"<script\b", re.I)

# 'strict-dynamic': a script the page trusts may load others (an author's script that adds a library).
POLICY = ("script-src 'nonce-{nonce}' 'strict-dynamic'; object-src 'none'; base-uri 'none'; "
          "frame-ancestors 'none'; form-action 'self'")
PAGE_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # the session's interview and actions are in URLs: they are never sent to another site
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def nonce_attribute() -> str:
    """` nonce="…"` for a script element the page writes."""
    return f' nonce="{NONCE_SLOT}"'


def with_nonces(author_html: str) -> str:
    """The author's `script:` / `css:` HTML with the response's nonce on each of its <script> elements."""
    return _SCRIPT_TAG.sub(lambda m: m.group(0) + nonce_attribute(), author_html)


def protect(page: str) -> tuple[str, dict[str, str]]:
    """(the page with this response's nonce in place, the headers that go with it)."""
    nonce = secrets.token_urlsafe(18)
    return page.replace(NONCE_SLOT, nonce), {"Content-Security-Policy": POLICY.format(nonce=nonce),
                                             **PAGE_HEADERS}


def safe_checkin_reply(reply: dict[str, Any]) -> dict[str, Any]:
    """A check-in's reply with the HTML the page script will insert (flash messages, [TARGET] contents)
    passed through the sanitizer; an interview's `javascript` stays the author's script."""
    commands = reply.get("commands")
    if not isinstance(commands, list):
        return reply
    return {**reply, "commands": [_safe_command(c) for c in commands]}


def _safe_command(command: Any) -> Any:
    if not isinstance(command, dict):
        return command
    from offstage.text.sanitize import safe_html

    extra, value = command.get("extra"), command.get("value")
    if extra == "flash" and value is not None:
        return {**command, "value": safe_html(value)}
    if extra == "backgroundresponse":
        items = value if isinstance(value, list) else [value]
        safe = [{**item, "content": safe_html(item.get("content"))}
                if isinstance(item, dict) and "target" in item else item for item in items]
        return {**command, "value": safe if isinstance(value, list) else safe[0]}
    return command
