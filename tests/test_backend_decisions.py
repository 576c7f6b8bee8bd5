"""The two backends do the same thing: locks that give up on time, parallel jobs that fail fast (the first error,
nothing started after it, siblings stopped and cleaned up before the caller hears of it), threads bounded by the
limit. Driven directly, without clients or sockets; nothing here waits on the wall clock for long."""

from __future__ import annotations

import asyncio
import signal
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest

from pan123_oss._backend import AsyncBackend, Stop, Stopper, SyncBackend, daemon_workers

T = TypeVar("T")


def bounded(call: Callable[[], T], seconds: float = 10.0) -> T:
    """`call()`, failing the test instead of hanging when it does not return within `seconds`."""
    outcome: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            outcome.append((True, call()))
        except BaseException as exc:  # handed to the test below
            outcome.append((False, exc))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"did not return within {seconds} s"
    ok, value = outcome[0]
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]


def run_async(main: Callable[[], Awaitable[T]]) -> T:
    """`asyncio.run(main())`, failing instead of hanging."""

    async def bounded_main() -> T:
        return await main()

    return bounded(lambda: asyncio.run(bounded_main()))


# Locks.


def test_a_sync_lock_is_taken_at_once_when_free_and_refused_when_held_past_the_timeout() -> None:
    backend = SyncBackend(None, 1)
    lock = backend.new_lock()
    assert backend.acquire(lock, None) is True  # no timeout: wait as long as it takes
    assert bounded(lambda: backend.acquire(lock, 0.01)) is False
    assert backend.acquire(lock, -5.0) is False  # time already up: a try, no wait
    lock.release()
    assert backend.acquire(lock, 0.0) is True


def test_an_async_lock_is_taken_at_once_when_free_and_refused_when_held_past_the_timeout() -> None:
    async def main() -> list[bool]:
        backend = AsyncBackend(None, 1)
        lock = backend.new_lock()
        return [await backend.acquire(lock, None), await backend.acquire(lock, 0.01)]

    assert run_async(main) == [True, False]


# Blocking work and sleeping.


def test_blocking_work_gets_its_arguments_on_both_backends() -> None:
    assert SyncBackend(None, 1).run_blocking(divmod, 7, 2) == (3, 1)

    async def main() -> Any:
        return await AsyncBackend(None, 1).run_blocking(divmod, 7, 2)

    assert run_async(main) == (3, 1)


def test_both_backends_sleep_with_the_sleep_they_are_given() -> None:
    slept: list[float] = []
    SyncBackend(slept.append, 1).sleep(1.5)

    async def record(seconds: float) -> None:
        slept.append(seconds)

    asyncio.run(AsyncBackend(record, 1).sleep(2.5))
    assert slept == [1.5, 2.5]


# Parallel jobs.


def test_sync_jobs_return_their_results_in_order() -> None:
    jobs: list[Callable[[Stopper], int]] = [lambda _s, n=n: n * n for n in range(6)]  # type: ignore[misc]
    assert bounded(lambda: SyncBackend(None, 1).run_all(jobs, 3)) == [0, 1, 4, 9, 16, 25]
    assert bounded(lambda: SyncBackend(None, 1).run_all([], 3)) == []


def test_a_sync_failure_is_raised_and_no_job_starts_after_it() -> None:
    started: list[int] = []

    def job(n: int) -> Callable[[Stopper], int]:
        def run(stopper: Stopper) -> int:
            started.append(n)
            if n == 1:
                raise ValueError("slice 1 failed")
            return n

        return run

    with pytest.raises(ValueError, match="slice 1 failed"):
        bounded(lambda: SyncBackend(None, 1).run_all([job(n) for n in range(5)], 1))
    assert started == [0, 1]


def test_a_sync_sibling_stops_at_its_next_step_and_the_caller_hears_the_first_real_error() -> None:
    failed = threading.Event()

    def sibling(stopper: Stopper) -> None:
        failed.wait(5)
        stopper.check()  # raises Stop: the sibling's own error must not mask the first one

    def bad(stopper: Stopper) -> None:
        try:
            raise RuntimeError("first")
        finally:
            failed.set()

    with pytest.raises(RuntimeError, match="first"):
        bounded(lambda: SyncBackend(None, 1).run_all([sibling, bad], 2))


def async_jobs(*jobs: Callable[[Stopper], Awaitable[Any]]) -> list[Callable[[Stopper], Awaitable[Any]]]:
    return list(jobs)


def test_async_jobs_return_their_results_in_order_at_most_limit_at_once() -> None:
    running, most = [0], [0]

    def job(n: int) -> Callable[[Stopper], Awaitable[int]]:
        async def run(stopper: Stopper) -> int:
            running[0] += 1
            most[0] = max(most[0], running[0])
            await asyncio.sleep(0)
            running[0] -= 1
            return n * 10

        return run

    async def main() -> list[int]:
        return await AsyncBackend(None, 8).run_all([job(n) for n in range(7)], 2)

    assert run_async(main) == [0, 10, 20, 30, 40, 50, 60]
    assert most[0] == 2


