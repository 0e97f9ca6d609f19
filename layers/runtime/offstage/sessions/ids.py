"""Unguessable identifiers: 128 bits from the OS's CSPRNG."""

from __future__ import annotations

import secrets


def new_session_id() -> str:
    return secrets.token_hex(16)


def new_secret() -> str:
    """The key material of an encrypted session; the server hands it out and never stores it."""
    return secrets.token_urlsafe(16)


def new_task_id() -> str:
    """A background task's id (it names the task's item and its result)."""
    return secrets.token_hex(16)
