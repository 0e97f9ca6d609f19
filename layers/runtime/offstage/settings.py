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

# The one home of each default (the code that needs one imports it from here).
CHECKIN_INTERVAL_MS = 6000  # how often a page checks in; 0 turns check-ins off
INTERVIEW_DELETE_DAYS = 90  # idle days before a session is deleted
SCREEN_TIME_LIMIT_SECONDS = 10  # interview code of one screen or check-in (engine/deadline.py)
MAX_BODY_BYTES = 1_048_576
# uploads (multipart bodies): Lambda takes at most 6 MB per invocation and API Gateway sends the body
# base64-encoded (4/3 larger), so about 4.4 MB of form is what can reach the function in AWS
MAX_UPLOAD_BYTES = 4_000_000  # one file
MAX_UPLOAD_REQUEST_BYTES = 4_400_000  # the whole multipart body
# bigger files go from the browser straight to S3 (a presigned POST, http/direct_uploads.py), up to
# docassemble's default `maximum content length` (16 MiB)
DIRECT_UPLOAD_OVER_BYTES = 4_000_000
MAX_DIRECT_UPLOAD_BYTES = 16_777_216
DIRECT_UPLOAD_SECONDS = 900  # how long a presigned POST may be used
DEFAULT_REGION = "us-east-1"
CRON_SHARDS = 16  # partitions of the sparse cron index (aws/sessions.py); only ever raised
SOFFICE_TIMEOUT_SECONDS = 20  # one DOCX -> PDF conversion; below the screen function's 29 s


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


def _packages(env: Mapping[str, str]) -> tuple[str, ...]:
    """INTERVIEW_PACKAGES: package names separated by commas or spaces (`docassemble.AssemblyLine`)."""
    import re

    names = tuple(n for n in re.split(r"[,\s]+", env.get("INTERVIEW_PACKAGES", "")) if n)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", name):
            raise ValueError(f"INTERVIEW_PACKAGES: {name!r} is not a Python package name")
    return names


