"""What the fake 123pan answers, pinned where a slip in it would let a client bug through: every scripted fault,
the refusals (route, method, headers, token, rate, request shape), slice PUTs and downloads, the in-process
transport's timing on a fake clock, and the standalone fake's admin API. In process: `FakePan123.handle` and
its transport, which are what a test of a client talks to."""

from __future__ import annotations

import asyncio
import datetime
import json
from typing import Any

import httpx
import pytest

from pan123_oss.testing import FakeClock, FakePan123, FakeReply, Fault

TOKEN = "/api/v1/access_token"
POLL = "/upload/v1/oss/file/upload_async_result"
CREATE = "/upload/v1/oss/file/create"
SLICE_URL = "/upload/v1/oss/file/get_upload_url"
COMPLETE = "/upload/v1/oss/file/upload_complete"
MKDIR = "/upload/v1/oss/file/mkdir"
LIST = "/api/v1/oss/file/list"
DETAIL = "/api/v1/oss/file/detail"
COPY_FAIL = "/api/v1/oss/source/copy/fail"
OFFLINE_PROCESS = "/api/v1/oss/offline/download/process"
JSON_HEADERS = {"Platform": "open_platform", "Content-Type": "application/json"}


def call(
    fake: FakePan123,
    path: str,
    body: Any = None,
    *,
    method: str = "POST",
    query: str = "",
    headers: dict[str, str] | None = None,
    token: str | None = "issue",  # noqa: S107 - a word, not a secret: issue a fresh token
) -> tuple[FakeReply, dict[str, Any]]:
    """One API request in process: the reply, and its JSON envelope ({} when the body is no JSON)."""
    sent = dict(JSON_HEADERS if headers is None else headers)
    if token is not None:
        sent["Authorization"] = f"Bearer {fake.issue_token() if token == 'issue' else token}"
    raw = b"" if body is None else json.dumps(body).encode()
    reply = fake.handle(method, path, sent, raw, query=query, origin="http://here.test")
    try:
        envelope = json.loads(reply.body)
    except ValueError:
        envelope = {}
    return reply, envelope


def poll(fake: FakePan123, pid: str) -> dict[str, Any]:
    return call(fake, POLL, {"preuploadID": pid})[1]


# Scripted faults.


def test_a_code_fault_answers_that_code_once_with_http_200() -> None:
    fake = FakePan123()
    pid = fake.add_upload(pending_polls=0, file_id="f")
    fake.script("upload_async_result", Fault.code_reply(20103), Fault.code_reply(5, "five", retry_after=2.6))
    reply, envelope = call(fake, POLL, {"preuploadID": pid})
    assert (reply.status, envelope["code"], envelope["message"], envelope["data"]) == (
        200,
        20103,
        "fake error 20103",
        None,
    )
    assert reply.headers == () and reply.code == 20103
    reply, envelope = call(fake, POLL, {"preuploadID": pid})
    assert (envelope["code"], envelope["message"], reply.headers) == (5, "five", (("Retry-After", "3"),))
    assert poll(fake, pid)["data"] == {"completed": True, "fileID": "f"}
    assert fake.uploads[pid].polls == 1  # faulted requests never reached the rules


def test_http_html_and_malformed_faults() -> None:
    fake = FakePan123()
    fake.script("upload_async_result", Fault.http(), Fault.http(503, b"down"), Fault.html(), Fault.malformed())
    replies = [call(fake, POLL, {"preuploadID": "p"})[0] for _ in range(4)]
    assert [(r.status, r.content_type, r.scripted) for r in replies] == [(502, "text/html", True)] * 1 + [
        (503, "text/html", True),
        (200, "text/html", True),
        (200, "text/html", True),
    ]
    assert replies[0].body == b"<html><body>502 Bad Gateway</body></html>"
    assert replies[1].body == b"down"
    assert replies[2].body == b"<!doctype html><title>maintenance</title>"
    assert json.loads(replies[3].body) == {"code": 0, "message": "ok", "data": {"completed": "yes"}}


