"""The core's flows driven directly (no sockets, no clients), and the two drivers held to one behaviour."""

from __future__ import annotations

import io
import itertools
import json
import math
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Both, Kind

import pan123_oss
from pan123_oss._client_base import request_args
from pan123_oss._flows import _call, _effects, _upload
from pan123_oss._flows._replies import parse_async_result
from pan123_oss._source import Source
from pan123_oss.testing import FakeClock, FakePan123, Fault

PID = "h1Kiaaaaaaac/0IDD87IFbIf8T0UWrTNwNNGbGoeklBYFtnlDwBIhd9OfdMjm4abJfDPccrScqQIPdjFasHxGxV"
POLL = "/upload/v1/oss/file/upload_async_result"


def drive(steps: _effects.Steps[Any], answer: Callable[[_effects.Effect], object]) -> tuple[Any, list[_effects.Effect]]:
    """Run a flow as a driver would, with `answer` standing in for the network, the clock and the token.
    The rate governor's effects are answered here, as for a service with no limits: every turn at once."""
    effects: list[_effects.Effect] = []
    try:
        effect = next(steps)
        while True:
            if isinstance(effect, _effects.Pace):
                effect = steps.send(effect.after)
                continue
            if isinstance(effect, _effects.Report):
                effect = steps.send(None)
                continue
            effects.append(effect)
            effect = steps.send(answer(effect))
    except StopIteration as done:
        return done.value, effects


def envelope(data: Any, code: int = 0) -> _effects.Reply:
    body = {"code": code, "message": "ok" if code == 0 else "no", "data": data, "x-traceID": f"trace-{code}"}
    return _effects.Reply(200, json.dumps(body).encode())


def poll_op() -> _call.Operation[pan123_oss.AsyncResult]:
    request = _effects.request_for("uploadAsyncResult", _Body(PID))
    return _call.Operation(request, parse_async_result, preupload_id=PID, gated=True, accepted_codes=frozenset())


class _Body:
    def __init__(self, pid: str) -> None:
        self.pid = pid

    def to_dict(self) -> dict[str, Any]:
        return {"preuploadID": self.pid}


def test_wait_flow_polls_at_least_a_second_apart_and_returns_the_file_id() -> None:
    clock = FakeClock()
    ctx = _call.Context(clock=clock.monotonic, request_timeout=30.0, can_refresh=True)
    replies = iter([envelope({"completed": False, "fileID": ""})] * 3 + [envelope({"completed": True, "fileID": "f1"})])
    sent: list[float] = []

    def answer(effect: _effects.Effect) -> object:
        if isinstance(effect, _effects.GetToken):
            return "token-1"
        if isinstance(effect, _effects.Sleep):
            clock.advance(effect.seconds)
            return None
        assert isinstance(effect, _effects.Send)
        sent.append(clock.monotonic())
        return next(replies)

    file_id, effects = drive(_call.wait(ctx, poll_op(), timeout=60.0, on_poll=None), answer)
    assert file_id == "f1"
    assert [b - a for a, b in itertools.pairwise(sent)] == pytest.approx([1.0, 1.5, 2.25], rel=0.11)
    assert min(b - a for a, b in itertools.pairwise(sent)) >= 1.0
    send = next(e for e in effects if isinstance(e, _effects.Send))
    args = request_args(send)
    assert (args["method"], args["url"], args["json"]) == ("POST", POLL, {"preuploadID": PID})
    assert args["headers"] == {
        "Platform": "open_platform",
        "Content-Type": "application/json",
        "Authorization": "Bearer token-1",
    }


def test_wait_flow_gives_up_at_its_deadline_with_the_preupload_id() -> None:
    clock = FakeClock()
    ctx = _call.Context(clock=clock.monotonic, request_timeout=30.0, can_refresh=True)

    def answer(effect: _effects.Effect) -> object:
        if isinstance(effect, _effects.Sleep):
            clock.advance(effect.seconds)
            return None
        return "token-1" if isinstance(effect, _effects.GetToken) else envelope({"completed": False, "fileID": ""})

    start = clock.monotonic()
    with pytest.raises(pan123_oss.PollTimeoutError) as caught:
        drive(_call.wait(ctx, poll_op(), timeout=10.0, on_poll=None), answer)
    assert caught.value.preupload_id == PID
    assert caught.value.polls >= 5
    assert clock.monotonic() - start <= 10.0


