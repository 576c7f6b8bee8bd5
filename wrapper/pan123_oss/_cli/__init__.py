"""The `pan123-oss` command line, one module per command or close family of commands (`upload` and `resume`
in `_upload.py`; `info`, `ls`, `rm`, `mkdir` in `_files.py`; `login`, `logout`, `doctor` in `_login.py`), each
reading top to bottom: its options in `add_parsers`, then argument checks, the work, the output. What they
share has a module of its own: `_parser.py` (the options every command takes), `_client.py` (the `Client` and
where its credentials come from), `_formats.py` (`--format`), `_output.py` (stdout, error lines, exit codes),
`_progress.py` (the status line), `_jobs.py` (`--jobs`), `_batch.py` (files checked before the first request),
`_rates.py` (`--qps` and throttling notes). To add a command, write its module with `add_parsers(sub, common,
service)`, which adds the subcommand and sets `run` to the function `(args, out, err) -> exit code` that
carries it out, and list that `add_parsers` in `_parser.COMMANDS`; `main` runs it and turns an error it raises
into one line on stderr and an exit code.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from typing import TextIO

from .. import _platform
from .._errors import Pan123Error
from . import _parser
from ._client import CommandClock, SystemClock
from ._output import EXIT_INTERRUPTED, fail


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    clock: CommandClock | None = None,
) -> int:
    """Run `pan123-oss ARGV`; the exit code. Commands read the time from and wait on `clock` (the system's)."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    _platform.console_safe(out, err)  # the upload's outcome decides the exit code, not the console's code page
    args = _parser.build().parse_args(argv)
    args.debug = bool(args.debug)
    args.clock = clock or SystemClock()
    try:
        with _debug_logging(args.debug, err), _sigterm_interrupts():
            code: int = args.run(args, out, err)
            return code
    except (ValueError, TypeError, Pan123Error, OSError) as exc:
        return fail(err, exc, debug=args.debug)
    except KeyboardInterrupt:
        err.write("pan123-oss: interrupted\n")
        return EXIT_INTERRUPTED


@contextlib.contextmanager
def _debug_logging(enabled: bool, err: TextIO) -> Iterator[None]:
    if not enabled:
        yield
        return
    handler = logging.StreamHandler(err)
    handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    logger = logging.getLogger("pan123_oss")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM (a service manager, `kill`) stops a command as Ctrl-C does, resume hints included."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
