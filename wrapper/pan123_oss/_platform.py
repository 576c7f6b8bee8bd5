"""Everything that differs between Windows, macOS and Linux, in one place: where files go, locking a file
across processes, writing a file only its owner can read, the OS credential store, reading a file at an
offset, and printing to a console whose code page cannot spell every name.

No other module asks which OS it runs on. Each function here works on all three; where an OS cannot give
what POSIX gives (a file mode on Windows), the function says what it did instead rather than pretend.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import platformdirs

from ._policy import REPLACE_ATTEMPTS, REPLACE_RETRY_GAP

with warnings.catch_warnings():
    # Without fcntl (and off Windows) filelock falls back to a lock file made with O_EXCL, and says so at
    # import; that lock still excludes other processes, which is all the token cache needs.
    warnings.filterwarnings("ignore", "only soft file lock is available")
    import filelock

APP = "pan123-oss"
ENV_CONFIG_DIR = "PAN123_CONFIG_DIR"
ENV_TOKEN_CACHE = "PAN123_TOKEN_CACHE"
ENV_SERVE_KEY_FILE = "PAN123_SERVE_KEY_FILE"

HAS_FILE_MODES = os.name == "posix"
"""Whether a file's mode bits decide who may read it (POSIX). On Windows access is an ACL, inherited from the
folder: a file in the user's profile (%LOCALAPPDATA%) is readable by that user and administrators only."""


def user_id() -> int | None:
    """The user's numeric ID, to compare with a file's owner; None where files have no POSIX owner (Windows)."""
    getuid = getattr(os, "getuid", None)
    return getuid() if HAS_FILE_MODES and getuid is not None else None


PRIVATE = (
    "mode 0600: only you can read it"
    if HAS_FILE_MODES
    else "no permission change: it inherits your user folder's access rules (you and administrators)"
)
"""What `write_private` did to keep others out, in words a user can check."""


def _from_env(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    """Settings and secrets: ~/.config/pan123-oss (XDG), ~/Library/Application Support/pan123-oss,
    %LOCALAPPDATA%\\pan123-oss; $PAN123_CONFIG_DIR moves it."""
    return _from_env(ENV_CONFIG_DIR) or platformdirs.user_config_path(APP, appauthor=False, roaming=False)


def cache_dir() -> Path:
    """Things that can be fetched again: ~/.cache/pan123-oss (XDG), ~/Library/Caches/pan123-oss,
    %LOCALAPPDATA%\\pan123-oss\\Cache."""
    return platformdirs.user_cache_path(APP, appauthor=False)


def token_cache_path() -> Path:
    """Where the command line keeps its token, so that separate runs share one; $PAN123_TOKEN_CACHE moves it."""
    return _from_env(ENV_TOKEN_CACHE) or cache_dir() / "tokens.json"


def serve_key_path() -> Path:
    """The key `serve` made for itself; $PAN123_SERVE_KEY_FILE moves it."""
    return _from_env(ENV_SERVE_KEY_FILE) or config_dir() / "serve-key"


def config_path() -> Path:
    """What `login` stored: the client ID, the base URL, and where the secret is."""
    return config_dir() / "config.json"


def make_folder(path: Path) -> None:
    # 0o700 only matters where modes do; elsewhere the parent's ACL is inherited.
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def write_private(path: Path, text: str) -> str:
    """Replace `path` with `text` atomically (a reader sees the old file or the new one, never half), readable
    only by the user as far as the OS allows; returns what was applied (`PRIVATE`)."""
    make_folder(path.parent)
    # mkstemp creates with O_EXCL and mode 0600 on POSIX, before a byte is written: no window with wider access.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        _replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return PRIVATE


def _replace(source: str, target: Path) -> None:
    for attempt in range(1, REPLACE_ATTEMPTS + 1):
        try:
            os.replace(source, target)
            return
        except PermissionError:  # Windows: a reader still has the old file open
            if attempt == REPLACE_ATTEMPTS:
                raise
            time.sleep(REPLACE_RETRY_GAP)


@contextlib.contextmanager
def file_lock(path: Path, timeout: float | None) -> Iterator[None]:
    """An exclusive lock on `path` shared by every process (flock on POSIX, LockFileEx on Windows).

    Raises TimeoutError if it is not had within `timeout` seconds; None waits as long as it takes. Not tied
    to a thread: async callers take and release it from different worker threads.
    """
    make_folder(path.parent)
    lock = filelock.FileLock(path, thread_local=False)
    try:
        lock.acquire(timeout=-1 if timeout is None else timeout)
    except filelock.Timeout:
        raise TimeoutError(f"another process held the lock {path} for {timeout} s") from None
    try:
        yield
    finally:
        lock.release()


POSITIONAL_READS = hasattr(os, "pread")
"""Whether a file can be read at an offset without moving its position (POSIX pread; not on Windows)."""


def read_at(fd: int, length: int, offset: int, lock: threading.Lock) -> bytes:
    """Up to `length` bytes at `offset` of an open file, safe from many threads at once.

    `os.pread` leaves the file position alone, so readers need no lock; Windows has no pread, so there the
    seek and read of one reader happen under `lock`.
    """
    if POSITIONAL_READS:
        return os.pread(fd, length, offset)
    with lock:
        os.lseek(fd, offset, os.SEEK_SET)
        parts: list[bytes] = []
        while length > 0:
            part = os.read(fd, length)
            if not part:
                break
            parts.append(part)
            length -= len(part)
        return b"".join(parts)


def keyring_backend() -> tuple[Any, str]:
    """The OS credential store through `keyring`, or None and why not (not installed, or no usable backend)."""
    try:
        import keyring
        from keyring.backends import chainer, fail, null
    except ImportError:
        return None, "the keyring package is not installed (pip install 'pan123-oss[keyring]')"
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring | null.Keyring) or (
        isinstance(backend, chainer.ChainerBackend) and not backend.backends
    ):
        return None, "keyring found no credential store on this system"
    return backend, f"the system keyring ({backend.name})"


def console_safe(*streams: TextIO) -> None:
    """Make text streams replace what their encoding cannot spell instead of raising.

    A cp1252 or cp936 console cannot show every file name; a name printed as `?` beats a crash after the
    upload succeeded. Links are ASCII and always come through whole.
    """
    for stream in streams:
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            with contextlib.suppress(ValueError, OSError):  # a closed or detached stream: nothing to fix
                stream.reconfigure(errors="replace")
