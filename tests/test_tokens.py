"""Access tokens: fetched rarely, cached, refreshed ahead of expiry and on 401, single-flight, shared."""

from __future__ import annotations

import asyncio
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import Both, MakeClient

import pan123_oss
from pan123_oss import FileTokenStore, MemoryTokenStore, Token, _platform
from pan123_oss.testing import FakeClock, FakePan123, Fault


def test_one_token_serves_many_calls(make_client: MakeClient, fake: FakePan123) -> None:
    client = make_client()
    pids = [fake.add_upload(pending_polls=0) for _ in range(5)]
    for pid in pids:
        client.wait_for_upload(pid)
    assert fake.tokens_issued == 1
    assert len({r.headers["authorization"] for r in fake.requests if "authorization" in r.headers}) == 1


def test_token_is_refreshed_a_margin_before_it_expires(clock: FakeClock, kind: str) -> None:
    fake = FakePan123(clock=clock, token_lifetime=1000.0)
    both = Both(
        kind,  # type: ignore[arg-type]
        client_id=fake.client_id,
        client_secret=fake.client_secret,
        transport=fake.transport(),
        clock=clock,
        refresh_margin=300.0,
    )
    first = both.access_token()
    clock.advance(650)
    assert both.access_token() == first
    assert fake.tokens_issued == 1
    clock.advance(60)  # 710 s: within 300 s of expiry
    second = both.access_token()
    assert second != first
    assert fake.tokens_issued == 2
    both.close()


def test_expiry_mid_wait_refreshes_once_and_carries_on(make_client: MakeClient, fake: FakePan123) -> None:
    pid = fake.add_upload(pending_polls=3, file_id="f-exp")

    def expire_after_first_poll(event: pan123_oss.PollEvent) -> None:
        if event.attempt == 1:
            fake.expire_tokens()

    assert make_client().wait_for_upload(pid, on_poll=expire_after_first_poll) == "f-exp"
    assert [r.code for r in fake.polls(pid)] == [0, 401, 0, 0, 0]
    assert fake.tokens_issued == 2
    tokens = [r.headers["authorization"] for r in fake.polls(pid)]
    assert tokens[0] == tokens[1] != tokens[2] == tokens[4]


def test_a_second_401_in_a_row_is_an_auth_error(make_client: MakeClient, fake: FakePan123) -> None:
    pid = fake.add_upload(pending_polls=3)
    fake.script("upload_async_result", Fault.expire_tokens(), Fault.expire_tokens())
    with pytest.raises(pan123_oss.AuthError) as caught:
        make_client().wait_for_upload(pid)
    assert caught.value.code == 401
    assert caught.value.preupload_id == pid
    assert fake.tokens_issued == 2


def test_static_token_is_used_as_given_and_401_is_final(make_client: MakeClient, fake: FakePan123) -> None:
    token = fake.issue_token()
    pid = fake.add_upload(pending_polls=1)
    client = make_client(access_token=token)
    assert client.access_token() == token
    client.upload_async_result(pid)
    fake.expire_tokens()
    with pytest.raises(pan123_oss.AuthError) as caught:
        client.wait_for_upload(pid)
    assert caught.value.trace_id is not None
    assert [r.path for r in fake.requests].count("/api/v1/access_token") == 0
    assert fake.tokens_issued == 1


def test_bad_credentials_are_an_auth_error_without_retries(make_client: MakeClient, fake: FakePan123) -> None:
    client = make_client(client_secret="wrong")
    with pytest.raises(pan123_oss.AuthError) as caught:
        client.wait_for_upload(fake.add_upload())
    assert caught.value.code == 401
    assert caught.value.endpoint == "/api/v1/access_token"
    assert "wrong" not in str(caught.value)
    assert len(fake.requests) == 1


def test_token_call_retries_rate_limits_and_server_errors(make_client: MakeClient, fake: FakePan123) -> None:
    fake.script("access_token", Fault.code_reply(429), Fault.http(503), Fault.drop())
    assert make_client().access_token().startswith("fake.")
    assert [r.path for r in fake.requests].count("/api/v1/access_token") == 4
    assert fake.tokens_issued == 1


def test_malformed_token_reply_is_reported(make_client: MakeClient, fake: FakePan123) -> None:
    fake.script(
        "access_token",
        Fault.malformed(b'{"code":0,"message":"ok","data":{"accessToken":"x","expiredAt":"soon"},"x-traceID":"t"}'),
    )
    with pytest.raises(pan123_oss.MalformedResponseError, match="expiredAt"):
        make_client().access_token()


