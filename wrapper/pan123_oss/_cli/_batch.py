"""Every file of a batch checked before the first request, in one place.

`pan123-oss upload` and `serve` both call this before sending anything, so that a batch with one bad member
stores nothing: every file exists, is a regular file the user may read, and has a name the host can store.
(The output template is checked as early, by `formats.check_format`.)
"""

from __future__ import annotations

import dataclasses
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from .._errors import printable
from .._source import check_filename

MAX_LISTED = 10
"""Problems named one by one in a batch's error; the rest are counted."""


@dataclasses.dataclass(frozen=True, slots=True)
class Checked:
    """A file that passed: its path, the name it will be stored under, and its size when checked."""

    path: Path
    name: str
    size: int


class BatchError(ValueError):
    """Some files of a batch cannot be uploaded; `problems` has one line per file, naming it."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        shown = "; ".join(self.problems[:MAX_LISTED])
        more = f"; and {len(self.problems) - MAX_LISTED} more" if len(self.problems) > MAX_LISTED else ""
        lead = "" if len(self.problems) == 1 else f"{len(self.problems)} files cannot be uploaded, nothing was: "
        super().__init__(f"{lead}{shown}{more}")


def check_file(path: str | os.PathLike[str], name: str | None = None) -> Checked:
    """`path` as a `Checked` upload under `name` (default: its own name); a ValueError or OSError says what is
    wrong, naming the path in terminal-safe text."""
    path = Path(path)
    label = printable(str(path))
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise FileNotFoundError(f"{label}: a symbolic link to nothing") from None
        raise FileNotFoundError(f"{label}: no such file") from None
    except OSError as exc:  # too long a name, a loop of links, a folder without the right to look in
        raise OSError(exc.errno, f"{label}: cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(f"{label}: a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise ValueError(f"{label}: not a regular file (a pipe, device or socket cannot be uploaded)")
    try:  # the only sure test of the right to read: os.access ignores ACLs and effective IDs
        os.close(os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0)))
    except PermissionError:
        raise PermissionError(f"{label}: not readable (permission denied)") from None
    except OSError as exc:
        raise OSError(exc.errno, f"{label}: cannot be read ({exc.strerror})") from None
    try:
        stored = check_filename(path.name if name is None else name)
    except ValueError as exc:
        raise ValueError(f"{label}: {exc}") from None
    return Checked(path, stored, info.st_size)


def check_files(paths: Sequence[str | os.PathLike[str]], name: str | None = None) -> list[Checked]:
    """Every path checked by `check_file`; if any fails, one `BatchError` naming each that did."""
    checked: list[Checked] = []
    problems: list[str] = []
    for path in paths:
        try:
            checked.append(check_file(path, name))
        except (ValueError, OSError) as exc:
            problems.append(str(exc) if not isinstance(exc, OSError) or exc.strerror is None else exc.strerror)
    if problems:
        raise BatchError(problems)
    return checked
