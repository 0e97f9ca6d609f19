"""The local stack: template.yaml's application in one process, with no docker and no AWS account.

moto's server stands in for AWS on 127.0.0.1; the template's tables, queues and bucket are created from
its own properties; the functions run in-process with the environment Lambda would give them; an
HTTP front maps the HttpApi routes to API Gateway events; a poller plays the SQS event source mapping.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from offstage.local import resources as res
from offstage.local.invoke import FakeContext, load_module

SAMPLES = res.REPO / "layers" / "interviews" / "interviews"
DEFAULT_ENVIRONMENTS = 4  # per function, unless the template reserves another concurrency


def _own_events(module: Any, handler: Any) -> Any:
    """The handler, with the module's Powertools resolvers reading this request's event.

    Powertools keeps the current event on its BaseRouter class, shared by the whole process: in AWS a
    process is one environment, but here several environments share one process, so two of them at
    once would read each other's event. The event set on the resolver itself shadows the class's.
    """
    from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver

    resolvers = [value for value in vars(module).values() if isinstance(value, ApiGatewayResolver)]
    if not resolvers:
        return handler

    def with_own_event(event: dict[str, Any], context: Any) -> Any:
        for resolver in resolvers:
            resolver.current_event = resolver._to_proxy_event(event)  # what resolve() puts on the class
            resolver.lambda_context = context
        return handler(event, context)

    return with_own_event


class Environments:
    """A function's execution environments, as Lambda keeps them: each takes one request at a time (the
    handlers keep the current event in module state), and a request finds a free one, or a new one up
    to `size`, so one runaway request does not stall every other user. When all are busy a request
    waits for one (Lambda would throttle it; locally waiting is kinder to a developer's browser)."""

    def __init__(self, size: int, make: Any) -> None:
        self.size = max(1, size)
        self._make = make  # make(index) -> the handler of a freshly loaded environment
        self._free: list[Any] = []
        self._made = 0  # environments alive
        self._loaded = 0  # environments ever made: each gets a module name of its own
        self._changed = threading.Condition()

    def acquire(self) -> Any:
        with self._changed:
            while not self._free and self._made >= self.size:
                self._changed.wait()
            if self._free:
                return self._free.pop()  # the warmest one, as Lambda reuses recent environments
            self._made += 1
            self._loaded += 1
            index = self._loaded
        try:
            return self._make(index)  # a cold start, outside the lock
        except BaseException:
            with self._changed:
                self._made -= 1
                self._changed.notify()
            raise

    def release(self, handler: Any) -> None:
        with self._changed:
            self._free.append(handler)
            self._changed.notify()

    def abandon(self) -> None:
        """An environment whose request ran out of time is never used again; a new one may be made."""
        with self._changed:
            self._made -= 1
            self._changed.notify()


class FunctionTimedOut(RuntimeError):
    """The handler did not return within the function's Timeout (Lambda: "Task timed out")."""


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
                 environments: int | None = None, with_scheduler: bool = False,
                 packages: Iterable[str] = (), parameters: dict[str, str] | None = None) -> None:
        self.interview_dirs = [Path(d).resolve() for d in (*interview_dirs, *interviews)]
        self.packages = tuple(packages)  # installed docassemble packages whose interviews are served
        self.parameters = dict(parameters or {})  # template parameters other than their defaults
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
        self.environments = environments  # per function; None: the template's reserved concurrency, or 4
        self._pools: dict[str, Environments] = {}
        self._pools_lock = threading.Lock()
        self._moto: Any = None
        self._http: Any = None
        self._saved_env: dict[str, str | None] = {}
        self._machines_prefix = ""  # the moto names of this stack's state machine functions

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
        prefix = f"offstage-{secrets.token_hex(3)}"
        found = res.create_resources(self.template, session, prefix=prefix)
        found.parameters.update(self.parameters)
        from offstage.local import statemachines  # moto's interpreter runs them; their functions run here

        called = statemachines.create(self.template, session, found, self.root, prefix)
        if called:
            statemachines.route(prefix, called, self.invoke)
            self._machines_prefix = prefix
        self.resources = dict(found.names)
        self._store_api_key(session, found)
        env: dict[str, str] = {}
        for logical in self.functions:
            env.update(res.function_environment(self.template, logical, found))
        roots = [SAMPLES, *self.interview_dirs]
        env.update({"OFFSTAGE_LOCAL": "1", "OFFSTAGE_API_KEYS": self.api_key,
                    "INTERVIEW_ROOTS": os.pathsep.join(str(r) for r in roots),
                    "INTERVIEW_PACKAGES": ",".join(self.packages),
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
        if called:  # the template's EventBridge rules on executions that ended
            from offstage.local.rules import attach_rules

            attach_rules(self)
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
            with contextlib.suppress(Exception):  # stopping is best effort
                service.stop()
        if self._http is not None:
            self._http.stop()
            self._http = None
        if self._moto is not None:
            self._moto.stop()
            self._moto = None
        self._services.clear()  # the poller is attached again by the next start()
        if self._machines_prefix:
            from offstage.local import statemachines

            statemachines.unroute(self._machines_prefix)
            self._machines_prefix = ""
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
    def new_environment(self, logical_id: str, index: int) -> Any:
        """A fresh execution environment of the function: its handler module imported anew from CodeUri
        (module state of its own; the offstage package itself is shared, as a layer's code would be)."""
        spec = self.functions.get(logical_id)
        if spec is None:
            raise KeyError(f"template.yaml has no function {logical_id}; it has {sorted(self.functions)}")
        module, attribute = load_module(self.root, logical_id, spec["code_uri"], spec["handler"], instance=index)
        return _own_events(module, getattr(module, attribute))

    def environment_count(self, logical_id: str) -> int:
        """How many environments the function may have at once: the stack's setting, else the template's
        ReservedConcurrentExecutions, else DEFAULT_ENVIRONMENTS."""
        if self.environments is not None:
            return max(1, self.environments)
        props = ((self.template.get("Resources") or {}).get(logical_id) or {}).get("Properties") or {}
        reserved = props.get("ReservedConcurrentExecutions")
        return reserved if isinstance(reserved, int) and reserved > 0 else DEFAULT_ENVIRONMENTS

    def _pool(self, logical_id: str) -> Environments:
        with self._pools_lock:
            if logical_id not in self._pools:
                if logical_id not in self.functions:
                    raise KeyError(f"template.yaml has no function {logical_id}; it has {sorted(self.functions)}")
                self._pools[logical_id] = Environments(
                    self.environment_count(logical_id), lambda index: self.new_environment(logical_id, index))
            return self._pools[logical_id]

    def handler_for(self, logical_id: str) -> Any:
        """The function's handler, run in one of its execution environments, one request per environment
        at a time, and ended at the function's Timeout as Lambda ends it: the caller gets FunctionTimedOut
        (the HTTP front answers 500) and the environment is dropped, with whatever still runs in it (a
        thread cannot be killed: it is left behind as a daemon). The poller calls it too."""
        pool = self._pool(logical_id)
        timeout = float(self.functions[logical_id]["timeout"])

        def in_environment(event: dict[str, Any], context: Any) -> Any:
            handler = pool.acquire()
            outcome: dict[str, Any] = {}
            finished = threading.Event()

            def run() -> None:
                try:
                    outcome["value"] = handler(event, context)
                except BaseException as exc:  # noqa: BLE001 - handed to the caller below
                    outcome["error"] = exc
                finally:
                    finished.set()

            remaining = getattr(context, "get_remaining_time_in_millis", None)
            seconds = remaining() / 1000.0 if callable(remaining) else timeout
            threading.Thread(target=run, name=f"lambda-{logical_id}", daemon=True).start()
            if not finished.wait(seconds):
                pool.abandon()
                raise FunctionTimedOut(f"{logical_id} timed out after {seconds:.0f} s (its Timeout): "
                                       "the environment was ended, as Lambda does")
            pool.release(handler)
            if "error" in outcome:
                raise outcome["error"]
            return outcome.get("value")

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