@pytest.mark.slow
def test_twenty_threads_cause_one_token_fetch(real_fake: FakePan123, served: str) -> None:
    real_fake.script("access_token", Fault.slow(0.3))  # widen the window in which a second fetch could start
    pids = [real_fake.add_upload(pending_polls=0) for _ in range(20)]
    barrier = threading.Barrier(20)
    results: list[str] = []
    errors: list[BaseException] = []
    with pan123_oss.Client(client_id=real_fake.client_id, client_secret=real_fake.client_secret, base_url=served) as c:

        def work(pid: str) -> None:
            try:
                barrier.wait()
                results.append(c.wait_for_upload(pid, timeout=30))
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(pid,)) for pid in pids]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        # And once more after every token went stale: twenty threads meet the same 401, one refresh.
        real_fake.expire_tokens()
        threads = [threading.Thread(target=work, args=(real_fake.add_upload(pending_polls=0),)) for _ in range(20)]
        barrier.reset()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    assert errors == []
    assert len(results) == 40
    assert real_fake.tokens_issued == 2


@pytest.mark.slow
def test_twenty_tasks_cause_one_token_fetch(real_fake: FakePan123, served: str) -> None:
    real_fake.script("access_token", Fault.slow(0.3))

    async def main() -> list[str]:
        async with pan123_oss.AsyncClient(
            client_id=real_fake.client_id, client_secret=real_fake.client_secret, base_url=served
        ) as c:
            first = await asyncio.gather(*(c.access_token() for _ in range(20)))
            real_fake.expire_tokens()
            pids = [real_fake.add_upload(pending_polls=0) for _ in range(20)]
            await asyncio.gather(*(c.wait_for_upload(pid, timeout=30) for pid in pids))
            return first

    tokens = asyncio.run(main())
    assert len(set(tokens)) == 1
    assert real_fake.tokens_issued == 2


# Stores.


def test_memory_store_round_trip() -> None:
    store = MemoryTokenStore()
    assert store.load("a") is None
    store.save("a", Token("tok", 123.0))
    assert store.load("a") == Token("tok", 123.0)
    assert "tok" not in repr(store) and "tok" not in repr(store.load("a"))


def test_file_store_is_private_atomic_and_keyed(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "tokens.json"
    store = FileTokenStore(path)
    assert store.load("id") is None
    store.save("id", Token("secret-token", 1e10))
    store.save("other", Token("other-token", 2e10))
    if _platform.HAS_FILE_MODES:  # Windows: the folder's ACL, inherited (see test_platform.py)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert store.load("id") == Token("secret-token", 1e10)
    assert FileTokenStore(path).load("other") == Token("other-token", 2e10)
    assert sorted(p.name for p in path.parent.iterdir()) == ["tokens.json"]  # no temporary files left behind
    with store.lock("id"):
        pass
    assert "secret-token" not in repr(store)


@pytest.mark.parametrize("content", ["", "not json", "[]", '{"id": {"accessToken": 5, "expiresAt": 1}}'])
def test_file_store_treats_a_damaged_file_as_empty(tmp_path: Path, content: str) -> None:
    path = tmp_path / "tokens.json"
    path.write_text(content)
    path.chmod(0o600)  # damaged, but the user's own: a loose mode is refused outright (test_private_files.py)
    assert FileTokenStore(path).load("id") is None


def test_clients_sharing_a_file_store_fetch_once(make_client: MakeClient, fake: FakePan123, tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "tokens.json")
    a = make_client(token_store=store)
    b = make_client(token_store=FileTokenStore(tmp_path / "tokens.json"))
    assert a.access_token() == b.access_token()
    assert fake.tokens_issued == 1


def test_token_store_must_look_like_one(make_client: MakeClient) -> None:
    with pytest.raises(TypeError, match="token_store"):
        make_client(token_store=object())


_CHILD = """
import sys, pan123_oss
store = pan123_oss.FileTokenStore(sys.argv[1])
with pan123_oss.Client(client_id=sys.argv[2], client_secret=sys.argv[3], base_url=sys.argv[4], token_store=store) as c:
    print(c.access_token())
"""


@pytest.mark.slow
def test_processes_sharing_a_file_store_fetch_once(real_fake: FakePan123, served: str, tmp_path: Path) -> None:
    real_fake.script("access_token", Fault.slow(0.5))
    path = str(tmp_path / "tokens.json")
    args = [sys.executable, "-c", _CHILD, path, real_fake.client_id, real_fake.client_secret, served]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAN123_")}
    children = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(4)]
    outputs = [child.communicate(timeout=60) for child in children]
    assert [child.returncode for child in children] == [0, 0, 0, 0], outputs
    assert len({out.strip() for out, _ in outputs}) == 1
    assert real_fake.tokens_issued == 1
