"""A clock that only moves when told: tests of timing that take no real time."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Protocol


class Clock(Protocol):
    """Where the fake reads time (as `pan123_oss.Clock`): `monotonic` for waits, `time` for wall-clock dates."""

    def monotonic(self) -> float: ...

    def time(self) -> float: ...


class SystemClock:
    monotonic = staticmethod(time.monotonic)
    time = staticmethod(time.time)


class FakeClock:
    """Satisfies `pan123_oss.Clock`; its `sleep` and `async_sleep` advance time instantly and record it."""

    def __init__(self, monotonic: float = 1000.0, wall: float = 1_750_000_000.0) -> None:
        self._offset = wall - monotonic
        self._now = monotonic
        self._lock = threading.Lock()
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self._now

    def time(self) -> float:
        return self._now + self._offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time does not run backwards")
        with self._lock:
            self._now += seconds

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)
        await asyncio.sleep(0)  # still a suspension point, so cancellation behaves as with a real sleep


def sleep(clock: Clock, seconds: float) -> None:
    """Wait on `clock`: a FakeClock moves at once (and records the sleep), any other takes the real time."""
    (clock.sleep if isinstance(clock, FakeClock) else time.sleep)(seconds)


async def async_sleep(clock: Clock, seconds: float) -> None:
    await (clock.async_sleep(seconds) if isinstance(clock, FakeClock) else asyncio.sleep(seconds))
