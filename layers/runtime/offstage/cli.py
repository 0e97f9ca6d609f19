"""The `offstage` command: serve (the local stack), invoke (a function, docker-free), check (an interview),
cron (fire a scheduled tick, as if at a given time)."""

from __future__ import annotations

import argparse
import sys


def _check(files: list[str]) -> int:
    from offstage.interview import load_interview_file

    status = 0
    for path in files:
        try:
            load_interview_file(path)
            print(f"{path}: ok")
        except Exception as exc:  # noqa: BLE001 - the message is the report
            print(f"{path}: {exc}", file=sys.stderr)
            status = 1
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="offstage", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="load an interview and report its errors").add_argument("files", nargs="+")
    serve = sub.add_parser("serve", help="run the local stack (emulated AWS, the HTTP API, the worker)")
    serve.add_argument("--port", type=int, default=3000)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--interviews", nargs="*", default=[], metavar="DIR",
                       help="more folders of interviews to serve beside the samples")
    serve.add_argument("--package", action="append", default=[], metavar="NAME", dest="packages",
                       help="an installed docassemble package whose data/questions interviews are served "
                            "(e.g. docassemble.AssemblyLine); repeat for more")
    invoke = sub.add_parser("invoke", help="invoke a function of template.yaml with an event (like sam local invoke)")
    invoke.add_argument("logical_id")
    invoke.add_argument("-e", "--event", required=True, help="an event file, e.g. events/screen-get-index.json")
    invoke.add_argument("--interviews", nargs="*", default=[], metavar="DIR")
    cron = sub.add_parser("cron", help="fire one scheduled tick (cron_daily ...) on the local stack, as if at a time")
    cron.add_argument("type", help="the event to run: cron_hourly, cron_daily, cron_weekly, cron_monthly or any name")
    cron.add_argument("--at", help="the scheduled time, ISO 8601 (e.g. 2026-03-01T06:25:00Z); default now")
    cron.add_argument("--url", help="a running local stack (offstage serve), e.g. http://127.0.0.1:3000; "
                                    "without it an in-process stack runs the tick")
    cron.add_argument("--interviews", nargs="*", default=[], metavar="DIR")
    args = parser.parse_args(argv)
    if args.command == "check":
        return _check(args.files)
    from offstage.local import commands

    if args.command == "cron":
        return commands.cron(args.type, args.at, args.url, args.interviews)
    if args.command == "serve":
        return commands.serve(args.port, args.host, args.interviews, args.packages)
    return commands.invoke(args.logical_id, args.event, args.interviews)


if __name__ == "__main__":
    sys.exit(main())
