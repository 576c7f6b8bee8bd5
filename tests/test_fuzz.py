"""Fuzzing what the client reads: any bytes or JSON in place of a reply end in a value or a Pan123Error.

The reply parsing is pure (`_call.classify`), so most cases go straight to it; the rest go through both
clients over an httpx mock transport, with a fake clock so that retries and polling take no real time.
"""

from __future__ import annotations

import asyncio
import json
import math
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import pan123_oss
from pan123_oss._flows import _call, _effects
from pan123_oss.testing import FakeClock

SETTINGS = settings(
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
"""The profile's `max_examples` (tests/conftest.py): 100 in the suite, 1000 under `nox -s fuzz`."""
CLIENT_SETTINGS = settings(SETTINGS, max_examples=SETTINGS.max_examples // 2)
"""Half as many through the clients, where each example is a whole call: 50 in the suite, 500 under fuzz."""

KNOWN_CODES = [0, 1, 401, 429, 5066, 5113, 20103, -1, 2**63]
STATUSES = st.sampled_from([200, 200, 200, 201, 204, 400, 401, 403, 404, 429, 500, 502, 503, 504]) | st.integers(
    100, 599
)

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
timestamps = st.datetimes(timezones=st.timezones() | st.none()).map(lambda d: d.isoformat())
payloads = st.fixed_dictionaries(
    {},
    optional={
        "completed": st.booleans() | json_values,
        "fileID": st.text(max_size=20) | json_values,
        "accessToken": st.text(max_size=20) | json_values,
        "expiredAt": timestamps | st.text(max_size=30) | json_values,
    },
)
envelopes = st.fixed_dictionaries(
    {},
    optional={
        "code": st.sampled_from(KNOWN_CODES) | json_values,
        "message": st.text(max_size=30) | json_values,
        "data": st.none() | payloads | json_values,
        "x-traceID": st.text(max_size=40) | json_values,
    },
)


def _encode(value: object) -> bytes:
    return json.dumps(value).encode()


@st.composite
def damaged(draw: st.DrawFn, bodies: st.SearchStrategy[bytes]) -> bytes:
    """A body cut short or with a stray byte: what a broken proxy or a dropped connection leaves."""
    body = draw(bodies)
    if not body or draw(st.booleans()):
        return body
    cut = draw(st.integers(0, len(body)))
    return body[:cut] + draw(st.binary(max_size=2))


replies = st.one_of(
    st.binary(max_size=300),
    json_values.map(_encode),
    damaged(envelopes.map(_encode)),
    envelopes.map(_encode),
)
FAR_FUTURE_TOKEN = _encode(
    {"code": 0, "message": "", "data": {"accessToken": "t", "expiredAt": "9999-12-31T23:59:59-23:59"}, "x-traceID": "x"}
)
HUGE_INT = b"1" * 5000
"""More digits than `int()` parses by default (`sys.get_int_max_str_digits`): `json.loads` raises ValueError."""


def _ops() -> list[_call.Operation[Any]]:
    client = pan123_oss.Client(client_id="fuzz-id", client_secret="fuzz-secret", base_url="http://127.0.0.1:9")
    ops: list[_call.Operation[Any]] = [client._poll_op("fuzz-preupload"), client._token_op()]
    client.close()
    return ops


OPS = _ops()


@SETTINGS
@given(status=STATUSES, content=replies)
@example(status=200, content=b"")
@example(status=200, content=b"\xef\xbb\xbf{}")
@example(status=200, content=b"[" * 100_000)
@example(
    status=200, content=b'{"code": 0, "message": "ok", "data": {"completed": true, "fileID": ""}, "x-traceID": ""}'
)
@example(status=200, content=FAR_FUTURE_TOKEN)
@example(status=401, content=b"<html>401</html>")
@example(status=500, content=_encode({"code": "1", "x-traceID": 7}))
def test_any_reply_classifies_as_a_value_or_a_documented_error(status: int, content: bytes) -> None:
    for op in OPS:
        outcome = _call.classify(op, _effects.Reply(status, content))
        if isinstance(outcome, _call._Value):
            assert isinstance(outcome.value, pan123_oss.AsyncResult | pan123_oss.Token)
            if isinstance(outcome.value, pan123_oss.Token):
                assert not math.isnan(outcome.value.expires_at)
        else:
            assert isinstance(outcome.error, pan123_oss.Pan123Error)
            str(outcome.error)  # the one-sentence message builds from whatever the reply held


@pytest.mark.parametrize("content", [HUGE_INT, b'{"code": ' + HUGE_INT + b"}"])
def test_an_over_long_integer_is_a_documented_error(content: bytes) -> None:
    for op in OPS:
        outcome = _call.classify(op, _effects.Reply(200, content))
        assert not isinstance(outcome, _call._Value)
        assert isinstance(outcome.error, pan123_oss.Pan123Error)


TOKEN_PATH = "/api/v1/access_token"
VALID_TOKEN = _encode(
    {
        "code": 0,
        "message": "ok",
        "data": {"accessToken": "t", "expiredAt": "2099-01-01T00:00:00+08:00"},
        "x-traceID": "x",
    }
)


def _transport(target: str, status: int, content: bytes, encoding: str | None) -> httpx.MockTransport:
    """Answers the `target` endpoint ("token" or "poll") with the fuzzed reply, the token call with a valid one."""
    headers = {"Content-Type": "application/json", **({"Content-Encoding": encoding} if encoding else {})}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == TOKEN_PATH and target == "poll":
            return httpx.Response(200, headers={"Content-Type": "application/json"}, content=VALID_TOKEN)
        return httpx.Response(status, headers=headers, content=content)

    return httpx.MockTransport(handler)


TARGETS = st.sampled_from(["token", "poll"])
ENCODINGS = st.sampled_from([None, None, None, "gzip", "deflate", "identity", "br", "zstd", "x-unknown"])


def _options(clock: FakeClock) -> dict[str, Any]:
    return {
        "client_id": "fuzz-id",
        "client_secret": "fuzz-secret",
        "base_url": "http://127.0.0.1:9",
        "clock": clock,
        "retry_policy": pan123_oss.RetryPolicy(attempts=2),
    }


@CLIENT_SETTINGS
@given(target=TARGETS, status=STATUSES, content=replies, encoding=ENCODINGS)
def test_sync_client_meets_any_reply_with_a_value_or_a_documented_error(
    target: str, status: int, content: bytes, encoding: str | None
) -> None:
    clock = FakeClock()
    transport = _transport(target, status, content, encoding)
    with pan123_oss.Client(transport=transport, sleep=clock.sleep, **_options(clock)) as client:
        try:
            client.access_token()
            client.upload_async_result("fuzz-preupload")
            client.wait_for_upload("fuzz-preupload", timeout=30)
        except pan123_oss.Pan123Error as exc:
            str(exc)


@CLIENT_SETTINGS
@given(target=TARGETS, status=STATUSES, content=replies, encoding=ENCODINGS)
def test_async_client_meets_any_reply_with_a_value_or_a_documented_error(
    target: str, status: int, content: bytes, encoding: str | None
) -> None:
    clock = FakeClock()

    async def run() -> None:
        transport = _transport(target, status, content, encoding)
        async with pan123_oss.AsyncClient(transport=transport, sleep=clock.async_sleep, **_options(clock)) as client:
            try:
                await client.access_token()
                await client.upload_async_result("fuzz-preupload")
                await client.wait_for_upload("fuzz-preupload", timeout=30)
            except pan123_oss.Pan123Error as exc:
                str(exc)

    asyncio.run(run())


upload_payloads = st.fixed_dictionaries(
    {},
    optional={
        "fileID": st.text(max_size=20) | json_values,
        "preuploadID": st.text(max_size=20) | json_values,
        "reuse": st.booleans() | json_values,
        "sliceSize": st.integers(-5, 2**40) | json_values,
        "presignedURL": st.sampled_from(["https://h/x", "http://h/y", "ftp://h/z", ""]) | json_values,
        "isMultipart": st.booleans() | json_values,
        "async": st.booleans() | json_values,
        "completed": st.booleans() | json_values,
        "parts": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "partNumber": st.integers(-2, 9) | st.sampled_from(["1", "12", "x", "-1", "", "0"]) | json_values,
                    "size": st.integers(-1, 2**31) | json_values,
                    "etag": st.text(max_size=32) | json_values,
                },
            )
            | json_values,
            max_size=3,
        )
        | json_values,
    },
)


