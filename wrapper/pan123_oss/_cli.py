"""The `pan123-oss` command line: upload files and print their links, manage files and folders, wait for an
upload, show the token's expiry, or run the demo."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime
import functools
import html
import itertools
import json
import logging
import math
import os
import shlex
import signal
import string
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from . import __version__, _fake_cli, _login, _platform
from ._backend import daemon_workers
from ._batch import check_files, check_template
from ._cli_rates import parse_qps, qps_option, rate_note, report_throttled
from ._errors import AuthError, Pan123Error, printable
from ._files import split_path
from ._imports import check_url
from ._policy import LOCAL_LOCK_TIMEOUT, MiB, ServeLimits
from ._private import read_private
from ._serve import DEFAULT_ORIGINS, DEFAULT_PORT, PicGoServer, accepted, check_host, uploader
from ._source import check_filename
from ._sync_client import Client
from ._tokens import FileTokenStore
from ._types import FileInfo, OnPoll, OnProgress, PollEvent, UploadResult

DEMO_SIZE = 5 * (1 << 20) + 12345
EXIT_OK, EXIT_USAGE, EXIT_AUTH, EXIT_TIMEOUT, EXIT_FAILURE = 0, 2, 3, 4, 5
ENV_TOKEN_CACHE = _platform.ENV_TOKEN_CACHE
ENV_SERVE_KEY = "PAN123_SERVE_KEY"
ENV_SERVE_KEY_FILE = _platform.ENV_SERVE_KEY_FILE


def default_token_cache() -> Path:
    """Where the CLI keeps its token, so that separate runs share one instead of fetching one each."""
    return _platform.token_cache_path()


def serve_key() -> tuple[str, Path]:
    """The key `serve` requires when none is given: made once (random, user-only), then kept, so that the
    URL configured in Obsidian or ShareX stays valid across restarts."""
    import secrets

    path = _platform.serve_key_path()
    # Two servers starting together must agree on one key, not each write its own.
    with _platform.file_lock(path.with_name(path.name + ".lock"), timeout=LOCAL_LOCK_TIMEOUT):
        key = (read_private(path) or "").strip()  # someone else's key file, or one others can read, is refused
        if not key:
            key = secrets.token_urlsafe(24)
            _platform.write_private(path, key + "\n")
    return key, path


def _common(default: Any) -> argparse.ArgumentParser:
    """Options accepted before or after the command; `default` is SUPPRESS after it, so that an option
    given before the command is not reset by the subcommand's own default."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--base-url", default=default, help="API base URL (default: $PAN123_BASE_URL or the real service)"
    )
    common.add_argument("--debug", action="store_true", default=default, help="log every request, show tracebacks")
    return common


