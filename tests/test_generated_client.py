"""The generated low-level client speaks the documented wire format and parses documented replies."""

from __future__ import annotations

import datetime
import json
from typing import Any

import httpx
import pytest

from pan123_oss_api import AuthenticatedClient, Client
from pan123_oss_api.api.auth import get_access_token
from pan123_oss_api.api.oss_upload import upload_async_result
from pan123_oss_api.models import (
    AccessTokenBody,
    AccessTokenReply,
    AsyncResultBody,
    UploadAsyncResultPayload,
    UploadAsyncResultReply,
)
from spec_helpers import response_example

BASE = "https://open-api.123pan.com"
PREUPLOAD_ID = "h1Kiaaaaaaac/0IDD87IFbIf8T0UWrTNwNNGbGoeklBYFtnlDwBIhd9OfdMjm4abJfDPccrScqQIPdjFasHxGxV"


class Recorder:
    """An in-process transport that records requests and answers with a fixed JSON body."""

    def __init__(self, reply: Any, status: int = 200) -> None:
        self.reply = reply
        self.status = status
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.status, json=self.reply)

    def client(self) -> AuthenticatedClient:
        return AuthenticatedClient(base_url=BASE, token="tok-123", httpx_args={"transport": httpx.MockTransport(self)})


def test_upload_async_result_sends_the_documented_request() -> None:
    rec = Recorder(response_example("uploadAsyncResult", "completed"))
    upload_async_result.sync_detailed(client=rec.client(), body=AsyncResultBody(preupload_id=PREUPLOAD_ID))
    (req,) = rec.requests
    assert req.method == "POST"
    assert str(req.url) == f"{BASE}/upload/v1/oss/file/upload_async_result"
    assert req.headers["Authorization"] == "Bearer tok-123"
    assert req.headers["Platform"] == "open_platform"
    assert req.headers["Content-Type"] == "application/json"
    assert json.loads(req.content) == {"preuploadID": PREUPLOAD_ID}


def test_completed_reply_parses_into_typed_models() -> None:
    rec = Recorder(response_example("uploadAsyncResult", "completed"))
    parsed = upload_async_result.sync(client=rec.client(), body=AsyncResultBody(preupload_id=PREUPLOAD_ID))
    assert isinstance(parsed, UploadAsyncResultReply)
    assert parsed.code == 0
    assert parsed.x_trace_id == "1f8a00aa-1d95-4bfb-8908-2ccec540b06f_kong-db-5898fdd8c6-wnv6h"
    assert isinstance(parsed.data, UploadAsyncResultPayload)
    assert parsed.data.completed is True
    assert parsed.data.file_id == "rehu6baz03t0l000d7freterfbyq51l4izkneDIYPAIDOBIY0DcxvDwFO"


def test_pending_reply_parses() -> None:
    rec = Recorder(response_example("uploadAsyncResult", "pending"))
    parsed = upload_async_result.sync(client=rec.client(), body=AsyncResultBody(preupload_id=PREUPLOAD_ID))
    assert isinstance(parsed, UploadAsyncResultReply)
    assert isinstance(parsed.data, UploadAsyncResultPayload)
    assert (parsed.data.completed, parsed.data.file_id) == (False, "")


def test_error_envelope_parses_with_null_data() -> None:
    rec = Recorder(response_example("uploadAsyncResult", "checkFailed"))
    parsed = upload_async_result.sync(client=rec.client(), body=AsyncResultBody(preupload_id=PREUPLOAD_ID))
    assert isinstance(parsed, UploadAsyncResultReply)
    assert (parsed.code, parsed.data) == (1, None)
    assert parsed.message == "文件上传失败"
    assert parsed.x_trace_id.startswith("51ce44ee")


@pytest.mark.asyncio
async def test_async_variant_sends_the_same_request() -> None:
    rec = Recorder(response_example("uploadAsyncResult", "pending"))
    await upload_async_result.asyncio(client=rec.client(), body=AsyncResultBody(preupload_id=PREUPLOAD_ID))
    (req,) = rec.requests
    assert (req.method, req.url.path) == ("POST", "/upload/v1/oss/file/upload_async_result")
    assert req.headers["Authorization"] == "Bearer tok-123"
    assert req.headers["Platform"] == "open_platform"


def test_access_token_call_sends_credentials_without_authorization() -> None:
    rec = Recorder(response_example("getAccessToken", "success"))
    client = Client(base_url=BASE, httpx_args={"transport": httpx.MockTransport(rec)})
    parsed = get_access_token.sync(client=client, body=AccessTokenBody(client_id="id-1", client_secret="sec-1"))
    (req,) = rec.requests
    assert (req.method, req.url.path) == ("POST", "/api/v1/access_token")
    assert "Authorization" not in req.headers
    assert req.headers["Platform"] == "open_platform"
    assert json.loads(req.content) == {"clientID": "id-1", "clientSecret": "sec-1"}
    assert isinstance(parsed, AccessTokenReply)
    assert parsed.data is not None
    assert parsed.data.expired_at == datetime.datetime(
        2025, 3, 23, 15, 48, 37, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
    )
