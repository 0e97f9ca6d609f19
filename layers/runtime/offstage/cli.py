"""The `offstage` command: serve (the local stack), invoke, cron, check."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="offstage", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="load an interview and report its errors").add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    if args.command == "check":
        from offstage.interview import load_interview_file

        status = 0
        for path in args.files:
            try:
                load_interview_file(path)
                print(f"{path}: ok")
            except Exception as exc:  # noqa: BLE001 - the message is the report
                print(f"{path}: {exc}", file=sys.stderr)
                status = 1
        return status
    return 2


if __name__ == "__main__":
    sys.exit(main())
