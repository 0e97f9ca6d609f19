"""`offstage serve`, `offstage invoke` and `offstage cron`: the local stack from the command line."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import traceback
from pathlib import Path
from typing import Any


def serve(port: int, host: str, interviews: list[str], packages: list[str] | None = None) -> int:
    from offstage.library.package_files import package_folders
    from offstage.local.stack import LocalStack

    missing = [d for d in interviews if not Path(d).is_dir()]
    if missing:
        print(f"offstage serve: not a folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    absent = [p for p in packages or () if not package_folders(p)]
    if absent:
        print(f"offstage serve: not an installed package: {', '.join(absent)} (pip install --no-deps it "
              "into this environment, or put its folder on PYTHONPATH)", file=sys.stderr)
        return 2
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):  # also when started in the background (SIGINT ignored)
        signal.signal(signum, lambda *_: stopping.set())
    try:
        stack = LocalStack(interviews=interviews, port=port, host=host, with_scheduler=True,
                           packages=packages or ()).start()
    except OSError as exc:
        print(f"offstage serve: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"offstage local stack on {stack.url}")
    print(f"API key: {stack.api_key}   (send it as X-API-Key to the /api routes)")
    print(f"AWS emulation (moto) at {stack.endpoint}")
    roots = stack.env["INTERVIEW_ROOTS"].split(os.pathsep)
    print("interviews from: " + ", ".join(roots))
    for root in roots:
        names = sorted(p.name for p in Path(root).glob("*.y*ml"))
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        print(f"  {root}: {shown or 'no interviews'}")
    for package in packages or ():
        print(f"  package {package}: /interview?i={package}:data/questions/<file>")
    print(f"open {stack.url}/ for the list, or {stack.url}/interview?i=<file> for one interview")
    print(f"e-mail sent: {stack.url}/_local/outbox; scheduled tasks run on the template's schedules "
          f"(or now: offstage cron cron_daily --url {stack.url})")
    print("Ctrl-C stops it.", flush=True)
    try:
        stopping.wait()
    except KeyboardInterrupt:
        pass
    finally:
        print("stopping ...", flush=True)
        stack.stop()
    print("stopped.")
    return 0


def invoke(logical_id: str, event_file: str, interviews: list[str]) -> int:
    from offstage.local.stack import LocalStack

    try:
        event: Any = json.loads(Path(event_file).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"offstage invoke: cannot read the event {event_file}: {exc}", file=sys.stderr)
        return 2
    with LocalStack(interviews=interviews, with_http=False, with_poller=False, api_key="local-test-key") as stack:
        if logical_id not in stack.functions:
            print(f"offstage invoke: template.yaml has no function {logical_id} "
                  f"(it has {', '.join(sorted(stack.functions))})", file=sys.stderr)
            return 2
        try:
            result = stack.invoke(logical_id, event)
        except Exception as exc:  # noqa: BLE001 - reported like `sam local invoke` reports it
            traceback.print_exc()
            print(json.dumps({"errorType": type(exc).__name__, "errorMessage": str(exc)}))
            return 1
    print(json.dumps(result, indent=2, default=str))
    return 1 if isinstance(result, dict) and int(result.get("statusCode", 200)) >= 500 else 0


def cron(kind: str, at: str | None, url: str | None, interviews: list[str]) -> int:
    """Fire one tick on a running stack (--url) or an in-process one; prints the report as JSON."""
    from offstage.app.cron import BadTick, parse_tick

    try:
        tick = parse_tick({"type": kind, "scheduled_time": at})
    except BadTick as problem:
        print(f"offstage cron: {problem}", file=sys.stderr)
        return 2
    if url:
        return _cron_over_http(url, tick.kind, tick.stamp)
    from offstage.local.stack import LocalStack

    with LocalStack(interviews=interviews, with_http=False, api_key="local-test-key") as stack:
        report = stack.cron(tick.kind, tick.at)
    print(json.dumps(report, indent=2))
    return 0


def _cron_over_http(url: str, kind: str, stamp: str) -> int:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url.rstrip("/") + "/_local/cron", method="POST",  # noqa: S310 - the local stack's own http:// URL
                                     data=json.dumps({"type": kind, "at": stamp}).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=300) as response:  # noqa: S310 - the user's own URL
            print(response.read().decode())
            return 0
    except urllib.error.HTTPError as error:
        print(f"offstage cron: {error.code}: {error.read().decode(errors='replace')}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError) as error:
        print(f"offstage cron: cannot reach the local stack at {url}: {getattr(error, 'reason', error)}",
              file=sys.stderr)
        return 1
