"""Spec, fake and client in step: a spec-checking fake sees only spec-conforming traffic from the real client,
records requests that break the spec, and every reply it gives parses with the generated models."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from conftest import MakeClient

import loopback
from pan123_oss.testing import FakeClock, FakePan123, Fault
from pan123_oss.testing._contract import checker_for
from pan123_oss_api.models import (
    AccessTokenPayload,
    AccessTokenReply,
    UploadAsyncResultPayload,
    UploadAsyncResultReply,
)
from spec_helpers import SPEC_PATH, load_spec, resolve, validator_for

TOKEN = "/api/v1/access_token"
POLL = "/upload/v1/oss/file/upload_async_result"
HEADERS = {"Platform": "open_platform", "Content-Type": "application/json"}


@pytest.fixture
def fake(clock: FakeClock) -> FakePan123:
    """Overrides conftest's fake, so that `make_client` drives a spec-checking one."""
    return FakePan123(clock=clock, spec=SPEC_PATH)


def auth(fake: FakePan123) -> dict[str, str]:
    return {**HEADERS, "Authorization": f"Bearer {fake.issue_token()}"}


def credentials(fake: FakePan123) -> dict[str, str]:
    return {"clientID": fake.client_id, "clientSecret": fake.client_secret}


# The real client against a spec-checking fake.


def test_a_client_waiting_for_an_upload_keeps_to_the_spec(make_client: MakeClient, fake: FakePan123) -> None:
    pid = fake.add_upload(pending_polls=1, file_id="file-1")
    client = make_client()
    assert client.wait_for_upload(pid) == "file-1"
    assert [(r.path, r.code) for r in fake.requests] == [(TOKEN, 0), (POLL, 0), (POLL, 0)]
    assert fake.violations == []


def test_retries_refreshes_and_errors_keep_to_the_spec(make_client: MakeClient, fake: FakePan123) -> None:
    fake.script("access_token", Fault.code_reply(429, "too many requests"))
    fake.script(
        "upload_async_result",
        Fault.code_reply(20103, "file is being verified"),
        Fault.code_reply(429, "too many requests"),
        Fault.expire_tokens(),
        Fault.http(502),
        Fault.drop(),
    )
    pid = fake.add_upload(pending_polls=0, file_id="file-2")
    assert make_client().wait_for_upload(pid) == "file-2"
    assert {r.code for r in fake.requests} >= {0, 401, 429, 20103, None}
    assert fake.violations == []


# Requests that break the spec are recorded, so the checks above cannot pass vacuously.

BAD_REQUESTS: list[tuple[str, str, str, dict[str, str] | None, bytes, str]] = [
    # (test id, method, path, headers (None: valid with a live token), body, expected violation)
    ("no Platform", "POST", POLL, {"Content-Type": "application/json"}, b'{"preuploadID": "p"}', "header Platform"),
    ("wrong Platform", "POST", TOKEN, {**HEADERS, "Platform": "web"}, b'{"clientID": "a", "clientSecret": "b"}',
     "header Platform at $: 'web' is not one of ['open_platform']"),
    ("integer preuploadID", "POST", POLL, None, b'{"preuploadID": 5}', "$.preuploadID: 5 is not of type 'string'"),
    ("empty preuploadID", "POST", POLL, None, b'{"preuploadID": ""}', "$.preuploadID: '' should be non-empty"),
    ("no clientSecret", "POST", TOKEN, HEADERS, b'{"clientID": "a"}', "'clientSecret' is a required property"),
    ("no token", "POST", POLL, HEADERS, b'{"preuploadID": "p"}', "Authorization: Bearer"),
    ("two spaces", "POST", POLL, {**HEADERS, "Authorization": "Bearer  t"}, b'{"preuploadID": "p"}',
     "Authorization: Bearer"),
    ("no body", "POST", POLL, None, b"", "the body is required"),
    ("not JSON", "POST", POLL, None, b"preuploadID=p", "body: not JSON"),
    ("form body", "POST", TOKEN, {**HEADERS, "Content-Type": "application/x-www-form-urlencoded"}, b"clientID=a",
     "Content-Type 'application/x-www-form-urlencoded' is not documented"),
    ("GET", "GET", POLL, None, b"", "request GET /upload/v1/oss/file/upload_async_result: no such operation"),
    ("unknown path", "POST", "/upload/v1/oss/file/rename", None, b"{}", "no such operation in the spec"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "headers", "body", "expected"), [b[1:] for b in BAD_REQUESTS],
                         ids=[b[0] for b in BAD_REQUESTS])  # fmt: skip
