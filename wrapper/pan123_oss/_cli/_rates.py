"""What the command line says and takes about rate limits: `--qps ENDPOINT=N`, the status line's note while
requests wait for their turn, and the closing count of throttled requests."""

from __future__ import annotations

import argparse
import math
from typing import TextIO

from .._flows._governor import endpoint_of
from .._sync._client import Client


def parse_qps(text: str) -> tuple[str, float]:
    """`--qps create=5`: an endpoint name (as `Client(qps=...)` takes) and requests a second."""
    name, sep, number = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected ENDPOINT=N (such as upload_async_result=3), got {text!r}")
    try:
        endpoint_of(name.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    try:
        rate = float(number)
    except ValueError:
        rate = math.nan
    if not (math.isfinite(rate) and rate > 0):
        raise argparse.ArgumentTypeError(f"the rate in {text!r} must be a positive number of requests a second")
    return name.strip(), rate


def qps_option(args: argparse.Namespace) -> dict[str, float]:
    """The `qps` to give the client: the last `--qps` for each endpoint wins."""
    return dict(getattr(args, "qps", None) or [])


def rate_note(client: Client) -> str:
    """A note for the status line while requests wait for their turn under the rate limit, else ""."""
    waits = client.rate_limit_waits()
    if not waits:
        return ""
    names = ", ".join(sorted(path.rsplit("/", 1)[-1] for path in waits))
    return f"waiting for the rate limit ({names}, {max(waits.values()):.0f} s)"


def report_throttled(client: Client, err: TextIO) -> None:
    """One closing line on stderr when the service throttled any request (each was sent again)."""
    throttled = client.throttled_requests
    if throttled:
        total = client.api_requests
        err.write(
            f"pan123-oss: {throttled} of {total} requests ({throttled / total:.0%}) were over the service's rate "
            "limit and sent again when it allowed\n"
        )
