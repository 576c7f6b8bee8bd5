"""`pan123-oss info`, `ls`, `rm` and `mkdir`: a file's details, a folder's listing, deleting by ID, making a
folder path."""

from __future__ import annotations

import argparse
import dataclasses
import json
from typing import Any, TextIO

from .._errors import Pan123Error
from .._types import FileInfo
from ._client import client_for
from ._output import EXIT_OK, safe


class NotFound(Pan123Error):
    """A folder path the command line was given does not exist."""


def add_parsers(sub: Any, common: argparse.ArgumentParser, service: argparse.ArgumentParser) -> None:
    info = sub.add_parser("info", parents=[common, service], help="show a file's details and link")
    info.add_argument("file_id", metavar="FILE_ID")
    info.add_argument("--json", action="store_true", help="print a JSON object")
    info.set_defaults(run=info_command)

    ls = sub.add_parser("ls", parents=[common, service], help="list a folder: ID, name (folders end in /), size, link")
    ls.add_argument("path", nargs="?", default="", metavar="FOLDER_PATH", help="folder path (default: the root)")
    ls.add_argument("--json", action="store_true", help="print one JSON object per line")
    ls.set_defaults(run=ls_command)

    rm = sub.add_parser("rm", parents=[common, service], help="delete files or folders by ID")
    rm.add_argument("file_ids", nargs="+", metavar="FILE_ID")
    rm.set_defaults(run=rm_command)

    mkdir = sub.add_parser("mkdir", parents=[common, service], help="make a folder path as needed; print its folder ID")
    mkdir.add_argument("path", metavar="PATH")
    mkdir.set_defaults(run=mkdir_command)


def info_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with client_for(args) as client:
        info = client.file_info(args.file_id)
    if args.json:
        out.write(json.dumps(_record(info)) + "\n")
        return EXIT_OK
    review = "rejected by review" if info.rejected else "ok"
    rows = [
        ("file ID", info.file_id), ("name", info.filename + ("/" if info.is_folder else "")),
        ("folder ID", info.parent_id or '"" (the root)'), ("size", f"{info.size} bytes"), ("MD5", info.etag),
        ("review", f"{review} (status {info.status})"), ("link", info.url or "(not ready yet)"),
        ("own-domain link", info.self_url or "(none)"), ("created", info.created_at), ("updated", info.updated_at),
    ]  # fmt: skip
    out.write("".join(f"{name + ':':17}{safe(value)}\n" for name, value in rows))
    return EXIT_OK


def ls_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with client_for(args) as client:
        folder_id = client.find_folder(args.path)
        if folder_id is None:
            raise NotFound(f"no such folder: {args.path}")
        for info in client.list_files(folder_id):
            if args.json:
                out.write(json.dumps(_record(info)) + "\n")
            else:
                name = info.filename + ("/" if info.is_folder else "")
                size = "-" if info.is_folder else str(info.size)
                out.write("\t".join(safe(field) for field in (info.file_id, name, size, info.url)) + "\n")
    return EXIT_OK


def rm_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with client_for(args) as client:
        client.delete_files(args.file_ids)
    return EXIT_OK


def mkdir_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with client_for(args) as client:
        out.write(client.make_folders(args.path) + "\n")
    return EXIT_OK


def _record(info: FileInfo) -> dict[str, Any]:
    """A file's details as `--json` prints them: the fields, and whether review rejected it."""
    return {**dataclasses.asdict(info), "rejected": info.rejected}
