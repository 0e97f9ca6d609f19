"""What interview code tells the library about this request (`set_info`) and the server's settings.

docassemble keeps `set_info(user=..., role=...)` for the current request only, so an `initial` block
calls it on every screen; so does offstage (it lives on the request's context, not in the answers).
`get_config()` reads offstage's few settings under docassemble's Configuration names.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

from offstage.context import maybe_current

_OUTSIDE: dict[str, Any] = {}  # set_info() called with no interview running (package code, tests)


def _info() -> dict[str, Any]:
    ctx = maybe_current()
    if ctx is None:
        return _OUTSIDE
    return cast("dict[str, Any]", vars(ctx).setdefault("offstage_info", {}))  # per request, like docassemble's thread info


def set_info(**kwargs: Any) -> None:
    """Remember facts for this request: `user` (the Individual who is the user), `role`, `roles` ..."""
    _info().update(kwargs)


def get_info(attribute: str) -> Any:
    """What set_info() was told, or None."""
    return _info().get(attribute)


def user_object() -> Any:
    """The object set_info(user=...) named, or None: who 'you' refers to."""
    return _info().get("user")


# docassemble's Configuration keys that offstage can answer from its own settings
def _known_config() -> dict[str, Any]:
    from offstage.library.dates import get_default_timezone

    return {"timezone": get_default_timezone(), "country": "US", "locale": "en_US.utf8",
            "language": "en", "dialect": "us",
            # AssemblyLine's switch for its per-screen write of session metadata into docassemble's SQL
            # store, which offstage does not have (sessions are in DynamoDB): off, as on a server without it
            "assembly line": {"update session metadata": False}}


def get_config(key: str, default: Any = None) -> Any:
    """A docassemble Configuration value: the few offstage knows (timezone, country, language ...),
    else `default` (offstage has no Configuration file: a package's own keys are not set, but for
    AssemblyLine's `update session metadata`, off)."""
    return _known_config().get(key, default)


def interface() -> str:
    """How the session is being used: 'web', 'api', 'cron', 'worker' ('worker' for background tasks)."""
    ctx = maybe_current()
    return ctx.interface if ctx is not None else "web"


def get_country() -> str:
    return str(_info().get("country") or "US")


def set_country(country: str) -> None:
    _info()["country"] = country


def get_locale(*pargs: Any) -> str:  # noqa: ARG001 - docassemble's signature
    return "en_US.utf8"


def language_from_browser(*pargs: Any) -> str | None:  # noqa: ARG001 - docassemble's signature
    """The browser's preferred language among those given: offstage's requests do not carry the
    browser's Accept-Language header to interview code, so this is None, as docassemble gives when a
    request has no such header."""
    return None


class _AnswersByAttribute:
    """docassemble's `global_vars`: `user` and `role` as set_info() set them (None and 'user' until then);
    any other name is read from the interview's answers, without copying them."""

    @property
    def user(self) -> Any:
        return user_object()

    @property
    def role(self) -> Any:
        return _info().get("role") or "user"

    def __getattr__(self, name: str) -> Any:
        ctx = maybe_current()
        answers = ctx.answers if ctx is not None else {}
        if name.startswith("__") or name not in answers:
            raise AttributeError(name)
        return answers[name]


class _ThreadState(SimpleNamespace):
    """What package code reads from `docassemble.base.functions.this_thread`.

    `global_vars` is the interview's answers (by attribute), `current_info` what set_info() holds,
    `evaluation_context` None (offstage renders DOCX templates with the same objects as pages).
    """

    @property
    def global_vars(self) -> Any:
        return _AnswersByAttribute()

    @property
    def current_info(self) -> dict[str, Any]:
        return _info()

    @property
    def language(self) -> str:
        from offstage.library.words import get_language

        return get_language()


this_thread = _ThreadState(evaluation_context=None, probing=False, misc={}, prevent_going_back=False)
