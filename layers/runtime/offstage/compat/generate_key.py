"""docassemble.base.generate_key as offstage provides it: random keys for package code."""

from __future__ import annotations

import secrets
import string

_ALPHANUMERIC = string.ascii_letters + string.digits


def random_alphanumeric(length: int) -> str:
    """`length` random letters and digits (from the secrets module: fit for keys)."""
    return "".join(secrets.choice(_ALPHANUMERIC) for _ in range(length))
