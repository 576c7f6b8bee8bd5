"""`pan123-oss wait PREUPLOAD_ID`: wait for an upload the service is still merging, then print its file ID."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from .._types import PollEvent
from ._client import client_for
from ._output import emit, safe
from ._progress import Status


def add_parsers(sub: Any, common: argparse.ArgumentParser, service: argparse.ArgumentParser) -> None:
    wait = sub.add_parser("wait", parents=[common, service], help="wait for an upload to complete; print its file ID")
    wait.add_argument("preupload_id", metavar="PREUPLOAD_ID")
    wait.add_argument("--timeout", type=float, default=300.0, help="give up after this many seconds (300)")
    wait.add_argument("--json", action="store_true", help="print a JSON object instead of the file ID")
    wait.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    status = Status(err)
    polls: list[PollEvent] = []
    on_poll = status.on_poll(f"waiting for {args.preupload_id[:16]}", polls)
    started = args.clock.monotonic()
    with client_for(args) as client:
        try:
            file_id = client.wait_for_upload(args.preupload_id, timeout=args.timeout, on_poll=on_poll)
        finally:
            status.clear()
    if args.json:
        last = polls[-1] if polls else None
        record = {
            "fileID": file_id,
            "preuploadID": args.preupload_id,
            "polls": len(polls),
            "seconds": round(args.clock.monotonic() - started, 3),
            "traceID": last.trace_id if last else None,
        }
        return emit(out, err, [json.dumps(record)])
    return emit(out, err, [safe(file_id)])
