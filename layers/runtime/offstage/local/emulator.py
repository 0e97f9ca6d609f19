"""moto's server for the local stack, with DynamoDB's per-request atomicity and S3's POST policy checks.

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


class PostPolicy:
    """WSGI middleware: S3's checks of a browser's POST upload (a presigned POST's policy), which moto skips:
    the form's key, type and size must meet the policy's conditions before it is stored, so the local
    stack refuses a file over the limit as S3 does (400 EntityTooLarge, 403 AccessDenied)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        kind = str(environ.get("CONTENT_TYPE", ""))
        if environ.get("REQUEST_METHOD") != "POST" or not kind.startswith("multipart/form-data"):
            return self.app(environ, start_response)
        import io

        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        problem = _policy_problem(environ)
        environ["wsgi.input"] = io.BytesIO(body)  # moto reads the form again
        if problem is None:
            return self.app(environ, start_response)
        status, code, message = problem
        start_response(status, [("Content-Type", "application/xml"), ("Access-Control-Allow-Origin", "*")])
        return [f"<Error><Code>{code}</Code><Message>{message}</Message></Error>".encode()]


def _policy_problem(environ: dict[str, Any]) -> tuple[str, str, str] | None:
    """(status, S3's code, message) when the form breaks its policy; None when it meets it (or has none)."""
    import base64
    import binascii
    import datetime
    import json

    from werkzeug.formparser import parse_form_data

    _, form, files = parse_form_data(environ)
    if "policy" not in form:
        return None
    try:
        policy = json.loads(base64.b64decode(form["policy"]))
        expires = datetime.datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    except (ValueError, KeyError, TypeError, binascii.Error):
        return "400 Bad Request", "InvalidPolicyDocument", "Invalid Policy: the policy cannot be read."
    if expires < datetime.datetime.now(datetime.UTC):
        return "403 Forbidden", "AccessDenied", "Invalid according to Policy: Policy expired."
    upload = files.get("file")
    size = len(upload.read()) if upload else 0
    for condition in policy.get("conditions", []):
        if isinstance(condition, list) and condition[:1] == ["content-length-range"]:
            if size > condition[2]:
                return "400 Bad Request", "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size."
            if size < condition[1]:
                return "400 Bad Request", "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size."
        elif isinstance(condition, dict):
            broken = [name for name, wanted in condition.items() if name != "bucket" and form.get(name) != wanted]
            if broken:
                return "403 Forbidden", "AccessDenied", f"Invalid according to Policy: Policy Condition failed: {broken[0]}"
    return None


class EmulatedAws(ThreadedMotoServer):
    def _server_entry(self) -> None:
        app = PostPolicy(DynamoAtomic(DomainDispatcherApplication(create_backend_app)))
        self._server = make_server(self._ip_address, self._port, app, True, request_handler=MotoRequestHandler)
        self._server_ready_event.set()
        self._server.serve_forever()
