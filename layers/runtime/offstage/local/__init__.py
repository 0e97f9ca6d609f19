"""The docker-free local stack (moto in-process, an HTTP front, an SQS poller)."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:  # LocalStack imports moto: only when asked for
    if name == "LocalStack":
        from offstage.local.stack import LocalStack

        return LocalStack
    raise AttributeError(name)