def test_call_flow_refreshes_the_token_once_on_401_then_gives_up() -> None:
    clock = FakeClock()
    ctx = _call.Context(clock=clock.monotonic, request_timeout=30.0, can_refresh=True)
    asked: list[str | None] = []

    def answer(effect: _effects.Effect) -> object:
        if isinstance(effect, _effects.GetToken):
            asked.append(effect.stale)
            return f"token-{len(asked)}"
        return envelope(None, code=401)

    with pytest.raises(pan123_oss.AuthError) as caught:
        drive(_call.call(ctx, poll_op()), answer)
    assert asked == [None, "token-1"]  # the rejected token is named, so the store will not hand it back
    assert caught.value.trace_id == "trace-401"


def test_a_failed_slice_fails_the_upload_at_once_in_both_clients(kind: Kind, tmp_path: Path) -> None:
    # One slice fails for good while its siblings are stuck on a slow server: the failure must reach the
    # caller as it happens, from the blocking client as from the asyncio one, not when the siblings end.
    fake = FakePan123(slice_size=1000, pending_polls=0)
    fake.script("put", Fault.http(500), *[Fault.slow(3.0)] * 8)
    path = tmp_path / "photo.bin"
    path.write_bytes(os.urandom(6000))
    with fake.serve() as url:
        both = Both(
            kind, client_id=fake.client_id, client_secret=fake.client_secret, base_url=url,
            retry_policy=pan123_oss.RetryPolicy(attempts=1),
        )  # fmt: skip
        started = time.monotonic()
        with pytest.raises(pan123_oss.TransportError) as caught:
            both.call("upload_file", path, concurrency=3)
        elapsed = time.monotonic() - started
        both.close()
    assert caught.value.preupload_id
    assert caught.value.endpoint == "PUT presigned URL"
    assert elapsed < 2.0, f"{kind} client took {elapsed:.2f} s to report a failed slice"


@pytest.mark.parametrize("bad", [0, 1001, 2.5, True, "10"])
def test_max_connections_is_checked_up_front(bad: object) -> None:
    with pytest.raises(ValueError, match="max_connections"):
        pan123_oss.AsyncClient(access_token="tok", max_connections=bad)  # type: ignore[arg-type]


@pytest.mark.slow
def test_max_connections_bounds_requests_in_flight(served: str, real_fake: FakePan123) -> None:
    import asyncio

    pids = [real_fake.add_upload(pending_polls=0, file_id=f"f-{n}") for n in range(12)]
    real_fake.script("upload_async_result", *[Fault.slow(0.2)] * 12)

    async def main() -> list[str]:
        async with pan123_oss.AsyncClient(access_token=real_fake.issue_token(), base_url=served,
                                          max_connections=3) as client:  # fmt: skip
            return list(await asyncio.gather(*(client.wait_for_upload(pid) for pid in pids)))

    started = time.monotonic()
    assert asyncio.run(main()) == [f"f-{n}" for n in range(12)]
    assert time.monotonic() - started >= 0.8  # 12 slow replies, 3 at a time: at least 4 rounds of 0.2 s


def lane_steps(url_seconds: float) -> list[str]:
    """The effects one upload lane asks for over three slices, when each slice URL takes `url_seconds`."""
    clock = FakeClock()
    ctx = _call.Context(clock=clock.monotonic, request_timeout=30.0, can_refresh=True)
    job = _upload.Job(
        ctx, Source(io.BytesIO(bytes(3000))), "a.bin", math.inf, 1, _upload.Progress(3000, None),
        make_poll=lambda pid: poll_op(), slice_sizes={}, unfinished={},
    )  # fmt: skip
    steps: list[str] = []

    def answer(effect: _effects.Effect) -> object:
        if isinstance(effect, _effects.GetToken):
            return "token-1"
        if isinstance(effect, _effects.Send):
            clock.advance(url_seconds)
            steps.append("url")
            return envelope({"presignedURL": "https://slices.example/put"})
        if isinstance(effect, _effects.Put):
            steps.append("put")
            return _effects.Reply(200, b"")
        assert isinstance(effect, _effects.Parallel)
        steps.append(f"together({len(effect.flows)})")
        return [drive(flow, answer)[0] for flow in effect.flows]

    drive(_upload._send_slices(job, PID, _upload.plan(3000, 1000)), answer)
    return steps


def test_a_lane_asks_for_the_next_url_during_a_put_only_when_urls_take_a_round_trip_worth_it() -> None:
    lanes = "together(1)"
    assert lane_steps(0.001) == [lanes, "url", "put", "url", "put", "url", "put"]
    assert lane_steps(0.08) == [lanes, "url", "together(2)", "put", "url", "together(2)", "put", "url", "put"]
