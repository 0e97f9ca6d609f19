"""Which stored sessions cron may open: a fact about the answers that the store indexes and the engine obeys."""

from __future__ import annotations

from typing import Any


def allows_cron(answers: dict[str, Any]) -> bool:
    """Only sessions that opted in (`use_cron = True` or `allow_cron = True`) and are stored unencrypted
    (`multi_user = True`) take part; docassemble tests the flags for truth, so does this."""
    opted_in = bool(answers.get("use_cron")) or bool(answers.get("allow_cron"))
    return opted_in and bool(answers.get("multi_user"))
