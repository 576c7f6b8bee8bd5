"""`--jobs N`: the uploads or imports of one command, N at a time, each outcome kept for the report."""

from __future__ import annotations

import threading
from collections.abc import Callable

from .._backend import daemon_workers
from .._errors import Pan123Error
from ._progress import Status


def check_jobs(jobs: int) -> None:
    if not 1 <= jobs <= 32:
        raise ValueError(f"--jobs must be from 1 to 32, got {jobs}")


def run_all(
    one: Callable[[int], str], count: int, jobs: int, status: Status, tick: Callable[[], None] | None = None
) -> list[str | Exception]:
    """Run `one` for each index, `jobs` at a time; each result or the exception it raised, in order.
    On daemon threads: on Ctrl-C the command exits at once instead of waiting for the uploads under way.
    `tick` is called about twice a second meanwhile (to refresh the status line)."""
    outcomes: list[str | Exception | None] = [None] * count
    finished = threading.Semaphore(0)

    def work(index: int) -> None:
        try:
            outcomes[index] = one(index)
        except Exception as exc:  # reported per file by the caller
            outcomes[index] = exc
        finally:
            finished.release()

    daemon_workers(count, jobs, work, "pan123-oss-upload")
    try:
        for _ in range(count):
            while not finished.acquire(timeout=0.5):
                if tick is not None:
                    tick()
    finally:
        status.clear()
    return [outcome if outcome is not None else Pan123Error("not run") for outcome in outcomes]
