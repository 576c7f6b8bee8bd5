"""Reading a file that holds a secret (the token cache, serve's key) only if it is the user's own.

A token file someone else planted would be sent to the service as the user's token; a key file others can read
gives them the key. So on POSIX such a file is read only if it is a regular file (not a symbolic link, which is
not followed), owned by the user, and neither readable nor writable by group or others. Owner and mode are read
from the open descriptor, so the file checked is the file read. Windows has no such mode bits: there the file is
read without this check, and this module claims no protection it does not give.
"""

from __future__ import annotations

import errno
import os
import shlex
import stat
from pathlib import Path

from . import _platform
from ._errors import printable

CHECKED = _platform.user_id() is not None
"""Whether ownership and mode are checked here (POSIX), or not at all (Windows)."""


class UnsafeFileError(PermissionError):
    """A secret's file that is not safely the user's own; the message names the path, the problem and the fix."""


def read_private(path: str | os.PathLike[str]) -> str | None:
    """The text of `path`, or None if there is no such file; `UnsafeFileError` if it is not safely private."""
    path = Path(path)
    label = printable(str(path))
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP or path.is_symlink():
            raise UnsafeFileError(
                f"{label} is a symbolic link, which is not followed for a file holding a secret: replace it with "
                "the file itself"
            ) from None
        raise
    try:
        check_private(os.fstat(fd), label)
        with os.fdopen(fd, "rb") as fh:
            fd = -1
            return fh.read().decode("utf-8")
    finally:
        if fd >= 0:
            os.close(fd)


def check_private(info: os.stat_result, label: str) -> None:
    """`UnsafeFileError` unless the file `info` describes is a regular file of the user's, private to them."""
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeFileError(f"{label} is not a regular file: a file holding a secret must be one")
    me = _platform.user_id()
    if me is None:
        return
    if info.st_uid != me:
        raise UnsafeFileError(
            f"{label} belongs to user ID {info.st_uid}, not to you ({me}): a secret in someone else's file is not "
            f"used. Delete it (it is made again), or take it over with chown"
        )
    loose = stat.S_IMODE(info.st_mode) & 0o077
    if loose:
        raise UnsafeFileError(
            f"{label} can be read or changed by other users (mode {stat.S_IMODE(info.st_mode):04o}): a secret in it "
            f"is not used. Fix it with: chmod 600 {shlex.quote(label)}"
        )