def _flag(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    sessions_table: str = "offstage-sessions"
    tasks_table: str = "offstage-tasks"
    payload_bucket: str = "offstage-payloads"
    background_queue_url: str = ""
    api_keys_parameter: str = ""
    api_keys_inline: tuple[str, ...] = ()
    interview_roots: tuple[Path, ...] = field(default_factory=lambda: (Path("/opt/interviews"),))
    # installed docassemble packages whose data/questions interviews are listed and startable
    interview_packages: tuple[str, ...] = ()
    checkin_interval_ms: int = CHECKIN_INTERVAL_MS
    interview_delete_days: int = INTERVIEW_DELETE_DAYS
    max_body_bytes: int = MAX_BODY_BYTES
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    max_upload_request_bytes: int = MAX_UPLOAD_REQUEST_BYTES
    direct_upload_over_bytes: int = DIRECT_UPLOAD_OVER_BYTES  # 0: every file goes through the function
    max_direct_upload_bytes: int = MAX_DIRECT_UPLOAD_BYTES
    background_timeout_seconds: int | None = None
    # interview code of one screen or check-in must finish within this (engine/deadline.py)
    screen_time_limit_seconds: int = SCREEN_TIME_LIMIT_SECONDS
    mail_sender: str = ""
    local: bool = False  # the local stack (plain http on 127.0.0.1: cookies are not Secure)
    debug: bool = False  # OFFSTAGE_DEBUG, never in production: interview errors keep their traceback
    lambda_function: str | None = None  # AWS_LAMBDA_FUNCTION_NAME: set by Lambda (and the local stack)
    endpoint_url: str | None = None
    region: str = DEFAULT_REGION
    timezone: str | None = None  # the interviews' default zone; None means docassemble's America/New_York
    soffice: str | None = None  # OFFSTAGE_SOFFICE: the LibreOffice program (default: soffice on PATH)
    soffice_timeout_seconds: int = SOFFICE_TIMEOUT_SECONDS
    # scheduled tasks (issue 9): the cron index's partitions and the queue the dispatcher fills
    cron_shards: int = CRON_SHARDS
    cron_queue_url: str = ""
    # parallel assembly (issue 10): the state machine background tasks hand their documents to
    assembly_state_machine_arn: str = ""
    # the function that makes PDFs for functions without LibreOffice (RENDER_FUNCTION_NAME; "": this process)
    render_function: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        checkin = _int(env, "CHECKIN_INTERVAL_MS", CHECKIN_INTERVAL_MS)
        if 0 < checkin < 1000:
            raise ValueError(f"CHECKIN_INTERVAL_MS must be 0 (off) or at least 1000, not {checkin}")
        roots = tuple(Path(p) for p in env.get("INTERVIEW_ROOTS", "/opt/interviews").split(os.pathsep) if p)
        keys = tuple(k.strip() for k in env.get("OFFSTAGE_API_KEYS", "").split(",") if k.strip())
        timeout = env.get("BACKGROUND_TIMEOUT_SECONDS", "").strip()
        return cls(
            sessions_table=env.get("SESSIONS_TABLE", cls.sessions_table),
            tasks_table=env.get("TASKS_TABLE", cls.tasks_table),
            payload_bucket=env.get("PAYLOAD_BUCKET", cls.payload_bucket),
            background_queue_url=env.get("BACKGROUND_QUEUE_URL", ""),
            api_keys_parameter=env.get("API_KEYS_PARAMETER", ""),
            api_keys_inline=keys,
            interview_roots=roots,
            interview_packages=_packages(env),
            checkin_interval_ms=checkin,
            interview_delete_days=_int(env, "INTERVIEW_DELETE_DAYS", INTERVIEW_DELETE_DAYS),
            max_body_bytes=_int(env, "MAX_BODY_BYTES", MAX_BODY_BYTES, minimum=1024),
            max_upload_bytes=_int(env, "MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES, minimum=1024),
            max_upload_request_bytes=_int(env, "MAX_UPLOAD_REQUEST_BYTES", MAX_UPLOAD_REQUEST_BYTES, minimum=1024),
            direct_upload_over_bytes=_int(env, "DIRECT_UPLOAD_OVER_BYTES", DIRECT_UPLOAD_OVER_BYTES),
            max_direct_upload_bytes=_int(env, "MAX_DIRECT_UPLOAD_BYTES", MAX_DIRECT_UPLOAD_BYTES, minimum=1024),
            background_timeout_seconds=_int(env, "BACKGROUND_TIMEOUT_SECONDS", 0, minimum=1) if timeout else None,
            screen_time_limit_seconds=_int(env, "SCREEN_TIME_LIMIT_SECONDS", SCREEN_TIME_LIMIT_SECONDS, minimum=1),
            mail_sender=env.get("MAIL_SENDER", ""),
            local=_flag(env, "OFFSTAGE_LOCAL"),
            debug=_flag(env, "OFFSTAGE_DEBUG"),
            lambda_function=env.get("AWS_LAMBDA_FUNCTION_NAME") or None,
            endpoint_url=env.get("AWS_ENDPOINT_URL") or None,
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or DEFAULT_REGION,
            timezone=_timezone(env),
            soffice=env.get("OFFSTAGE_SOFFICE") or None,
            soffice_timeout_seconds=_int(env, "OFFSTAGE_SOFFICE_TIMEOUT", SOFFICE_TIMEOUT_SECONDS, minimum=1),
            cron_shards=_int(env, "CRON_SHARDS", CRON_SHARDS, minimum=1),
            cron_queue_url=env.get("CRON_QUEUE_URL", ""),
            assembly_state_machine_arn=env.get("ASSEMBLY_STATE_MACHINE_ARN", ""),
            render_function=env.get("RENDER_FUNCTION_NAME", ""),
        )


@functools.cache
def settings() -> Settings:
    """The settings of this container, read from the environment on first use."""
    return Settings.from_env()


def reset() -> None:
    """Forget the cached settings (tests and the local stack change the environment)."""
    settings.cache_clear()
