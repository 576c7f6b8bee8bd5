"""Batches under the fake's per-endpoint QPS limits: nothing is lost, waits share the poll budget fairly, and
the command line says what the limits cost.

The concurrent waits run in virtual time: the real core flows and the blocking client's driver, with every
`Sleep` scheduled on a fake clock by a small event loop here, so 50 waits of half a minute take a second.
The upload batches run on the real clock against limits scaled up to keep them to a few seconds."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import json
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import random_files, run_cli
from test_cli import Terminal

import pan123_oss
from pan123_oss._cli._rates import rate_note
from pan123_oss._flows import _effects
from pan123_oss.testing import FakeClock, FakePan123
from pan123_oss.testing._faults import BUSY

POLL = "/upload/v1/oss/file/upload_async_result"


def request(fake: FakePan123, operation: str = "uploadAsyncResult") -> dict[str, Any]:
    token = fake.issue_token()
    path = {"uploadAsyncResult": POLL, "createFolder": "/upload/v1/oss/file/mkdir"}[operation]
    body = {"preuploadID": "p"} if operation == "uploadAsyncResult" else {"name": ["x"], "parentID": "", "type": 1}
    headers = {"Platform": "open_platform", "Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    reply = fake.handle("POST", path, headers, json.dumps(body).encode())
    assert reply.status == 200
    envelope: dict[str, Any] = json.loads(reply.body)
    return envelope


# The fake's limits.


def test_the_fake_refuses_requests_over_an_endpoint_s_limit_in_any_sliding_second(clock: FakeClock) -> None:
    fake = FakePan123(clock=clock, qps={"upload_async_result": 2}, auto_uploads=True)
    assert [request(fake)["code"] for _ in range(3)] == [0, 0, 429]
    assert request(fake)["message"] == BUSY
    assert request(fake, "createFolder")["code"] == 0  # other endpoints are not limited
    clock.advance(0.5)
    assert request(fake)["code"] == 429  # the two accepted ones are still within the last second
    clock.advance(0.51)
    assert [request(fake)["code"] for _ in range(3)] == [0, 0, 429]  # refused ones did not count
    assert fake.throttled == {POLL: 4}
    fake.set_qps("uploadAsyncResult", None)
    assert [request(fake)["code"] for _ in range(5)] == [0] * 5


@pytest.mark.parametrize(("name", "limit", "match"), [("nope", 5, "no endpoint"), ("create", 0, "positive")])
def test_the_fake_refuses_a_bad_limit(name: str, limit: float, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        FakePan123(qps={name: limit})


# Concurrent waits, in virtual time.


class _Thrown:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def run_virtual(
    client: pan123_oss.Client, clock: FakeClock, flows: dict[str, tuple[float, _effects.Steps[Any]]]
) -> dict[str, tuple[float, Any]]:
    """Run core flows side by side in virtual time: each `Sleep` is an event on `clock`, every other effect
    is carried out by the blocking client's driver. Returns each flow's (finish time, result or error)."""
    order = itertools.count()
    events: list[tuple[float, int, str, Any]] = [(start, next(order), key, None) for key, (start, _) in flows.items()]
    heapq.heapify(events)
    started: set[str] = set()
    done: dict[str, tuple[float, Any]] = {}
    while events:
        when, _, key, value = heapq.heappop(events)
        clock.advance(max(0.0, when - clock.monotonic()))
        steps = flows[key][1]
        try:
            if key not in started:
                started.add(key)
                effect = next(steps)
            elif isinstance(value, _Thrown):
                effect = steps.throw(value.error)
            else:
                effect = steps.send(value)
        except StopIteration as stop:
            done[key] = (when, stop.value)
            continue
        except pan123_oss.Pan123Error as exc:
            done[key] = (when, exc)
            continue
        if isinstance(effect, _effects.Sleep):
            heapq.heappush(events, (when + effect.seconds, next(order), key, None))
            continue
        try:
            result: Any = client._perform(effect)
        except Exception as exc:
            result = _Thrown(exc)
        heapq.heappush(events, (when, next(order), key, result))
    return done


@pytest.fixture
def limited(clock: FakeClock) -> FakePan123:
    return FakePan123(clock=clock, qps={"upload_async_result": 5}, pending_polls=2)


def virtual_client(fake: FakePan123, clock: FakeClock, **options: Any) -> pan123_oss.Client:
    return pan123_oss.Client(
        client_id=fake.client_id, client_secret=fake.client_secret, transport=fake.transport(), clock=clock,
        sleep=clock.sleep, **options,
    )  # fmt: skip


def turns_taken(client: pan123_oss.Client) -> list[tuple[float, float]]:
    """Record each paced turn the governor hands out: (when it was asked for, when it is)."""
    taken: list[tuple[float, float]] = []
    reserve = client._governor.reserve

    def recording(endpoint: str, now: float, max_wait: float, after: float = 0.0) -> float | None:
        wait = reserve(endpoint, now, max_wait, after)
        if wait is not None and client._governor.rate(endpoint, now) is not None:
            taken.append((now + after, now + wait))
        return wait

    client._governor.reserve = recording  # type: ignore[method-assign]
    return taken


def test_forty_concurrent_waits_all_finish_near_the_rate_bound(limited: FakePan123, clock: FakeClock) -> None:
    client = virtual_client(limited, clock)
    pids = [limited.add_upload() for _ in range(40)]
    start = clock.monotonic()
    done = run_virtual(client, clock, {pid: (start, client._wait_steps(pid, 300.0, None)) for pid in pids})
    assert all(isinstance(result, str) and result.startswith("fake-file-") for _, result in done.values())
    ideal = 40 * 3 / 5  # three polls each at five a second
    assert max(when for when, _ in done.values()) - start <= 1.3 * ideal
    for pid in pids:  # the documented floor still holds for every upload, as the fake saw it
        times = [r.time for r in limited.polls(pid)]
        assert all(b - a >= 1.0 for a, b in itertools.pairwise(times))
    assert client.throttled_requests == sum(limited.throttled.values()) > 0


def test_waits_take_turns_first_come_first_served_so_late_first_polls_do_not_starve(
    limited: FakePan123, clock: FakeClock
) -> None:
    client = virtual_client(limited, clock)
    taken = turns_taken(client)
    start = clock.monotonic()
    early = {pid: (start, client._wait_steps(pid, 300.0, None)) for pid in [limited.add_upload() for _ in range(40)]}
    late_pids = [limited.add_upload() for _ in range(10)]
    late = {pid: (start + 10.0, client._wait_steps(pid, 300.0, None)) for pid in late_pids}
    done = run_virtual(client, clock, early | late)
    assert all(isinstance(result, str) for _, result in done.values())
    # Turns go in the order they were asked for: nothing asked later goes first.
    assert [turn for _, turn in sorted(taken)] == sorted(turn for _, turn in taken)
    # A late upload's first poll waits only for the turns already asked for, not for the early uploads to end.
    for pid in late_pids:
        first = limited.polls(pid)[0].time
        assert first - (start + 10.0) <= 40 / (5 * 0.95) + 1.0
    ideal = 50 * 3 / 5
    assert max(when for when, _ in done.values()) - start <= 1.3 * ideal


def test_a_rate_set_by_the_caller_paces_from_the_start_and_is_never_throttled(
    limited: FakePan123, clock: FakeClock
) -> None:
    client = virtual_client(limited, clock, qps={"upload_async_result": 5})
    pids = [limited.add_upload() for _ in range(20)]
    done = run_virtual(client, clock, {pid: (clock.monotonic(), client._wait_steps(pid, 300.0, None)) for pid in pids})
    assert all(isinstance(result, str) for _, result in done.values())
    assert limited.throttled == {}
    assert client.throttled_requests == 0


def test_a_wait_whose_turn_is_past_its_deadline_times_out_carrying_the_429(
    limited: FakePan123, clock: FakeClock
) -> None:
    limited.set_qps("upload_async_result", 1)
    client = virtual_client(limited, clock)
    pids = [limited.add_upload(pending_polls=5) for _ in range(30)]
    done = run_virtual(client, clock, {pid: (clock.monotonic(), client._wait_steps(pid, 5.0, None)) for pid in pids})
    errors = [result for _, result in done.values() if isinstance(result, Exception)]
    assert errors and all(isinstance(e, pan123_oss.PollTimeoutError) for e in errors)
    assert max(when for when, _ in done.values()) - 1000.0 <= 5.0  # nobody waited past their deadline


# Upload batches, on the real clock (limits scaled up so that each test takes a few seconds).

SCALED = {"create": 20, "get_upload_url": 40, "upload_async_result": 20, "mkdir": 5, "list": 4}


@pytest.mark.slow
def test_thirty_gathered_uploads_under_the_limits_lose_nothing(tmp_path: Path) -> None:
    fake = FakePan123(qps=SCALED, pending_polls=0)
    files = random_files(tmp_path, 30, "shot{n}.png", 2000)

    async def batch() -> tuple[list[Any], int]:
        async with pan123_oss.AsyncClient(
            client_id=fake.client_id, client_secret=fake.client_secret, transport=fake.transport()
        ) as client:
            results = await asyncio.gather(
                *(client.upload_file(path, folder="shots", timeout=60) for path in files), return_exceptions=True
            )
            return results, client.throttled_requests

    results, throttled = asyncio.run(batch())
    assert [r for r in results if isinstance(r, BaseException)] == []
    assert sorted(fake.file_bytes(r.file_id) for r in results) == sorted(p.read_bytes() for p in files)
    assert throttled == sum(fake.throttled.values()) > 0  # the burst was throttled, and nothing failed of it


@pytest.mark.slow
def test_ten_threads_of_six_uploads_lose_nothing_under_limits_below_the_set_rate(tmp_path: Path) -> None:
    # The caller's rates are above what the service allows (how often it says so depends on how fast this
    # machine runs the threads): whatever it refuses is sent again, and nothing fails.
    fake = FakePan123(qps={"create": 40, "get_upload_url": 40, "upload_async_result": 40}, pending_polls=0)
    files = random_files(tmp_path, 60, "shot{n}.png", 500)
    results: list[Any] = [None] * len(files)
    qps = {"create": 60, "get_upload_url": 60, "upload_complete": 60, "upload_async_result": 60}
    with pan123_oss.Client(
        client_id=fake.client_id, client_secret=fake.client_secret, transport=fake.transport(), qps=qps
    ) as client:

        def worker(offset: int) -> None:
            for index in range(offset, len(files), 10):
                try:
                    results[index] = client.upload_file(files[index], timeout=120, link=False)
                except Exception as exc:
                    results[index] = exc

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        assert [r for r in results if not isinstance(r, pan123_oss.UploadResult)] == []
        assert client.throttled_requests == sum(fake.throttled.values())
    assert len({r.file_id for r in results}) == len(files)


# What the command line shows.


@pytest.mark.slow
@pytest.mark.real_clock  # the pace it meets is in real seconds
def test_the_cli_says_how_many_requests_were_throttled(cli_env: FakePan123, tmp_path: Path) -> None:
    cli_env.set_qps("create", 3)
    files = [str(p) for p in random_files(tmp_path, 5, "s{n}.png", 300)]
    code, out, err = run_cli("upload", "--jobs", "5", *files)
    assert code == 0 and len(out.splitlines()) == 5
    throttled = sum(cli_env.throttled.values())
    assert throttled > 0
    assert f"{throttled} of " in err and "were over the service's rate limit and sent again" in err


@pytest.mark.slow
@pytest.mark.real_clock  # the pace it checks is in real seconds
def test_the_cli_paces_by_qps(cli_env: FakePan123, tmp_path: Path) -> None:
    # The same five files at once as above, against the same limit: paced below the service's 3 a second,
    # none is refused. (Not 3: creates sent a third of a second apart could reach the fake's sliding second
    # closer together on a busy machine, and it counts them as they arrive.)
    cli_env.set_qps("create", 3)
    files = [str(p) for p in random_files(tmp_path, 5, "s{n}.png", 300)]
    code, out, err = run_cli("upload", "--jobs", "5", "--qps", "create=2", *files)
    assert code == 0 and len(out.splitlines()) == 5
    assert cli_env.throttled == {} and "rate limit" not in err


@pytest.mark.parametrize(
    ("value", "message"),
    [("create", "expected ENDPOINT=N"), ("nope=3", "no endpoint 'nope'"), ("create=0", "positive"),
     ("process=2", "names 2 endpoints"), ("create=fast", "positive")],
)  # fmt: skip
def test_a_bad_qps_option_is_refused_before_anything_is_sent(
    cli_env: FakePan123, value: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        run_cli("upload", "--qps", value, "x.png")
    assert exited.value.code == 2
    assert message in capsys.readouterr().err
    assert cli_env.requests == []


@pytest.mark.slow
@pytest.mark.real_clock  # the status line is redrawn on real time
def test_the_cli_status_line_says_when_files_wait_for_the_rate_limit(cli_env: FakePan123, tmp_path: Path) -> None:
    files = [str(p) for p in random_files(tmp_path, 2, "s{n}.png", 300)]  # the second waits a second for its turn
    terminal = Terminal()
    code, out, _ = run_cli("upload", "--jobs", "2", "--qps", "create=1", *files, stderr=terminal)
    assert code == 0 and len(out.splitlines()) == 2
    assert "waiting for the rate limit (create, " in terminal.getvalue()


def test_the_status_line_says_when_requests_wait_for_the_rate_limit(clock: FakeClock) -> None:
    unused = httpx.MockTransport(lambda request: httpx.Response(500))
    client = pan123_oss.Client(access_token="tok", clock=clock, transport=unused)
    assert rate_note(client) == ""
    client._governor.parked(POLL, clock.monotonic(), 2.4)
    assert rate_note(client) == "waiting for the rate limit (upload_async_result, 2 s)"
    assert client.rate_limit_waits() == pytest.approx({POLL: 2.4})
