"""The few things the sync and async drivers do differently: sleeping, locking, blocking work, concurrency.

`_async/_client.py` is written once against `AsyncBackend`; `_sync/_client.py` is generated from it with
`AsyncBackend` renamed `SyncBackend` and the `await`s removed, so both backends keep the same method names
and the same semantics. Only this module is written twice, and it holds no decisions.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, TypeVar

from ._policy import FAILURE_GRACE, SIGNAL_WAKE

T = TypeVar("T")


class Stop(Exception):
    """A flow of a `Parallel` was stopped because another one had failed first."""


class AsyncBackend:
    def __init__(self, sleep: Callable[[float], Awaitable[None]] | None, max_in_flight: int) -> None:
        import asyncio  # here, not at the top: sync-only users should not pay ~40 ms to import asyncio

        self._asyncio = asyncio
        self._sleep = sleep or asyncio.sleep
        # httpcore's pool rescans every queued request on each event, so thousands of concurrent requests
        # queued inside it cost more CPU than the requests themselves; queue them here instead.
        self._in_flight = asyncio.Semaphore(max_in_flight)

    async def sleep(self, seconds: float) -> None:
        await self._sleep(seconds)

    def new_lock(self) -> Any:
        return self._asyncio.Lock()

    async def acquire(self, lock: Any, timeout: float | None) -> bool:
        try:
            await self._asyncio.wait_for(lock.acquire(), timeout)
        except TimeoutError:
            return False
        return True

    async def run_blocking(self, work: Callable[..., T], *args: Any) -> T:
        """Run blocking local work (hashing, file and lock I/O) off the event loop."""
        return await self._asyncio.to_thread(work, *args)

    @contextlib.asynccontextmanager
    async def limited(self) -> AsyncIterator[None]:
        async with self._in_flight:
            yield

    async def run_all(self, jobs: list[Callable[[Stopper], Awaitable[T]]], limit: int) -> list[T]:
        """Run `jobs` at most `limit` at a time; the results in order, or the first error at once.

        After a failure no job starts, and running ones stop at their next step (`Stopper.check`).
        """
        stopper = Stopper()
        slots = self._asyncio.Semaphore(limit)

        async def one(job: Callable[[Stopper], Awaitable[T]]) -> T:
            async with slots:
                stopper.check()
                try:
                    return await job(stopper)
                except BaseException:
                    stopper.stop()
                    raise

        tasks = [self._asyncio.ensure_future(one(job)) for job in jobs]
        try:
            return list(await self._asyncio.gather(*tasks))
        except BaseException:
            stopper.stop()
            for task in tasks:
                task.cancel()
            await self._asyncio.gather(*tasks, return_exceptions=True)
            raise


class SyncBackend:
    def __init__(self, sleep: Callable[[float], None] | None, max_in_flight: int) -> None:
        self._sleep = sleep or time.sleep

    def sleep(self, seconds: float) -> None:
        self._sleep(seconds)

    def new_lock(self) -> Any:
        return threading.Lock()

    def acquire(self, lock: Any, timeout: float | None) -> bool:
        return bool(lock.acquire(timeout=-1 if timeout is None else max(0.0, timeout)))

    def run_blocking(self, work: Callable[..., T], *args: Any) -> T:
        return work(*args)

    @contextlib.contextmanager
    def limited(self) -> Iterator[None]:
        yield  # httpx's own pool bounds a blocking client's connections

    def run_all(self, jobs: list[Callable[[Stopper], T]], limit: int) -> list[T]:
        # Daemon threads, not a ThreadPoolExecutor: the interpreter joins an executor's threads at exit,
        # so Ctrl-C during a stalled slice would wait for it. Here the caller returns at the first failure
        # (or interrupt), and slices still on the wire stop at their next step or die with the process.
        stopper = Stopper()
        results: list[Any] = [None] * len(jobs)
        errors: list[BaseException] = []
        lock = threading.Lock()
        done = threading.Event()
        left = [len(jobs)]

        def one(index: int) -> None:
            try:
                stopper.check()
                results[index] = jobs[index](stopper)
            except BaseException as exc:  # handed to the caller, which re-raises the first
                # Recorded before the others are stopped: a sibling's Stop must not be all the caller finds.
                with lock:
                    errors.append(exc)
                stopper.stop()
                done.set()
            finally:
                with lock:
                    left[0] -= 1
                    if left[0] == 0:
                        done.set()

        if not jobs:
            return []
        threads = daemon_workers(len(jobs), limit, one, "pan123-oss-slice")
        try:
            while not done.wait(SIGNAL_WAKE):
                pass
        except BaseException:
            stopper.stop()
            raise
        first = next((e for e in errors if not isinstance(e, Stop)), None)
        if first is not None:
            # Give requests already on the wire a moment to end and hand their connections back, so that a
            # client closed right after the error closes them too; a stalled one is left behind all the same.
            grace = time.monotonic() + FAILURE_GRACE
            for thread in threads:
                thread.join(max(0.0, grace - time.monotonic()))
            raise first
        return results


def daemon_workers(count: int, limit: int, work: Callable[[int], None], name: str) -> list[threading.Thread]:
    """Run `work(0)` .. `work(count - 1)` on at most `limit` daemon threads, started before this returns.

    Daemon threads, not a ThreadPoolExecutor, whose threads the interpreter joins at exit: Ctrl-C ends the
    process at once instead of waiting for requests under way. `work` must not raise.
    """
    indices = iter(range(count))
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                index = next(indices, None)
            if index is None:
                return
            work(index)

    threads = [threading.Thread(target=worker, name=name, daemon=True) for _ in range(min(limit, count))]
    for thread in threads:
        thread.start()
    return threads


class Stopper:
    """Shared by the jobs of one `run_all`: set once any of them fails."""

    def __init__(self) -> None:
        self._stopped = threading.Event()

    def stop(self) -> None:
        self._stopped.set()

    def check(self) -> None:
        if self._stopped.is_set():
            raise Stop
