"""The environment contract of every function, parsed once per container.

template.yaml's Globals set these variables; the local stack sets the same ones for moto. A bad value
stops the container at the first request with a message naming the variable, rather than half-working.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


def _int(env: Mapping[str, str], name: str, default: int, *, minimum: int = 0) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {value}")
    return value


def _timezone(env: Mapping[str, str]) -> str | None:
    name = env.get("OFFSTAGE_TIMEZONE", "").strip()
    if not name:
        return None
    import zoneinfo  # lazy: only when a zone is configured

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"OFFSTAGE_TIMEZONE must be a time zone name such as America/New_York, "
                         f"not {name!r}") from None
    return name


def _flag(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    sessions_table: str = "offstage-sessions"
    tasks_table: str = "offstage-tasks"
    idempotency_table: str = "offstage-idempotency"
    payload_bucket: str = "offstage-payloads"
    background_queue_url: str = ""
    api_keys_parameter: str = ""
    api_keys_inline: tuple[str, ...] = ()
    interview_roots: tuple[Path, ...] = field(default_factory=lambda: (Path("/opt/interviews"),))
    checkin_interval_ms: int = 6000
    interview_delete_days: int = 90
    max_body_bytes: int = 1_048_576
    background_timeout_seconds: int | None = None
    mail_sender: str = ""
    local: bool = False
    endpoint_url: str | None = None
    region: str = "us-east-1"
    timezone: str | None = None  # the interviews' default zone; None means docassemble's America/New_York
    # scheduled tasks (issue 9): the cron index's partitions and the queue the dispatcher fills
    cron_shards: int = 16
    cron_queue_url: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        checkin = _int(env, "CHECKIN_INTERVAL_MS", 6000)
        if 0 < checkin < 1000:
            raise ValueError(f"CHECKIN_INTERVAL_MS must be 0 (off) or at least 1000, not {checkin}")
        roots = tuple(Path(p) for p in env.get("INTERVIEW_ROOTS", "/opt/interviews").split(os.pathsep) if p)
        keys = tuple(k.strip() for k in env.get("OFFSTAGE_API_KEYS", "").split(",") if k.strip())
        timeout = env.get("BACKGROUND_TIMEOUT_SECONDS", "").strip()
        return cls(
            sessions_table=env.get("SESSIONS_TABLE", cls.sessions_table),
            tasks_table=env.get("TASKS_TABLE", cls.tasks_table),
            idempotency_table=env.get("IDEMPOTENCY_TABLE", cls.idempotency_table),
            payload_bucket=env.get("PAYLOAD_BUCKET", cls.payload_bucket),
            background_queue_url=env.get("BACKGROUND_QUEUE_URL", ""),
            api_keys_parameter=env.get("API_KEYS_PARAMETER", ""),
            api_keys_inline=keys,
            interview_roots=roots,
            checkin_interval_ms=checkin,
            interview_delete_days=_int(env, "INTERVIEW_DELETE_DAYS", 90),
            max_body_bytes=_int(env, "MAX_BODY_BYTES", 1_048_576, minimum=1024),
            background_timeout_seconds=_int(env, "BACKGROUND_TIMEOUT_SECONDS", 0, minimum=1) if timeout else None,
            mail_sender=env.get("MAIL_SENDER", ""),
            local=_flag(env, "OFFSTAGE_LOCAL"),
            endpoint_url=env.get("AWS_ENDPOINT_URL") or None,
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
            timezone=_timezone(env),
            cron_shards=_int(env, "CRON_SHARDS", 16, minimum=1),
            cron_queue_url=env.get("CRON_QUEUE_URL", ""),
        )


@functools.cache
def settings() -> Settings:
    """The settings of this container, read from the environment on first use."""
    return Settings.from_env()


def reset() -> None:
    """Forget the cached settings (tests and the local stack change the environment)."""
    settings.cache_clear()