def test_a_request_that_breaks_the_spec_is_recorded(
    method: str, path: str, headers: dict[str, str] | None, body: bytes, expected: str
) -> None:
    fake = FakePan123(spec=SPEC_PATH, auto_uploads=True)
    with httpx.Client(transport=fake.transport(), base_url="http://fake") as http:
        http.request(method, path, headers=auth(fake) if headers is None else headers, content=body)
    assert any(expected in v and v.startswith("request ") for v in fake.violations), fake.violations
    assert not [v for v in fake.violations if not v.startswith("request ")]


def test_a_request_that_keeps_to_the_spec_is_not_recorded() -> None:
    fake = FakePan123(spec=SPEC_PATH, auto_uploads=True)
    with httpx.Client(transport=fake.transport(), base_url="http://fake") as http:
        assert http.post(TOKEN, json=credentials(fake), headers=HEADERS).json()["code"] == 0
        assert http.post(POLL, json={"preuploadID": "p"}, headers=auth(fake)).json()["code"] == 0
    assert fake.violations == []


def test_a_scripted_broken_reply_is_exempt_but_its_request_is_still_checked() -> None:
    fake = FakePan123(spec=SPEC_PATH)
    fake.script("upload_async_result", Fault.malformed(), Fault.html(), Fault.http(502))
    with httpx.Client(transport=fake.transport(), base_url="http://fake") as http:
        http.post(POLL, json={"preuploadID": "p"}, headers=auth(fake))
        http.post(POLL, json={"preuploadID": "p"}, headers=auth(fake))
        http.post(POLL, json={"preuploadID": 5}, headers=auth(fake))
    assert [v.split(" at ")[0] for v in fake.violations] == [f"request POST {POLL}: body"]


def test_a_spec_checking_fake_on_a_socket() -> None:
    fake = FakePan123(spec=SPEC_PATH, auto_uploads=True, pending_polls=0)
    with fake.serve() as url, loopback.client(url) as http:
        assert http.post(POLL, json={"preuploadID": "p"}, headers=auth(fake)).json()["data"]["completed"] is True
        assert http.post(POLL, json={"preuploadID": "p"}, headers=HEADERS).json()["code"] == 401
        assert http.head(POLL).status_code == 405
    assert [v.split(": ")[1] for v in fake.violations] == ["no `Authorization", "no such operation in the spec"]


# The reply check itself: statuses, 4XX/5XX ranges, media types and schemas.


@pytest.mark.parametrize(
    ("status", "content_type", "body", "expected"),
    [
        (200, "application/json", b'{"code": 0, "message": "ok", "data": {"completed": "yes", "fileID": ""}, '
         b'"x-traceID": "t"}', "$.data.completed: 'yes' is not of type 'boolean'"),
        (200, "application/json", b'{"code": "0", "message": "ok", "data": null, "x-traceID": "t"}',
         "$.code: '0' is not of type 'integer'"),
        (200, "application/json", b'{"code": 5066, "message": "gone", "data": null}',
         "'x-traceID' is a required property"),
        (200, "application/json", b'{"code": 4294967296, "message": "", "data": null, "x-traceID": "t"}',
         "$.code: 4294967296 is not a 'int32'"),
        (200, "text/html", b"<html></html>", "Content-Type 'text/html' is not documented (application/json)"),
        (200, "application/json", b"<html></html>", "HTTP 200: not JSON"),
        (401, "application/json", b'{"code": 404, "message": "no", "data": {}, "x-traceID": "t"}', "$.data: {}"),
        (502, "text/html", b"<html>502 Bad Gateway</html>", "Content-Type 'text/html' is not documented"),
        (302, "text/html", b"", "HTTP 302 is not a documented status (200, 401, 429, 5XX)"),
    ],
)  # fmt: skip
def test_a_reply_that_breaks_the_spec_is_found(status: int, content_type: str, body: bytes, expected: str) -> None:
    found = checker_for(SPEC_PATH).check_reply("POST", POLL, status, content_type, body)
    assert any(expected in v for v in found), found


@pytest.mark.parametrize("status", [200, 401, 429, 500, 503])
def test_error_envelopes_keep_to_the_spec_under_any_documented_status(status: int) -> None:
    body = b'{"code": 1, "message": "internal error", "data": null, "x-traceID": "t"}'
    assert checker_for(SPEC_PATH).check_reply("POST", POLL, status, "application/json; charset=utf-8", body) == []


