"""What the clients put on the wire and what they refuse before sending: request and PUT arguments, the
`Retry-After` reading, transport failures' wording, the `raw` client's auth, and argument checks.

No sockets: the functions that turn an effect into httpx arguments are pure, and the checks run before any I/O.
"""

from __future__ import annotations

import asyncio
import datetime
import email.utils
import io
import math
import re
import time
from typing import Any

import httpx
import pytest

import pan123_oss
from pan123_oss._client_base import (
    TOKEN_PATH,
    _BearerAuth,
    _unix,
    failed,
    put_args,
    request_args,
    retry_after,
)
from pan123_oss._flows import _effects
from pan123_oss._policy import MAX_CONNECTIONS, MAX_REPLY_BYTES

DETAIL = "/api/v1/oss/file/detail"


def exactly(message: str) -> str:
    """A `match=` pattern for this message and nothing else."""
    return f"^{re.escape(message)}$"


class Body:
    length = 7

    @property
    def source(self) -> Any:
        raise AssertionError("not read here")

    def chunks(self) -> Any:
        return iter(())

    def account(self, data: bytes) -> bytes:
        return data


def test_an_api_request_carries_the_platform_its_token_json_and_query() -> None:
    request = _effects.Request("POST", "/upload/v1/oss/file/create", {"a": 1}, None)
    args = request_args(_effects.Send(request, "tok", 12.5))
    assert args == {
        "method": "POST",
        "url": "/upload/v1/oss/file/create",
        "headers": {"Platform": "open_platform", "Content-Type": "application/json", "Authorization": "Bearer tok"},
        "timeout": 12.5,
        "auth": None,
        "json": {"a": 1},
    }


def test_a_query_request_without_a_body_or_token_carries_neither() -> None:
    request = _effects.request_for("getFileDetail", params={"fileID": "f1"})
    args = request_args(_effects.Send(request, None, 3.0))
    assert args == {"method": "GET", "url": DETAIL, "headers": {"Platform": "open_platform"}, "timeout": 3.0,
                    "auth": None, "params": {"fileID": "f1"}}  # fmt: skip


def test_a_slice_put_is_sized_and_carries_no_token() -> None:
    args = put_args(_effects.Put("https://slices.example/1", Body(), 9.0), b"content")
    assert args == {"method": "PUT", "url": "https://slices.example/1", "content": b"content",
                    "headers": {"Content-Length": "7"}, "timeout": 9.0}  # fmt: skip


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("5", 5.0), ("0.5", 0.5), ("-3", 0.0), ("inf", None), ("nan", None), ("soon", None), ("", None)],
)
def test_retry_after_in_seconds(header: str, seconds: float | None) -> None:
    assert retry_after(httpx.Headers({"Retry-After": header})) == seconds


def test_retry_after_as_an_http_date() -> None:
    later = email.utils.formatdate(time.time() + 60, usegmt=True)
    assert retry_after(httpx.Headers({"Retry-After": later})) == pytest.approx(60.0, abs=2.0)
    earlier = email.utils.formatdate(time.time() - 60, usegmt=True)
    assert retry_after(httpx.Headers({"Retry-After": earlier})) == 0.0
    assert retry_after(httpx.Headers({})) is None


def test_a_transport_failure_says_what_kind_and_why() -> None:
    assert failed(httpx.ConnectError("refused")) == _effects.Failed("ConnectError: refused")
    assert failed(httpx.ReadTimeout("")) == _effects.Failed("ReadTimeout")


def test_the_raw_client_gets_the_token_except_on_the_token_call_or_when_it_has_one() -> None:
    auth = _BearerAuth(lambda: "tok")
    plain = httpx.Request("GET", "https://x" + DETAIL)
    assert next(auth.sync_auth_flow(plain)).headers["Authorization"] == "Bearer tok"
    token_call = httpx.Request("POST", "https://x" + TOKEN_PATH)
    assert "Authorization" not in next(auth.sync_auth_flow(token_call)).headers
    own = httpx.Request("GET", "https://x" + DETAIL, headers={"Authorization": "Bearer mine"})
    assert next(auth.sync_auth_flow(own)).headers["Authorization"] == "Bearer mine"
    assert TOKEN_PATH == "/api/v1/access_token"


