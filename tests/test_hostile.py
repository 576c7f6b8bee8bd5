"""Hostile servers, odd settings and interrupts: nothing hangs, nothing leaks, nothing is lost.

Each test here failed before the fix it guards: it names what a user saw.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import FOREGROUND, Both, Kind, MakeClient, stalled_fake

import pan123_oss
from pan123_oss._flows import _effects
from pan123_oss.testing import FakeClock, FakePan123, Fault

ENVELOPE_OK = {"code": 0, "message": "ok", "data": {"completed": True, "fileID": "f-1"}, "x-traceID": "t-1"}


class PrefixTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Serves the fake under a path prefix, as a reverse proxy in front of the service would."""

    def __init__(self, fake: FakePan123, prefix: str) -> None:
        self._inner = fake.transport()
        self._prefix = prefix

    def _strip(self, request: httpx.Request) -> httpx.Request:
        assert request.url.path.startswith(self._prefix), request.url
        url = request.url.copy_with(path=request.url.path.removeprefix(self._prefix))
        return httpx.Request(request.method, url, headers=request.headers, content=request.read())

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._inner.handle_request(self._strip(request))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._inner.handle_async_request(self._strip(request))


# Hangs.


def test_a_base_url_with_a_path_works_with_client_credentials(make_client: MakeClient, fake: FakePan123) -> None:
    # It deadlocked: the token fetch asked the escape hatch's auth for a token, under the token lock.
    pid = fake.add_upload(pending_polls=0, file_id="f-prefixed")
    client = make_client(base_url="http://proxy.test/pan123/", transport=PrefixTransport(fake, "/pan123"))
    assert client.wait_for_upload(pid, timeout=5) == "f-prefixed"
    assert fake.tokens_issued == 1


@pytest.mark.parametrize("url", ["http://host/api?x=1", "http://host/#frag"])
def test_a_base_url_with_a_query_is_refused_before_any_request(url: str) -> None:
    with pytest.raises(ValueError, match="query or fragment"):
        pan123_oss.Client(access_token="tok", base_url=url)


