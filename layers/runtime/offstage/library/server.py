"""What the session and the server offer: session tags, the server's capabilities, SMS, interview terms.

offstage has no SMS or fax service and no log-in providers: server_capabilities() says so, and
send_sms() returns False (with a log line) as docassemble's does on a server without Twilio.
"""

from __future__ import annotations

import logging
from typing import Any

from offstage.context import current

log = logging.getLogger(__name__)

_CAPABILITIES = ("sms", "fax", "google_login", "facebook_login", "auth0_login", "keycloak_login",
                 "authentik_login", "azure_login", "miniorange_login", "phone_login", "voicerss", "s3", "azure",
                 "github", "pypi", "googledrive", "google_maps")


def session_tags() -> set[str]:
    """The session's tags (a set the interview may change), starting from the metadata's `tags`."""
    ctx = current()
    internal = ctx.answers.setdefault("_internal", {})
    if "tags" not in internal:
        tags = ctx.interview.metadata.get("tags") or []
        internal["tags"] = {str(tag) for tag in (tags if isinstance(tags, list) else [tags])}
    found: set[str] = internal["tags"]
    return found


def server_capabilities() -> dict[str, bool]:
    """docassemble's capability flags; offstage's file store counts as `s3` when one is configured."""
    found = dict.fromkeys(_CAPABILITIES, False)
    found["s3"] = current().ports.files is not None
    return found


def send_sms(*_: Any, **__: Any) -> bool:
    """offstage sends no SMS: False, as docassemble answers on a server without Twilio."""
    log.warning("send_sms: offstage has no SMS service; no message was sent")
    return False


def update_terms(dictionary: dict[str, str], auto: bool = False, language: str = "*") -> None:
    """Add to the interview's `terms` (or `auto terms`) for this session: the screens shown next mark them."""
    if not isinstance(dictionary, dict):
        raise TypeError("update_terms() takes a dictionary of term: definition")
    internal = current().answers.setdefault("_internal", {})
    kept = internal.setdefault("auto terms" if auto else "terms", {}).setdefault(language, {})
    kept.update({str(k): str(v) for k, v in dictionary.items()})


def interview_menu(*pargs: Any, **kwargs: Any) -> list[dict[str, Any]]:  # noqa: ARG001 - docassemble's signature
    """The interviews of the server's `dispatch` list: offstage has no such list, so none (docassemble's
    answer on a server configured without `dispatch`)."""
    return []


def set_progress(number: float | None) -> None:
    """Set the progress bar (a percentage; None hides it until set again), drawn with `features: progress bar`."""
    current().answers.setdefault("_internal", {})["progress"] = number


def get_progress() -> float | None:
    """The progress bar's value (set by set_progress(), a question's `progress:` or the bar's own advance), or None."""
    found = current().answers.get("_internal", {}).get("progress")
    return None if found is None else float(found)