def test_a_huge_fault_is_a_json_body_of_about_its_size() -> None:
    fake = FakePan123()
    fake.script("create", Fault.huge(1000), Fault.huge())
    small, _ = call(fake, CREATE, {})
    assert (small.status, small.content_type, small.scripted) == (200, "application/json", True)
    assert len(small.body) == 1000 + len(b'{"code": 0, "message": "", "data": null}')
    assert json.loads(small.body)["message"] == "x" * 1000
    assert len(call(fake, CREATE, {})[0].body) > 4 << 20


def test_drop_slow_and_trickle_faults() -> None:
    fake = FakePan123()
    pid = fake.add_upload(pending_polls=5)
    fake.script("upload_async_result", Fault.drop(), Fault.slow(2.5), Fault.trickle(), Fault.trickle(0.5))
    dropped, _ = call(fake, POLL, {"preuploadID": pid})
    assert (dropped.drop, dropped.scripted, dropped.body) == (True, True, b"")
    slow, envelope = call(fake, POLL, {"preuploadID": pid})
    assert (slow.delay, envelope["code"]) == (2.5, 0)
    trickled, envelope = call(fake, POLL, {"preuploadID": pid})
    assert (trickled.trickle, trickled.delay, envelope["code"]) == (0.2, 0.0, 0)
    assert call(fake, POLL, {"preuploadID": pid})[0].trickle == 0.5
    assert call(fake, POLL, {"preuploadID": pid})[0].delay == 0.0
    assert fake.uploads[pid].polls == 4


def test_an_expire_fault_expires_every_token_before_the_request() -> None:
    fake = FakePan123()
    token = fake.issue_token()
    fake.script("create", Fault.expire_tokens())
    _, envelope = call(fake, CREATE, {}, token=token)
    assert envelope["code"] == 401
    assert call(fake, POLL, {"preuploadID": "p"}, token=token)[1]["code"] == 401


def test_faults_are_kept_per_endpoint_under_old_and_new_names() -> None:
    fake = FakePan123()
    fake.script("file_detail", Fault.code_reply(7))
    fake.script("getAccessToken", Fault.code_reply(8))
    assert call(fake, CREATE, {})[1]["code"] != 7
    assert call(fake, DETAIL, method="GET", query="fileID=x", headers={"Platform": "open_platform"})[1]["code"] == 7
    assert call(fake, TOKEN, {}, token=None)[1]["code"] == 8


def test_an_unknown_endpoint_cannot_be_scripted() -> None:
    with pytest.raises(ValueError, match=r"^endpoint must be one of \['access_token', 'completeUpload', "):
        FakePan123().script("uploads", Fault.drop())


# Refusals.


def test_an_unknown_path_is_404_and_a_wrong_method_405_with_allow() -> None:
    fake = FakePan123()
    reply, envelope = call(fake, "/api/v1/nothing", {})
    assert (reply.status, reply.code, envelope["message"]) == (404, 404, "no such endpoint: POST /api/v1/nothing")
    reply, envelope = call(fake, CREATE, method="GET")
    assert (reply.status, envelope["message"], reply.headers) == (
        405,
        f"method not allowed: GET {CREATE}",
        (("Allow", "POST"),),
    )


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({"Content-Type": "application/json"}, "Platform header must be open_platform"),
        ({"Platform": "Open_Platform", "Content-Type": "application/json"}, "Platform header must be open_platform"),
        ({"Platform": "open_platform"}, "Content-Type must be application/json"),
        ({"Platform": "open_platform", "Content-Type": "text/plain"}, "Content-Type must be application/json"),
    ],
)
def test_a_post_needs_the_platform_header_and_json(headers: dict[str, str], message: str) -> None:
    fake = FakePan123()
    pid = fake.add_upload()
    _, envelope = call(fake, POLL, {"preuploadID": pid}, headers=headers)
    assert (envelope["code"], envelope["message"]) == (400, message)
    assert fake.uploads[pid].polls == 0


def test_a_json_body_must_be_an_object() -> None:
    _, envelope = call(FakePan123(), POLL, ["p"])
    assert (envelope["code"], envelope["message"]) == (400, "body must be a JSON object")
    fake = FakePan123()
    reply = fake.handle("POST", POLL, {**JSON_HEADERS, "Authorization": f"Bearer {fake.issue_token()}"}, b"{bad")
    assert json.loads(reply.body)["message"] == "body must be a JSON object"


