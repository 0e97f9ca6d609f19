"""DAStore: values kept apart from one session's answers, shared by a user's sessions or an interview's.

`store = DAStore('store', base='user')`; `store.set('prefs', {...})`, `store.get('prefs')`,
`store.defined('prefs')`, `store.delete('prefs')`. Values are kept in the KeyValue port (DynamoDB in
AWS) in the answers' own encoding, so they may hold docassemble objects and can never run code when
read back. Bases: 'user' (the logged-in user; for an anonymous user, the session), 'interview',
'global', 'session', or any other text (a name of your own).
"""

from __future__ import annotations

from typing import Any

from offstage.answers.registry import register
from offstage.library.objects import DAObject


class StoreUnavailable(RuntimeError):
    """DAStore cannot be used here (no key-value store is configured)."""


@register
class DAStore(DAObject):
    def init(self, *pargs: Any, **kwargs: Any) -> None:
        kwargs.setdefault("base", "user")
        super().init(*pargs, **kwargs)

    def _key(self, key: str) -> str:
        from offstage.context import current

        ctx = current()
        base = str(self.base)
        if base == "user" and ctx.user.logged_in and ctx.user.id:
            scope = f"user:{ctx.user.id}"
        elif base == "user":  # anonymous: docassemble keys a temporary user; offstage, the session
            scope = f"session:{ctx.interview_name}:{ctx.session_id}"
        elif base == "interview":
            scope = f"interview:{ctx.interview_name}"
        elif base == "session":
            scope = f"session:{ctx.interview_name}:{ctx.session_id}"
        elif base == "global":
            scope = "global"
        else:
            scope = f"named:{base}"
        return f"da:store:{scope}:{key}"

    def _kv(self) -> Any:
        from offstage.context import current

        kv = current().ports.kv
        if kv is None:
            raise StoreUnavailable("DAStore needs a key-value store, and none is configured for this run")
        return kv

    def _modules(self) -> list[str]:
        from offstage.context import current

        return list(getattr(current().interview, "modules", []) or [])

    def set(self, key: str, value: Any) -> None:
        from offstage.answers.codec import dumps

        self._kv().set(self._key(key), dumps({"v": value}, allowed_modules=self._modules()))

    def get(self, key: str) -> Any:
        from offstage.answers.codec import loads

        data = self._kv().get(self._key(key))
        if data is None:
            return None
        return loads(data, allowed_modules=self._modules()).get("v")

    def defined(self, key: str) -> bool:
        return self._kv().get(self._key(key)) is not None

    def delete(self, key: str) -> None:
        self._kv().delete(self._key(key))

    def is_encrypted(self) -> bool:
        return False
