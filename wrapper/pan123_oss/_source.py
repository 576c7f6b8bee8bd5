"""The bytes of an upload: a path or a binary file, read at offsets without loading the whole file."""

from __future__ import annotations

import hashlib
import io
import os
import queue
import stat
import threading
from pathlib import Path
from typing import BinaryIO

from . import _platform
from ._policy import HASH_QUEUE_CHUNKS, READ_CHUNK
from ._spec import SCHEMAS

FORBIDDEN = set('"\\/:*?|><')
MAX_FILENAME: int = SCHEMAS["NewUploadBody"]["properties"]["filename"]["maxLength"]
"""The docs say a name is shorter than 255 characters (小于255); the spec's `maxLength` states it once."""


def check_filename(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValueError("filename must be a non-empty string")
    if name.strip() in (".", ".."):
        raise ValueError(f"filename must name a file, not {name.strip()!r}")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        raise ValueError("filename must not contain control characters (newlines, tabs, ...)")
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("filename is not valid UTF-8 (pass filename= to name the upload)") from None
    if len(name) > MAX_FILENAME:
        raise ValueError(f"filename must be at most {MAX_FILENAME} characters, got {len(name)}")
    bad = sorted(FORBIDDEN.intersection(name))
    if bad:
        raise ValueError(f'filename must not contain any of "\\/:*?|><, found {"".join(bad)!r}')
    return name


class Source:
    """Random access to the upload's bytes; `read_at` is safe to call from several threads at once."""

    def __init__(self, obj: str | os.PathLike[str] | BinaryIO) -> None:
        self._owned_fd: int | None = None
        self._fileobj: BinaryIO | None = None
        self._fd: int | None = None
        self._lock = threading.Lock()
        self.name: str | None = None
        if isinstance(obj, str | os.PathLike):
            path = Path(obj)
            try:
                mode = path.stat().st_mode
            except FileNotFoundError:
                raise FileNotFoundError(f"no such file: {path}") from None
            if stat.S_ISDIR(mode):
                raise IsADirectoryError(f"{path} is a directory, not a file")
            if not stat.S_ISREG(mode):
                # Opening a FIFO would block, and a device has no size to declare at create.
                raise ValueError(f"{path} is not a regular file (a pipe, device or socket cannot be uploaded)")
            self._owned_fd = self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
            self.start, self.size, self.name = 0, os.fstat(self._fd).st_size, path.name
            return
        if isinstance(obj, io.TextIOBase) or not hasattr(obj, "read"):
            raise TypeError("upload a path or a file opened in binary mode ('rb'), not a text stream")
        if not (hasattr(obj, "seekable") and obj.seekable()):
            raise ValueError("the file object must be seekable (it is read twice: once for its MD5, once to send)")
        probe = obj.read(0)
        if not isinstance(probe, bytes | bytearray):
            raise TypeError("upload a path or a file opened in binary mode ('rb'), not a text stream")
        self._fileobj = obj
        self.start = obj.tell()
        self.size = obj.seek(0, os.SEEK_END) - self.start
        obj.seek(self.start)
        name = getattr(obj, "name", None)
        self.name = os.path.basename(name) if isinstance(name, str) else None
        try:
            # Without pread, reading through the descriptor would move the caller's file position under its
            # buffer: then the file object itself is read, under the lock.
            self._fd = obj.fileno() if _platform.POSITIONAL_READS else None
        except (OSError, AttributeError, io.UnsupportedOperation):
            self._fd = None

    def read_at(self, offset: int, length: int) -> bytes:
        """`length` bytes from `offset` (relative to where the upload starts)."""
        if self._fd is not None:
            data = _platform.read_at(self._fd, length, self.start + offset, self._lock)
        else:
            assert self._fileobj is not None
            with self._lock:  # a shared file position: one reader at a time
                self._fileobj.seek(self.start + offset)
                data = self._fileobj.read(length)
        if len(data) != length:
            raise OSError(f"the file changed during the upload: expected {length} bytes at {offset}, got {len(data)}")
        if (
            offset + length == self.size
            and self._owned_fd is not None
            and os.fstat(self._owned_fd).st_size != self.size
        ):
            # The size and MD5 were declared at create: a file that grew would be stored cut short.
            raise OSError(f"the file changed during the upload: it is no longer {self.size} bytes")
        return data

    def digests(self, slice_size: int) -> tuple[str, list[str]]:
        """The whole file's MD5 and each `slice_size` slice's, from one read of the file.

        The slices are hashed on a second thread as the chunks go by (hashlib releases the GIL), so the
        second core does that work during the pass the API needs anyway, and no slice is hashed while it
        is being sent.
        """
        if self.size <= slice_size:  # one slice: it is the whole file
            only = self.md5()
            return only, [only]
        chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=HASH_QUEUE_CHUNKS)
        slices: list[str] = []

        def hash_slices() -> None:
            current, filled = hashlib.md5(usedforsecurity=False), 0
            while (chunk := chunks.get()) is not None:
                view = memoryview(chunk)
                while view:
                    take = min(len(view), slice_size - filled)
                    current.update(view[:take])
                    filled, view = filled + take, view[take:]
                    if filled == slice_size:
                        slices.append(current.hexdigest())
                        current, filled = hashlib.md5(usedforsecurity=False), 0
            if filled:
                slices.append(current.hexdigest())

        worker = threading.Thread(target=hash_slices, name="pan123-oss-md5", daemon=True)
        worker.start()
        whole = hashlib.md5(usedforsecurity=False)
        try:
            for start in range(0, self.size, READ_CHUNK):
                data = self.read_at(start, min(READ_CHUNK, self.size - start))
                chunks.put(data)
                whole.update(data)
        finally:
            chunks.put(None)
            worker.join()
        return whole.hexdigest(), slices

    def md5(self, offset: int = 0, length: int | None = None) -> str:
        """The hex MD5 of a range (the whole file by default), read in chunks."""
        end = self.size if length is None else offset + length
        digest = hashlib.md5(usedforsecurity=False)
        for start in range(offset, end, READ_CHUNK):
            digest.update(self.read_at(start, min(READ_CHUNK, end - start)))
        return digest.hexdigest()

    def close(self) -> None:
        if self._owned_fd is not None:
            os.close(self._owned_fd)
            self._owned_fd = None