def test_the_async_raw_client_gets_the_token_too() -> None:
    async def token() -> str:
        return "atok"

    async def first_request() -> httpx.Request:
        return await _BearerAuth(token).async_auth_flow(httpx.Request("GET", "https://x" + DETAIL)).__anext__()

    assert asyncio.run(first_request()).headers["Authorization"] == "Bearer atok"


@pytest.mark.parametrize(
    ("value", "unix"),
    [(None, None), (1700000000, 1700000000), (1700000000.9, 1700000000),
     (datetime.datetime(2023, 11, 14, 22, 13, 20, 500000, tzinfo=datetime.UTC), 1700000000)],
)  # fmt: skip
def test_listing_bounds_are_whole_unix_seconds(value: object, unix: int | None) -> None:
    assert _unix("since", value) == unix


@pytest.mark.parametrize("value", [True, "1700000000", math.inf, math.nan])
def test_a_listing_bound_that_is_no_time_is_refused_by_name(value: object) -> None:
    with pytest.raises(ValueError, match=exactly(f"until must be a datetime or unix seconds, got {value!r}")):
        _unix("until", value)


def test_the_figures() -> None:
    assert (MAX_CONNECTIONS, MAX_REPLY_BYTES) == (100, 1 << 20)


# Checks before anything is sent.


def client() -> pan123_oss.Client:
    return pan123_oss.Client(access_token="tok", transport=httpx.MockTransport(_refuse))


def _refuse(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"nothing may be sent: {request.url}")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"parent_id": 5}, ValueError, 'parent_id must be a string (folder IDs are strings; the root is "")'),
        ({"parent_id": "9", "folder": "a/b"}, ValueError, "pass folder (a path) or parent_id (a folder ID), not both"),
        ({"link": 1}, ValueError, "link must be True or False, got 1"),
        ({"on_progress": 3}, TypeError, "on_progress must be callable"),
    ],
)
def test_upload_arguments_are_checked_before_anything_is_sent(kwargs: dict[str, Any], error: type[Exception],
                                                              message: str) -> None:  # fmt: skip
    with client() as c, pytest.raises(error) as caught:
        c.upload_file(io.BytesIO(b"data"), filename="a.png", **kwargs)
    assert str(caught.value) == message


@pytest.mark.parametrize("size", [0, True, 2.0])
def test_a_resume_with_a_slice_size_that_is_no_size_is_refused(size: object) -> None:
    message = f"slice_size must be a positive whole number of bytes, got {size!r}"
    with client() as c, pytest.raises(ValueError, match=exactly(message)):
        c.resume_upload("pid-1", io.BytesIO(b"data"), filename="a.png", slice_size=size)  # type: ignore[arg-type]


def test_an_unnamed_file_object_needs_a_filename() -> None:
    with client() as c, pytest.raises(ValueError, match=r"^pass filename: the file object has no name to use$"):
        c.upload_file(io.BytesIO(b"data"))


def test_a_copy_of_nothing_is_refused() -> None:
    with client() as c, pytest.raises(ValueError, match=r"^drive_file_ids must hold at least one drive file ID$"):
        c.copy_from_drive([])


def test_a_wait_with_a_bad_on_poll_is_refused() -> None:
    with client() as c, pytest.raises(TypeError, match=r"^on_poll must be callable$"):
        c.wait_for_upload("pid", timeout=5, on_poll="print")  # type: ignore[arg-type]


def test_the_repr_says_how_the_client_authenticates_and_never_the_secret() -> None:
    with client() as c:
        assert repr(c) == "Client(base_url='https://open-api.123pan.com', static token)"
    with pan123_oss.Client(client_id="cid", client_secret="s3cret") as c:
        assert repr(c) == "Client(base_url='https://open-api.123pan.com', client_id='cid')"


