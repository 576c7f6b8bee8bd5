"""The rate governor's book in Redis: workers on several machines pace one client ID together."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Iterator
from typing import Protocol

import pytest
from test_redis_store import redis_url  # noqa: F401 - the redis-server fixture

import pan123_oss
from pan123_oss._flows._governor import Governor
from pan123_oss.testing import FakePan123

redis_py = pytest.importorskip("redis", reason="the redis package is not installed (pip install 'pan123-oss[redis]')")
POLL = "/upload/v1/oss/file/upload_async_result"


def shared_governor(url: str, prefix: str, **kwargs: object) -> Governor:
    return Governor({POLL: 5.0}, shared=pan123_oss.RedisRates(url, prefix=prefix), scope="id", **kwargs)  # type: ignore[arg-type]


def test_a_429_seen_by_one_worker_paces_every_worker(redis_url: str) -> None:  # noqa: F811
    prefix = f"test-{time.monotonic_ns()}:"
    one, other = shared_governor(redis_url, prefix), shared_governor(redis_url, prefix)
    assert [other.reserve(POLL, 0.0, 10.0) for _ in range(3)] == [0.0, 0.0, 0.0]  # unpaced so far
    one.report(POLL, 0.0, throttled=True, age=0.01, retry_after=None)
    waits = [other.reserve(POLL, 0.0, 10.0) for _ in range(3)]
    spacing = 1 / (5 * 0.95)
    assert waits[0] == pytest.approx(0.0, abs=0.05)
    assert waits[1] == pytest.approx(spacing, abs=0.05)  # the second worker's turns follow the shared book
    assert waits[2] == pytest.approx(2 * spacing, abs=0.05)
    assert one.reserve(POLL, 0.0, 10.0) == pytest.approx(3 * spacing, abs=0.05)
    assert one.reserve(POLL, 0.0, max_wait=0.1) is None  # no turn within the time left: none taken


def test_retry_after_and_cuts_are_shared(redis_url: str) -> None:  # noqa: F811
    prefix = f"test-{time.monotonic_ns()}:"
    one, other = shared_governor(redis_url, prefix), shared_governor(redis_url, prefix)
    one.report(POLL, 0.0, throttled=True, age=0.01, retry_after=None)  # pacing begins
    time.sleep(0.05)
    one.report(POLL, 0.0, throttled=True, age=0.01, retry_after=3.0)  # a cut, and a Retry-After
    wait = other.reserve(POLL, 0.0, 10.0)
    assert wait is not None and 2.8 <= wait <= 3.05
    assert one.throttled == 2 and other.throttled == 0  # the counts are each client's own


WORKER = textwrap.dedent(
    """
    import sys, pan123_oss
    base_url, client_id, secret, redis_url, name = sys.argv[1:6]
    print("ready", flush=True)
    # One run of the fleet a line: its Redis key prefix, or "-" for each worker on its own book. Every worker
    # starts a run at once, so that they overlap however slowly they started.
    for line in sys.stdin:
        prefix = line.strip()
        rates = None if prefix == "-" else pan123_oss.RedisRates(redis_url, prefix=prefix)
        with pan123_oss.Client(
            client_id=client_id, client_secret=secret, base_url=base_url, shared_rates=rates,
            qps={"upload_async_result": 10},
        ) as client:
            for n in range(WAITS):
                client.wait_for_upload(f"{name}-{n}-{prefix}", timeout=60)
        print("done", flush=True)
    """
)
PROCESSES, WAITS = 4, 4  # 16 polls: more than the limit allows in any one second


class Run(Protocol):
    def __call__(self, *, shared: bool) -> None: ...


@contextlib.contextmanager
def fleet(url: str, fake: FakePan123, redis: str) -> Iterator[Run]:
    """Four worker processes, two a machine; the function it yields runs them once, sharing a book in Redis
    or each on its own (the processes start once for both runs: a start costs more than a run)."""
    commands = [
        [sys.executable, "-c", f"WAITS = {WAITS}\n{WORKER}", url, fake.client_id, fake.client_secret,
         f"{redis}?client_name=machine-{n % 2}", f"m{n % 2}-p{n}"]
        for n in range(PROCESSES)
    ]  # fmt: skip
    with contextlib.ExitStack() as stack:
        workers = [
            stack.enter_context(subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
            for command in commands
        ]
        for worker in workers:  # these run first on exit: no worker outlives a failure
            stack.callback(worker.kill)
        for worker in workers:
            assert worker.stdout is not None and worker.stdout.readline() == "ready\n"

        def run(*, shared: bool) -> None:
            prefix = f"test-{time.monotonic_ns()}:" if shared else "-"
            for worker in workers:
                assert worker.stdin is not None
                worker.stdin.write(f"{prefix}\n")
                worker.stdin.flush()
            for worker in workers:
                assert worker.stdout is not None and worker.stdout.readline() == "done\n"

        yield run
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.close()
        for worker in workers:
            assert worker.wait(timeout=120) == 0


@pytest.mark.slow
def test_two_machines_of_two_processes_stay_under_the_limit_together(redis_url: str) -> None:  # noqa: F811
    # Four workers share one client ID, paced at the endpoint's 10 a second: with the book in Redis the
    # service sees them as one caller at that pace; each on its own book, they go four times too fast.
    fake = FakePan123(qps={"upload_async_result": 10}, auto_uploads=True, pending_polls=0)
    with fake.serve() as url, fleet(url, fake, redis_url) as run:
        run(shared=True)
        polls = [r.time for r in fake.requests if r.path == POLL]
        together = fake.throttled[POLL]
        fake.throttled.clear()
        run(shared=False)
        alone = fake.throttled[POLL]
    assert len(polls) == PROCESSES * WAITS + together  # every wait finished, with one poll each, plus any re-sent
    per_second = Counter(int(t - polls[0]) for t in polls)
    assert max(per_second.values()) <= 10
    assert together <= 2  # scheduling jitter at most, however the processes start
    assert alone > together  # the same fleet, each on its own book, crosses the limit (how often: how they overlap)


@pytest.mark.slow
def test_the_async_client_paces_through_redis_off_the_event_loop(redis_url: str) -> None:  # noqa: F811
    fake = FakePan123(qps={"upload_async_result": 20}, auto_uploads=True, pending_polls=0)
    rates = pan123_oss.RedisRates(redis_url, prefix=f"test-{time.monotonic_ns()}:")

    async def waits() -> list[str]:
        async with pan123_oss.AsyncClient(
            client_id=fake.client_id, client_secret=fake.client_secret, transport=fake.transport(),
            shared_rates=rates, qps={"upload_async_result": 16},  # under the fake's 20: room for jitter under load
        ) as client:  # fmt: skip
            return list(await asyncio.gather(*(client.wait_for_upload(f"a-{n}", timeout=30) for n in range(20))))

    assert len(asyncio.run(waits())) == 20
    assert fake.throttled == {}  # paced from the first poll, by the book in Redis
    polls = [r.time for r in fake.requests if r.path == POLL]
    assert polls[-1] - polls[0] >= 19 / 16 - 0.05  # 20 turns, 16 a second, as the fake saw them arrive
