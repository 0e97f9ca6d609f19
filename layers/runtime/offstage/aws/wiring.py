"""Build the use cases' dependencies from the settings, once per Lambda container."""

from __future__ import annotations

import functools
from typing import Any, TypedDict

from offstage.app.deps import Deps


class _Where(TypedDict):
    """The keyword arguments every AWS adapter takes for where its service is."""

    region: str
    endpoint_url: str | None


def _api_keys(settings: Any) -> frozenset[str]:
    if settings.api_keys_inline:
        return frozenset(settings.api_keys_inline)
    if not settings.api_keys_parameter:
        return frozenset()
    import boto3

    name = settings.api_keys_parameter
    name = name if name.startswith("/") or "/" not in name else "/" + name
    ssm = boto3.client("ssm", region_name=settings.region, endpoint_url=settings.endpoint_url)
    try:
        value = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]
    except ssm.exceptions.ParameterNotFound:
        value = ssm.get_parameter(Name=name.lstrip("/"), WithDecryption=True)["Parameter"]["Value"]
    return frozenset(k.strip() for k in value.split(",") if k.strip())


@functools.cache
def deps() -> Deps:
    from offstage.aws.files import S3FileStore
    from offstage.aws.kv import DynamoKeyValue
    from offstage.aws.mailer import DisabledMailer, SesMailer
    from offstage.aws.queue import SqsTaskQueue
    from offstage.aws.sessions import DynamoSessionStore
    from offstage.aws.tasks import DynamoTaskStore
    from offstage.context import Ports
    from offstage.interview.registry import InterviewRegistry
    from offstage.ports import SystemClock
    from offstage.settings import settings as current_settings

    s = current_settings()
    where: _Where = {"region": s.region, "endpoint_url": s.endpoint_url}
    interviews = InterviewRegistry(list(s.interview_roots), s.interview_packages)

    def modules_for(name: str) -> tuple[str, ...]:
        try:
            return tuple(getattr(interviews.get(name), "modules", ()) or ())
        except Exception:  # noqa: BLE001 - an interview that no longer loads still has readable answers
            return ()

    sessions = DynamoSessionStore(table=s.sessions_table, region=s.region, host=s.endpoint_url,
                                  bucket=s.payload_bucket, modules_for=modules_for, cron_shards=s.cron_shards)
    mailer: Any = SesMailer(sender=s.mail_sender, **where) if s.mail_sender else DisabledMailer()
    if s.local:  # the local stack keeps every message in its outbox (/_local/outbox) instead of SES
        from offstage.local.outbox import LocalOutboxMailer

        mailer = LocalOutboxMailer(sender=s.mail_sender or "offstage@localhost")
    ports = Ports(clock=SystemClock(), queue=SqsTaskQueue(queue_url=s.background_queue_url, **where),
                  tasks=DynamoTaskStore(table=s.tasks_table, keep_seconds=s.interview_delete_days * 86400 or None,
                                        **where), mailer=mailer,
                  kv=DynamoKeyValue(table=s.tasks_table, **where),
                  files=S3FileStore(bucket=s.payload_bucket, **where), converter=_converter(s, where))
    return Deps(sessions=sessions, interviews=interviews, ports=ports, api_keys=_api_keys(s), settings=s,
                assembly=_assembly(s, where), uploads=_direct_uploads(s, where))


def _direct_uploads(s: Any, where: _Where) -> Any:
    from offstage.aws.files import S3DirectUploads

    return S3DirectUploads(bucket=s.payload_bucket, **where)


def _converter(s: Any, where: _Where) -> Any:
    """PDFs by the render function where the template names one (the zip functions have no LibreOffice);
    None: LibreOffice in this process (the render image itself, tests)."""
    if not s.render_function:
        return None
    from offstage.aws.render import LambdaConverter

    return LambdaConverter(function_name=s.render_function, bucket=s.payload_bucket,
                           conversion_seconds=s.soffice_timeout_seconds, **where)


def _assembly(s: Any, where: _Where) -> Any:
    """Parallel assembly's parts; without a state machine (ASSEMBLY_STATE_MACHINE_ARN) tasks render in place."""
    from offstage.app.assembly import AssemblyPorts
    from offstage.aws.assembly import DynamoProgress, S3AssemblyFiles, StepFunctionsWorkflow

    workflow = StepFunctionsWorkflow(state_machine_arn=s.assembly_state_machine_arn, **where) \
        if s.assembly_state_machine_arn else None
    return AssemblyPorts(workflow=workflow, files=S3AssemblyFiles(bucket=s.payload_bucket, **where),
                         progress=DynamoProgress(table=s.tasks_table, **where))


def reset_deps() -> None:
    """Forget the built dependencies (tests and the local stack change the environment)."""
    deps.cache_clear()
