"""How long what the Redis stores write lives there, and that a failing Redis is asked once, not again behind the
caller's back: read back from a real redis-server (started by test_redis_store's fixture)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from test_redis_store import redis_url  # noqa: F401 - the fixture

import pan123_oss
from pan123_oss import RatePolicy

redis_py = pytest.importorskip("redis", reason="the redis package is not installed (pip install 'pan123-oss[redis]')")


def test_a_saved_token_expires_in_redis_with_itself(redis_url: str) -> None:  # noqa: F811
    prefix = f"num-{time.monotonic_ns()}:"
    store = pan123_oss.RedisTokenStore(redis_url, prefix=prefix)
    store.save("cid", pan123_oss.Token("tok", time.time() + 1000.0))
    left = redis_py.Redis.from_url(redis_url).pttl(f"{prefix}token:cid")
    assert 990_000 < left <= 1_000_000  # milliseconds: a second more would be a token kept past its expiry
    assert store.load("cid") == pan123_oss.Token("tok", pytest.approx(time.time() + 1000.0, abs=2.0))  # type: ignore[arg-type]
    assert repr(store) == f"RedisTokenStore(prefix={prefix!r})"


def test_an_expired_token_is_not_saved(redis_url: str) -> None:  # noqa: F811
    prefix = f"num-{time.monotonic_ns()}:"
    pan123_oss.RedisTokenStore(redis_url, prefix=prefix).save("cid", pan123_oss.Token("tok", time.time() - 1.0))
    assert redis_py.Redis.from_url(redis_url).exists(f"{prefix}token:cid") == 0


def test_the_fetch_lock_expires_on_its_own_after_its_ttl(redis_url: str) -> None:  # noqa: F811
    prefix = f"num-{time.monotonic_ns()}:"
    store = pan123_oss.RedisTokenStore(redis_url, prefix=prefix, lock_ttl=7.0)
    with store.lock("cid", timeout=5.0):
        left = redis_py.Redis.from_url(redis_url).pttl(f"{prefix}lock:cid")
    assert 6000 < left <= 7000


def test_the_learned_rate_outlives_its_last_request_by_the_ttl(redis_url: str) -> None:  # noqa: F811
    prefix = f"num-{time.monotonic_ns()}:"
    rates = pan123_oss.RedisRates(redis_url, prefix=prefix, ttl=1000.0)
    assert rates.reserve("/ep", 5.0, True, RatePolicy(), max_wait=60.0) == 0.0
    key = f"{prefix}rate:/ep"
    assert 990_000 < redis_py.Redis.from_url(redis_url).pttl(key) <= 1_000_000
    rates.throttled("/ep", 5.0, RatePolicy(), age=0.0, retry_after=None, measured=0.0)
    assert 990_000 < redis_py.Redis.from_url(redis_url).pttl(key) <= 1_000_000


@pytest.fixture
def hang_up() -> Iterator[tuple[str, list[int]]]:
    """A loopback port that takes each connection and closes it at once: (its redis URL, connections so far)."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    accepted = [0]
    running = True

    def serve() -> None:
        while running:
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            accepted[0] += 1
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0", accepted
    finally:
        running = False
        thread.join(2)
        server.close()


def test_a_failing_redis_is_a_transport_error_and_is_not_asked_again(hang_up: tuple[str, list[int]]) -> None:
    url, accepted = hang_up
    store = pan123_oss.RedisTokenStore(url, io_timeout=1.0)
    with pytest.raises(pan123_oss.TransportError, match=r"^the token store in Redis failed reading the token: "):
        store.load("cid")
    assert accepted[0] == 1
