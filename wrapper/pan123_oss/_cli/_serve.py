"""`pan123-oss serve`, the command-line side: its options, the key it requires, and the `Upload` it hands the
PicGo-compatible server in `pan123_oss._serve` (check every local file, then upload all at once through one
`Client`, each answered as one link)."""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from .. import _platform
from .._errors import Pan123Error, printable
from .._flows._files import split_path
from .._policy import LOCAL_LOCK_TIMEOUT, MiB, ServeLimits
from .._private import read_private
from .._serve import DEFAULT_ORIGINS, DEFAULT_PORT, PicGoServer, Upload, check_host
from .._sync._client import Client
from ._batch import check_files
from ._client import client_for
from ._formats import accepted, check_format, render
from ._jobs import check_jobs
from ._output import EXIT_OK

ENV_SERVE_KEY = "PAN123_SERVE_KEY"
MAX_BODY_MIB = 4096
"""The largest --max-size: a body is spooled to disk, so this bounds the disk one request may fill."""


def add_parsers(sub: Any, common: argparse.ArgumentParser, service: argparse.ArgumentParser) -> None:
    serve = sub.add_parser(
        "serve", parents=[common, service],
        help="a PicGo-Server-compatible upload endpoint (Obsidian, ShareX, uPic)",
        description="POST /upload with JSON {\"list\": [paths]} or multipart files answers {\"success\": true, "
        "\"result\": [links]}. Listens on loopback only, unless --host is given with a key.",
    )  # fmt: skip
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port ({DEFAULT_PORT}, as PicGo-Server)")
    serve.add_argument(
        "--key", default=os.environ.get(ENV_SERVE_KEY) or None,
        help=f"the key requests must carry as ?key= or Authorization: Bearer (default: ${ENV_SERVE_KEY}, else "
        f"one made once and kept in ${_platform.ENV_SERVE_KEY_FILE} or the user config folder: `pan123-oss doctor` "
        "shows it)",
    )  # fmt: skip
    serve.add_argument(
        "--no-key", action="store_true",
        help="accept requests without a key, for a client that cannot send one (loopback only; any local "
        "program can then upload your files)",
    )  # fmt: skip
    serve.add_argument(
        "--allow-origin", action="append", default=[], metavar="ORIGIN",
        help="a browser origin allowed to call it (app://obsidian.md always is); repeatable",
    )  # fmt: skip
    serve.add_argument("--folder", metavar="PATH", help="folder path to upload into, made as needed")
    serve.add_argument("--format", metavar="FORMAT", help="what each result is, as for upload (default: url)")
    serve.add_argument("--jobs", type=int, default=4, metavar="N", help="files of one request uploaded at once (4)")
    serve.add_argument(
        "--max-size", type=int, default=ServeLimits().max_body // MiB, metavar="MIB",
        help=f"largest request body, in MiB ({ServeLimits().max_body // MiB}); larger ones are refused with 413",
    )  # fmt: skip
    serve.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    fmt = check_format(args.format or "url")
    if fmt == "json":
        raise ValueError("serve answers links: --format json is not one")
    if args.folder is not None:
        split_path(args.folder)
    check_jobs(args.jobs)
    if not 1 <= args.max_size <= MAX_BODY_MIB:
        raise ValueError(f"--max-size must be from 1 to {MAX_BODY_MIB} (MiB), got {args.max_size}")
    limits = ServeLimits(max_body=args.max_size * MiB)
    if args.no_key:
        if args.key:
            raise ValueError("pass --key or --no-key, not both")
        check_host(args.host, None)
        err.write("pan123-oss: warning: no key: any program on this machine can upload through this server\n")
    elif not args.key:
        check_host(args.host, None)  # another host needs a key given on purpose, not one made here
        args.key, where = serve_key()
        err.write(f"pan123-oss: requests must carry the key kept in {where}\n")
    with client_for(args) as client:
        upload = uploader(client, folder=args.folder, render=lambda result: render(result, fmt), jobs=args.jobs)
        origins = [*DEFAULT_ORIGINS, *args.allow_origin]
        server = PicGoServer((args.host, args.port), upload, key=args.key, origins=origins, log=err, limits=limits)
        with server:
            # The key is a secret: it is never printed, only where to find it.
            suffix = "" if args.no_key else "?key=KEY"
            err.write(f"pan123-oss: serving PicGo-compatible uploads at {server.url}/upload{suffix} (Ctrl-C stops)\n")
            err.flush()
            server.serve_forever()
    return EXIT_OK


def serve_key() -> tuple[str, Path]:
    """The key `serve` requires when none is given: made once (random, user-only), then kept, so that the
    URL configured in Obsidian or ShareX stays valid across restarts."""
    path = _platform.serve_key_path()
    # Two servers starting together must agree on one key, not each write its own.
    with _platform.file_lock(path.with_name(path.name + ".lock"), timeout=LOCAL_LOCK_TIMEOUT):
        key = (read_private(path) or "").strip()  # someone else's key file, or one others can read, is refused
        if not key:
            key = secrets.token_urlsafe(24)
            _platform.write_private(path, key + "\n")
    return key, path


def uploader(client: Client, *, folder: str | None, render: Callable[[Any], str], jobs: int) -> Upload:
    """Uploads for `serve`: the local paths of a list all checked before the first upload (a list with a bad one
    stores nothing), then every file at once, into `folder`, each rendered as one link; any failure fails the
    request, with an error naming the file."""

    def one(item: tuple[str, Any]) -> str:
        label, source = item
        if isinstance(source, Path):
            result = client.upload_file(source, folder=folder)
        else:
            result = client.upload_file(source, filename=label, folder=folder)
        return render(accepted(result))

    def upload(files: list[tuple[str, Any]]) -> list[str]:
        check_files([source for _, source in files if isinstance(source, Path)])
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(jobs, len(files)))) as pool:
            futures = [pool.submit(one, item) for item in files]
            for (label, _), future in zip(files, futures, strict=True):
                error = future.exception()
                if error is not None:
                    raise Pan123Error(f"{printable(label)}: {error}") from error
            return [future.result() for future in futures]

    return upload