def test_an_async_failure_is_raised_after_its_siblings_have_stopped_and_cleaned_up() -> None:
    log: list[str] = []

    async def slow(stopper: Stopper) -> None:
        try:
            await asyncio.sleep(30)
        finally:
            for _ in range(3):  # cleaning up takes a few steps of the loop
                await asyncio.sleep(0)
            log.append("cleaned up")

    async def bad(stopper: Stopper) -> None:
        raise ValueError("boom")

    async def main() -> list[str]:
        with pytest.raises(ValueError, match="boom"):
            await AsyncBackend(None, 8).run_all(async_jobs(slow, bad), 2)
        return list(log)  # what had happened when the caller heard of the failure

    assert run_async(main) == ["cleaned up"]


def test_no_async_job_starts_after_a_failure() -> None:
    started: list[int] = []

    def job(n: int) -> Callable[[Stopper], Awaitable[int]]:
        async def run(stopper: Stopper) -> int:
            started.append(n)
            if n == 0:
                raise ValueError("first fails")
            return n

        return run

    async def main() -> None:
        await AsyncBackend(None, 8).run_all([job(n) for n in range(4)], 1)

    with pytest.raises(ValueError, match="first fails"):
        run_async(main)
    assert started == [0]


# Threads.


def test_daemon_workers_run_every_index_once_on_at_most_limit_named_daemon_threads() -> None:
    seen: list[int] = []
    names: set[str] = set()
    lock = threading.Lock()

    def work(index: int) -> None:
        with lock:
            seen.append(index)
            names.add(threading.current_thread().name)

    threads = daemon_workers(10, 3, work, "pan123-oss-test")
    assert len(threads) == 3 and all(t.daemon for t in threads)
    for thread in threads:
        thread.join(5)
    assert sorted(seen) == list(range(10))
    assert names <= {"pan123-oss-test"}
    assert len(daemon_workers(2, 8, lambda _i: None, "x")) == 2


def test_a_stopper_stops_every_job_that_checks_it() -> None:
    stopper = Stopper()
    stopper.check()
    stopper.stop()
    with pytest.raises(Stop):
        stopper.check()


def test_a_sync_sibling_is_stopped_through_the_stopper_it_was_handed() -> None:
    seen: list[str] = []

    def sibling(stopper: Stopper) -> None:
        try:
            for _ in range(500):  # steps of work, checking between them, until the other job's failure shows
                stopper.check()
                threading.Event().wait(0.01)
        except Stop:
            seen.append("stopped")
            raise

    def bad(stopper: Stopper) -> None:
        raise RuntimeError("first")

    with pytest.raises(RuntimeError, match="first"):
        bounded(lambda: SyncBackend(None, 1).run_all([sibling, bad], 2))
    for _ in range(500):
        if seen:
            break
        threading.Event().wait(0.01)
    assert seen == ["stopped"]


def test_an_async_sibling_is_stopped_through_the_stopper_it_was_handed() -> None:
    seen: list[str] = []

    async def sibling(stopper: Stopper) -> None:
        try:
            for _ in range(500):
                stopper.check()
                await asyncio.sleep(0)
        except Stop:
            seen.append("stopped")
            raise

    async def bad(stopper: Stopper) -> None:
        await asyncio.sleep(0)
        raise RuntimeError("first")

    async def main() -> None:
        await AsyncBackend(None, 8).run_all(async_jobs(sibling, bad), 2)

    with pytest.raises(RuntimeError, match="first"):
        run_async(main)
    assert seen == ["stopped"]


def test_a_sync_lock_with_no_time_left_is_only_tried() -> None:
    backend = SyncBackend(None, 1)
    lock = backend.new_lock()
    lock.acquire()
    threading.Timer(0.5, lock.release).start()  # free again soon, but not now
    assert backend.acquire(lock, 0.0) is False
    assert backend.acquire(lock, None) is True  # no bound: it waits for the release


@pytest.mark.slow
def test_a_sync_lock_with_no_timeout_waits_as_long_as_the_holder_takes() -> None:
    backend = SyncBackend(None, 1)
    lock = backend.new_lock()
    lock.acquire()
    threading.Timer(1.2, lock.release).start()  # longer than any one-second default could be
    assert bounded(lambda: backend.acquire(lock, None)) is True


def test_sync_jobs_run_on_threads_named_for_the_slices() -> None:
    names = bounded(lambda: SyncBackend(None, 1).run_all([lambda _s: threading.current_thread().name] * 3, 2))
    assert names == ["pan123-oss-slice"] * 3


class _Interrupted(Exception):
    pass


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="sends a signal to one thread (POSIX)")
def test_an_interrupt_the_kernel_hands_to_a_slice_thread_still_stops_the_wait_at_once() -> None:
    # Ctrl-C or SIGTERM may be delivered to any thread; Python runs the handler in the main thread, and only
    # when that thread runs Python code. A slice thread that takes the signal must not leave it pending until
    # the slices end: here the slice would hold on for 5 s.
    def interrupted(signum: int, frame: object) -> None:
        raise _Interrupted

    release = threading.Event()

    def slice_taking_the_signal(stopper: Stopper) -> None:
        time.sleep(0.3)  # the main thread is waiting for the slices by now
        signal.pthread_kill(threading.get_ident(), signal.SIGUSR1)
        release.wait(5)

    previous = signal.signal(signal.SIGUSR1, interrupted)
    try:
        started = time.monotonic()
        with pytest.raises(_Interrupted):
            SyncBackend(None, 1).run_all([slice_taking_the_signal], 1)
        assert time.monotonic() - started < 1.3
    finally:
        release.set()
        signal.signal(signal.SIGUSR1, previous)
