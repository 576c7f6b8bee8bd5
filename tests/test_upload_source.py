"""The bytes of an upload: which file names and sources are refused (and why), what is read at each offset,
the MD5s the API needs (the file's and each slice's), and a file that changes while it is uploaded."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest

from pan123_oss._policy import READ_CHUNK
from pan123_oss._source import MAX_FILENAME, Source, check_filename


def md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "^filename must be a non-empty string$"),
        ("   ", "^filename must be a non-empty string$"),
        (None, "^filename must be a non-empty string$"),
        (" . ", "filename must name a file, not '.'"),
        ("..", "filename must name a file, not '..'"),
        ("a\nb", r"^filename must not contain control characters \(newlines, tabs, \.\.\.\)$"),
        ("a\x1fb", "filename must not contain control characters"),
        ("a\x7fb", "filename must not contain control characters"),
        ("a\udc80b", r"^filename is not valid UTF-8 \(pass filename= to name the upload\)$"),
        ("x" * (MAX_FILENAME + 1), "filename must be at most 254 characters, got 255"),
        ('a?b*c"', "filename must not contain any of .*, found '\"\\*\\?'"),
        ("dir/name", "found '/'"),
    ],
)
def test_a_bad_filename_is_refused_with_the_reason(name: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_filename(name)


@pytest.mark.parametrize("name", ["a.png", "x" * MAX_FILENAME, "图 片 (1).jpg", " a.png", "a\x20b"])
def test_a_good_filename_is_kept_as_given(name: str) -> None:
    assert check_filename(name) == name


def test_a_path_source_has_the_file_size_and_name(tmp_path: Path) -> None:
    path = tmp_path / "pic.png"
    path.write_bytes(b"0123456789")
    source = Source(path)
    try:
        assert (source.size, source.name) == (10, "pic.png")
        assert source.read_at(3, 4) == b"3456"
        assert source.md5() == md5(b"0123456789")
        assert source.md5(2, 5) == md5(b"23456")
    finally:
        source.close()
        source.close()  # closing twice is harmless


def test_a_missing_file_or_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"no such file: .*nope\.png"):
        Source(tmp_path / "nope.png")
    with pytest.raises(IsADirectoryError, match="is a directory, not a file"):
        Source(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="is not a regular file"):
        Source(fifo)


def test_a_file_object_is_read_from_where_it_stands() -> None:
    stream = io.BytesIO(b"headerPAYLOAD")
    stream.seek(6)
    source = Source(stream)
    assert (source.size, source.name) == (7, None)
    assert source.read_at(0, 7) == b"PAYLOAD"
    assert source.md5() == md5(b"PAYLOAD")


def test_an_open_file_lends_its_name(tmp_path: Path) -> None:
    path = tmp_path / "named.bin"
    path.write_bytes(b"abc")
    with path.open("rb") as handle:
        source = Source(handle)
        assert (source.name, source.size, source.read_at(1, 2)) == ("named.bin", 3, b"bc")
        assert handle.tell() == 0  # reading the upload leaves the caller's position alone


def test_a_text_stream_or_an_unseekable_one_is_refused() -> None:
    binary = r"^upload a path or a file opened in binary mode \('rb'\), not a text stream$"
    with pytest.raises(TypeError, match=binary):
        Source(io.StringIO("text"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=binary):
        Source(object())  # type: ignore[arg-type]

    class OneWay(io.RawIOBase):
        def readable(self) -> bool:
            return True

    said = r"^the file object must be seekable \(it is read twice: once for its MD5, once to send\)$"
    with pytest.raises(ValueError, match=said):
        Source(OneWay())  # type: ignore[arg-type]


def test_a_file_that_shrinks_during_the_upload_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(bytes(100))
    source = Source(path)
    try:
        path.write_bytes(bytes(50))
        with pytest.raises(OSError, match="the file changed during the upload: expected 40 bytes at 20, got 30"):
            source.read_at(20, 40)
    finally:
        source.close()


def test_a_file_that_grows_during_the_upload_is_reported_at_its_last_read(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(bytes(100))
    source = Source(path)
    try:
        with path.open("ab") as more:
            more.write(b"extra")
        assert source.read_at(0, 50) == bytes(50)  # not the end: nothing to compare yet
        with pytest.raises(OSError, match="it is no longer 100 bytes"):
            source.read_at(50, 50)
    finally:
        source.close()


@pytest.mark.parametrize(
    ("size", "slice_size"),
    [
        (READ_CHUNK * 3 + 5, READ_CHUNK + READ_CHUNK // 2),  # slices straddle the read chunks
        (READ_CHUNK * 2, READ_CHUNK),  # an exact multiple: no empty last slice
        (READ_CHUNK + 1, READ_CHUNK * 4),  # one slice: it is the whole file
        (1000, 1000),
        (1001, 1000),
    ],
)
def test_digests_give_the_file_md5_and_each_slice_md5_from_one_read(size: int, slice_size: int) -> None:
    data = os.urandom(size)
    whole, slices = Source(io.BytesIO(data)).digests(slice_size)
    assert whole == md5(data)
    assert slices == [md5(data[at : at + slice_size]) for at in range(0, size, slice_size)]


def test_a_stream_that_reads_text_is_refused_even_in_a_binary_wrapper() -> None:
    class Texty(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return True

        def read(self, size: int = -1) -> str:
            return ""

    with pytest.raises(TypeError, match=r"^upload a path or a file opened in binary mode \('rb'\), not a text"):
        Source(Texty())  # type: ignore[arg-type]


def test_closing_a_path_source_releases_its_file(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"abc")
    source = Source(path)
    source.close()
    with pytest.raises(OSError, match="Bad file descriptor"):
        source.read_at(0, 3)
