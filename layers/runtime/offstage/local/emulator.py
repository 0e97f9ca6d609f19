"""moto's server for the local stack, with DynamoDB's per-request atomicity.

DynamoDB applies a conditional write (or a transaction) atomically; moto's threaded server checks the
condition and writes without a lock, so two requests at once could both pass one condition, which
AWS never allows. Here DynamoDB requests take a lock while other services (SQS long polls above all)
still run side by side.
"""

from __future__ import annotations

import threading
from typing import Any

from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server


class DynamoAtomic:
    """WSGI middleware: one DynamoDB request at a time (they are short), the rest untouched."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if not str(environ.get("HTTP_X_AMZ_TARGET", "")).startswith("DynamoDB"):
            return self.app(environ, start_response)
        with self.lock:
            # the body is produced inside the lock: moto's answer is complete when it returns
            return list(self.app(environ, start_response))


class EmulatedAws(ThreadedMotoServer):
    def _server_entry(self) -> None:
        app = DynamoAtomic(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(self._ip_address, self._port, app, True, request_handler=MotoRequestHandler)
        self._server_ready_event.set()
        self._server.serve_forever()
