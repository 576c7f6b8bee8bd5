"""Construction, secrets, logging, cancellation and the pure decision code, without sockets where possible."""

from __future__ import annotations

import asyncio
import logging
import pickle
import random
import time

import pytest
from conftest import MakeClient

import pan123_oss
from pan123_oss._flows._replies import Envelope, Trouble, read_reply
from pan123_oss._policy import LAST_POLL_SLACK, PollGate, fit_before_deadline
from pan123_oss.testing import FakeClock, FakePan123, Fault

SECRET = "s3cr3t-client-secret-value"


@pytest.fixture(autouse=True)
def _no_pan123_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PAN123_ACCESS_TOKEN", "PAN123_CLIENT_ID", "PAN123_CLIENT_SECRET", "PAN123_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


def test_no_credentials_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"no credentials.*PAN123_ACCESS_TOKEN"):
        pan123_oss.Client()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"client_id": "id"}, "together"),
        ({"client_secret": "x"}, "together"),
        ({"access_token": "t", "client_id": "id", "client_secret": "x"}, "not both"),
        ({"access_token": "  "}, "access_token"),
        ({"access_token": "t", "base_url": "ftp://example.invalid"}, "base_url"),
        ({"access_token": "t", "base_url": "not a url"}, "base_url"),
        ({"access_token": "t", "timeout": 0}, "timeout"),
        ({"access_token": "t", "timeout": float("inf")}, "timeout"),
        ({"access_token": "t", "refresh_margin": -5}, "refresh_margin"),
    ],
)
def test_bad_settings_fail_at_construction(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        pan123_oss.Client(**kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=match):
        pan123_oss.AsyncClient(**kwargs)  # type: ignore[arg-type]


def test_environment_supplies_what_arguments_leave_out(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakePan123()
    monkeypatch.setenv("PAN123_CLIENT_ID", fake.client_id)
    monkeypatch.setenv("PAN123_CLIENT_SECRET", fake.client_secret)
    monkeypatch.setenv("PAN123_BASE_URL", "http://127.0.0.1:9/")
    with pan123_oss.Client(transport=fake.transport()) as client:
        assert client.base_url == "http://127.0.0.1:9"
        assert client.access_token().startswith("fake.")
    assert fake.requests[0].body == {"clientID": fake.client_id, "clientSecret": fake.client_secret}


def test_environment_token_is_static(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAN123_ACCESS_TOKEN", "env-token")
    with pan123_oss.Client() as client:
        assert client.access_token() == "env-token"
        assert client.base_url == "https://open-api.123pan.com"


def test_explicit_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAN123_CLIENT_ID", "env-id")
    monkeypatch.setenv("PAN123_CLIENT_SECRET", "env-secret")
    with pan123_oss.Client("arg-token") as client:
        assert client.access_token() == "arg-token"


def test_secrets_never_show_in_repr_logs_or_errors(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakePan123(client_secret=SECRET)
    pid = fake.add_upload(pending_polls=1)
    fake.script("upload_async_result", Fault.expire_tokens(), Fault.code_reply(5066))
    caplog.set_level(logging.DEBUG)
    client = pan123_oss.Client(
        client_id=fake.client_id, client_secret=SECRET, transport=fake.transport(), sleep=lambda s: None
    )
    with pytest.raises(pan123_oss.ApiError) as caught:
        client.wait_for_upload(pid)
    tokens = {r.headers["authorization"].split()[1] for r in fake.requests if "authorization" in r.headers}
    assert len(tokens) == 2
    exposed = [repr(client), str(caught.value), repr(caught.value), caplog.text, repr(client.raw)]
    exposed += [r.getMessage() for r in caplog.records]
    for text in exposed:
        assert SECRET not in text
        for token in tokens:
            assert token not in text
    ours = [r for r in caplog.records if r.name == "pan123_oss"]
    assert len(ours) == len(fake.requests)  # one debug line per request
    assert all("trace" in r.getMessage() for r in ours)
    assert repr(client) == "Client(base_url='https://open-api.123pan.com', client_id='fake-client-id')"


def test_static_token_is_hidden_in_repr() -> None:
    with pan123_oss.Client("tok-abcdef") as client:
        assert "tok-abcdef" not in repr(client)
        assert "static token" in repr(client)


def test_errors_survive_pickling() -> None:
    err = pan123_oss.PollTimeoutError("late", preupload_id="p", polls=3, elapsed=2.0, last_trace_id="t")
    back = pickle.loads(pickle.dumps(err))  # noqa: S301 - our own object
    assert isinstance(back, pan123_oss.PollTimeoutError)
    assert (back.preupload_id, back.polls, back.elapsed, back.last_trace_id) == ("p", 3, 2.0, "t")
    assert str(back) == str(err)
    api = pickle.loads(pickle.dumps(pan123_oss.ApiError("no", code=5066, trace_id="t")))  # noqa: S301
    assert (api.code, api.trace_id) == (5066, "t")


def test_error_hierarchy() -> None:
    assert issubclass(pan123_oss.AuthError, pan123_oss.ApiError)
    assert issubclass(pan123_oss.RateLimitError, pan123_oss.ApiError)
    for base in (pan123_oss.ApiError, pan123_oss.TransportError, pan123_oss.MalformedResponseError):
        assert issubclass(base, pan123_oss.Pan123Error)
    assert issubclass(pan123_oss.PollTimeoutError, TimeoutError)
    assert str(pan123_oss.ApiError("x")) == "x (no trace ID)."


def test_cancelled_wait_stops_promptly_and_sends_nothing_more(fake: FakePan123, clock: FakeClock) -> None:
    # On the fake clock, with a sleep that holds the second wait open until the task is cancelled: the
    # wait must end at the cancel, with no further wait, poll or passing of time.
    pid = fake.add_upload(pending_polls=10**6)

    async def main() -> None:
        held = asyncio.Event()

        async def sleep(seconds: float) -> None:
            if len(clock.sleeps) >= 2:
                raise AssertionError("waited again after being cancelled")
            clock.sleep(seconds)
            if len(clock.sleeps) == 2:
                held.set()
                await asyncio.get_running_loop().create_future()  # inside the second wait, until cancelled
            await asyncio.sleep(0)

        async with pan123_oss.AsyncClient(
            client_id=fake.client_id, client_secret=fake.client_secret, transport=fake.transport(),
            clock=clock, sleep=sleep,
        ) as client:  # fmt: skip
            task = asyncio.create_task(client.wait_for_upload(pid))
            await held.wait()
            polls, cancelled_at = len(fake.polls(pid)), clock.monotonic()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            for _ in range(20):  # anything left scheduled would run now
                await asyncio.sleep(0)
            assert len(fake.polls(pid)) == polls == 2
            assert clock.monotonic() == cancelled_at and len(clock.sleeps) == 2

    asyncio.run(main())


def test_cancel_during_a_slow_request(real_fake: FakePan123, served: str) -> None:
    pid = real_fake.add_upload()
    real_fake.script("upload_async_result", Fault.slow(3))

    async def main() -> float:
        async with pan123_oss.AsyncClient(real_fake.issue_token(), base_url=served) as client:
            task = asyncio.create_task(client.wait_for_upload(pid))
            await asyncio.sleep(0.3)
            start = time.monotonic()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            return time.monotonic() - start

    assert asyncio.run(main()) < 0.2


def test_client_closes_its_connections(make_client: MakeClient) -> None:
    both = make_client()
    both.close()
    if isinstance(both.client, pan123_oss.Client):
        assert both.client.raw.get_httpx_client().is_closed
    else:
        assert both.client.raw.get_async_httpx_client().is_closed


# The pure decision code.


def test_gate_spaces_one_upload_but_not_others() -> None:
    gate = PollGate(floor=1.0)
    assert gate.reserve("a", 10.0) == 0.0
    assert gate.reserve("b", 10.0) == 0.0
    assert gate.reserve("a", 10.2) == pytest.approx(0.8)
    gate.done("a", 11.5)  # the reply came late: the floor counts from it
    assert gate.reserve("a", 11.6) == pytest.approx(0.9)


def test_gate_forgets_old_uploads() -> None:
    gate = PollGate(floor=1.0, max_entries=10)
    for n in range(11):
        gate.reserve(str(n), 0.0)
    gate.reserve("late", 100.0)
    assert len(gate._next) == 1


@pytest.mark.parametrize(
    ("wait", "now", "deadline", "expected"),
    [(2.0, 0.0, 10.0, 2.0), (5.0, 0.0, 3.0, 3.0 - LAST_POLL_SLACK), (5.0, 0.0, 1.1, None), (1.0, 9.0, 10.0, None)],
)
def test_fit_before_deadline(wait: float, now: float, deadline: float, expected: float | None) -> None:
    assert fit_before_deadline(wait, now=now, deadline=deadline) == expected


def test_retry_delays_grow_and_stop() -> None:
    policy = pan123_oss.RetryPolicy(attempts=4, initial=1.0, multiplier=2.0, maximum=3.0, jitter=0.0)
    rng = random.Random(0)
    assert [policy.delay(n, rng) for n in range(1, 5)] == [1.0, 2.0, 3.0, None]


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (200, b'{"code":0,"message":"ok","data":{},"x-traceID":"t"}', Envelope(0, "ok", {}, "t", 200)),
        (
            200,
            b'{"code":429,"message":"slow down","data":null,"x-traceID":"t"}',
            Envelope(429, "slow down", None, "t", 200),
        ),
        (401, b"Unauthorized", Envelope(401, "HTTP 401 with a non-JSON body", None, "", 401)),
        (200, b"<html>", Trouble("HTTP 200 with a body that is not JSON", retryable=True, http_status=200)),
        (502, b'{"code":1,"x-traceID":"t"}', Trouble("server error HTTP 502", True, 502, 1, "t")),
        (200, b"\xff\xfe", Trouble("HTTP 200 with a body that is not JSON", retryable=True, http_status=200)),
        (
            200,
            b'{"code":5,"message":"x","data":{"a":1},"x-traceID":"t"}',
            Trouble("failure reply (code 5) with non-null data", False, 200, 5, "t"),
        ),
    ],
)
def test_read_reply(status: int, body: bytes, expected: Envelope | Trouble) -> None:
    assert read_reply(status, body) == expected
