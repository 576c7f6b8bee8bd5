"""The fake holds requests to the limits the docs state: a file name shorter than 255 characters, and
`sourceType` as the docs' table types it (the string "1") or as their examples send it (the number 1)."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx

from pan123_oss._spec import OPERATIONS
from pan123_oss.testing import FakePan123


def call(fake: FakePan123, operation_id: str, body: dict[str, Any]) -> dict[str, Any]:
    op = OPERATIONS[operation_id]
    headers = {"Platform": "open_platform", "Authorization": f"Bearer {fake.issue_token()}"}
    with httpx.Client(transport=fake.transport(), base_url="http://fake") as http:
        reply: dict[str, Any] = http.request(op["method"], op["path"], json=body, headers=headers).json()
    return reply


def create(fake: FakePan123, filename: str) -> dict[str, Any]:
    body = {
        "parentFileID": "",
        "filename": filename,
        "etag": hashlib.md5(b"x", usedforsecurity=False).hexdigest(),
        "size": 1,
        "type": 1,
    }
    return call(fake, "createUpload", body)


def test_a_file_name_of_254_characters_is_taken_and_one_of_255_refused() -> None:
    fake = FakePan123()
    assert create(fake, "a" * 250 + ".jpg")["code"] == 0
    refused = create(fake, "b" * 251 + ".jpg")
    assert refused["code"] != 0
    assert refused["data"] is None
    assert "longer than 254" in refused["message"]


def test_source_type_is_taken_as_the_docs_table_and_examples_write_it() -> None:
    fake = FakePan123()
    fake.add_drive_file("14802190", "a.png", b"png")
    for source_type in (1, "1"):
        body = {"fileIDs": ["14802190"], "toParentFileID": "", "sourceType": source_type, "type": 1}
        assert call(fake, "startDriveCopy", body)["code"] == 0, source_type
    body = {"fileIDs": ["14802190"], "toParentFileID": "", "sourceType": 2, "type": 1}
    assert call(fake, "startDriveCopy", body)["code"] != 0