def test_a_get_may_say_json_or_nothing_but_not_another_type() -> None:
    fake = FakePan123()
    file_id = fake.add_file("a.png", b"a")
    for headers in ({"Platform": "open_platform"}, JSON_HEADERS):
        assert call(fake, DETAIL, method="GET", query=f"fileID={file_id}", headers=headers)[1]["code"] == 0
    bad = {"Platform": "open_platform", "Content-Type": "text/plain; charset=utf-8"}
    assert call(fake, DETAIL, method="GET", query=f"fileID={file_id}", headers=bad)[1]["code"] == 400


def test_a_token_is_live_until_its_expiry_on_the_fakes_clock() -> None:
    clock = FakeClock()
    fake = FakePan123(clock=clock)
    token = fake.issue_token(lifetime=10)
    pid = fake.add_upload(pending_polls=9)
    clock.advance(9.5)
    assert call(fake, POLL, {"preuploadID": pid}, token=token)[1]["code"] == 0
    clock.advance(0.5)  # at the expiry itself: expired
    _, envelope = call(fake, POLL, {"preuploadID": pid}, token=token)
    assert (envelope["code"], envelope["message"]) == (401, "access token is invalid or expired")
    fake.expire_tokens()
    assert call(fake, POLL, {"preuploadID": pid})[1]["code"] == 0  # a new one works


def test_the_token_call_checks_both_credentials_and_dates_in_china_time() -> None:
    clock = FakeClock(wall=1_750_000_000.0)
    fake = FakePan123(clock=clock, token_lifetime=3600)
    ok = {"clientID": fake.client_id, "clientSecret": fake.client_secret}
    for body in ({**ok, "clientSecret": "no"}, {**ok, "clientID": "no"}):
        _, envelope = call(fake, TOKEN, body, token=None)
        assert (envelope["code"], envelope["message"], envelope["data"]) == (
            401,
            "clientID or clientSecret is invalid",
            None,
        )
    _, envelope = call(fake, TOKEN, ok, token=None)
    assert envelope["data"]["expiredAt"] == "2025-06-16T00:06:40+08:00"
    assert envelope["data"]["accessToken"].startswith("fake.")
    assert fake.tokens_issued == 1
    stamp = datetime.datetime.fromisoformat(envelope["data"]["expiredAt"]).timestamp()
    assert stamp == 1_750_000_000 + 3600


# Rate limits.


def test_qps_refuses_past_the_limit_within_a_sliding_second() -> None:
    clock = FakeClock()
    fake = FakePan123(clock=clock, qps={"upload_async_result": 2})
    pid = fake.add_upload(pending_polls=99)
    assert [poll(fake, pid)["code"] for _ in range(3)] == [0, 0, 429]
    assert poll(fake, pid)["message"] == "操作频繁\uff0c请稍后再试"
    assert fake.throttled[POLL] == 2
    assert [r.limited for r in fake.requests] == [False, False, True, True]
    clock.advance(0.999)
    assert poll(fake, pid)["code"] == 429
    clock.advance(0.001)  # a second after the first two: they no longer count
    assert [poll(fake, pid)["code"] for _ in range(3)] == [0, 0, 429]
    assert fake.uploads[pid].polls == 4


def test_qps_is_per_endpoint_and_can_be_lifted() -> None:
    fake = FakePan123(clock=FakeClock())
    fake.set_qps("uploadAsyncResult", 1)
    pid = fake.add_upload(pending_polls=99)
    assert [poll(fake, pid)["code"] for _ in range(2)] == [0, 429]
    assert call(fake, CREATE, {})[1]["code"] != 429
    fake.set_qps(POLL, None)
    assert fake.qps == {}
    assert poll(fake, pid)["code"] == 0


@pytest.mark.parametrize("limit", [0, -1, True, "3", float("nan")])
def test_qps_must_be_a_positive_number(limit: Any) -> None:
    with pytest.raises(ValueError, match=r"^qps for 'create' must be a positive number of requests a second, got "):
        FakePan123().set_qps("create", limit)


