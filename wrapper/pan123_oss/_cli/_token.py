"""`pan123-oss token`: fetch a token, or show the cached one's expiry (and, with --show, the token itself)."""

from __future__ import annotations

import argparse
import datetime
import json
import math
from typing import Any, TextIO

from ._client import client_for
from ._output import EXIT_OK


def add_parsers(sub: Any, common: argparse.ArgumentParser, service: argparse.ArgumentParser) -> None:
    token = sub.add_parser("token", parents=[common, service], help="fetch a token, or show the cached one's expiry")
    token.add_argument("--json", action="store_true", help="print a JSON object")
    token.add_argument("--show", action="store_true", help="print the token itself too")
    token.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with client_for(args) as client:
        fetches = client.token_fetches
        token = client.token_info()
        fetched = client.token_fetches > fetches
    expires = None if math.isinf(token.expires_at) else datetime.datetime.fromtimestamp(token.expires_at, datetime.UTC)
    if args.json:
        record: dict[str, Any] = {
            "expiresAt": expires.isoformat() if expires else None,
            "expiresIn": round(token.expires_at - args.clock.time()) if expires else None,
            "fetched": fetched,
        }
        if args.show:
            record["accessToken"] = token.access_token
        out.write(json.dumps(record) + "\n")
        return EXIT_OK
    source = "fetched now" if fetched else ("static, from the environment" if expires is None else "cached")
    when = f"expires {expires.isoformat()}" if expires else "expiry unknown"
    out.write(f"token {source}; {when}\n")
    if args.show:
        out.write(token.access_token + "\n")
    return EXIT_OK
