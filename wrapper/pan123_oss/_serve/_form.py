"""The files of a multipart/form-data body, streamed into temporary files as the body arrives.

Parsed by `python-multipart` (a streaming parser: memory per request is its chunk, whatever the body's size),
so that a 150 MiB upload costs 150 MiB of disk, not of RAM. A part with a filename is a file; its name is the
last component of that filename, with `/` and `\\` both taken as separators: Obsidian's image auto upload
plugin names each part by the picture's full path on the machine it runs on, a Windows one included. A body
cut short (no closing boundary) is refused, and so is one with more than `max_parts` parts.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterable
from typing import BinaryIO

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from .._errors import printable
from .._source import check_filename

Spool = Callable[[], BinaryIO]


class FormError(ValueError):
    """The body is not a usable multipart body; the message says why."""


def last_component(filename: str) -> str:
    return filename.replace("\\", "/").rsplit("/", 1)[-1]


class _Reader:
    """The parser's callbacks: one temporary file per file part, the headers of the current part."""

    def __init__(self, max_parts: int, spool: Spool) -> None:
        self.max_parts = max_parts
        self.spool = spool
        self.parts = 0
        self.files: list[tuple[str, BinaryIO]] = []
        self.complete = False
        self._field = b""
        self._value = b""
        self._headers: dict[bytes, bytes] = {}
        self._current: tuple[str, BinaryIO] | None = None

    def part_begin(self) -> None:
        self.parts += 1
        if self.parts > self.max_parts:
            raise FormError(f"more than {self.max_parts} parts in one request: send the files in several")
        self._headers, self._current = {}, None

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def header_end(self) -> None:
        self._headers[self._field.strip().lower()] = self._value.strip()
        self._field = self._value = b""

    def headers_finished(self) -> None:
        # latin-1 keeps the header's bytes as they are; they are UTF-8 in every client seen.
        _, options = parse_options_header(self._headers.get(b"content-disposition", b"").decode("latin-1"))
        raw = options.get(b"filename")
        if not raw:
            return  # a plain form field, or a file input left empty: nothing to upload
        try:
            filename = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise FormError("a part's filename is not UTF-8") from None
        try:
            name = check_filename(last_component(filename))
        except ValueError as exc:
            raise FormError(f"{printable(filename)}: {exc}") from None
        self._current = (name, self.spool())
        self.files.append(self._current)

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self._current is not None:
            self._current[1].write(data[start:end])

    def part_end(self) -> None:
        if self._current is not None:
            self._current[1].flush()
            self._current[1].seek(0)
        self._current = None

    def end(self) -> None:
        self.complete = True


def boundary_of(content_type: str) -> bytes:
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        raise FormError("multipart/form-data without a boundary")
    return boundary


def read_files(
    content_type: str, chunks: Iterable[bytes], *, max_parts: int, spool: Spool = tempfile.TemporaryFile
) -> list[tuple[str, BinaryIO]]:
    """(name, file at offset 0) for each file part, in order. On any error the files made so far are closed."""
    reader = _Reader(max_parts, spool)
    try:
        parser = MultipartParser(
            boundary_of(content_type),
            {
                "on_part_begin": reader.part_begin, "on_part_data": reader.part_data, "on_part_end": reader.part_end,
                "on_header_field": reader.header_field, "on_header_value": reader.header_value,
                "on_header_end": reader.header_end, "on_headers_finished": reader.headers_finished,
                "on_end": reader.end,
            },
        )  # fmt: skip
        for chunk in chunks:
            parser.write(chunk)
        if not reader.complete:
            raise FormError("the multipart body is cut short: its closing boundary never came")
        if not reader.files:
            raise FormError("no file parts in the multipart body (send each file as a part with a filename)")
        return reader.files
    except BaseException as exc:
        close_all(reader.files)
        if isinstance(exc, MultipartParseError):
            raise FormError(f"the multipart body could not be read: {exc}") from None
        raise


def close_all(files: Iterable[tuple[str, BinaryIO]]) -> None:
    for _, fh in files:
        with contextlib.suppress(OSError):
            fh.close()