def test_options_of_the_wrong_kind_are_refused() -> None:
    with pytest.raises(TypeError, match=r"^rate_policy must be a RatePolicy$"):
        pan123_oss.Client(access_token="tok", rate_policy=object())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^shared_rates must have reserve\(\) and throttled\(\) methods"):
        pan123_oss.Client(access_token="tok", shared_rates=object())  # type: ignore[arg-type]


def test_a_connection_limit_out_of_range_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=exactly("max_connections must be a whole number from 1 to 1000, got 0")):
        pan123_oss.Client(access_token="tok", max_connections=0)


def test_a_listing_bound_is_checked_before_the_first_page() -> None:
    with client() as c, pytest.raises(ValueError, match=r"^until must be a datetime or unix seconds, got 'soon'$"):
        next(iter(c.list_files(until="soon")))  # type: ignore[arg-type]


# The async driver's reading of a reply.


def poll_reply(message: str = "ok", headers: dict[str, str] | None = None, status: int = 200) -> httpx.Response:
    body = {"code": 0, "message": message, "data": {"completed": False, "fileID": ""}, "x-traceID": "t"}
    return httpx.Response(status, json=body, headers=headers)


def test_the_async_client_reads_a_reply_of_exactly_the_size_limit() -> None:
    padding = "x" * (MAX_REPLY_BYTES - len(poll_reply("").content))
    assert len(poll_reply(padding).content) == MAX_REPLY_BYTES

    async def main() -> pan123_oss.AsyncResult:
        transport = httpx.MockTransport(lambda request: poll_reply(padding))
        async with pan123_oss.AsyncClient(access_token="tok", transport=transport) as c:
            return await c.upload_async_result("pid-1")

    assert asyncio.run(main()).completed is False


def test_the_async_client_waits_as_long_as_retry_after_says() -> None:
    from pan123_oss.testing import FakeClock

    clock = FakeClock()
    answers = iter([httpx.Response(200, json={"code": 429, "message": "slow down", "data": None, "x-traceID": "t"},
                                   headers={"Retry-After": "3"}), poll_reply()])  # fmt: skip

    async def main() -> pan123_oss.AsyncResult:
        transport = httpx.MockTransport(lambda request: next(answers))
        async with pan123_oss.AsyncClient(access_token="tok", transport=transport, clock=clock,
                                          sleep=clock.async_sleep) as c:  # fmt: skip
            return await c.upload_async_result("pid-1")

    assert asyncio.run(main()).completed is False
    assert clock.sleeps == [3.0]


class _HeldTokenCall(httpx.AsyncBaseTransport):
    """Answers the token call only once `release` is set; every other request is recorded and refused."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.others: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == TOKEN_PATH:
            await self.release.wait()
            data = {"accessToken": "tok-1", "expiredAt": "2099-01-01T00:00:00+08:00"}
            return httpx.Response(200, json={"code": 0, "message": "ok", "data": data, "x-traceID": "t"})
        self.others.append(request.url.path)
        return httpx.Response(500)


def test_a_call_waiting_for_another_callers_token_fetch_gives_up_when_its_time_is_up() -> None:
    transport = _HeldTokenCall()

    async def main() -> tuple[BaseException | None, str]:
        async with pan123_oss.AsyncClient(client_id="cid", client_secret="secret", transport=transport) as c:
            fetching = asyncio.ensure_future(c.access_token())  # holds the token lock, its fetch held up
            await asyncio.sleep(0)
            try:
                await asyncio.wait_for(c.wait_for_upload("pid-1", timeout=0.3), 10.0)
            except pan123_oss.PollTimeoutError as exc:
                gave_up: BaseException | None = exc
            else:
                gave_up = None
            transport.release.set()
            return gave_up, await fetching

    gave_up, token = asyncio.run(main())
    assert isinstance(gave_up, pan123_oss.PollTimeoutError) and gave_up.polls == 0
    assert token == "tok-1"
    assert transport.others == []  # no poll went out without a token