def test_a_fractional_qps_is_kept() -> None:
    fake = FakePan123()
    fake.set_qps("create", 0.5)
    assert fake.qps == {CREATE: 0.5}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"replies": "some"}, r"^replies must be one of \('full', 'minimal'\)"),
        ({"latency": -0.1}, r"^latency must be 0 or more seconds, got -0\.1"),
        ({"latency": float("nan")}, r"^latency must be 0 or more seconds, got nan"),
        ({"bandwidth": 0}, r"^bandwidth must be a positive number of bytes a second, or None, got 0"),
    ],
)
def test_bad_options_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FakePan123(**options)


# Request shapes.


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (SLICE_URL, {"preuploadID": "p", "sliceNo": 0}, "body.sliceNo is below 1"),
        (SLICE_URL, {"preuploadID": "p", "sliceNo": 2**63}, "body.sliceNo does not fit 64 bits"),
        (LIST, {"parentFileId": "", "limit": 101, "type": 1}, "body.limit is above 100"),
        (POLL, {"preuploadID": ""}, "body.preuploadID is shorter than 1"),
    ],
)
def test_values_out_of_the_specs_ranges_are_400(path: str, body: dict[str, Any], message: str) -> None:
    _, envelope = call(FakePan123(), path, body)
    assert (envelope["code"], envelope["message"]) == (400, message)


def test_query_parameters_are_required_and_typed() -> None:
    fake = FakePan123()
    headers = {"Platform": "open_platform"}
    _, envelope = call(fake, COPY_FAIL, method="GET", query="taskID=t&limit=1", headers=headers)
    assert envelope["message"] == "query parameter page is required"
    _, envelope = call(fake, COPY_FAIL, method="GET", query="taskID=t&limit=x&page=1", headers=headers)
    assert envelope["message"] == "query parameter limit is not an integer"
    _, envelope = call(fake, COPY_FAIL, method="GET", query="taskID=t&limit=101&page=0", headers=headers)
    assert envelope["message"] == "query parameter limit is above 100; query parameter page is below 1"
    _, envelope = call(fake, COPY_FAIL, method="GET", query="taskID=t&limit=-1&page=1", headers=headers)
    assert envelope["message"] == "query parameter limit is below 1"
    _, envelope = call(fake, OFFLINE_PROCESS, method="GET", query="taskID=403316", headers=headers)
    assert (envelope["code"], envelope["message"]) == (5066, "任务不存在")


def test_mkdir_takes_a_plain_string_name_as_the_docs_example_does() -> None:
    fake = FakePan123()
    _, envelope = call(fake, MKDIR, {"name": "pics", "parentID": "", "type": 1})
    assert envelope["code"] == 0
    assert [f.name for f in fake.oss.folders.values()] == ["pics"]
    _, envelope = call(fake, MKDIR, {"name": "", "parentID": "", "type": 1})
    assert (envelope["code"], envelope["message"]) == (400, "body.name is not an array")
    _, envelope = call(fake, MKDIR, {"name": ["x" * 256], "parentID": "", "type": 1})
    assert (envelope["code"], envelope["message"]) == (400, 'a folder name is 1 to 255 characters, none of "\\/:*?|><')


def test_every_request_is_recorded_with_its_code() -> None:
    clock = FakeClock()
    fake = FakePan123(clock=clock)
    pid = fake.add_upload(pending_polls=0)
    clock.advance(5)
    poll(fake, pid)
    call(fake, CREATE, {}, token="nope")
    first, second = fake.requests
    assert (first.time, first.method, first.path, first.code, first.preupload_id) == (1005.0, "POST", POLL, 0, pid)
    assert first.headers["platform"] == "open_platform" and first.body == {"preuploadID": pid}
    assert (second.code, second.preupload_id) == (401, None)
    assert fake.polls(pid) == [first]


def test_an_unpolled_upload_is_unknown_unless_uploads_are_automatic() -> None:
    _, envelope = call(FakePan123(), POLL, {"preuploadID": "p-1"})
    assert (envelope["code"], envelope["message"]) == (5066, "file does not exist")
    fake = FakePan123(auto_uploads=True, pending_polls=1)
    assert poll(fake, "p-1")["data"] == {"completed": False, "fileID": ""}
    done = poll(fake, "p-1")["data"]
    assert done["completed"] is True and done["fileID"].startswith("fake-file-")


