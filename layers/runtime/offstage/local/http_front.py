"""The local API Gateway: HTTP requests -> HTTP API payload 2.0 events -> the template's functions.

Routes come from the functions' HttpApi events in template.yaml, so a route that works locally is a
route that exists when deployed. Responses are converted back the way API Gateway does, including
its inference for handlers that return a bare string or dict.
"""

from __future__ import annotations

import base64
import json
import re
import sys
import threading
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from offstage.local.template import http_routes

MAX_BODY = 10 * 1024 * 1024  # API Gateway's own payload limit
JSON = [("Content-Type", "application/json")]
# query parameters whose values never reach a log line: session secrets, API keys, tokens
SECRET_PARAMETERS = re.compile(r"secret|key|token|password|passwd|csrf|auth|signature|credential", re.I)
TEXT_TYPES = ("text/", "application/json", "application/x-www-form-urlencoded", "application/javascript",
              "application/xml")


DEFAULT_ROUTE = "$default"


def _pattern(path: str) -> re.Pattern[str]:
    out = ""
    for part in re.split(r"(\{[^}]+\})", path):
        if part.startswith("{") and part.endswith("+}"):
            out += f"(?P<{part[1:-2]}>.+)"
        elif part.startswith("{"):
            out += f"(?P<{part[1:-1]}>[^/]+)"
        else:
            out += re.escape(part)
    return re.compile(f"^{out}$")


def loggable(target: str) -> str:
    """The request target for the access log, with the values of secret-ish parameters replaced.

    API Gateway's own access log (template.yaml) leaves the query out altogether; the local one keeps
    it for debugging, minus what must never be written down.
    """
    split = urlsplit(target)
    if not split.query:
        return target
    parts = []
    for item in split.query.split("&"):
        name, sep, _ = item.partition("=")
        parts.append(f"{name}{sep}***" if sep and SECRET_PARAMETERS.search(unquote(name)) else item)
    return split.path + "?" + "&".join(parts)


class Router:
    def __init__(self, template: dict[str, Any]) -> None:
        routes = list(http_routes(template))
        self.routes = [(method, path, _pattern(path), fn) for method, path, fn in routes if path != DEFAULT_ROUTE]
        # API Gateway's `$default` route takes what no other route matches
        self.default = next((fn for _, path, fn in routes if path == DEFAULT_ROUTE), None)

    def match(self, method: str, path: str) -> tuple[str, str, dict[str, str]] | None:
        for route_method, route_path, pattern, fn in self.routes:
            found = pattern.match(path)
            if found and route_method in (method, "ANY"):
                return fn, f"{route_method} {route_path}", found.groupdict()
        return (self.default, DEFAULT_ROUTE, {}) if self.default else None


