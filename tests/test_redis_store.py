"""The Redis token store against a real redis-server the tests start themselves."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import pan123_oss
from pan123_oss.testing import FakePan123

redis_py = pytest.importorskip("redis", reason="the redis package is not installed (pip install 'pan123-oss[redis]')")


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server; .ci/run installs it)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    workdir = tmp_path_factory.mktemp("redis")
    command = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
               "--dir", str(workdir)]  # fmt: skip
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as process:
        url = f"redis://127.0.0.1:{port}/0"
        client = redis_py.Redis.from_url(url)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis_py.ConnectionError:
                time.sleep(0.05)
        else:
            process.kill()
            pytest.fail("redis-server did not start")
        client.close()
        try:
            yield url
        finally:
            process.terminate()


WORKER = textwrap.dedent(
    """
    import sys, pan123_oss
    base_url, client_id, secret, redis_url, prefix = sys.argv[1:6]
    store = pan123_oss.RedisTokenStore(redis_url, prefix=prefix)
    with pan123_oss.Client(client_id=client_id, client_secret=secret, base_url=base_url, token_store=store) as client:
        print("ready", flush=True)
        sys.stdin.readline()  # every worker asks at once, however slowly each one started
        print(client.access_token())
    """
)


@pytest.mark.slow
def test_four_workers_on_two_machines_asking_at_once_fetch_one_token(redis_url: str) -> None:
    # Two "machines": two groups of processes, each group with its own Redis client connection settings
    # (a different client name), all sharing one server. 123pan allows 3 live tokens per client ID.
    fake = FakePan123()
    prefix = f"test-{time.monotonic_ns()}:"
    with fake.serve() as url, contextlib.ExitStack() as stack:
        commands = [
            [sys.executable, "-c", WORKER, url, fake.client_id, fake.client_secret,
             f"{redis_url}?client_name=machine-{n % 2}", prefix]
            for n in range(4)
        ]  # fmt: skip
        workers = [
            stack.enter_context(subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
            for command in commands
        ]
        for worker in workers:  # these run first on exit: no worker outlives a failure
            stack.callback(worker.kill)
        for worker in workers:
            assert worker.stdout is not None and worker.stdout.readline() == "ready\n"
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        tokens = set()
        for worker in workers:
            out, _ = worker.communicate(timeout=60)
            assert worker.returncode == 0
            tokens.add(out.strip())
    assert fake.tokens_issued == 1
    assert len(tokens) == 1


def test_a_lock_left_by_a_dead_worker_expires(redis_url: str) -> None:
    store = pan123_oss.RedisTokenStore(redis_url, prefix=f"dead-{time.monotonic_ns()}:", lock_ttl=0.5)
    held = store.lock("cid")
    held.__enter__()  # a worker that took the lock and died without releasing it
    started = time.monotonic()
    with store.lock("cid", timeout=5.0):
        pass
    assert time.monotonic() - started < 2.0
    with pytest.raises(TimeoutError), store.lock("cid", timeout=0.2), store.lock("cid", timeout=0.2):
        pass


def test_a_token_is_shared_and_a_damaged_one_ignored(redis_url: str, tmp_path: Path) -> None:
    prefix = f"share-{time.monotonic_ns()}:"
    store = pan123_oss.RedisTokenStore(redis_url, prefix=prefix)
    token = pan123_oss.Token(access_token="tok-shared", expires_at=time.time() + 3600)
    store.save("cid", token)
    assert pan123_oss.RedisTokenStore(redis_url, prefix=prefix).load("cid") == token
    redis_py.Redis.from_url(redis_url).set(f"{prefix}token:cid", '{"accessToken": "a\\r\\nb", "expiresAt": 9e9}')
    assert store.load("cid") is None
    assert "tok-shared" not in repr(store)


# Redis trouble, in the client's terms and within the caller's time.


def _client(fake: FakePan123, store: pan123_oss.RedisTokenStore) -> pan123_oss.Client:
    return pan123_oss.Client(
        client_id=fake.client_id, client_secret=fake.client_secret, transport=fake.transport(), token_store=store
    )


def test_a_wrong_typed_token_key_is_replaced(redis_url: str) -> None:
    # WRONGTYPE escaped raw from every call, for good: the key stayed a list.
    prefix = f"wrongtype-{time.monotonic_ns()}:"
    fake = FakePan123()
    raw = redis_py.Redis.from_url(redis_url)
    raw.rpush(f"{prefix}token:{fake.client_id} {pan123_oss.Client(access_token='x').base_url}", "not", "a", "token")
    with _client(fake, pan123_oss.RedisTokenStore(redis_url, prefix=prefix)) as client:
        assert client.upload_async_result(fake.add_upload(pending_polls=0)).completed
    assert fake.tokens_issued == 1
    assert [key.decode() for key in raw.keys(f"{prefix}token:*")]
    assert all(raw.type(key) == b"string" for key in raw.keys(f"{prefix}token:*"))


def test_a_wrong_typed_or_endless_lock_is_cleared_not_waited_for(redis_url: str) -> None:
    # A lock key left as another type (or without expiry) was waited for forever.
    prefix = f"stuck-{time.monotonic_ns()}:"
    raw = redis_py.Redis.from_url(redis_url)
    store = pan123_oss.RedisTokenStore(redis_url, prefix=prefix)

    def take(entered: threading.Event) -> None:
        with store.lock("cid"):  # no timeout: this is the call that hung
            entered.set()

    key = f"{prefix}lock:cid"
    for plant in ("hash", "string without expiry"):
        if plant == "hash":
            raw.hset(key, "owner", "nobody")
        else:
            raw.set(key, "forever")
        entered = threading.Event()
        threading.Thread(target=take, args=(entered,), daemon=True).start()
        assert entered.wait(10), plant


def test_redis_down_is_a_transport_error_not_a_redis_one() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    fake = FakePan123()
    store = pan123_oss.RedisTokenStore(f"redis://127.0.0.1:{port}/0")
    with _client(fake, store) as client, pytest.raises(pan123_oss.TransportError, match="token store in Redis") as e:
        client.access_token()
    assert "failed taking the lock: ConnectionError: " in str(e.value)  # what failed, and what redis-py said
    assert fake.tokens_issued == 0


@pytest.mark.slow
def test_a_silent_redis_ends_within_the_callers_deadline() -> None:
    # A Redis that accepts and never answers, behind a 30 s socket timeout, for a 1 s wait.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        port = silent.getsockname()[1]
        fake = FakePan123()
        store = pan123_oss.RedisTokenStore(f"redis://127.0.0.1:{port}/0", io_timeout=30.0)
        started = time.monotonic()
        with _client(fake, store) as client, pytest.raises(pan123_oss.Pan123Error):
            client.wait_for_upload(fake.add_upload(pending_polls=0), timeout=1.0)
        took = time.monotonic() - started
    assert took < 10.0  # the 30 s socket timeout is not what ends it; the deadline is
    assert fake.tokens_issued == 0