def test_a_trickling_reply_cannot_outlast_the_deadline(kind: Kind, real_fake: FakePan123, served: str) -> None:
    # httpx's read timeout restarts with every byte: a reply at one byte per 0.2 s never timed out.
    pid = real_fake.add_upload(pending_polls=10**6)
    real_fake.script("upload_async_result", *[Fault.trickle(0.2)] * 10)
    # Each byte comes well within the 0.5 s read timeout, so only a whole-reply deadline can end it.
    both = Both(kind, access_token=real_fake.issue_token(), base_url=served, timeout=0.5)
    started = time.monotonic()
    try:
        with pytest.raises(pan123_oss.PollTimeoutError):
            both.wait_for_upload(pid, timeout=1.5)
    finally:
        both.close()
    assert time.monotonic() - started < 3.5


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_a_token_lock_held_by_another_process_counts_against_the_deadline(kind: Kind, tmp_path: Path) -> None:
    import fcntl

    fake = FakePan123()
    store = pan123_oss.FileTokenStore(tmp_path / "tokens.json")
    fd = os.open(tmp_path / "tokens.json.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)  # a separate open file description blocks like another process
    both = Both(kind, client_id=fake.client_id, client_secret=fake.client_secret, transport=fake.transport(),
                token_store=store)  # fmt: skip
    started = time.monotonic()
    try:
        with pytest.raises(pan123_oss.PollTimeoutError):
            both.wait_for_upload(fake.add_upload(), timeout=0.6)
    finally:
        both.close()
        os.close(fd)
    assert time.monotonic() - started < 2.1
    assert fake.tokens_issued == 0


CTRL_C_CHILD = textwrap.dedent(
    """
    import sys, pan123_oss
    client = pan123_oss.Client(access_token=sys.argv[2], base_url=sys.argv[1])
    print("started", flush=True)
    client.upload_file(sys.argv[3], concurrency=3)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="signals")
@pytest.mark.skipif("MUTANT_UNDER_TEST" in os.environ, reason="wall-clock bounds mean nothing under mutmut's tracing")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupt_stops_an_upload_with_stalled_slices_at_once(sig: signal.Signals, tmp_path: Path) -> None:
    # Ctrl-C was ignored for minutes: the pool waited for every stalled slice to finish its retries.
    path = tmp_path / "big.bin"
    path.write_bytes(os.urandom(10_000))
    with stalled_fake() as stalled:
        url, token = stalled
        command = [*FOREGROUND, sys.executable, "-c", CTRL_C_CHILD, url, token, str(path)]
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as child:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == b"started"
            stalled.wait()  # the slices are on the wire, stalled
            sent = time.monotonic()
            child.send_signal(sig)
            child.wait(timeout=10)
            assert time.monotonic() - sent < 2.0
            assert child.returncode != 0


# Memory.


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_a_huge_reply_body_is_cut_off_with_a_typed_error(make_client: MakeClient, encoding: str) -> None:
    # A 512 MiB body peaked at 3 GiB of RSS; a 510 KB gzip bomb at 2.6 GiB.
    huge = b'{"code": 0, "message": "' + b"x" * (8 << 20) + b'"}'
    body = gzip.compress(huge) if encoding == "gzip" else huge

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Type": "application/json", "Content-Encoding": encoding}
        return httpx.Response(200, content=body, headers=headers)

    client = make_client(access_token="tok", transport=httpx.MockTransport(handler),
                         retry_policy=pan123_oss.RetryPolicy(attempts=1))  # fmt: skip
    with pytest.raises(pan123_oss.TransportError, match="reply body over"):
        client.upload_async_result("pid-huge")


# Secrets.


def test_a_token_with_a_newline_from_the_server_is_refused_and_never_echoed(
    make_client: MakeClient, fake: FakePan123
) -> None:
    evil = "abc\r\nX-Injected: 1"
    body = json.dumps(
        {"code": 0, "message": "ok", "data": {"accessToken": evil, "expiredAt": "2099-01-01T00:00:00+08:00"},
         "x-traceID": "t"}
    ).encode()  # fmt: skip
    fake.script("access_token", Fault.malformed(body))
    with pytest.raises(pan123_oss.MalformedResponseError) as caught:
        make_client().upload_async_result(fake.add_upload())
    assert "Injected" not in str(caught.value) and "abc" not in str(caught.value)


def test_a_token_with_a_newline_from_the_environment_is_refused_and_never_echoed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PAN123_ACCESS_TOKEN", "secret-part\nother-part")
    monkeypatch.delenv("PAN123_CLIENT_ID", raising=False)
    monkeypatch.delenv("PAN123_CLIENT_SECRET", raising=False)
    with pytest.raises(ValueError, match="HTTP header") as caught:
        pan123_oss.Client()
    assert "secret-part" not in str(caught.value)


def test_a_damaged_token_in_the_file_store_is_not_sent(tmp_path: Path) -> None:
    fake = FakePan123()
    path = tmp_path / "tokens.json"
    key = f"{fake.client_id} http://fake.test"
    path.write_text(json.dumps({key: {"accessToken": "bad\r\ntoken", "expiresAt": time.time() + 86400}}))
    path.chmod(0o600)
    options: dict[str, Any] = {"base_url": "http://fake.test", "token_store": pan123_oss.FileTokenStore(path)}
    with pan123_oss.Client(
        client_id=fake.client_id, client_secret=fake.client_secret, transport=fake.transport(), **options
    ) as client:
        assert client.upload_async_result(fake.add_upload(pending_polls=0)).completed
    assert fake.tokens_issued == 1
    assert all("\r" not in r.headers.get("authorization", "") for r in fake.requests)


def test_cached_tokens_are_kept_per_service(tmp_path: Path) -> None:
    # The CLI's cache was keyed by client ID alone: a token from one base URL was sent to another host.
    first, second = FakePan123(), FakePan123()
    store = pan123_oss.FileTokenStore(tmp_path / "tokens.json")
    for base, fake in (("http://one.test", first), ("http://two.test", second)):
        with pan123_oss.Client(client_id=fake.client_id, client_secret=fake.client_secret, base_url=base,
                               transport=fake.transport(), token_store=store) as client:  # fmt: skip
            client.upload_async_result(fake.add_upload(pending_polls=0))
    assert (first.tokens_issued, second.tokens_issued) == (1, 1)
    assert not second.violations


def test_no_secret_in_the_repr_of_any_effect() -> None:
    with pan123_oss.Client(client_id="cid", client_secret="the-client-secret") as client:
        operation = client._token_op()
        send = _effects.Send(operation.request, token="the-access-token", timeout=5.0)
        get = _effects.GetToken(stale="the-stale-token")
        for value in (operation, send, get, operation.request):
            assert "the-client-secret" not in repr(value)
            assert "the-access-token" not in repr(value) and "the-stale-token" not in repr(value)


# Correctness.


def test_a_token_shorter_lived_than_the_margin_is_not_refetched_before_every_call(
    make_client: MakeClient, clock: FakeClock
) -> None:
    fake = FakePan123(clock=clock, token_lifetime=100.0)  # less than the 300 s refresh margin
    client = make_client(client_id=fake.client_id, client_secret=fake.client_secret, transport=fake.transport())
    for _ in range(5):
        client.upload_async_result(fake.add_upload(pending_polls=0))
    assert fake.tokens_issued == 1
    clock.advance(95.0)  # within the last seconds of its life it is replaced
    client.upload_async_result(fake.add_upload(pending_polls=0))
    assert fake.tokens_issued == 2


def test_retry_after_on_429_is_honoured(make_client: MakeClient, clock: FakeClock) -> None:
    seen: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(clock.monotonic())
        if len(seen) == 1:
            rate = {"code": 429, "message": "请求太频繁", "data": None, "x-traceID": "t-429"}
            return httpx.Response(200, json=rate, headers={"Retry-After": "10"})
        return httpx.Response(200, json=ENVELOPE_OK)

    client = make_client(access_token="tok", transport=httpx.MockTransport(handler))
    assert client.upload_async_result("pid-429").file_id == "f-1"
    assert seen[1] - seen[0] >= 10.0


def test_a_retry_after_beyond_the_deadline_ends_the_wait_at_once(make_client: MakeClient, clock: FakeClock) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        rate = {"code": 429, "message": "请求太频繁", "data": None, "x-traceID": "t-429"}
        return httpx.Response(200, json=rate, headers={"Retry-After": "60"})

    client = make_client(access_token="tok", transport=httpx.MockTransport(handler))
    start = clock.monotonic()
    with pytest.raises(pan123_oss.PollTimeoutError):
        client.wait_for_upload("pid-429", timeout=20)
    assert clock.monotonic() - start < 1.0  # no point sleeping 20 s for a poll the server would refuse


@pytest.mark.parametrize("call", ["upload_async_result", "wait_for_upload"])
def test_a_retry_after_longer_than_any_call_waits_is_a_rate_limit_error_at_once(
    make_client: MakeClient, clock: FakeClock, call: str
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        rate = {"code": 429, "message": "请求太频繁", "data": None, "x-traceID": "t-429"}
        return httpx.Response(200, json=rate, headers={"Retry-After": "600"})

    client = make_client(access_token="tok", transport=httpx.MockTransport(handler))
    start = clock.monotonic()
    with pytest.raises(pan123_oss.RateLimitError) as caught:
        client.call(call, "pid-429", **({"timeout": 3600} if call == "wait_for_upload" else {}))
    assert clock.monotonic() - start < 1.0
    assert (caught.value.code, caught.value.trace_id, caught.value.preupload_id) == (429, "t-429", "pid-429")


# Clean errors instead of tracebacks.


def test_an_invalid_presigned_url_is_a_transport_error_carrying_the_preupload_id(
    make_client: MakeClient, tmp_path: Path
) -> None:
    fake = FakePan123()  # no spec check: the reply below is the service's mistake, on purpose
    bad = {"code": 0, "message": "ok", "data": {"presignedURL": "https://bad host/slice"}, "x-traceID": "t"}
    fake.script("get_upload_url", *[Fault.malformed(json.dumps(bad).encode())] * 10)
    path = tmp_path / "a.bin"
    path.write_bytes(b"x" * 100)
    client = make_client(
        client_id=fake.client_id, client_secret=fake.client_secret, transport=fake.transport(),
        retry_policy=pan123_oss.RetryPolicy(attempts=2, initial=0.1, maximum=0.1),
    )  # fmt: skip
    with pytest.raises(pan123_oss.Pan123Error) as caught:
        client.call("upload_file", path)
    assert caught.value.preupload_id


@pytest.mark.parametrize("seconds", [1e10, 1e300])
def test_an_absurd_timeout_is_refused_up_front(seconds: float) -> None:
    with pytest.raises(ValueError, match="at most"):
        pan123_oss.Client(access_token="tok", timeout=seconds)


def test_a_socks_proxy_without_its_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    if importlib.util.find_spec("socksio") is not None:  # pragma: no cover - where the extra is installed
        pytest.skip("socksio is installed here")
    monkeypatch.setenv("ALL_PROXY", "socks5://127.0.0.1:1080")
    with pytest.raises(ValueError, match=r"httpx\[socks\]"):
        pan123_oss.Client(access_token="tok")


def test_an_empty_base_url_variable_is_an_error_not_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAN123_BASE_URL", "")
    with pytest.raises(ValueError, match="set but empty"):
        pan123_oss.Client(access_token="tok")


@pytest.mark.skipif(sys.platform == "win32", reason="mkfifo")
def test_a_fifo_or_device_is_not_reported_as_missing(make_client: MakeClient, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        with pytest.raises(ValueError, match="not a regular file"):
            make_client().call("upload_file", path)


@pytest.mark.parametrize("name", [".", "..", "line\nbreak.jpg", "tab\t.jpg", "\udcff.jpg"])
def test_names_no_host_can_store_are_refused_before_any_request(
    make_client: MakeClient, fake: FakePan123, tmp_path: Path, name: str
) -> None:
    path = tmp_path / "ok.bin"
    path.write_bytes(b"data")
    with pytest.raises(ValueError, match="filename"):
        make_client().call("upload_file", path, filename=name)
    assert fake.requests == []


def test_a_file_that_grows_during_the_upload_fails_with_its_preupload_id(
    make_client: MakeClient, tmp_path: Path
) -> None:
    # It was silently stored cut to its starting size.
    fake = FakePan123(slice_size=1000)
    path = tmp_path / "growing.log"
    path.write_bytes(os.urandom(5000))

    def grow(sent: int, total: int) -> None:
        with path.open("ab") as fh:
            fh.write(b"more")

    client = make_client(client_id=fake.client_id, client_secret=fake.client_secret, transport=fake.transport())
    with pytest.raises(pan123_oss.Pan123Error, match="changed during the upload") as caught:
        client.call("upload_file", path, on_progress=grow, concurrency=1)
    assert caught.value.preupload_id


def test_server_text_in_errors_is_made_safe_for_a_terminal() -> None:
    err = pan123_oss.ApiError("\x1b[31mred\r\nnext" + "y" * (16 << 20), code=1, trace_id="t\x1b]0;x\x07")
    text = str(err)
    assert "\x1b" not in text and "\r" not in text and "\x07" not in text
    assert len(text) < 2000


def test_repr_of_an_argument_set_carries_no_secret() -> None:
    options: dict[str, Any] = {"client_id": "cid", "client_secret": "sec-ret-value"}
    with pan123_oss.Client(**options) as client:
        assert "sec-ret-value" not in repr(client)