def test_a_failing_upload_fails_after_its_pending_polls() -> None:
    fake = FakePan123()
    pid = fake.add_upload(pending_polls=1, fail_code=77, fail_message="bad merge")
    assert poll(fake, pid)["code"] == 0
    envelope = poll(fake, pid)
    assert (envelope["code"], envelope["message"]) == (77, "bad merge")


def test_add_upload_takes_the_fakes_defaults_unless_told() -> None:
    clock = FakeClock()
    fake = FakePan123(clock=clock, pending_polls=3, pending_seconds=4.0)
    pid = fake.add_upload()
    upload = fake.uploads[pid]
    assert (upload.pending_polls, upload.pending_seconds, upload.created, upload.fail_code) == (3, 4.0, 1000.0, None)
    assert upload.file_id.startswith("fake-file-") and pid.startswith("fake-preupload-")
    other = fake.uploads[fake.add_upload("mine", file_id="f", pending_polls=0, pending_seconds=0.0)]
    assert (other.preupload_id, other.file_id, other.pending_polls, other.pending_seconds) == ("mine", "f", 0, 0.0)


def test_a_drive_file_id_is_digits() -> None:
    fake = FakePan123()
    with pytest.raises(ValueError, match=r"^a drive file ID is a string of digits"):
        fake.add_drive_file("14x", "a.png", b"a")
    fake.add_drive_file("14", "a.png", b"a")
    assert fake.imports.drive["14"].name == "a.png"


def test_every_operation_of_the_spec_has_rules() -> None:
    fake = FakePan123()
    assert len(fake.implemented()) == 16
    assert {"getAccessToken", "createUpload", "getOfflineDownloadProcess"} <= fake.implemented()


def test_extra_fields_reach_the_envelope_and_every_object() -> None:
    fake = FakePan123(extra_fields=True)
    _, envelope = call(fake, TOKEN, {"clientID": fake.client_id, "clientSecret": fake.client_secret}, token=None)
    assert envelope["x-newField"] == 1 and envelope["data"]["x-newField"] == 1
    _, refused = call(fake, TOKEN, {}, token=None)
    assert refused["x-newField"] == 1 and refused["data"] is None


def test_minimal_replies_keep_only_what_the_spec_requires_and_what_the_docs_promise() -> None:
    fake = FakePan123(replies="minimal")
    etag = "0" * 32
    _, envelope = call(fake, CREATE, {"parentFileID": "", "filename": "a.png", "etag": etag, "size": 1, "type": 1})
    assert set(envelope["data"]) == {"reuse", "preuploadID", "sliceSize"}
    fake.add_file("x.png", b"x")
    import hashlib

    known = hashlib.md5(b"x", usedforsecurity=False).hexdigest()
    _, envelope = call(fake, CREATE, {"parentFileID": "", "filename": "b.png", "etag": known, "size": 1, "type": 1})
    assert envelope["data"] == {"reuse": True, "fileID": envelope["data"]["fileID"]}


# Slice PUTs and downloads.


def _slot(fake: FakePan123, data: bytes) -> tuple[str, str]:
    """A fresh upload of `data` in one slice: its preupload ID and the path?query of its slice URL."""
    import hashlib

    etag = hashlib.md5(data, usedforsecurity=False).hexdigest()
    _, made = call(fake, CREATE, {"parentFileID": "", "filename": "a.bin", "etag": etag, "size": len(data), "type": 1})
    pid = made["data"]["preuploadID"]
    _, url = call(fake, SLICE_URL, {"preuploadID": pid, "sliceNo": 1})
    return pid, url["data"]["presignedURL"].removeprefix("http://here.test")


def put(fake: FakePan123, target: str, data: bytes, headers: dict[str, str] | None = None) -> FakeReply:
    path, _, query = target.partition("?")
    sent = {"Content-Length": str(len(data))} if headers is None else headers
    return fake.handle_put(path, query, sent, [data[:2], data[2:]])