@SETTINGS
@given(data=st.none() | upload_payloads | json_values, code=st.sampled_from([0, 20103]))
@example(data={"parts": [{"partNumber": "ab", "size": 1, "etag": "x"}]}, code=0)  # int("ab") once escaped
def test_every_upload_reply_parser_gives_a_value_or_a_typed_error(data: Any, code: int) -> None:
    from pan123_oss._flows._upload import UploadCalls

    body = _encode({"code": code, "message": "ok", "data": data, "x-traceID": "t"})
    ops: list[_call.Operation[Any]] = [
        UploadCalls.create("", "a.jpg", "0" * 32, 1),
        UploadCalls.upload_url("p", 1),
        UploadCalls.parts("p"),
        UploadCalls.complete("p"),
    ]  # fmt: skip
    for op in ops:
        outcome = _call.classify(op, _effects.Reply(200, body))  # must not raise, whatever `data` is
        if isinstance(outcome, _call._Value):
            continue
        assert isinstance(outcome.error, pan123_oss.Pan123Error)


file_fields = {
    "fileId": st.text(max_size=12) | json_values,
    "filename": st.text(max_size=12) | json_values,
    "type": st.sampled_from([0, 1, 2]) | json_values,
    "size": st.integers(-1, 2**40) | json_values,
    "etag": st.text(max_size=32) | json_values,
    "status": st.integers(0, 200) | json_values,
    "createAt": st.text(max_size=20) | json_values,
    "updateAt": st.text(max_size=20) | json_values,
    "downloadURL": st.sampled_from(["", "https://h/x.png"]) | json_values,
    "userSelfURL": st.sampled_from(["", "https://me/x.png"]) | json_values,
    "totalTraffic": st.integers(0, 10) | json_values,
    "parentFileId": st.text(max_size=12) | json_values,
    "parentFilename": st.text(max_size=12) | json_values,
    "extension": st.text(max_size=5) | json_values,
}
files = st.fixed_dictionaries({}, optional=file_fields)
other_payloads = st.fixed_dictionaries(
    {},
    optional={
        **file_fields,
        "lastFileId": st.sampled_from(["-1", "", "f9"]) | json_values,
        "fileList": st.lists(files | json_values, max_size=3) | json_values,
        "list": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "filename": st.text(max_size=8) | json_values,
                    "dirID": st.text(max_size=8) | json_values,
                    "fileId": st.integers() | json_values,
                },
            )
            | json_values,
            max_size=3,
        )
        | st.none()
        | json_values,
        "taskID": st.integers(-1, 2**40) | st.text(max_size=10) | json_values,
        "status": st.integers(-1, 5) | json_values,
        "process": st.integers(-1, 101) | json_values,
        "failMsg": st.text(max_size=10) | json_values,
        "total": st.integers(-1, 5) | json_values,
    },
)


@SETTINGS
@given(data=st.none() | files | other_payloads | json_values)
def test_every_file_and_task_reply_parser_gives_a_value_or_a_typed_error(data: Any) -> None:
    from pan123_oss._flows._files import FileCalls
    from pan123_oss._flows._migration import MigrationCalls

    body = _encode({"code": 0, "message": "ok", "data": data, "x-traceID": "t"})
    ops: list[_call.Operation[Any]] = [
        FileCalls.detail("f"), FileCalls.page("", "", None, None), FileCalls.mkdir("", "d"), FileCalls.move(["f"], ""),
        FileCalls.delete(["f"]), MigrationCalls.offline("https://h/x.png", None, None), MigrationCalls.offline_state(1),
        MigrationCalls.copy(["1"], ""), MigrationCalls.copy_state("t"), MigrationCalls.copy_failures("t", 1),
    ]  # fmt: skip
    for op in ops:
        outcome = _call.classify(op, _effects.Reply(200, body))  # must not raise, whatever `data` is
        if not isinstance(outcome, _call._Value):
            assert isinstance(outcome.error, pan123_oss.Pan123Error)