def test_the_spec_tools_are_imported_only_for_a_spec_checking_fake() -> None:
    # pyyaml and openapi-schema-validator are no runtime dependencies of the package.
    code = "import sys, pan123_oss.testing; print(sorted({'yaml', 'openapi_schema_validator'} & set(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


# Every kind of reply the fake gives on the documented paths parses with the generated models.

Make = Callable[[FakePan123, httpx.Client], httpx.Response]


def _poll(fake: FakePan123, http: httpx.Client, pid: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return http.post(POLL, json={"preuploadID": pid}, headers=auth(fake) if headers is None else headers)


def _scripted(endpoint: str, code: int, make: Make) -> Make:
    def run(fake: FakePan123, http: httpx.Client) -> httpx.Response:
        fake.script(endpoint, Fault.code_reply(code))
        return make(fake, http)

    return run


def _completed(fake: FakePan123, http: httpx.Client) -> httpx.Response:
    pid = fake.add_upload(pending_polls=1)
    _poll(fake, http, pid)
    return _poll(fake, http, pid)


def _token(fake: FakePan123, http: httpx.Client) -> httpx.Response:
    return http.post(TOKEN, json=credentials(fake), headers=HEADERS)


def _pending(fake: FakePan123, http: httpx.Client) -> httpx.Response:
    return _poll(fake, http, fake.add_upload(pending_polls=1))


# (path, envelope code, how to get it). Not here: the 404 for an unknown path and the 405 for a method a path
# does not take, which the spec does not document (no operation, so no reply schema).
REPLY_KINDS: dict[str, tuple[str, int, Make]] = {
    "token": (TOKEN, 0, _token),
    "bad credentials": (
        TOKEN, 401, lambda fake, http: http.post(TOKEN, json={"clientID": "x", "clientSecret": "y"}, headers=HEADERS)
    ),
    "token rate limited": (TOKEN, 429, _scripted("access_token", 429, _token)),
    "pending": (POLL, 0, _pending),
    "completed": (POLL, 0, _completed),
    "being verified": (POLL, 20103, _scripted("upload_async_result", 20103, _pending)),
    "poll rate limited": (POLL, 429, _scripted("upload_async_result", 429, _pending)),
    "file missing": (POLL, 5066, lambda fake, http: _poll(fake, http, "no-such-upload")),
    "check failed": (POLL, 1, lambda fake, http: _poll(fake, http, fake.add_upload(pending_polls=0, fail_code=1))),
    "token expired": (POLL, 401, lambda fake, http: _poll(fake, http, "p", {**HEADERS, "Authorization": "Bearer x"})),
    "no Platform": (POLL, 400, lambda fake, http: _poll(fake, http, "p", {"Content-Type": "application/json"})),
}  # fmt: skip


def _response_schema(path: str, status: int) -> dict[str, Any]:
    responses = load_spec()["paths"][path]["post"]["responses"]
    schema: dict[str, Any] = resolve(responses[str(status)])["content"]["application/json"]["schema"]
    return schema


@pytest.mark.parametrize("kind", REPLY_KINDS)
def test_every_reply_of_the_fake_parses_with_the_generated_models(kind: str) -> None:
    path, code, make = REPLY_KINDS[kind]
    fake = FakePan123(spec=SPEC_PATH)
    with httpx.Client(transport=fake.transport(), base_url="http://fake") as http:
        response = make(fake, http)
    body = response.json()
    assert (response.status_code, response.headers["content-type"], body["code"]) == (200, "application/json", code)
    validator_for(_response_schema(path, response.status_code)).validate(body)
    # One reply type per operation: a success and a failure decode to the same model, `code` tells them apart.
    parsed = (AccessTokenReply if path == TOKEN else UploadAsyncResultReply).from_dict(body)
    assert (parsed.code, parsed.message, parsed.x_trace_id) == (code, body["message"], body["x-traceID"])
    assert not parsed.additional_properties
    if code == 0:
        assert isinstance(parsed.data, AccessTokenPayload if path == TOKEN else UploadAsyncResultPayload)
        assert parsed.data.to_dict() == body["data"]
    else:
        assert parsed.data is None
    assert not [v for v in fake.violations if not v.startswith("request ")]
