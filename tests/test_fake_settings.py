"""A FakePan123's settings turned after it is made apply from the next request on: the fake's parts read them at
every call rather than keeping copies, which tests that set `fake.pending_polls = 0` (and the standalone fake's
admin API) rely on."""

from __future__ import annotations

import datetime
from typing import Any

import httpx

from pan123_oss._spec import OPERATIONS
from pan123_oss.testing import FakeClock, FakePan123
from pan123_oss.testing._shape import EXTRA_FIELDS

CHINA = datetime.timezone(datetime.timedelta(hours=8))


def call(fake: FakePan123, operation_id: str, token: str | None = None, **kwargs: Any) -> dict[str, Any]:
    operation = OPERATIONS[operation_id]
    headers = {"Platform": "open_platform", **({"Authorization": f"Bearer {token}"} if token else {})}
    with httpx.Client(transport=fake.transport(), base_url="http://fake") as http:
        response = http.request(operation["method"], operation["path"], headers=headers, **kwargs)
    assert response.status_code == 200
    reply: dict[str, Any] = response.json()
    return reply


def poll(fake: FakePan123, token: str, preupload_id: str) -> dict[str, Any]:
    return call(fake, "uploadAsyncResult", token, json={"preuploadID": preupload_id})


def test_upload_settings_turned_later_apply_to_uploads_added_after() -> None:
    clock = FakeClock()
    fake = FakePan123(clock=clock, pending_polls=3)
    token = fake.issue_token()
    before = fake.add_upload()
    fake.pending_polls = 0
    fake.pending_seconds = 5.0
    after = fake.add_upload()
    assert poll(fake, token, after)["data"] == {"completed": False, "fileID": ""}  # not yet 5 s
    clock.advance(5.0)
    assert poll(fake, token, after)["data"] == {"completed": True, "fileID": fake.uploads[after].file_id}
    assert poll(fake, token, before)["data"]["completed"] is False  # an upload keeps what it was added with
    assert poll(fake, token, "never-added")["code"] == 5066
    fake.auto_uploads = True
    assert poll(fake, token, "never-added")["data"] == {"completed": False, "fileID": ""}
    clock.advance(5.0)
    assert poll(fake, token, "never-added")["data"]["completed"] is True


def test_token_settings_turned_later_apply_to_the_next_token() -> None:
    clock = FakeClock()
    fake = FakePan123(clock=clock)
    fake.token_lifetime = 10.0
    token = fake.issue_token()
    pid = fake.add_upload(pending_polls=0)
    clock.advance(9.0)
    assert poll(fake, token, pid)["code"] == 0
    clock.advance(1.0)
    assert poll(fake, token, pid)["code"] == 401
    secret = fake.client_secret
    fake.client_secret = "turned"
    refused = call(fake, "getAccessToken", json={"clientID": fake.client_id, "clientSecret": secret})
    assert (refused["code"], refused["data"]) == (401, None)
    granted = call(fake, "getAccessToken", json={"clientID": fake.client_id, "clientSecret": "turned"})["data"]
    expires = datetime.datetime.fromtimestamp(clock.time() + 10.0, CHINA).isoformat(timespec="seconds")
    assert granted["expiredAt"] == expires
    assert poll(fake, granted["accessToken"], pid)["code"] == 0
    assert fake.tokens_issued == 2


def test_reply_settings_turned_later_shape_the_next_reply() -> None:
    fake = FakePan123(clock=FakeClock())
    file_id = fake.add_file("a.png", b"png bytes")
    token = fake.issue_token()
    full = call(fake, "getFileDetail", token, params={"fileID": file_id})
    assert "s3KeyFlag" in full["data"] and not set(EXTRA_FIELDS) & set(full)
    fake.replies = "minimal"
    fake.extra_fields = True
    shaped = call(fake, "getFileDetail", token, params={"fileID": file_id})
    assert "s3KeyFlag" not in shaped["data"] and shaped["data"]["fileId"] == file_id
    assert set(EXTRA_FIELDS) <= set(shaped) and set(EXTRA_FIELDS) <= set(shaped["data"])
