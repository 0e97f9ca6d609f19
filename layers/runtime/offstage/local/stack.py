"""The local stack: template.yaml's application in one process, with no docker and no AWS account.

moto's server stands in for AWS on 127.0.0.1; the template's tables, queues and bucket are created from
its own properties; the functions run in-process with the environment Lambda would give them; an
HTTP front maps the HttpApi routes to API Gateway events; a poller plays the SQS event source mapping.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from offstage.local import resources as res
from offstage.local.invoke import FakeContext, load_handler

SAMPLES = res.REPO / "layers" / "interviews" / "interviews"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalStack:
    """`with LocalStack([interview_dir]) as stack:` -> stack.url, stack.api_key, stack.invoke(id, event).

    Also start()/stop(); `with_http=False` skips the HTTP front (stack.url stays ""), `with_poller=False`
    the SQS poller (background tasks then wait in the queue).
    """

    def __init__(self, interview_dirs: Iterable[str | Path] = (), port: int = 0, host: str = "127.0.0.1",
                 api_key: str | None = None, with_http: bool = True, with_poller: bool = True, *,
                 interviews: Iterable[str | Path] = (), template_path: Path = res.TEMPLATE,
                 with_scheduler: bool = False) -> None:
        self.interview_dirs = [Path(d).resolve() for d in (*interview_dirs, *interviews)]
        self.port, self.host = port, host
        self.api_key = api_key or secrets.token_urlsafe(24)
        self.with_http, self.with_poller = with_http, with_poller
        self.with_scheduler = with_scheduler  # the template's schedules fire on their own (`offstage serve`)
        self.template_path = Path(template_path)
        self.root = self.template_path.parent
        self.template = res.template(self.template_path)
        self.functions = res.functions(self.template)
        self.env: dict[str, str] = {}
        self.resources: dict[str, str] = {}
        self.endpoint = ""
        self.url = ""
        self._services: list[Any] = []
        self._handlers: dict[str, Any] = {}
        self._environments: dict[str, threading.Lock] = {}  # one execution environment per function
        self._moto: Any = None
        self._http: Any = None
        self._saved_env: dict[str, str | None] = {}

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> LocalStack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> LocalStack:
        try:
            return self._start()
        except BaseException:
            self.stop()  # a half-started stack leaves no server running and no environment changed
            raise

    def _start(self) -> LocalStack:
        import logging

        from offstage.local.emulator import EmulatedAws

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log drowns ours
        moto_port = _free_port()
        self._moto = EmulatedAws(ip_address="127.0.0.1", port=moto_port, verbose=False)
        self._moto.start()
        self.endpoint = f"http://127.0.0.1:{moto_port}"
        self._apply_env({"AWS_ENDPOINT_URL": self.endpoint, "AWS_ACCESS_KEY_ID": "testing",
                         "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
                         "AWS_REGION": "us-east-1", "MOTO_PORT": str(moto_port)})
        import boto3

        session = boto3.Session(region_name="us-east-1")
        # moto keeps one backend per process: a second stack in the same process gets its own names
        found = res.create_resources(self.template, session, prefix=f"offstage-{secrets.token_hex(3)}")
        self.resources = dict(found.names)
        self._store_api_key(session, found)
        env: dict[str, str] = {}
        for logical in self.functions:
            env.update(res.function_environment(self.template, logical, found))
        roots = [SAMPLES, *self.interview_dirs]
        env.update({"OFFSTAGE_LOCAL": "1", "OFFSTAGE_API_KEYS": self.api_key,
                    "INTERVIEW_ROOTS": os.pathsep.join(str(r) for r in roots),
                    "POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_METRICS_DISABLED": "true"})
        self.env = env
        self._apply_env(env)
        self._forget_cached_wiring()
        if self.with_poller:
            from offstage.local.poller import attach_poller

            attach_poller(self, self.template_path)
        from offstage.local import outbox

        outbox.clear()  # the outbox shows this stack's mail only
        if self.with_scheduler:
            from offstage.local.scheduler import attach_scheduler

            attach_scheduler(self)
        if self.with_http:
            from offstage.local.http_front import HttpFront

            self._http = HttpFront(self, self.host, self.port)
            self._http.start()
            self.url = self._http.url
        for service in self._services:
            service.start()
        return self

    def stop(self) -> None:
        for service in reversed(self._services):
            try:
                service.stop()
            except Exception:  # noqa: BLE001 - stopping is best effort
                pass
        if self._http is not None:
            self._http.stop()
            self._http = None
        if self._moto is not None:
            self._moto.stop()
            self._moto = None
        self._services.clear()  # the poller is attached again by the next start()
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved_env = {}
        self._forget_cached_wiring()

    def add_service(self, service: Any) -> None:
        """A background part (e.g. the SQS poller) started and stopped with the stack."""
        self._services.append(service)

    # ------------------------------------------------------------------ functions
    def handler(self, logical_id: str) -> Any:
        """The function's lambda_handler, imported once from its CodeUri."""
        if logical_id not in self._handlers:
            spec = self.functions.get(logical_id)
            if spec is None:
                raise KeyError(f"template.yaml has no function {logical_id}; it has {sorted(self.functions)}")
            self._handlers[logical_id] = load_handler(self.root, logical_id, spec["code_uri"], spec["handler"])
        return self._handlers[logical_id]

    def handler_for(self, logical_id: str) -> Any:
        """The handler in the function's one execution environment: one request at a time, as Lambda
        gives each environment (the handlers keep the current event in module state, Powertools'
        resolver, so two at once would mix them). The poller calls it too."""
        handler = self.handler(logical_id)

        def in_environment(event: dict[str, Any], context: Any) -> Any:
            with self._environments.setdefault(logical_id, threading.Lock()):
                return handler(event, context)

        return in_environment

    def invoke(self, logical_id: str, event: dict[str, Any]) -> Any:
        spec = self.functions[logical_id]
        return self.handler_for(logical_id)(event, FakeContext(logical_id, spec["timeout"], spec["memory"]))

    def cron(self, kind: str, at: Any = None) -> dict[str, Any]:
        """Fire one scheduled tick now, as if at `at` (offstage.local.scheduler.fire)."""
        from offstage.local.scheduler import fire

        return fire(self, kind, at)

    def client(self, service: str) -> Any:
        import boto3

        return boto3.client(service, region_name="us-east-1", endpoint_url=self.endpoint)

    # ------------------------------------------------------------------ helpers
    def _apply_env(self, values: dict[str, str]) -> None:
        for key, value in values.items():
            self._saved_env.setdefault(key, os.environ.get(key))
            os.environ[key] = value

    def _store_api_key(self, session: Any, found: res.Resources) -> None:
        name = found.parameters.get("ApiKeysParameterName", "offstage/api-keys")
        session.client("ssm").put_parameter(Name="/" + name.lstrip("/"), Value=self.api_key,
                                            Type="SecureString", Overwrite=True)

    @staticmethod
    def _forget_cached_wiring() -> None:
        from offstage import settings

        settings.reset()
        try:
            from offstage.aws import wiring

            wiring.reset_deps()
            from offstage.http import wiring as http_wiring

            http_wiring.use_deps(None)
        except ImportError:
            pass
