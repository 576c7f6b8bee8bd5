"""How the fake shapes its replies (full, minimal, extra fields) and how its spec check words each violation."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

from pan123_oss.testing import FakePan123
from pan123_oss.testing._contract import SpecChecker, checker_for
from spec_helpers import SPEC_PATH

POLL = "/upload/v1/oss/file/upload_async_result"
TOKEN = "/api/v1/access_token"
DETAIL = "/api/v1/oss/file/detail"
JSON_HEADERS = {"platform": "open_platform", "content-type": "application/json"}


def envelope(fake: FakePan123, path: str, body: Any) -> dict[str, Any]:
    headers = {**JSON_HEADERS, "authorization": f"Bearer {fake.issue_token()}"}
    reply: dict[str, Any] = json.loads(fake.handle("POST", path, headers, json.dumps(body).encode()).body)
    return reply


def test_minimal_completes_keep_the_file_id_only_when_done_at_once() -> None:
    data = b"hello"
    etag = hashlib.md5(data, usedforsecurity=False).hexdigest()
    for complete_async, expected in (
        (False, {"completed": True, "async": False}),
        (True, {"completed": False, "async": True}),
    ):
        fake = FakePan123(replies="minimal", complete_async=complete_async)
        created = envelope(
            fake,
            "/upload/v1/oss/file/create",
            {"parentFileID": "", "filename": "a.png", "etag": etag, "size": 5, "type": 1},
        )
        pid = created["data"]["preuploadID"]
        url = envelope(fake, "/upload/v1/oss/file/get_upload_url", {"preuploadID": pid, "sliceNo": 1})["data"]
        assert set(url) == {"presignedURL"}
        path, _, query = url["presignedURL"].partition("/fake-oss/")[2].partition("?")
        assert fake.handle_put("/fake-oss/" + path, query, {"content-length": "5"}, [data]).status == 200
        done = envelope(fake, "/upload/v1/oss/file/upload_complete", {"preuploadID": pid})["data"]
        if complete_async:
            assert done == expected
        else:
            assert {k: v for k, v in done.items() if k != "fileID"} == expected and done["fileID"]


def test_extra_fields_reach_objects_inside_lists() -> None:
    fake = FakePan123(extra_fields=True)
    fake.add_file("a.png", b"a")
    listed = envelope(fake, "/api/v1/oss/file/list", {"parentFileId": "", "limit": 10, "type": 1})
    entry = listed["data"]["fileList"][0]
    assert entry["x-newField"] == 1
    assert entry["newFieldFromANewerService"]["nested"] == [1, "two", None, {"deeper": True}]
    assert listed["data"]["x-newField"] == 1 and listed["x-newField"] == 1


def test_minimal_lists_keep_what_each_item_requires() -> None:
    fake = FakePan123(replies="minimal")
    fake.add_file("a.png", b"a")
    listed = envelope(fake, "/api/v1/oss/file/list", {"parentFileId": "", "limit": 10, "type": 1})
    whole = FakePan123()
    whole.add_file("a.png", b"a")
    full = envelope(whole, "/api/v1/oss/file/list", {"parentFileId": "", "limit": 10, "type": 1})
    assert "storageNode" not in listed["data"]["fileList"][0]
    assert "storageNode" in full["data"]["fileList"][0]
    assert set(listed["data"]["fileList"][0]) < {
        "fileId",
        "filename",
        "type",
        "size",
        "etag",
        "status",
        "downloadURL",
        "userSelfURL",
        "totalTraffic",
        "extension",
        "createAt",
        "updateAt",
        "parentFileId",
        "parentFilename",
        "ossIndex",
        "s3KeyFlag",
    }


def test_a_failure_carries_no_data_in_any_mode() -> None:
    for options in ({}, {"replies": "minimal"}, {"replies": "minimal", "extra_fields": True}):
        fake = FakePan123(**options)
        refused = envelope(fake, POLL, {"preuploadID": "unknown"})
        assert (refused["code"], refused["data"]) == (5066, None)


# The spec check's words.


def test_a_fresh_checker_words_each_kind_of_bad_request() -> None:
    check = SpecChecker(SPEC_PATH)  # made here, not at import, so that a mutation run sees it made
    auth = {**JSON_HEADERS, "authorization": "Bearer t"}
    body = json.dumps({"preuploadID": "p"}).encode()
    assert check.check_request("POST", "/nope", auth, body) == ["request POST /nope: no such operation in the spec"]
    assert check.check_request("post", POLL, auth, body) == []
    assert check.check_request(
        "POST", POLL, {"content-type": "application/json", "authorization": "Bearer t"}, body
    ) == [f"request POST {POLL}: required header Platform is missing"]
    assert check.check_request("POST", POLL, {**auth, "platform": "x"}, body) == [
        f"request POST {POLL}: header Platform at $: 'x' is not one of ['open_platform']"
    ]
    for bad in ({}, {"authorization": "Bearer  t"}, {"authorization": "Basic t"}, {"authorization": "Bearer "}):
        assert check.check_request("POST", POLL, {**JSON_HEADERS, **bad}, body) == [
            f"request POST {POLL}: no `Authorization: Bearer <token>` header"
        ]
    assert check.check_request("POST", TOKEN, JSON_HEADERS, b'{"clientID": "a", "clientSecret": "b"}') == []
    assert check.check_request("POST", POLL, auth, b"") == [f"request POST {POLL}: the body is required"]
    assert check.check_request("POST", POLL, {**auth, "content-type": "text/plain"}, body) == [
        f"request POST {POLL}: body: Content-Type 'text/plain' is not documented (application/json)"
    ]
    assert check.check_request("POST", POLL, {**auth, "content-type": "Application/JSON; charset=utf-8"}, body) == []
    assert check.check_request("POST", POLL, auth, b"{") == [f"request POST {POLL}: body: not JSON"]
    assert check.check_request("GET", DETAIL, {"platform": "open_platform", "authorization": "Bearer t"}, b"") == []


def test_a_fresh_checker_cuts_a_long_schema_error_to_200_characters() -> None:
    check = SpecChecker(SPEC_PATH)  # made here, not at import, so that a mutation run sees it made
    auth = {**JSON_HEADERS, "authorization": "Bearer t"}
    (problem,) = check.check_request("POST", POLL, auth, json.dumps({"preuploadID": ["x" * 500]}).encode())
    prefix = f"request POST {POLL}: body at $.preuploadID: "
    assert problem.startswith(prefix) and problem.endswith("...")
    assert len(problem) == len(prefix) + 200 + 3
    (short,) = check.check_request("POST", POLL, auth, json.dumps({"preuploadID": 5}).encode())
    assert short == f"request POST {POLL}: body at $.preuploadID: 5 is not of type 'string'"


def test_a_fresh_checker_skips_unknown_operations_and_matches_status_ranges() -> None:
    check = SpecChecker(SPEC_PATH)  # made here, not at import, so that a mutation run sees it made
    assert check.check_reply("POST", "/nope", 200, "text/html", b"x") == []
    good = b'{"code": 1, "message": "m", "data": null, "x-traceID": "t"}'
    assert check.check_reply("post", POLL, 599, "application/json", good) == []
    assert check.check_reply("POST", POLL, 404, "application/json", good) == [
        f"reply to POST {POLL}: HTTP 404 is not a documented status (200, 401, 429, 5XX)"
    ]


def test_a_checker_is_shared_per_file_until_the_file_changes(tmp_path: Path) -> None:
    copy = tmp_path / "openapi.yaml"
    shutil.copy(SPEC_PATH, copy)
    first = checker_for(copy)
    assert checker_for(str(copy)) is first
    stat = copy.stat()
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert checker_for(copy) is not first
