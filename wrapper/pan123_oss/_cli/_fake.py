"""The `fake` command: the spec-checked fake 123pan as a standalone server (see `testing._standalone`)."""

from __future__ import annotations

import argparse
import threading
from typing import Any, TextIO

from ._output import EXIT_OK


def add_parsers(sub: Any, common: argparse.ArgumentParser, service: argparse.ArgumentParser) -> None:
    # Not `service`: the fake is the service here, with no token cache or rate limits of a client.
    fake = sub.add_parser(
        "fake", parents=[common],
        help="run the fake 123pan for tests in any language; prints its URL and test credentials",
        description="Serves the fake 123pan (every operation of openapi.yaml, the upload flow with slice PUTs, "
        "tokens, pending polls) until Ctrl-C. Tests script faults with --faults or, while it runs, with the "
        "admin API under /_fake/ (README: 'The fake for other languages').",
    )  # fmt: skip
    fake.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    fake.add_argument("--port", type=int, default=0, help="port (default: any free one; the URL printed says which)")
    fake.add_argument("--client-id", default="fake-client-id", help="the client ID it accepts (fake-client-id)")
    fake.add_argument(
        "--client-secret", default="fake-client-secret", help="the client secret it accepts (fake-client-secret)"
    )
    fake.add_argument(
        "--pending-polls", type=int, default=2, metavar="N",
        help="polls of upload_async_result that answer 'not completed' before an upload is done (2)",
    )  # fmt: skip
    fake.add_argument(
        "--faults", action="append", default=[], metavar="ENDPOINT=FAULT,...",
        help="misbehave on the next requests to ENDPOINT, one fault each: code:N, http:STATUS, html, malformed, "
        "drop, slow:SECONDS, trickle:SECONDS, huge, expire; for put also damage, short. Repeatable. "
        "E.g. upload_async_result=code:429,drop",
    )  # fmt: skip
    fake.add_argument(
        "--qps", action="append", default=[], metavar="OPERATION=N",
        help="limit OPERATION to N requests a second, as the service limits it (e.g. uploadAsyncResult=1); "
        "needs a fake with per-operation limits. Repeatable.",
    )  # fmt: skip
    fake.add_argument("--spec", metavar="PATH", help="also check every request and reply against this openapi.yaml")
    fake.add_argument("--admin-key", metavar="KEY", help="the admin API's key (default: a random one, printed)")
    fake.add_argument("--json", action="store_true", help="print one JSON line: url, clientID, clientSecret, adminKey")
    fake.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO, *, stop: threading.Event | None = None) -> int:
    """Serve until Ctrl-C (or until `stop` is set, for tests)."""
    from ..testing._standalone import make_fake, run, serving

    if args.pending_polls < 0:
        raise ValueError(f"--pending-polls must be 0 or more, got {args.pending_polls}")
    if not 0 <= args.port <= 65535:
        raise ValueError(f"--port must be 0 to 65535, got {args.port}")
    fake = make_fake(
        admin_key=args.admin_key, faults=args.faults, qps=args.qps, spec=args.spec,
        client_id=args.client_id, client_secret=args.client_secret, pending_polls=args.pending_polls,
    )  # fmt: skip
    try:
        with serving(fake, args.host, args.port) as served:
            try:
                run(served, out, as_json=args.json, stop=stop or threading.Event())
            except KeyboardInterrupt:
                err.write("pan123-oss: fake stopped\n")
    finally:
        fake.close()
    return EXIT_OK
