"""The `pan123-oss` argument parser: the options every command takes, and each command's own, added by its
module in the order `--help` lists them."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import __version__, _platform
from . import _demo, _fake, _files, _import, _login, _serve, _token, _upload, _wait
from ._rates import parse_qps

AddParsers = Callable[[Any, argparse.ArgumentParser, argparse.ArgumentParser], None]
COMMANDS: tuple[AddParsers, ...] = (
    _wait.add_parsers,
    _token.add_parsers,
    _upload.add_parsers,  # upload, resume
    _import.add_parsers,
    _serve.add_parsers,
    _fake.add_parsers,
    _files.add_parsers,  # info, ls, rm, mkdir
    _demo.add_parsers,
    _login.add_parsers,  # login, logout, doctor
)
"""Each registers its commands with `sub.add_parser(...)`, and `set_defaults(run=...)` names the function that
carries one out: `main` calls `args.run(args, out, err)`."""


def build() -> argparse.ArgumentParser:
    common = _common(argparse.SUPPRESS)
    service = argparse.ArgumentParser(add_help=False)  # every command that talks to the service
    service.add_argument(
        "--token-cache", type=Path, help=f"token file (default: ${_platform.ENV_TOKEN_CACHE} or the user cache)"
    )
    service.add_argument(
        "--qps", type=parse_qps, action="append", metavar="ENDPOINT=N",
        help="pace requests to an endpoint at most N a second from the start, e.g. upload_async_result=3 "
        "(repeatable; default: unpaced until the service throttles, then learned)",
    )  # fmt: skip
    parser = argparse.ArgumentParser(
        prog="pan123-oss",
        description="123pan Open Platform image-hosting (OSS) uploads. Credentials come from "
        "PAN123_CLIENT_ID and PAN123_CLIENT_SECRET, or PAN123_ACCESS_TOKEN, else from `pan123-oss login`.",
        parents=[_common(None)],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add_parsers in COMMANDS:
        add_parsers(sub, common, service)
    return parser


def _common(default: Any) -> argparse.ArgumentParser:
    """Options accepted before or after the command; `default` is SUPPRESS after it, so that an option
    given before the command is not reset by the subcommand's own default."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--base-url", default=default, help="API base URL (default: $PAN123_BASE_URL or the real service)"
    )
    common.add_argument("--debug", action="store_true", default=default, help="log every request, show tracebacks")
    return common
