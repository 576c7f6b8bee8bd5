"""What a command says when it is done: its lines on stdout all at once, or, on any failure, none there and one
error line per failure on stderr; and the exit code that tells a script which kind of failure it was."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from .._errors import AuthError, printable

EXIT_OK, EXIT_USAGE, EXIT_AUTH, EXIT_TIMEOUT, EXIT_FAILURE = 0, 2, 3, 4, 5
EXIT_INTERRUPTED = 130
"""Ctrl-C or SIGTERM, as shells report a process a SIGINT stopped (128 + 2)."""


def exit_for(exc: BaseException) -> tuple[int, str]:
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


def safe(text: str) -> str:
    """Text from the server as one terminal-safe line, whole (a link must not be cut)."""
    return printable(text, limit=None)


def emit(out: TextIO, err: TextIO, lines: Sequence[str]) -> int:
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


def report(
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
        return emit(out, err, [safe(str(line)) for line in outcomes])
    # Nothing on stdout: a caller reading one line per input must not take a short list for the whole.
    for name, error in failures:
        _tell(err, error, f"{exit_for(error)[1]}: {safe(str(name))}: {safe(str(error))}", debug=debug)
        pid = getattr(error, "preupload_id", None)
        if pid and hint is not None:
            err.write(f"pan123-oss: continue it with: {safe(hint(pid, str(name)))}\n")
    return exit_for(failures[0][1])[0]


def fail(err: TextIO, exc: Exception, *, debug: bool) -> int:
    """One error that stopped a command: its line on stderr, and its exit code."""
    code, what = exit_for(exc)
    _tell(err, exc, f"{what}: {safe(str(exc))}", debug=debug)  # names in it may carry escape sequences
    return code


def _tell(err: TextIO, exc: BaseException, line: str, *, debug: bool) -> None:
    if debug:
        import traceback

        traceback.print_exception(exc, file=err)
    err.write(f"pan123-oss: {line}\n")