def test_a_slice_put_is_stored_and_counted() -> None:
    fake = FakePan123()
    pid, target = _slot(fake, b"hello")
    reply = put(fake, target, b"hello")
    assert (reply.status, reply.body, reply.content_type) == (200, b"", "text/plain")
    part = fake.oss.sessions[pid].parts[1]
    assert (part.size, part.md5) == (5, "5d41402abc4b2a76b9719d911017c592")
    assert fake.max_puts_in_flight == 1
    assert fake.requests[-1].method == "PUT" and fake.requests[-1].code is None


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ("signature", 403, "SignatureDoesNotMatch"),
        ("slot", 403, "SignatureDoesNotMatch"),
        ("authorization", 400, "a presigned URL takes no Authorization or Platform header"),
        ("platform", 400, "a presigned URL takes no Authorization or Platform header"),
        ("no-length", 411, "MissingContentLength"),
        ("short-length", 400, "IncompleteBody"),
    ],
)
def test_a_bad_slice_put_is_refused_with_an_xml_error(change: str, status: int, code: str | None) -> None:
    fake = FakePan123()
    pid, target = _slot(fake, b"hello")
    headers = {"Content-Length": "5"}
    if change == "signature":
        target = target.replace("signature=", "signature=0")
    elif change == "slot":
        target = target.replace("/fake-oss/", "/fake-oss/x")
    elif change == "authorization":
        headers["Authorization"] = "Bearer t"
    elif change == "platform":
        headers["Platform"] = "open_platform"
    elif change == "no-length":
        headers = {}
    else:
        headers["Content-Length"] = "4"
    reply = put(fake, target, b"hello", headers)
    assert (reply.status, reply.content_type) == (status, "application/xml")
    if code is not None:
        assert reply.body == f"<?xml version='1.0'?><Error><Code>{code}</Code></Error>".encode()
    assert fake.oss.sessions[pid].parts == {}


def test_a_slice_url_expires() -> None:
    clock = FakeClock()
    fake = FakePan123(clock=clock, url_lifetime=60)
    _pid, target = _slot(fake, b"hello")
    assert f"expires={1060}&" in target
    clock.advance(60)
    assert put(fake, target, b"hello").status == 200
    clock.advance(0.5)
    reply = put(fake, target, b"hello")
    assert (reply.status, reply.body) == (403, b"<?xml version='1.0'?><Error><Code>Request has expired</Code></Error>")


def test_put_faults() -> None:
    fake = FakePan123(clock=FakeClock())
    pid, target = _slot(fake, b"hello")
    fake.script("put", Fault.code_reply(5), Fault.http(500), Fault.drop(), Fault.expire_tokens(), Fault.damage())
    assert json.loads(put(fake, target, b"hello").body)["code"] == 5
    assert put(fake, target, b"hello").status == 500
    assert put(fake, target, b"hello").drop
    assert put(fake, target, b"hello").status == 403
    assert fake.oss.sessions[pid].parts == {}
    assert put(fake, target, b"hello").status == 200
    part = fake.oss.sessions[pid].parts[1]
    part.blob.seek(0)
    assert (part.size, part.blob.read()) == (5, bytes([ord("h") ^ 0xFF]) + b"ello")
    fake.script("put", Fault.short(), Fault.slow(3))
    assert put(fake, target, b"hello").status == 200
    part = fake.oss.sessions[pid].parts[1]
    part.blob.seek(0)
    assert (part.size, part.blob.read()) == (4, b"hell")
    assert put(fake, target, b"hello").status == 200
    assert fake.clock.sleeps == [3]  # type: ignore[attr-defined]


def test_downloads_serve_the_bytes_count_traffic_and_refuse_writes() -> None:
    fake = FakePan123()
    file_id = fake.add_file("a.png", b"image")
    path = f"/fake-files/{file_id}.png"
    reply = fake.handle_download("GET", path, {})
    assert (reply.status, reply.body, reply.content_type) == (200, b"image", "application/octet-stream")
    assert fake.oss.files[file_id].traffic == 5
    assert fake.handle_download("HEAD", path, {}).status == 200
    refused = fake.handle_download("POST", path, {})
    assert (refused.status, refused.headers) == (405, (("Allow", "GET, HEAD"),))
    missing = fake.handle_download("GET", "/fake-files/nope.png", {})
    assert (missing.status, missing.content_type) == (404, "text/plain")
    fake.set_review_status(file_id, 101)
    assert fake.handle_download("GET", path, {}).status == 403
    fake.set_review_status(file_id, 100)
    assert fake.handle_download("GET", path, {}).status == 200
    assert [r.method for r in fake.requests] == ["GET", "HEAD", "POST", "GET", "GET", "GET"]


