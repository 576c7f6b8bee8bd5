"""`pan123-oss upload FILE...` and `pan123-oss resume PREUPLOAD_ID FILE`: store files and print one line each
(the link, or as `--format` says), once all are done; on Ctrl-C or a failure, the command that continues each
upload left under way."""

from __future__ import annotations

import argparse
import contextlib
import functools
import shlex
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from .._errors import Pan123Error
from .._flows._files import split_path
from .._source import check_filename
from .._sync._client import Client
from ._batch import check_files
from ._client import client_for
from ._formats import accepted, check_format, render
from ._jobs import check_jobs, run_all
from ._output import report, safe
from ._progress import Status, Totals
from ._rates import rate_note, report_throttled


def add_parsers(sub: Any, common: argparse.ArgumentParser, service: argparse.ArgumentParser) -> None:
    upload = sub.add_parser(
        "upload", parents=[common, service],
        help="upload files; print one line per file (its link, or as --format says)",
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
    upload.set_defaults(run=upload_command)

    resume = sub.add_parser(
        "resume", parents=[common, service], help="continue an interrupted upload of FILE; print as upload does",
        description="Sends only the slices the service does not already hold intact, then completes the upload.",
    )  # fmt: skip
    resume.add_argument("preupload_id", metavar="PREUPLOAD_ID")
    resume.add_argument("file", type=Path, metavar="FILE")
    resume.add_argument("--slice-size", type=int, help="create's sliceSize, if the service cannot tell it")
    resume.add_argument("--format", metavar="FORMAT", help="as for upload (default: url)")
    resume.add_argument("--timeout", type=float, help="give up after this many seconds (default: no limit)")
    resume.set_defaults(run=resume_command)


def upload_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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
    totals = Totals(status, [path.stat().st_size for path in files], label)
    link = fmt != "id"

    carried = _carried(args, fmt)
    with client_for(args) as client, _resume_hints(client, files, err, carried, args.filename):
        hint = functools.partial(resume_hint, client, carried=carried)

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
            outcomes = run_all(one, len(files), args.jobs, status, tick=lambda: totals.note(rate_note(client)))
        report_throttled(client, err)
        return report(outcomes, files, out, err, debug=args.debug, hint=hint)


def resume_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    fmt = check_format(args.format or "url")
    status = Status(err)
    carried = _carried(args, fmt)
    with client_for(args) as client, _resume_hints(client, [args.file], err, carried, None, args.slice_size):
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
        return report(
            [outcome], [args.file], out, err, debug=args.debug,
            hint=functools.partial(resume_hint, client, carried=carried, slice_size=args.slice_size),
        )  # fmt: skip


def resume_hint(client: Client, pid: str, path: str, carried: Sequence[str] = (), slice_size: int | None = None) -> str:
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
            command = resume_hint(client, pid, path, carried, slice_size)
            err.write(f"pan123-oss: {safe(name)} was interrupted; continue it with: {safe(command)}\n")
        raise
