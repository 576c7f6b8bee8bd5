"""The few things the sync and async drivers do differently: sleeping, locking, blocking work, concurrency.

`_async_client.py` is written once against `AsyncBackend`; `_sync_client.py` is generated from it with
`AsyncBackend` renamed `SyncBackend` and the `await`s removed, so both backends keep the same method names
and the same semantics. Only this module is written twice, and it holds no decisions.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, TypeVar

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
        import concurrent.futures  # only uploads need a pool; keep it off the import path

        stopper = Stopper()

        def one(job: Callable[[Stopper], T]) -> T:
            stopper.check()
            try:
                return job(stopper)
            except BaseException:
                stopper.stop()
                raise

        pool = concurrent.futures.ThreadPoolExecutor(max_workers=limit)
        futures = [pool.submit(one, job) for job in jobs]
        try:
            concurrent.futures.wait(futures, return_when=concurrent.futures.FIRST_EXCEPTION)
            errors = [f.exception() for f in futures if f.done() and not f.cancelled()]
            first = next((e for e in errors if e is not None and not isinstance(e, Stop)), None)
            if first is not None:
                raise first
            return [future.result() for future in futures]
        except BaseException:
            stopper.stop()
            raise
        finally:
            # Do not wait for slices still on the wire: they stop at their next step, in their own threads,
            # so a failure (or Ctrl-C) reaches the caller as soon as it happens, as with asyncio.
            pool.shutdown(wait=False, cancel_futures=True)


class Stopper:
    """Shared by the jobs of one `run_all`: set once any of them fails."""

    def __init__(self) -> None:
        self._stopped = threading.Event()

    def stop(self) -> None:
        self._stopped.set()

    def check(self) -> None:
        if self._stopped.is_set():
            raise Stop
