"""`pan123-oss demo`: the client end to end against a fake 123pan on loopback, with what the fake saw."""

from __future__ import annotations

import argparse
import itertools
import os
import tempfile
from pathlib import Path
from typing import Any, TextIO

import httpx

from .._sync._client import Client
from ._client import clock_options
from ._output import EXIT_FAILURE, EXIT_OK
from ._progress import Status, size

DEMO_SIZE = 5 * (1 << 20) + 12345
"""Five slices and a bit of a sixth at the demo's 1 MiB slices: a multi-slice upload with a short last slice."""


def add_parsers(sub: Any, common: argparse.ArgumentParser, service: argparse.ArgumentParser) -> None:
    # Not `service`: the demo brings its own fake service and credentials.
    demo = sub.add_parser("demo", parents=[common], help="run the client end to end against a local fake 123pan")
    demo.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..testing import FakePan123  # only the demo needs the fake

    status = Status(err)
    out.write("Starting a fake 123pan on 127.0.0.1 (no network, no real credentials needed).\n")
    with tempfile.TemporaryDirectory() as tmp:
        image = Path(tmp) / "demo-image.bin"
        image.write_bytes(os.urandom(DEMO_SIZE))
        # Small slices so that the demo shows a multi-slice upload; the merge takes three polls.
        fake = FakePan123(slice_size=1 << 20, pending_polls=2, storage_dir=tmp, clock=args.clock)
        with (
            fake,
            fake.serve() as url,
            Client(
                client_id=fake.client_id, client_secret=fake.client_secret, base_url=url, **clock_options(args)
            ) as c,
        ):
            out.write(f"Serving at {url}. Uploading a {size(DEMO_SIZE)} file in 1 MiB slices.\n")
            started = args.clock.monotonic()
            try:
                result = c.upload_file(image, on_progress=status.on_progress("uploading"))
            finally:
                status.clear()
            took = args.clock.monotonic() - started
            stored = fake.file_bytes(result.file_id) == image.read_bytes()
            # The link is what a user pastes: fetch it as a browser would.
            served = httpx.get(result.url or url, timeout=30).content == image.read_bytes()
    polls = fake.polls(result.preupload_id)
    gaps = [b.time - a.time for a, b in itertools.pairwise(polls)]
    puts = sum(1 for r in fake.requests if r.method == "PUT")
    out.write(f"Token calls: {fake.tokens_issued}. Slices sent: {puts}. Upload and merge took {took:.1f} s.\n")
    out.write(f"Polls of upload_async_result: {len(polls)}, ")
    out.write(f"gaps between them as the server saw them: {', '.join(f'{g:.2f} s' for g in gaps)}.\n")
    out.write(f"Stored bytes match the file: {'yes' if stored else 'NO'}. MD5: {result.etag}.\n")
    out.write(f"File ID: {result.file_id}\n")
    out.write(f"Link (serves the same bytes: {'yes' if served else 'NO'}): {result.url}\n")
    return EXIT_OK if stored and served else EXIT_FAILURE
