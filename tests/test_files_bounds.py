"""Listings and batches on both clients: a cursor that never ends is stopped, and a batch that fails half-way
says which IDs were done."""

from __future__ import annotations

import json

import httpx
import pytest
from conftest import MakeClient

import pan123_oss
from pan123_oss.testing import FakePan123, Fault

LIST = "/api/v1/oss/file/list"


class EndlessCursor(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """A service whose listing ignores the cursor sent and answers a fresh one every time (for `pages` pages)."""

    def __init__(self, fake: FakePan123, pages: int) -> None:
        self._inner = fake.transport()
        self._pages = pages
        self.served = 0

    def _request(self, request: httpx.Request) -> httpx.Request:
        if request.url.path != LIST:
            return request
        body = json.loads(request.read())
        body.pop("lastFileId", None)
        return httpx.Request(request.method, request.url, headers=request.headers, json=body)

    def _reply(self, request: httpx.Request, reply: httpx.Response) -> httpx.Response:
        if request.url.path != LIST:
            return reply
        self.served += 1
        envelope = json.loads(reply.read())
        envelope["data"]["lastFileId"] = f"cursor-{self.served}" if self.served < self._pages else "-1"
        return httpx.Response(reply.status_code, json=envelope, headers={"x-traceID": "t"})

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._reply(request, self._inner.handle_request(self._request(request)))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        reply = await self._inner.handle_async_request(self._request(request))
        await reply.aread()
        return self._reply(request, reply)


def test_a_listing_whose_cursor_advances_over_the_same_page_is_stopped(
    make_client: MakeClient, fake: FakePan123
) -> None:
    # Every page came back with a new cursor and the same entries: the listing went on as long as the service did.
    fake.add_file("only.png", b"x")
    transport = EndlessCursor(fake, pages=50)
    client = make_client(transport=transport)

    async def collect_async() -> list[pan123_oss.FileInfo]:
        assert isinstance(client.client, pan123_oss.AsyncClient)
        return [info async for info in client.client.list_files()]

    def collect() -> list[pan123_oss.FileInfo]:
        if client.loop is not None:
            return client.loop.run_until_complete(collect_async())
        assert isinstance(client.client, pan123_oss.Client)
        return list(client.client.list_files())

    with pytest.raises(pan123_oss.MalformedResponseError, match="repeats a page under a new cursor"):
        collect()
    assert transport.served == 2


def test_a_move_that_fails_half_way_says_which_ids_moved(make_client: MakeClient, fake: FakePan123) -> None:
    # 250 IDs, the second request of three refused: the error said nothing of the 100 already moved.
    ids = [fake.add_file(f"f{n}.png", b"x") for n in range(250)]
    client = make_client()
    target = client.call("make_folders", "target")
    fake.script("moveFiles", Fault.slow(0), Fault.code_reply(1, "文件不存在"))
    with pytest.raises(pan123_oss.PartialBatchError) as caught:
        client.call("move_files", ids, target)
    assert caught.value.done == ids[:100] and caught.value.not_done == ids[100:]
    assert caught.value.code == 1 and "100 of 250 IDs were done" in str(caught.value)
    assert sorted(f.file_id for f in fake.oss.files.values() if f.parent_id == target) == sorted(ids[:100])


def test_a_batch_whose_first_request_fails_raises_that_error(make_client: MakeClient, fake: FakePan123) -> None:
    ids = [fake.add_file(f"g{n}.png", b"x") for n in range(3)]
    fake.script("deleteFiles", Fault.code_reply(1, "refused"))
    with pytest.raises(pan123_oss.ApiError) as caught:
        make_client().call("delete_files", ids)
    assert not isinstance(caught.value, pan123_oss.PartialBatchError)
