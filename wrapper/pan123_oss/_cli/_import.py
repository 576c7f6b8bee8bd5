"""`pan123-oss import URL...`: offline migration (离线迁移), the service fetching each URL onto the image host;
one line per URL, as `upload` prints."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from .._flows._files import split_path
from .._flows._migration import check_url
from ._client import client_for
from ._formats import accepted, check_format, render
from ._jobs import check_jobs, run_all
from ._output import report
from ._progress import Status


def add_parsers(sub: Any, common: argparse.ArgumentParser, service: argparse.ArgumentParser) -> None:
    imp = sub.add_parser(
        "import", parents=[common, service],
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
    imp.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    fmt = check_format(args.format or "url")
    urls: list[str] = [check_url(url) for url in args.urls]
    if args.folder is not None:
        split_path(args.folder)
    check_jobs(args.jobs)
    status = Status(err)
    status.show(f"importing {len(urls)} URL{'s' if len(urls) > 1 else ''}")
    with client_for(args) as client:

        def one(index: int) -> str:
            info = client.import_url(urls[index], folder=args.folder, timeout=args.timeout)
            return render(accepted(info), fmt)

        outcomes = run_all(one, len(urls), args.jobs, status)
    return report(outcomes, urls, out, err, debug=args.debug)
