"""The fake 123pan itself: it must be strict enough that a client bug shows, and sturdy under load."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

import pan123_oss
from pan123_oss.testing import FakeClock, FakePan123

POLL = "/upload/v1/oss/file/upload_async_result"
HEADERS = {"Platform": "open_platform", "Content-Type": "application/json"}


def post(fake: FakePan123, path: str, body: object, headers: dict[str, str]) -> dict[str, object]:
    with httpx.Client(transport=fake.transport(), base_url="http://fake") as http:
        reply: dict[str, object] = http.post(path, content=json.dumps(body), headers=headers).json()
    return reply


def test_requests_without_the_platform_header_are_refused() -> None:
    fake = FakePan123()
    token = fake.issue_token()
    pid = fake.add_upload()
    reply = post(
        fake, POLL, {"preuploadID": pid}, {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    )
    assert reply["code"] == 400
    assert fake.uploads[pid].polls == 0


@pytest.mark.parametrize("auth", ["", "Bearer", "Bearer  {t}", "bearer {t}", "Token {t}", "Bearer wrong"])
def test_only_an_exact_live_bearer_token_is_accepted(auth: str) -> None:
    fake = FakePan123()
    token = fake.issue_token()
    reply = post(fake, POLL, {"preuploadID": fake.add_upload()}, {**HEADERS, "Authorization": auth.format(t=token)})
    assert reply["code"] == 401
    assert reply["data"] is None
    assert isinstance(reply["x-traceID"], str)


def test_tokens_expire_on_the_fakes_clock() -> None:
    clock = FakeClock()
    fake = FakePan123(clock=clock, token_lifetime=60)
    token = fake.issue_token()
    pid = fake.add_upload(pending_polls=5)
    assert post(fake, POLL, {"preuploadID": pid}, {**HEADERS, "Authorization": f"Bearer {token}"})["code"] == 0
    clock.advance(61)
    assert post(fake, POLL, {"preuploadID": pid}, {**HEADERS, "Authorization": f"Bearer {token}"})["code"] == 401


def test_upload_pending_for_seconds() -> None:
    clock = FakeClock()
    fake = FakePan123(clock=clock)
    pid = fake.add_upload(pending_polls=0, pending_seconds=10, file_id="f")
    headers = {**HEADERS, "Authorization": f"Bearer {fake.issue_token()}"}
    assert post(fake, POLL, {"preuploadID": pid}, headers)["data"] == {"completed": False, "fileID": ""}
    clock.advance(10)
    assert post(fake, POLL, {"preuploadID": pid}, headers)["data"] == {"completed": True, "fileID": "f"}


def test_unknown_paths_and_auto_uploads() -> None:
    fake = FakePan123(auto_uploads=True, pending_polls=0)
    headers = {**HEADERS, "Authorization": f"Bearer {fake.issue_token()}"}
    assert post(fake, "/nope", {}, headers)["code"] == 404
    reply = post(fake, POLL, {"preuploadID": "anything"}, headers)
    assert reply["data"] == {"completed": True, "fileID": fake.uploads["anything"].file_id}
    assert [r.path for r in fake.requests] == ["/nope", POLL]


def test_script_rejects_unknown_endpoints() -> None:
    with pytest.raises(ValueError, match="endpoint"):
        FakePan123().script("mkdir")


@pytest.mark.slow
def test_serves_hundreds_of_concurrent_requests() -> None:
    fake = FakePan123(pending_polls=0)
    pids = [fake.add_upload() for _ in range(300)]
    head = "".join(f"{k}: {v}\r\n" for k, v in {**HEADERS, "Authorization": f"Bearer {fake.issue_token()}"}.items())

    async def ask(streams: tuple[asyncio.StreamReader, asyncio.StreamWriter], pid: str) -> str:
        reader, writer = streams
        body = json.dumps({"preuploadID": pid}).encode()
        writer.write(f"POST {POLL} HTTP/1.1\r\nHost: fake\r\n{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
        status, *fields = (await reader.readuntil(b"\r\n\r\n")).decode().split("\r\n")
        assert status.startswith("HTTP/1.1 200 "), status
        length = next(int(f.split(":")[1]) for f in fields if f.lower().startswith("content-length:"))
        return str(json.loads(await reader.readexactly(length))["data"]["fileID"])

    async def main(port: int) -> list[str]:
        # Raw connections, not one httpx pool (whose bookkeeping grows with the square of its connections).
        # All 300 are open before any request goes out and stay open (kept alive) until every reply is in:
        # a fake that served one connection at a time would wait for a second request on the first.
        streams = await asyncio.gather(*(asyncio.open_connection("127.0.0.1", port) for _ in pids))
        try:
            return await asyncio.wait_for(asyncio.gather(*map(ask, streams, pids)), timeout=30)
        finally:
            for _, writer in streams:
                writer.close()

    with fake.serve() as url:
        file_ids = asyncio.run(main(httpx.URL(url).port or 0))
    assert file_ids == [fake.uploads[p].file_id for p in pids]


def test_the_real_client_against_the_served_fake() -> None:
    fake = FakePan123(pending_polls=0)
    pid = fake.add_upload(file_id="f-served")
    with (
        fake.serve() as url,
        pan123_oss.Client(client_id=fake.client_id, client_secret=fake.client_secret, base_url=url) as c,
    ):
        assert c.wait_for_upload(pid) == "f-served"