def build_event(method: str, target: str, headers: list[tuple[str, str]], body: bytes, route_key: str,
                params: dict[str, str], source_ip: str) -> dict[str, Any]:
    """The HTTP API payload 2.0 event API Gateway would send for this request."""
    split = urlsplit(target)
    lowered: dict[str, str] = {}
    cookies: list[str] = []
    for key, value in headers:
        k = key.lower()
        if k == "cookie":  # payload 2.0 moves cookies out of the headers into a list
            cookies.extend(c.strip() for c in value.split(";") if c.strip())
            continue
        lowered[k] = f"{lowered[k]},{value}" if k in lowered else value
    query: dict[str, str] = {}
    for key, value in parse_qsl(split.query, keep_blank_values=True):
        query[key] = f"{query[key]},{value}" if key in query else value
    content_type = lowered.get("content-type", "")
    media = content_type.split(";", 1)[0].strip()
    is_text = not body or media.startswith(TEXT_TYPES) or media.endswith(("+json", "+xml"))
    event: dict[str, Any] = {
        "version": "2.0", "routeKey": route_key, "rawPath": split.path, "rawQueryString": split.query,
        "headers": lowered, "requestContext": {
            "accountId": "123456789012", "apiId": "local", "domainName": lowered.get("host", "localhost"),
            "domainPrefix": "local", "http": {"method": method, "path": split.path, "protocol": "HTTP/1.1",
                                              "sourceIp": source_ip, "userAgent": lowered.get("user-agent", "")},
            "requestId": str(uuid.uuid4()), "routeKey": route_key, "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime()), "timeEpoch": int(time.time() * 1000)},
        "isBase64Encoded": not is_text,
    }
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = query
    if params:
        event["pathParameters"] = params
    if body:
        event["body"] = body.decode("utf-8", "replace") if is_text else base64.b64encode(body).decode()
    return event


def to_http(result: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    """A handler's result as API Gateway (payload 2.0) turns it into an HTTP response."""
    if not (isinstance(result, dict) and "statusCode" in result):
        text = result if isinstance(result, str) else json.dumps(result)
        return 200, [("Content-Type", "application/json")], text.encode()
    headers = [(k, str(v)) for k, v in (result.get("headers") or {}).items()]
    for key, values in (result.get("multiValueHeaders") or {}).items():
        headers.extend((key, str(v)) for v in values)
    headers.extend(("Set-Cookie", str(c)) for c in result.get("cookies") or [])
    raw = result.get("body") or ""
    body = base64.b64decode(raw) if result.get("isBase64Encoded") else str(raw).encode()
    return int(result["statusCode"]), headers, body


class HttpFront:
    def __init__(self, stack: Any, host: str, port: int) -> None:
        self.stack = stack
        self.router = Router(stack.template)
        front = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                front.serve(self)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _serve

            def __getattr__(self, name: str) -> Any:
                # any other method (TRACE, made-up ones) gets API Gateway's 404, not http.server's 501
                if name.startswith("do_"):
                    return self._serve
                raise AttributeError(name)

            def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
                pass  # HttpFront.serve logs one line per request, with its duration

            def log_message(self, fmt: str, *args: Any) -> None:
                sys.stderr.write(f"offstage http: {fmt % args}\n")

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, name="offstage-http", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def serve(self, request: BaseHTTPRequestHandler) -> None:
        started = time.monotonic()
        status, headers, payload = self._answer(request)
        took = (time.monotonic() - started) * 1000
        line = f"{request.command} {loggable(request.path)} -> {status} ({took:.0f} ms)"
        # escaped: a request cannot forge log lines (CR/LF) or break the terminal (control characters)
        sys.stderr.write("".join(c if c.isprintable() else repr(c)[1:-1] for c in line) + "\n")
        self._send(request, status, headers, payload)

    def _answer(self, request: BaseHTTPRequestHandler) -> tuple[int, list[tuple[str, str]], bytes]:
        try:
            length = int(request.headers.get("Content-Length") or 0)
        except ValueError:
            request.close_connection = True
            return 400, JSON, b'{"message":"Bad Request: Content-Length is not a number"}'
        if length > MAX_BODY:
            request.close_connection = True  # the unread body must not be taken for the next request
            return 413, JSON, b'{"message":"Request Entity Too Large"}'
        body = request.rfile.read(length) if length else b""
        path = urlsplit(request.path).path
        if path.startswith("/_local/"):  # the local stack's own pages (outbox, cron), never deployed
            from offstage.local.local_routes import answer

            try:
                return answer(self.stack, request.command, path, body)
            except Exception:  # noqa: BLE001 - reported like any route's failure
                traceback.print_exc()
                return 500, JSON, b'{"message":"Internal Server Error"}'
        found = self.router.match(request.command, path)
        if found is None:
            return 404, JSON, b'{"message":"Not Found"}'
        function, route_key, params = found
        event = build_event(request.command, request.path, list(request.headers.items()), body, route_key,
                            params, request.client_address[0])
        try:
            return to_http(self.stack.invoke(function, event))
        except Exception:  # noqa: BLE001 - API Gateway answers 500 and the log has the traceback
            traceback.print_exc()
            return 500, JSON, b'{"message":"Internal Server Error"}'

    @staticmethod
    def _send(request: BaseHTTPRequestHandler, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        request.send_response(status)
        for key, value in headers:
            if key.lower() != "content-length":
                request.send_header(key, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(body)
