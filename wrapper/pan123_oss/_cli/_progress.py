"""The live status line on stderr: a progress bar with speed and ETA for uploads, and each poll while waiting.
Drawn only when stderr is a terminal, so a script's logs get none of it."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import TextIO

from .._types import OnPoll, OnProgress, PollEvent


def size(n: float) -> str:
    """`n` bytes for a person: `512 B`, `1.5 MiB`."""
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(n) < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def progress_line(sent: int, total: int, elapsed: float, width: int = 24) -> str:
    """`[#########...] 40% 4.0 MiB/10.0 MiB 2.0 MiB/s ETA 3 s`."""
    fraction = 1.0 if total == 0 else min(1.0, max(0.0, sent / total))
    bar = "#" * round(fraction * width)
    speed = sent / elapsed if elapsed > 0 else 0.0
    eta = f"ETA {math.ceil((total - sent) / speed)} s" if speed > 0 and sent < total else ""
    return f"[{bar.ljust(width, '.')}] {fraction:4.0%} {size(sent)}/{size(total)} {size(speed)}/s {eta}".rstrip()


class Status:
    """A live status line on stderr when it is a terminal; silent otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._live = stream.isatty()
        self._width = 0
        self._lock = threading.Lock()  # upload progress arrives from several slice threads

    def show(self, text: str) -> None:
        if self._live:
            with self._lock:
                self._stream.write("\r" + text.ljust(self._width))
                self._stream.flush()
                self._width = len(text)

    def clear(self) -> None:
        if self._live and self._width:
            with self._lock:
                self._stream.write("\r" + " " * self._width + "\r")
                self._stream.flush()
                self._width = 0

    def on_progress(self, label: str, clock: Callable[[], float] = time.monotonic) -> OnProgress:
        """A progress bar with speed and ETA for `upload_file`, redrawn at most ten times a second."""
        started = clock()
        last = [-1.0]

        def report(sent: int, total: int) -> None:
            now = clock()
            if sent < total and now - last[0] < 0.1:
                return
            last[0] = now
            self.show(f"{label} {progress_line(sent, total, now - started)}")

        return report

    def on_poll(self, label: str, seen: list[PollEvent] | None = None) -> OnPoll:
        """A callback for `wait_for_upload` that shows each poll (and keeps it in `seen`, if given)."""

        def report(event: PollEvent) -> None:
            if seen is not None:
                seen.append(event)
            if event.completed:
                state = "done"
            else:
                state = "retrying: " + event.error.split(" (")[0] if event.error else "pending"
            self.show(f"{label}: poll {event.attempt}, {event.elapsed:.1f} s, {state}")

        return report


class Totals:
    """The bytes of all the uploads of one run, for one progress bar."""

    def __init__(self, status: Status, sizes: list[int], label: str) -> None:
        self._sent = [0] * len(sizes)
        self._total = sum(sizes)
        self._lock = threading.Lock()
        self._report = status.on_progress(label)
        self._status, self._label, self._started = status, label, time.monotonic()

    def note(self, text: str) -> None:
        """Show `text` (the rate limit's note) after the progress bar until the next progress."""
        if text:
            with self._lock:
                line = progress_line(sum(self._sent), self._total, time.monotonic() - self._started)
            self._status.show(f"{self._label} {line}, {text}")

    def for_file(self, index: int) -> OnProgress:
        def report(sent: int, total: int) -> None:
            with self._lock:
                self._sent[index] = sent
                done = sum(self._sent)
            self._report(done, self._total)

        return report