def _parser() -> argparse.ArgumentParser:
    common = _common(argparse.SUPPRESS)
    cache = argparse.ArgumentParser(add_help=False)  # every command that talks to the service
    cache.add_argument("--token-cache", type=Path, help=f"token file (default: ${ENV_TOKEN_CACHE} or the user cache)")
    cache.add_argument(
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

    wait = sub.add_parser("wait", parents=[common, cache], help="wait for an upload to complete; print its file ID")
    wait.add_argument("preupload_id", metavar="PREUPLOAD_ID")
    wait.add_argument("--timeout", type=float, default=300.0, help="give up after this many seconds (300)")
    wait.add_argument("--json", action="store_true", help="print a JSON object instead of the file ID")

    token = sub.add_parser("token", parents=[common, cache], help="fetch a token, or show the cached one's expiry")
    token.add_argument("--json", action="store_true", help="print a JSON object")
    token.add_argument("--show", action="store_true", help="print the token itself too")

    upload = sub.add_parser(
        "upload", parents=[common, cache], help="upload files; print one line per file (its link, or as --format says)",
        description="Upload files at once and print one line per file, in the order given, once all are done. "
        "Any failure: nothing on stdout, one error line per failed file on stderr, and a non-zero exit.",
    )  # fmt: skip
    upload.add_argument("files", type=Path, nargs="+", metavar="FILE")
    upload.add_argument("--folder", metavar="PATH", help='folder path to upload into, made as needed ("blog/2026/11")')
    upload.add_argument("--parent", default="", metavar="ID", help='folder ID to upload into (default: "", the root)')
    upload.add_argument("--filename", help="name to store it under (one file only; default: the file's own name)")
    upload.add_argument(
        "--format", metavar="FORMAT",
        help="what to print per file: url (the link, the default), id (the file ID), self-url (your own domain's "
        "link), markdown, html, "
        "json, or a template such as '![{filename}]({url})' using {url} {self_url} {filename} {file_id}",
    )  # fmt: skip
    upload.add_argument("--jobs", type=int, default=4, metavar="N", help="files uploaded at once (4)")
    upload.add_argument("--timeout", type=float, help="give up on a file after this many seconds (default: no limit)")
    upload.add_argument("--concurrency", type=int, default=3, help="slices of one file sent at once (3)")
    upload.add_argument("--json", action="store_true", help="the same as --format json")

    resume = sub.add_parser(
        "resume", parents=[common, cache], help="continue an interrupted upload of FILE; print as upload does",
        description="Sends only the slices the service does not already hold intact, then completes the upload.",
    )  # fmt: skip
    resume.add_argument("preupload_id", metavar="PREUPLOAD_ID")
    resume.add_argument("file", type=Path, metavar="FILE")
    resume.add_argument("--slice-size", type=int, help="create's sliceSize, if the service cannot tell it")
    resume.add_argument("--format", metavar="FORMAT", help="as for upload (default: url)")
    resume.add_argument("--timeout", type=float, help="give up after this many seconds (default: no limit)")

    imp = sub.add_parser(
        "import", parents=[common, cache],
        help="have the service fetch URLs onto the image host; print one line per URL",
        description="Offline migration (离线迁移): the service downloads each URL itself. Prints one line per URL, "
        "in order, once all are done (default: the link); any failure prints nothing and exits non-zero.",
    )  # fmt: skip
    imp.add_argument("urls", nargs="+", metavar="URL")
    imp.add_argument("--folder", metavar="PATH", help="folder path to import into, made as needed (default: the "
                     "service's own 来自:离线下载 folder)")  # fmt: skip
    imp.add_argument("--format", metavar="FORMAT", help="as for upload (default: url)")
    imp.add_argument("--jobs", type=int, default=4, metavar="N", help="imports run at once (4)")
    imp.add_argument("--timeout", type=float, default=600.0, help="give up on a URL after this many seconds (600)")

    serve = sub.add_parser(
        "serve", parents=[common, cache], help="a PicGo-Server-compatible upload endpoint (Obsidian, ShareX, uPic)",
        description="POST /upload with JSON {\"list\": [paths]} or multipart files answers {\"success\": true, "
        "\"result\": [links]}. Listens on loopback only, unless --host is given with a key.",
    )  # fmt: skip
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port ({DEFAULT_PORT}, as PicGo-Server)")
    serve.add_argument(
        "--key", default=os.environ.get(ENV_SERVE_KEY) or None,
        help=f"the key requests must carry as ?key= or Authorization: Bearer (default: ${ENV_SERVE_KEY}, else "
        f"one made once and kept in ${ENV_SERVE_KEY_FILE} or the user config folder: `pan123-oss doctor` shows it)",
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

    _fake_cli.add_parser(sub, common)

    info = sub.add_parser("info", parents=[common, cache], help="show a file's details and link")
    info.add_argument("file_id", metavar="FILE_ID")
    info.add_argument("--json", action="store_true", help="print a JSON object")

    ls = sub.add_parser("ls", parents=[common, cache], help="list a folder: ID, name (folders end in /), size, link")
    ls.add_argument("path", nargs="?", default="", metavar="FOLDER_PATH", help="folder path (default: the root)")
    ls.add_argument("--json", action="store_true", help="print one JSON object per line")

    rm = sub.add_parser("rm", parents=[common, cache], help="delete files or folders by ID")
    rm.add_argument("file_ids", nargs="+", metavar="FILE_ID")

    mkdir = sub.add_parser("mkdir", parents=[common, cache], help="make a folder path as needed; print its folder ID")
    mkdir.add_argument("path", metavar="PATH")

    sub.add_parser("demo", parents=[common], help="run the client end to end against a local fake 123pan")
    _login.add_commands(sub, common, cache)
    return parser


def _size(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(n) < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def progress_line(sent: int, total: int, elapsed: float, width: int = 24) -> str:
    """`[#########...] 40% 4.0 MiB/10.0 MiB 2.0 MiB/s ETA 3 s`."""
    fraction = 1.0 if total == 0 else min(1.0, max(0.0, sent / total))
    bar = "#" * round(fraction * width)
    speed = sent / elapsed if elapsed > 0 else 0.0
    eta = f"ETA {math.ceil((total - sent) / speed)} s" if speed > 0 and sent < total else ""
    return f"[{bar.ljust(width, '.')}] {fraction:4.0%} {_size(sent)}/{_size(total)} {_size(speed)}/s {eta}".rstrip()


class Status:
    """A live status line on stderr when it is a terminal; silent otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._live = stream.isatty()
        self._width = 0
        self._lock = threading.Lock()  # upload progress arrives from several slice threads

    def show(self, text: str) -> None:
        if self._live:
            with self._lock:
                self._stream.write("\r" + text.ljust(self._width))
                self._stream.flush()
                self._width = len(text)

    def clear(self) -> None:
        if self._live and self._width:
            with self._lock:
                self._stream.write("\r" + " " * self._width + "\r")
                self._stream.flush()
                self._width = 0

    def on_progress(self, label: str, clock: Callable[[], float] = time.monotonic) -> OnProgress:
        """A progress bar with speed and ETA for `upload_file`, redrawn at most ten times a second."""
        started = clock()
        last = [-1.0]

        def report(sent: int, total: int) -> None:
            now = clock()
            if sent < total and now - last[0] < 0.1:
                return
            last[0] = now
            self.show(f"{label} {progress_line(sent, total, now - started)}")

        return report

    def on_poll(self, label: str, seen: list[PollEvent] | None = None) -> OnPoll:
        """A callback for `wait_for_upload` that shows each poll (and keeps it in `seen`, if given)."""

        def report(event: PollEvent) -> None:
            if seen is not None:
                seen.append(event)
            if event.completed:
                state = "done"
            else:
                state = "retrying: " + event.error.split(" (")[0] if event.error else "pending"
            self.show(f"{label}: poll {event.attempt}, {event.elapsed:.1f} s, {state}")

        return report


def _client(args: argparse.Namespace, **options: Any) -> Client:
    store = FileTokenStore(args.token_cache or default_token_cache()) if hasattr(args, "token_cache") else None
    return Client(token_store=store, qps=qps_option(args), **_login.client_options(args.base_url), **options)


def _wait(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    status = Status(err)
    polls: list[PollEvent] = []
    on_poll = status.on_poll(f"waiting for {args.preupload_id[:16]}", polls)
    started = time.monotonic()
    with _client(args) as client:
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
            "seconds": round(time.monotonic() - started, 3),
            "traceID": last.trace_id if last else None,
        }
        return _emit(out, err, [json.dumps(record)])
    return _emit(out, err, [_safe(file_id)])


FORMATS = ("id", "url", "self-url", "markdown", "html", "json")
SAMPLE = FileInfo(
    file_id="1234567", filename="sample.png", parent_id="", is_folder=False, size=1, etag="0" * 32, status=0,
    url="https://example.test/sample.png", self_url="https://example.test/sample.png", created_at="", updated_at="",
)  # fmt: skip
"""What a template is rendered on once, to check it, before anything is uploaded."""
MAX_BODY_MIB = 4096
"""The largest --max-size: a body is spooled to disk, so this bounds the disk one request may fill."""
TEMPLATE_FIELDS = ("url", "self_url", "filename", "file_id")


def check_jobs(jobs: int) -> None:
    if not 1 <= jobs <= 32:
        raise ValueError(f"--jobs must be from 1 to 32, got {jobs}")


def check_format(value: str) -> str:
    """A named format, or a template whose fields are all known (a ValueError names the bad one)."""
    if value in FORMATS:
        return value
    try:
        fields = [parsed[1] for parsed in string.Formatter().parse(value) if parsed[1] is not None]
    except ValueError as exc:
        raise ValueError(f"--format {value!r}: {exc} (write a literal brace as {{{{ or }}}})") from None
    if not fields:
        raise ValueError(f"--format must be one of {', '.join(FORMATS)}, or a template using {{url}}, got {value!r}")
    unknown = [f for f in fields if f not in TEMPLATE_FIELDS]
    if unknown:
        raise ValueError(
            f"--format template: unknown field {{{unknown[0]}}}; use {{url}} {{self_url}} {{filename}} {{file_id}}"
        )
    check_template(value, lambda: render(SAMPLE, value))  # bounded, and renders: before any upload, not after
    return value


def render(result: UploadResult | FileInfo, fmt: str) -> str:
    """One output line for one upload or import."""
    if fmt == "id":
        return result.file_id
    if fmt == "json":
        return json.dumps({**dataclasses.asdict(result), "fileID": result.file_id, "rejected": result.rejected})
    url, self_url = result.url or "", result.self_url or ""
    if fmt == "url":
        return url
    if fmt == "self-url":
        if not self_url:
            raise Pan123Error(
                f"{result.filename} has no link on your own domain (userSelfURL is empty): set a custom domain up "
                "in the 123pan console, or use --format url"
            )
        return self_url
    if fmt == "markdown":
        alt = result.filename.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        target = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
        return f"![{alt}]({target})"
    if fmt == "html":
        return f'<img src="{html.escape(url)}" alt="{html.escape(result.filename)}">'
    return fmt.format_map({"url": url, "self_url": self_url, "filename": result.filename, "file_id": result.file_id})


class _Totals:
    """The bytes of all the uploads of one run, for one progress bar."""

    def __init__(self, status: Status, sizes: list[int], label: str) -> None:
        self._sent = [0] * len(sizes)
        self._total = sum(sizes)
        self._lock = threading.Lock()
        self._report = status.on_progress(label)
        self._status, self._label, self._started = status, label, time.monotonic()

    def note(self, text: str) -> None:
        """Show `text` (the rate limit's note) after the progress bar until the next progress."""
        if text:
            with self._lock:
                line = progress_line(sum(self._sent), self._total, time.monotonic() - self._started)
            self._status.show(f"{self._label} {line}, {text}")

    def for_file(self, index: int) -> OnProgress:
        def report(sent: int, total: int) -> None:
            with self._lock:
                self._sent[index] = sent
                done = sum(self._sent)
            self._report(done, self._total)

        return report


def _upload(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    fmt = check_format("json" if args.json else args.format or "url")
    files: list[Path] = args.files
    if args.filename is not None and len(files) > 1:
        raise ValueError("--filename names one file: upload one file with it")
    if args.folder is not None and args.parent:
        raise ValueError("pass --folder (a path) or --parent (a folder ID), not both")
    check_jobs(args.jobs)
    if args.folder is not None:
        split_path(args.folder)
    if args.filename is not None:
        check_filename(args.filename)
    check_files(files, args.filename)  # every file, before any is sent: a batch with a bad one stores nothing
    status = Status(err)
    label = f"uploading {files[0].name}" if len(files) == 1 else f"uploading {len(files)} files"
    totals = _Totals(status, [path.stat().st_size for path in files], label)
    link = fmt != "id"

    carried = _carried(args, fmt)
    with _client(args) as client, _resume_hints(client, files, err, carried, args.filename):
        hint = functools.partial(resume_command, client, carried=carried)

        def one(index: int) -> str:
            result = client.upload_file(
                files[index], parent_id=args.parent, filename=args.filename, timeout=args.timeout,
                on_progress=totals.for_file(index), concurrency=args.concurrency, folder=args.folder, link=link,
            )  # fmt: skip
            return render(accepted(result), fmt)

        if len(files) == 1:  # no thread: Ctrl-C and the progress bar behave as for one upload
            try:
                outcomes: list[str | Exception] = [one(0)]
            except Exception as failure:
                outcomes = [failure]
            finally:
                status.clear()
        else:
            outcomes = _run_all(one, len(files), args.jobs, status, tick=lambda: totals.note(rate_note(client)))
        report_throttled(client, err)
        return _report(outcomes, files, out, err, debug=args.debug, hint=hint)


def resume_command(
    client: Client, pid: str, path: str, carried: Sequence[str] = (), slice_size: int | None = None
) -> str:
    """The command that continues an upload; with the slice size when known, which a new process cannot learn
    from the service if no slice was stored yet, and the `carried` options of the command that started it.
    `slice_size` is the one a resume was given, for when the client did not learn it from the service."""
    size = client.slice_size_of(pid) or slice_size
    options = [*carried, *(["--slice-size", str(size)] if size else [])]
    return shlex.join(["pan123-oss", "resume", pid, path, *options])


def _carried(args: argparse.Namespace, fmt: str) -> list[str]:
    """The options a resume needs to reach the same service with the same token cache and print the same way:
    without them the hint would continue the upload somewhere else, or print another thing."""
    carried = ["--format", fmt] if fmt != "id" else []
    if getattr(args, "base_url", None):
        carried += ["--base-url", args.base_url]
    if getattr(args, "token_cache", None):
        carried += ["--token-cache", str(args.token_cache)]
    return carried


def _resume(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    fmt = check_format(args.format or "url")
    status = Status(err)
    carried = _carried(args, fmt)
    with _client(args) as client, _resume_hints(client, [args.file], err, carried, None, args.slice_size):
        try:
            outcome: str | Exception = render(
                client.resume_upload(
                    args.preupload_id, args.file, slice_size=args.slice_size, timeout=args.timeout,
                    on_progress=status.on_progress(f"resuming {args.file.name}"), link=fmt != "id",
                ),
                fmt,
            )  # fmt: skip
        except Pan123Error as exc:
            outcome = exc
        finally:
            status.clear()
        return _report(
            [outcome], [args.file], out, err, debug=args.debug,
            hint=functools.partial(resume_command, client, carried=carried, slice_size=args.slice_size),
        )  # fmt: skip


@contextlib.contextmanager
def _resume_hints(
    client: Client,
    files: Sequence[Path],
    err: TextIO,
    carried: Sequence[str],
    filename: str | None,
    slice_size: int | None = None,
) -> Iterator[None]:
    """On Ctrl-C or SIGTERM, say how to continue each upload that was under way, before exiting."""
    try:
        yield
    except KeyboardInterrupt:
        for pid, name in client.unfinished_uploads().items():
            # Stored under --filename, the upload's name is not its file's: that one file is the one to resume.
            path = str(files[0]) if filename is not None else next((str(p) for p in files if p.name == name), name)
            command = resume_command(client, pid, path, carried, slice_size)
            err.write(f"pan123-oss: {_safe(name)} was interrupted; continue it with: {_safe(command)}\n")
        raise


def _import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    fmt = check_format(args.format or "url")
    urls: list[str] = [check_url(url) for url in args.urls]
    if args.folder is not None:
        split_path(args.folder)
    check_jobs(args.jobs)
    status = Status(err)
    status.show(f"importing {len(urls)} URL{'s' if len(urls) > 1 else ''}")
    with _client(args) as client:

        def one(index: int) -> str:
            info = client.import_url(urls[index], folder=args.folder, timeout=args.timeout)
            return render(accepted(info), fmt)

        outcomes = _run_all(one, len(urls), args.jobs, status)
    return _report(outcomes, urls, out, err, debug=args.debug)


def _serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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
    with _client(args) as client:
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


def _report(
    outcomes: list[str | Exception],
    names: Sequence[object],
    out: TextIO,
    err: TextIO,
    *,
    debug: bool,
    hint: Callable[[str, str], str] | None = None,
) -> int:
    """All lines on stdout, or, on any failure, nothing there and one error line per failure on stderr."""
    failures = [(name, error) for name, error in zip(names, outcomes, strict=True) if isinstance(error, Exception)]
    if not failures:
        return _emit(out, err, [_safe(str(line)) for line in outcomes])
    # Nothing on stdout: a caller reading one line per input must not take a short list for the whole.
    for name, error in failures:
        if debug:
            import traceback

            traceback.print_exception(error, file=err)
        err.write(f"pan123-oss: {_exit_for(error)[1]}: {_safe(str(name))}: {_safe(str(error))}\n")
        pid = getattr(error, "preupload_id", None)
        if pid and hint is not None:
            err.write(f"pan123-oss: continue it with: {_safe(hint(pid, str(name)))}\n")
    return _exit_for(failures[0][1])[0]


def _emit(out: TextIO, err: TextIO, lines: Sequence[str]) -> int:
    """Write the results; if stdout is closed or full, the work is done but lost unless it is said elsewhere."""
    try:
        out.write("".join(f"{line}\n" for line in lines))
        out.flush()
    except OSError as exc:
        err.write(f"pan123-oss: the results could not be written to stdout ({exc}); they are:\n")
        err.write("".join(f"{line}\n" for line in lines))
        if out is sys.stdout:  # keep the interpreter from failing again when it flushes stdout at exit
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILURE
    return EXIT_OK


def _safe(text: str) -> str:
    """Text from the server as one terminal-safe line, whole (a link must not be cut)."""
    return printable(text, limit=None)


def _run_all(
    one: Callable[[int], str], count: int, jobs: int, status: Status, tick: Callable[[], None] | None = None
) -> list[str | Exception]:
    """Run `one` for each index, `jobs` at a time; each result or the exception it raised, in order.
    On daemon threads: on Ctrl-C the command exits at once instead of waiting for the uploads under way.
    `tick` is called about twice a second meanwhile (to refresh the status line)."""
    outcomes: list[str | Exception | None] = [None] * count
    finished = threading.Semaphore(0)

    def work(index: int) -> None:
        try:
            outcomes[index] = one(index)
        except Exception as exc:  # reported per file by the caller
            outcomes[index] = exc
        finally:
            finished.release()

    daemon_workers(count, jobs, work, "pan123-oss-upload")
    try:
        for _ in range(count):
            while not finished.acquire(timeout=0.5):
                if tick is not None:
                    tick()
    finally:
        status.clear()
    return [outcome if outcome is not None else Pan123Error("not run") for outcome in outcomes]


def _info_record(info: FileInfo) -> dict[str, Any]:
    return {**dataclasses.asdict(info), "rejected": info.rejected}


def _info(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with _client(args) as client:
        info = client.file_info(args.file_id)
    if args.json:
        out.write(json.dumps(_info_record(info)) + "\n")
        return EXIT_OK
    review = "rejected by review" if info.rejected else "ok"
    rows = [
        ("file ID", info.file_id), ("name", info.filename + ("/" if info.is_folder else "")),
        ("folder ID", info.parent_id or '"" (the root)'), ("size", f"{info.size} bytes"), ("MD5", info.etag),
        ("review", f"{review} (status {info.status})"), ("link", info.url or "(not ready yet)"),
        ("own-domain link", info.self_url or "(none)"), ("created", info.created_at), ("updated", info.updated_at),
    ]  # fmt: skip
    out.write("".join(f"{name + ':':17}{_safe(value)}\n" for name, value in rows))
    return EXIT_OK


def _ls(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with _client(args) as client:
        folder_id = client.find_folder(args.path)
        if folder_id is None:
            raise NotFound(f"no such folder: {args.path}")
        for info in client.list_files(folder_id):
            if args.json:
                out.write(json.dumps(_info_record(info)) + "\n")
            else:
                name = info.filename + ("/" if info.is_folder else "")
                size = "-" if info.is_folder else str(info.size)
                out.write("\t".join(_safe(field) for field in (info.file_id, name, size, info.url)) + "\n")
    return EXIT_OK


def _rm(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with _client(args) as client:
        client.delete_files(args.file_ids)
    return EXIT_OK


def _mkdir(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with _client(args) as client:
        out.write(client.make_folders(args.path) + "\n")
    return EXIT_OK


class NotFound(Pan123Error):
    """A folder path the command line was given does not exist."""


def _exit_for(exc: BaseException) -> tuple[int, str]:
    """The exit code and the word for an error, as `main` reports it."""
    usage = (ValueError, TypeError, FileNotFoundError, FileExistsError, IsADirectoryError, NotADirectoryError)
    if isinstance(exc, usage):
        return EXIT_USAGE, "bad input"
    if isinstance(exc, PermissionError):
        return EXIT_USAGE, "not allowed"
    if isinstance(exc, AuthError):
        return EXIT_AUTH, "authentication failed"
    if isinstance(exc, TimeoutError):
        return EXIT_TIMEOUT, "timed out"
    return EXIT_FAILURE, "failed"


def _token(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with _client(args) as client:
        fetches = client.token_fetches
        token = client.token_info()
        fetched = client.token_fetches > fetches
    expires = None if math.isinf(token.expires_at) else datetime.datetime.fromtimestamp(token.expires_at, datetime.UTC)
    if args.json:
        record: dict[str, Any] = {
            "expiresAt": expires.isoformat() if expires else None,
            "expiresIn": round(token.expires_at - time.time()) if expires else None,
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


def _demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import tempfile

    from .testing import FakePan123  # only the demo needs the fake

    status = Status(err)
    out.write("Starting a fake 123pan on 127.0.0.1 (no network, no real credentials needed).\n")
    with tempfile.TemporaryDirectory() as tmp:
        image = Path(tmp) / "demo-image.bin"
        image.write_bytes(os.urandom(DEMO_SIZE))
        # Small slices so that the demo shows a multi-slice upload; the merge takes three polls.
        fake = FakePan123(slice_size=1 << 20, pending_polls=2, storage_dir=tmp)
        with (
            fake,
            fake.serve() as url,
            Client(client_id=fake.client_id, client_secret=fake.client_secret, base_url=url) as c,
        ):
            out.write(f"Serving at {url}. Uploading a {_size(DEMO_SIZE)} file in 1 MiB slices.\n")
            started = time.monotonic()
            try:
                result = c.upload_file(image, on_progress=status.on_progress("uploading"))
            finally:
                status.clear()
            took = time.monotonic() - started
            stored = fake.file_bytes(result.file_id) == image.read_bytes()
            import httpx  # the link is what a user pastes: fetch it as a browser would

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


COMMANDS = {
    "wait": _wait, "upload": _upload, "token": _token, "demo": _demo, "info": _info, "ls": _ls, "rm": _rm,
    "mkdir": _mkdir, "import": _import, "serve": _serve, "resume": _resume, "fake": _fake_cli.command,
    "login": _login.login, "logout": _login.logout, "doctor": _login.doctor,
}  # fmt: skip


@contextlib.contextmanager
def _debug_logging(enabled: bool, err: TextIO) -> Iterator[None]:
    if not enabled:
        yield
        return
    handler = logging.StreamHandler(err)
    handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    logger = logging.getLogger("pan123_oss")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    _platform.console_safe(out, err)  # the upload's outcome decides the exit code, not the console's code page
    args = _parser().parse_args(argv)
    args.debug = bool(args.debug)
    try:
        with _debug_logging(args.debug, err), _sigterm_interrupts():
            return COMMANDS[args.command](args, out, err)
    except (ValueError, TypeError, Pan123Error, OSError) as exc:
        return _fail(err, args, exc, *_exit_for(exc))
    except KeyboardInterrupt:
        err.write("pan123-oss: interrupted\n")
        return 130


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM (a service manager, `kill`) stops a command as Ctrl-C does, resume hints included."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _fail(err: TextIO, args: argparse.Namespace, exc: Exception, code: int, what: str) -> int:
    if args.debug:
        import traceback

        traceback.print_exception(exc, file=err)
    err.write(f"pan123-oss: {what}: {_safe(str(exc))}\n")  # names in it may carry escape sequences
    return code