# The in-process transport.


def test_the_transport_waits_a_slow_reply_out_on_the_fake_clock() -> None:
    clock = FakeClock()
    fake = FakePan123(clock=clock)
    fake.script("create", Fault.slow(4), Fault.slow(4), Fault.trickle(0.001))
    with httpx.Client(transport=fake.transport(), base_url="http://here.test") as http:
        assert http.post(CREATE, json={}, headers=JSON_HEADERS).status_code == 200
        assert clock.sleeps == [4]
        with pytest.raises(httpx.ReadTimeout):
            http.post(CREATE, json={}, headers=JSON_HEADERS, timeout=httpx.Timeout(5, read=1.5))
        assert clock.sleeps == [4, 1.5]
        body = http.post(CREATE, json={}, headers=JSON_HEADERS).content
        assert clock.sleeps[-1] == pytest.approx(0.001 * len(body))


def test_the_async_transport_too() -> None:
    clock = FakeClock()
    fake = FakePan123(clock=clock)
    fake.script("create", Fault.slow(4), Fault.slow(4), Fault.drop())

    async def run() -> None:
        async with httpx.AsyncClient(transport=fake.transport(), base_url="http://here.test") as http:
            assert (await http.post(CREATE, json={}, headers=JSON_HEADERS)).status_code == 200
            with pytest.raises(httpx.ReadTimeout):
                await http.post(CREATE, json={}, headers=JSON_HEADERS, timeout=httpx.Timeout(5, read=2))
            with pytest.raises(httpx.RemoteProtocolError):
                await http.post(CREATE, json={}, headers=JSON_HEADERS)

    asyncio.run(run())
    assert clock.sleeps == [4, 2]


def test_the_transport_routes_puts_downloads_and_headers() -> None:
    fake = FakePan123()
    file_id = fake.add_file("a.png", b"image")
    with httpx.Client(transport=fake.transport(), base_url="http://here.test") as http:
        got = http.get(f"/fake-files/{file_id}.png")
        assert (got.status_code, got.content, got.headers["content-type"]) == (
            200,
            b"image",
            "application/octet-stream",
        )
        refused = http.post(f"/fake-files/{file_id}.png")
        assert (refused.status_code, refused.headers["allow"]) == (405, "GET, HEAD")
        assert http.put("/fake-oss/nothing?signature=x", content=b"a").status_code == 403
        fake.script("create", Fault.code_reply(429, retry_after=1))
        assert http.post(CREATE, json={}, headers=JSON_HEADERS).headers["retry-after"] == "1"
        fake.script("create", Fault.drop())
        with pytest.raises(httpx.RemoteProtocolError, match="Server disconnected without sending a response"):
            http.post(CREATE, json={}, headers=JSON_HEADERS)


def test_download_urls_point_at_the_origin_the_client_used() -> None:
    fake = FakePan123()
    file_id = fake.add_file("a.png", b"image")
    with httpx.Client(transport=fake.transport(), base_url="http://elsewhere.test:8080") as http:
        token = fake.issue_token()
        detail = http.get(
            DETAIL,
            params={"fileID": file_id},
            headers={"Platform": "open_platform", "Authorization": f"Bearer {token}"},
        ).json()
    assert detail["data"]["downloadURL"] == f"http://elsewhere.test:8080/fake-files/{file_id}.png"


# The fake's clock.


def test_the_fake_clock_moves_only_when_told() -> None:
    clock = FakeClock(monotonic=5.0, wall=100.0)
    assert (clock.monotonic(), clock.time()) == (5.0, 100.0)
    clock.advance(2.5)
    assert (clock.monotonic(), clock.time()) == (7.5, 102.5)
    clock.advance(0)
    with pytest.raises(ValueError, match=r"^time does not run backwards$"):
        clock.advance(-0.1)
    clock.sleep(1)
    asyncio.run(clock.async_sleep(2))
    assert (clock.sleeps, clock.monotonic()) == ([1, 2], 10.5)
    default = FakeClock()
    assert (default.monotonic(), default.time(), default.sleeps) == (1000.0, 1_750_000_000.0, [])
