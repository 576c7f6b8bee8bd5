"""The fake's image host beyond uploads: routes from the spec, folders, listing, detail and links, move, delete,
drive copies and offline downloads; and its two ways of answering (every field, or only what the spec requires
plus fields no spec knows yet), which the real clients must take in their stride."""

from __future__ import annotations

import hashlib
import io
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from conftest import REPLY_SHAPES, Both, MakeClient, every_reply_shape

import loopback
import pan123_oss
from pan123_oss import _spec
from pan123_oss._spec import OPERATIONS, SCHEMAS
from pan123_oss.testing import FakeClock, FakePan123, Fault
from pan123_oss.testing._shape import EXTRA_FIELDS
from spec_helpers import SPEC_PATH

FILE_FIELDS = {
    "fileId", "filename", "type", "size", "etag", "status", "createAt", "updateAt", "downloadURL", "userSelfURL",
    "totalTraffic", "parentFileId", "parentFilename", "extension",
}  # fmt: skip
"""The 14 documented fields of a file in detail and list replies [doc]."""
OFFLINE_FOLDER = "来自:离线下载"


class Api:
    """Calls the fake by operation ID over httpx, with a live token; paths and methods come from the spec."""

    def __init__(self, fake: FakePan123, http: httpx.Client | None = None) -> None:
        self.fake = fake
        self.http = http or httpx.Client(transport=fake.transport(), base_url="http://fake")
        self.headers = {"Platform": "open_platform", "Authorization": f"Bearer {fake.issue_token()}"}

    def call(self, operation_id: str, body: Any = None, **query: Any) -> dict[str, Any]:
        op = OPERATIONS[operation_id]
        if op["body"] is not None:
            response = self.http.request(op["method"], op["path"], json=body, headers=self.headers)
        else:
            response = self.http.request(op["method"], op["path"], params=query, headers=self.headers)
        assert response.status_code == 200
        reply: dict[str, Any] = response.json()
        assert set(reply) >= {"code", "message", "data", "x-traceID"}
        if reply["code"] != 0:
            assert reply["data"] is None
        return reply

    def refused(self, operation_id: str, body: Any = None, **query: Any) -> dict[str, Any]:
        """A call the fake must refuse; a request that breaks the spec on purpose is not counted as a violation."""
        seen = len(self.fake.violations)
        reply = self.call(operation_id, body, **query)
        assert reply["code"] != 0, reply
        found = self.fake.violations[seen:]
        assert not [v for v in found if not v.startswith("request ")], found
        del self.fake.violations[seen:]
        return reply

    def ok(self, operation_id: str, body: Any = None, **query: Any) -> Any:
        reply = self.call(operation_id, body, **query)
        assert reply["code"] == 0, reply
        return reply["data"]

    def mkdir(self, name: str, parent: str = "") -> str:
        folder_id: str = self.ok("createFolder", {"name": [name], "parentID": parent, "type": 1})["list"][0]["dirID"]
        return folder_id

    def entries(self, parent: str | None = None, limit: int = 100, **more: Any) -> list[dict[str, Any]]:
        """Every entry of a folder, page after page."""
        body: dict[str, Any] = {"limit": limit, "type": 1, **more}
        if parent is not None:
            body["parentFileId"] = parent
        found: list[dict[str, Any]] = []
        while True:
            page = self.ok("listFiles", body)
            found += page["fileList"]
            if page["lastFileId"] == "-1":
                return found
            body["lastFileId"] = page["lastFileId"]

    def upload(self, name: str, data: bytes, parent: str = "") -> str:
        """The whole upload flow, as a client does it; returns the file ID."""
        etag = md5(data)
        created = self.ok("createUpload", {"parentFileID": parent, "filename": name, "etag": etag, "size": len(data),
                                           "type": 1})  # fmt: skip
        if created["reuse"]:
            file_id: str = created["fileID"]
            return file_id
        pid, size = created["preuploadID"], created["sliceSize"]
        for number, start in enumerate(range(0, max(len(data), 1), size), 1):
            url = self.ok("getUploadUrl", {"preuploadID": pid, "sliceNo": number})["presignedURL"]
            assert self.http.put(url, content=data[start : start + size]).status_code == 200
        done = self.ok("completeUpload", {"preuploadID": pid})
        while not done["completed"]:
            done = self.ok("uploadAsyncResult", {"preuploadID": pid})
        file_id = done["fileID"]
        return file_id

    def download(self, url: str) -> httpx.Response:
        return self.http.get(url)


def md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def fields(entry: dict[str, Any]) -> set[str]:
    return set(entry) - set(EXTRA_FIELDS)


replies = every_reply_shape()


@pytest.fixture
def host(replies: str, clock: FakeClock) -> Iterator[FakePan123]:
    """A spec-checking fake on the fake clock, answering in full or minimally with unknown fields."""
    fake = FakePan123(clock=clock, spec=SPEC_PATH, slice_size=1000, pending_polls=1, **REPLY_SHAPES[replies])
    yield fake
    assert fake.violations == [], "\n".join(fake.violations)


@pytest.fixture
def api(host: FakePan123) -> Iterator[Api]:
    api = Api(host)
    yield api
    api.http.close()


# Routes come from the spec.


def test_every_operation_in_the_spec_is_routed(api: Api) -> None:
    for operation_id, op in OPERATIONS.items():
        wrong = "PUT" if op["method"] == "POST" else "DELETE"
        response = api.http.request(wrong, op["path"], headers=api.headers)
        assert (response.status_code, response.headers["allow"]) == (405, op["method"]), operation_id
        if op["authenticated"]:
            anonymous = {"Platform": "open_platform", "Content-Type": "application/json"}
            reply = api.http.request(op["method"], op["path"], headers=anonymous, content=b"{}").json()
            assert (reply["code"], reply["data"]) == (401, None), operation_id
    api.fake.violations.clear()  # the requests above broke the spec on purpose


def test_an_operation_the_fake_does_not_know_answers_not_implemented(monkeypatch: pytest.MonkeyPatch) -> None:
    # As if the spec gained an endpoint and `nox -s generate` rewrote the tables: no edit of the fake.
    monkeypatch.setitem(
        _spec.OPERATIONS, "renameFile",
        {"authenticated": True, "body": "FileDeleteBody", "method": "POST", "path": "/api/v1/oss/file/rename",
         "payload": None, "query": {}, "query_required": []},
    )  # fmt: skip
    fake = FakePan123()
    fake.script("renameFile", Fault.slow(0))  # scriptable by its operation ID like any other
    api = Api(fake)
    assert "renameFile" not in fake.implemented()
    assert fake.implemented() == set(OPERATIONS) - {"renameFile"}  # every other operation has its rules
    reply = api.call("renameFile", {"fileIDs": ["a"]})
    assert (reply["code"], reply["data"]) == (501, None)
    assert "not implemented" in reply["message"]
    assert api.refused("renameFile", {"fileIDs": "not a list"})["code"] == 400  # still validated by its schema
    assert api.ok("listFiles", {"limit": 1, "type": 1}) == {"lastFileId": "-1", "fileList": []}


def test_script_takes_operation_ids_and_the_older_names() -> None:
    fake = FakePan123()
    api = Api(fake)
    fake.script("createFolder", Fault.code_reply(429))
    fake.script("file_detail", Fault.code_reply(5113))
    assert api.call("createFolder", {"name": ["a"], "parentID": "", "type": 1})["code"] == 429
    assert api.call("getFileDetail", fileID="x")["code"] == 5113
    with pytest.raises(ValueError, match="createFolder"):
        fake.script("mkdir")


def test_request_bodies_and_queries_are_checked_against_the_spec(api: Api) -> None:
    assert api.refused("listFiles", {"limit": 101, "type": 1})["code"] == 400
    assert api.refused("listFiles", {"limit": True, "type": 1})["code"] == 400
    assert api.refused("listFiles", {"type": 1})["code"] == 400
    assert api.refused("listFiles", {"limit": 1, "type": 1, "startTime": 2**63})["code"] == 400
    assert api.refused("listDriveCopyFailures", taskID="t", limit=0, page=1)["code"] == 400
    assert api.refused("getOfflineDownloadProcess", taskID="abc")["code"] == 400
    assert api.refused("getFileDetail")["code"] == 400


# Folders and listing.


def test_mkdir_makes_folders_and_refuses_a_name_taken(api: Api) -> None:
    made = api.ok("createFolder", {"name": ["相册"], "parentID": "", "type": 1})["list"]
    assert [fields(m) for m in made] == [{"filename", "dirID"}]
    folder = made[0]["dirID"]
    assert made[0]["filename"] == "相册"
    inner = api.mkdir("2025", folder)
    taken = api.call("createFolder", {"name": ["相册"], "parentID": "", "type": 1})
    assert taken["code"] == 1 and "不能重名" in taken["message"]
    api.refused("createFolder", {"name": ["x"], "parentID": "no-such-folder", "type": 1})
    assert api.refused("createFolder", {"name": ["a/b"], "parentID": "", "type": 1})["code"] == 400
    assert api.refused("createFolder", {"name": [], "parentID": "", "type": 1})["code"] == 400
    detail = api.ok("getFileDetail", fileID=inner)
    assert (detail["type"], detail["parentFileId"], detail["parentFilename"], detail["downloadURL"]) == (
        1, folder, "相册", ""
    )  # fmt: skip


def test_mkdir_takes_a_plain_string_as_the_docs_example_sends(api: Api) -> None:
    made = api.ok("createFolder", {"name": "测试图床目录", "parentID": "", "type": 1})["list"]
    assert made[0]["filename"] == "测试图床目录"
    # It breaks the spec (an array), so the spec-checking fake records the request, and only the request.
    assert [v.split(" at ")[0] for v in api.fake.violations] == ["request POST /upload/v1/oss/file/mkdir: body"]
    api.fake.violations.clear()


def test_list_pages_through_a_folder_with_last_file_id(api: Api) -> None:
    folder = api.mkdir("pages")
    ids = [api.upload(f"{n}.png", f"image {n}".encode(), folder) for n in range(5)]
    api.mkdir("sub", folder)
    first = api.ok("listFiles", {"parentFileId": folder, "limit": 2, "type": 1})
    assert [e["fileId"] for e in first["fileList"]] == ids[:2]
    assert first["lastFileId"] == ids[1]
    everything = api.entries(folder, limit=2)
    assert [e["filename"] for e in everything] == [*(f"{n}.png" for n in range(5)), "sub"]
    assert all(fields(e) >= FILE_FIELDS for e in everything)
    assert [e["type"] for e in everything] == [0] * 5 + [1]
    assert {e["parentFileId"] for e in everything} == {folder}
    assert {e["parentFilename"] for e in everything} == {"pages"}
    last = api.ok("listFiles", {"parentFileId": folder, "limit": 6, "type": 1})
    assert last["lastFileId"] == "-1"
    api.refused("listFiles", {"parentFileId": folder, "limit": 2, "type": 1, "lastFileId": "nope"})


def test_list_without_a_parent_is_the_root(api: Api) -> None:
    folder = api.mkdir("top")
    file_id = api.upload("top.png", b"top")
    api.upload("inside.png", b"inside", folder)
    assert [e["fileId"] for e in api.entries()] == [folder, file_id]
    assert [e["fileId"] for e in api.entries("")] == [folder, file_id]


def test_list_filters_on_creation_time(api: Api, clock: FakeClock) -> None:
    start = int(clock.time())
    early = api.upload("early.png", b"early")
    clock.advance(100)
    middle = api.upload("middle.png", b"middle")
    clock.advance(100)
    late = api.upload("late.png", b"late")
    assert [e["fileId"] for e in api.entries(startTime=start + 50)] == [middle, late]
    assert [e["fileId"] for e in api.entries(endTime=start + 150)] == [early, middle]
    assert [e["fileId"] for e in api.entries(startTime=start + 50, endTime=start + 150)] == [middle]
    created = api.ok("getFileDetail", fileID=middle)["createAt"]
    assert len(created) == len("2025-03-03 16:38:26") and created[4] == "-" and created[13] == ":"


# Detail and links.


def test_detail_has_the_14_fields_and_a_link_that_serves_the_bytes(api: Api, replies: str) -> None:
    data = b"\x89PNG fake image bytes"
    file_id = api.upload("photo.png", data)
    detail = api.ok("getFileDetail", fileID=file_id)
    assert fields(detail) == (FILE_FIELDS if replies == "minimal" else FILE_FIELDS | {"s3KeyFlag", "storageNode",
                                                                                    "ossIndex"})  # fmt: skip
    assert (detail["fileId"], detail["filename"], detail["type"], detail["size"]) == (
        file_id,
        "photo.png",
        0,
        len(data),
    )
    assert (detail["etag"], detail["extension"], detail["status"]) == (md5(data), "png", 0)
    assert (detail["userSelfURL"], detail["parentFileId"], detail["parentFilename"]) == ("", "", "")
    link = api.download(detail["downloadURL"])
    assert (link.status_code, link.content) == (200, data)
    assert api.ok("getFileDetail", fileID=file_id)["totalTraffic"] == len(data)


def test_user_self_url_on_a_custom_domain() -> None:
    fake = FakePan123(user_self_url="https://img.example.com/")
    api = Api(fake)
    file_id = api.upload("a.jpg", b"a")
    assert api.ok("getFileDetail", fileID=file_id)["userSelfURL"] == f"https://img.example.com/{file_id}.jpg"


def test_review_status_is_settable_and_a_rejected_file_is_not_served(api: Api) -> None:
    file_id = api.upload("review.png", b"review")
    api.fake.set_review_status(file_id, 101)
    detail = api.ok("getFileDetail", fileID=file_id)
    assert detail["status"] == 101
    assert api.download(detail["downloadURL"]).status_code == 403


def test_the_link_is_not_ready_for_the_first_detail_calls() -> None:
    fake = FakePan123(link_delay_polls=2)
    api = Api(fake)
    file_id = api.upload("slow-link.png", b"slow")
    assert api.entries()[0]["downloadURL"] == ""  # listing neither waits nor counts
    assert [api.ok("getFileDetail", fileID=file_id)["downloadURL"] for _ in range(3)][:2] == ["", ""]
    assert api.ok("getFileDetail", fileID=file_id)["downloadURL"].endswith(f"/{file_id}.png")
    fake.set_link_delay(file_id, 1)
    assert api.ok("getFileDetail", fileID=file_id)["downloadURL"] == ""
    assert api.ok("getFileDetail", fileID=file_id)["downloadURL"] != ""


# Move and delete.


def test_move_takes_up_to_100_ids_into_a_known_folder(api: Api) -> None:
    a, b = api.mkdir("a"), api.mkdir("b")
    inner = api.mkdir("inner", a)
    files = [api.upload(f"{n}.png", bytes([n]), a) for n in range(3)]
    assert api.ok("moveFiles", {"fileIDs": files[:2], "toParentFileID": b}) is None
    assert [e["fileId"] for e in api.entries(b)] == files[:2]
    assert [e["fileId"] for e in api.entries(a)] == [inner, files[2]]
    assert api.ok("getFileDetail", fileID=files[0])["parentFilename"] == "b"
    assert api.refused("moveFiles", {"fileIDs": [files[2]] * 101, "toParentFileID": b})["code"] == 400
    assert api.refused("moveFiles", {"fileIDs": [], "toParentFileID": b})["code"] == 400
    api.refused("moveFiles", {"fileIDs": ["gone"], "toParentFileID": b})
    api.refused("moveFiles", {"fileIDs": [files[2]], "toParentFileID": "nowhere"})
    api.refused("moveFiles", {"fileIDs": [a], "toParentFileID": inner})  # into itself
    assert api.ok("moveFiles", {"fileIDs": [a], "toParentFileID": b}) is None
    assert [e["fileId"] for e in api.entries(b)] == [a, *files[:2]]


def test_deleted_files_disappear_from_list_detail_and_link(api: Api) -> None:
    folder = api.mkdir("trash")
    keep, drop = api.upload("keep.png", b"keep", folder), api.upload("drop.png", b"drop", folder)
    link = api.ok("getFileDetail", fileID=drop)["downloadURL"]
    assert api.ok("deleteFiles", {"fileIDs": [drop]}) is None
    assert [e["fileId"] for e in api.entries(folder)] == [keep]
    gone = api.call("getFileDetail", fileID=drop)
    assert (gone["code"] != 0, gone["data"]) == (True, None)
    assert api.download(link).status_code == 404
    assert api.ok("deleteFiles", {"fileIDs": [drop]}) is None  # again, as after a lost reply
    assert api.refused("deleteFiles", {"fileIDs": [keep] * 101})["code"] == 400
    assert api.refused("deleteFiles", {"fileIDs": []})["code"] == 400
    assert api.ok("deleteFiles", {"fileIDs": [folder]}) is None  # a folder goes with what is in it
    api.refused("getFileDetail", fileID=keep)
    assert api.entries() == []
    assert api.upload("again.png", b"drop") not in (drop, keep)  # new bytes to the host: sent again


# Copies from the cloud drive.


def test_a_drive_copy_runs_then_lands_its_files(host: FakePan123, api: Api) -> None:
    host.add_drive_file("14802190", "one.png", b"one")
    host.add_drive_file("14802189", "two.jpg", b"two")
    folder = api.mkdir("from-drive")
    task = api.ok("startDriveCopy", {"fileIDs": ["14802190", "14802189"], "toParentFileID": folder,
                                     "sourceType": "1", "type": 1})["taskID"]  # fmt: skip
    assert isinstance(task, str) and task
    assert api.ok("getDriveCopyProcess", taskID=task)["status"] == 1
    assert api.entries(folder) == []
    assert api.ok("getDriveCopyProcess", taskID=task) == {"status": 2, "failMsg": ""} | (
        dict(EXTRA_FIELDS) if host.extra_fields else {}
    )
    landed = api.entries(folder)
    assert [e["filename"] for e in landed] == ["one.png", "two.jpg"]
    assert [host.file_bytes(e["fileId"]) for e in landed] == [b"one", b"two"]
    assert api.ok("listDriveCopyFailures", taskID=task, limit=100, page=1)["list"] is None
    api.refused("getDriveCopyProcess", taskID="no-such-task")


def test_a_drive_copy_lists_its_failures_and_fails_when_all_do(host: FakePan123, api: Api) -> None:
    for n in range(3):
        host.add_drive_file(str(100 + n), f"{n}.png", bytes([n]))
    host.fail_copy("100", "图片格式不支持")
    host.fail_copy("101", "图片过大")
    body = {"fileIDs": ["100", "101", "102"], "toParentFileID": "", "sourceType": "1", "type": 1}
    task = api.ok("startDriveCopy", body)["taskID"]
    while (state := api.ok("getDriveCopyProcess", taskID=task))["status"] == 1:
        pass
    assert state["status"] == 2
    assert [e["filename"] for e in api.entries()] == ["2.png"]
    first = api.ok("listDriveCopyFailures", taskID=task, limit=1, page=1)
    second = api.ok("listDriveCopyFailures", taskID=task, limit=1, page=2)
    assert (first["total"], second["total"]) == (2, 2)
    assert [(e["fileId"], e["filename"]) for e in first["list"] + second["list"]] == [(100, "0.png"), (101, "1.png")]
    assert api.ok("listDriveCopyFailures", taskID=task, limit=1, page=3)["list"] is None
    failing = api.ok("startDriveCopy", {**body, "fileIDs": ["100", "101"]})["taskID"]
    while (state := api.ok("getDriveCopyProcess", taskID=failing))["status"] == 1:
        pass
    assert state["status"] == 3
    assert "图片格式不支持" in state["failMsg"] and "图片过大" in state["failMsg"]


def test_a_drive_copy_refuses_what_the_docs_do_not_allow(host: FakePan123, api: Api) -> None:
    host.add_drive_file("1", "a.png", b"a")
    body = {"fileIDs": ["1"], "toParentFileID": "", "sourceType": "1", "type": 1}
    assert api.refused("startDriveCopy", {**body, "fileIDs": ["1"] * 101})["code"] == 400
    api.refused("startDriveCopy", {**body, "fileIDs": ["2"]})
    api.refused("startDriveCopy", {**body, "toParentFileID": "nowhere"})
    assert api.refused("startDriveCopy", {**body, "sourceType": 2})["code"] == 400  # 1 (or "1") is the drive
    with pytest.raises(ValueError, match="digits"):
        host.add_drive_file("abc", "a.png", b"a")


def test_a_drive_copy_takes_its_time() -> None:
    clock = FakeClock()
    fake = FakePan123(clock=clock, task_polls=0, task_seconds=30)
    fake.add_drive_file("7", "seven.png", b"7")
    api = Api(fake)
    task = api.ok("startDriveCopy", {"fileIDs": ["7"], "toParentFileID": "", "sourceType": "1", "type": 1})["taskID"]
    assert api.ok("getDriveCopyProcess", taskID=task)["status"] == 1
    clock.advance(30)
    assert api.ok("getDriveCopyProcess", taskID=task)["status"] == 2


# Offline downloads.

URL = "https://images.example.com/%E7%8C%AB/cat.jpeg"


def test_an_offline_download_lands_in_the_default_folder(host: FakePan123, api: Api) -> None:
    host.add_remote_file(URL, b"cat")
    task = api.ok("startOfflineDownload", {"url": URL, "type": 1})["taskID"]
    assert isinstance(task, int) and not isinstance(task, bool)
    running = api.ok("getOfflineDownloadProcess", taskID=task)
    assert (running["status"], running["process"] < 100) == (0, True)
    done = api.ok("getOfflineDownloadProcess", taskID=task)
    assert (done["status"], done["process"]) == (2, 100)
    [folder] = api.entries()
    assert (folder["filename"], folder["type"]) == (OFFLINE_FOLDER, 1)
    [landed] = api.entries(folder["fileId"])
    assert landed["filename"] == "cat.jpeg"
    assert host.file_bytes(landed["fileId"]) == b"cat"
    # Again: the same bytes in the same folder are overwritten, not doubled [doc].
    again = api.ok("startOfflineDownload", {"url": URL, "type": 1, "fileName": "cat2.jpeg"})["taskID"]
    assert again != task
    while api.ok("getOfflineDownloadProcess", taskID=again)["status"] == 0:
        pass
    assert [(e["fileId"], e["filename"]) for e in api.entries(folder["fileId"])] == [(landed["fileId"], "cat2.jpeg")]
    assert [e["filename"] for e in api.entries()] == [OFFLINE_FOLDER]


def test_an_offline_download_into_a_folder_with_a_name(host: FakePan123, api: Api) -> None:
    host.add_remote_file(URL, b"cat")
    folder = api.mkdir("cats")
    body = {
        "url": URL,
        "type": 1,
        "fileName": "my-cat.jpg",
        "businessDirID": folder,
        "callBackUrl": "https://x.invalid/",
    }
    task = api.ok("startOfflineDownload", body)["taskID"]
    while api.ok("getOfflineDownloadProcess", taskID=task)["status"] == 0:
        pass
    assert [e["filename"] for e in api.entries(folder)] == ["my-cat.jpg"]
    api.refused("startOfflineDownload", {**body, "businessDirID": "nowhere"})
    assert api.refused("startOfflineDownload", {**body, "url": "ftp://example.com/a.png"})["code"] == 400
    assert api.refused("startOfflineDownload", {**body, "url": "http://["})["code"] == 400
    api.refused("getOfflineDownloadProcess", taskID=1)


def test_an_offline_download_of_a_url_nobody_seeded_fails(api: Api) -> None:
    task = api.ok("startOfflineDownload", {"url": "https://nowhere.example.com/a.png", "type": 1})["taskID"]
    assert api.ok("getOfflineDownloadProcess", taskID=task)["status"] == 0
    assert api.ok("getOfflineDownloadProcess", taskID=task)["status"] == 1
    assert api.entries() == []


# What each mode answers.


def test_minimal_replies_carry_only_what_the_spec_requires() -> None:
    fake = FakePan123(slice_size=1000, replies="minimal", complete_async=False)
    api = Api(fake)
    first = api.ok("createUpload", {"parentFileID": "", "filename": "a.bin", "etag": md5(b"a"),
                                    "size": 1, "type": 1})  # fmt: skip
    assert set(first) == {"reuse", "preuploadID", "sliceSize"}  # no fileID: optional, and not the docs' promise here
    assert set(api.ok("getUploadUrl", {"preuploadID": first["preuploadID"], "sliceNo": 1})) == {"presignedURL"}
    file_id = api.upload("a.bin", b"a")
    assert api.ok("createUpload", {"parentFileID": "", "filename": "b.bin", "etag": md5(b"a"),
                                   "size": 1, "type": 1}).keys() == {"reuse", "fileID"}  # fmt: skip
    assert set(api.ok("getFileDetail", fileID=file_id)) == FILE_FIELDS
    pid = api.ok("createUpload", {"parentFileID": "", "filename": "c.bin", "etag": md5(b"c"),
                                  "size": 1, "type": 1})["preuploadID"]  # fmt: skip
    api.http.put(api.ok("getUploadUrl", {"preuploadID": pid, "sliceNo": 1})["presignedURL"], content=b"c")
    assert api.ok("completeUpload", {"preuploadID": pid}).keys() == {"async", "completed", "fileID"}  # done at once
    fake.oss.complete_async = True
    pid = api.ok("createUpload", {"parentFileID": "", "filename": "d.bin", "etag": md5(b"d"),
                                  "size": 1, "type": 1})["preuploadID"]  # fmt: skip
    api.http.put(api.ok("getUploadUrl", {"preuploadID": pid, "sliceNo": 1})["presignedURL"], content=b"d")
    assert api.ok("completeUpload", {"preuploadID": pid}) == {"async": True, "completed": False}


def test_full_replies_carry_the_optional_fields_seen() -> None:
    api = Api(FakePan123())
    file_id = api.upload("a.bin", b"a")
    instant = api.ok("createUpload", {"parentFileID": "", "filename": "b.bin", "etag": md5(b"a"),
                                      "size": 1, "type": 1})  # fmt: skip
    assert instant == {"fileID": instant["fileID"], "preuploadID": "", "reuse": True, "sliceSize": 0}
    assert instant["fileID"] != file_id


def test_extra_fields_are_on_the_envelope_and_on_every_object_in_data() -> None:
    fake = FakePan123(extra_fields=True)
    api = Api(fake)
    api.upload("a.png", b"a")
    reply = api.call("listFiles", {"limit": 10, "type": 1})
    assert set(EXTRA_FIELDS) <= set(reply) and set(EXTRA_FIELDS) <= set(reply["data"])
    assert all(set(EXTRA_FIELDS) <= set(entry) for entry in reply["data"]["fileList"])
    failure = api.call("getFileDetail", fileID="missing")
    assert set(EXTRA_FIELDS) <= set(failure) and failure["data"] is None


def test_every_operation_succeeds_and_keeps_to_the_spec(host: FakePan123, api: Api) -> None:
    """One success of every operation, each reply checked against openapi.yaml by the fake (see `host`)."""
    host.add_drive_file("1", "d.png", b"drive")
    host.add_remote_file(URL, b"remote")
    token = {"clientID": host.client_id, "clientSecret": host.client_secret}
    assert api.http.post(OPERATIONS["getAccessToken"]["path"], json=token, headers={"Platform": "open_platform"})
    folder = api.mkdir("all")
    file_id = api.upload("a.png", b"a" * 2500, folder)  # token, create, URLs, PUTs, complete, poll
    pid = api.ok("createUpload", {"parentFileID": "", "filename": "p.bin", "etag": "0" * 32, "size": 10,
                                  "type": 1})["preuploadID"]  # fmt: skip
    api.ok("listUploadParts", {"preuploadID": pid})
    api.entries(folder)
    api.ok("getFileDetail", fileID=file_id)
    api.ok("moveFiles", {"fileIDs": [file_id], "toParentFileID": ""})
    task = api.ok("startDriveCopy", {"fileIDs": ["1"], "toParentFileID": folder, "sourceType": "1", "type": 1})
    api.ok("getDriveCopyProcess", taskID=task["taskID"])
    api.ok("listDriveCopyFailures", taskID=task["taskID"], limit=10, page=1)
    offline = api.ok("startOfflineDownload", {"url": URL, "type": 1})
    api.ok("getOfflineDownloadProcess", taskID=offline["taskID"])
    api.ok("deleteFiles", {"fileIDs": [file_id]})
    paths = {(op["method"], op["path"]): name for name, op in OPERATIONS.items()}
    succeeded = {paths.get((r.method, r.path)) for r in host.requests if r.code == 0}
    assert succeeded == host.implemented()


def test_minimal_mode_is_driven_by_the_spec_tables() -> None:
    from pan123_oss.testing._shape import required_only

    value = {"a": 1, "b": {"c": 2, "d": 3}, "e": [{"c": 4, "d": 5}], "unknown": 6}
    schema = {"required": ["b", "e"], "properties": {"b": {"ref": "_T"}, "e": {"items": {"ref": "_T"}}}}
    SCHEMAS["_T"] = {"required": ["c"], "properties": {"c": {}, "d": {}}}
    try:
        assert required_only(schema, value) == {"b": {"c": 2}, "e": [{"c": 4}]}
        assert required_only(schema, value, frozenset({"a"})) == {"a": 1, "b": {"c": 2}, "e": [{"c": 4}]}
    finally:
        del SCHEMAS["_T"]


# Over a real loopback socket.


def test_the_image_host_over_a_socket() -> None:
    fake = FakePan123(spec=SPEC_PATH, slice_size=1000, pending_polls=0, replies="minimal", extra_fields=True)
    fake.add_drive_file("5", "five.png", b"five")
    with fake.serve() as url, loopback.client(url) as http:
        api = Api(fake, http)
        folder = api.mkdir("served")
        file_id = api.upload("big.png", bytes(range(256)) * 10, folder)
        detail = api.ok("getFileDetail", fileID=file_id)
        assert detail["downloadURL"].startswith(url)
        assert api.download(detail["downloadURL"]).content == bytes(range(256)) * 10
        task = api.ok("startDriveCopy", {"fileIDs": ["5"], "toParentFileID": folder, "sourceType": "1", "type": 1})
        while api.ok("getDriveCopyProcess", taskID=task["taskID"])["status"] == 1:
            pass
        assert [e["filename"] for e in api.entries(folder)] == ["big.png", "five.png"]
        api.ok("deleteFiles", {"fileIDs": [folder]})
        assert api.entries() == []
    assert fake.violations == []


def test_latency_and_bandwidth_are_added_when_served() -> None:
    latency, bandwidth = 0.05, 1 << 20
    data = bytes(range(256)) * 512  # 128 KiB, one slice: paced in two pieces
    fake = FakePan123(slice_size=1 << 20, pending_polls=0, latency=latency, bandwidth=bandwidth)
    with fake.serve() as url, loopback.client(url) as http:
        api = Api(fake, http)
        api.ok("listFiles", {"limit": 1, "type": 1})
        assert time.monotonic() - fake.requests[-1].time >= latency  # from its arrival at the server to its reply
        created = api.ok("createUpload", {"parentFileID": "", "filename": "far.png", "etag": md5(data),
                                          "size": len(data), "type": 1})  # fmt: skip
        put_url = api.ok("getUploadUrl", {"preuploadID": created["preuploadID"], "sliceNo": 1})["presignedURL"]
        started = time.monotonic()
        assert http.put(put_url, content=data).status_code == 200
        assert time.monotonic() - started >= len(data) / bandwidth + latency
        api.ok("completeUpload", {"preuploadID": created["preuploadID"]})
        file_id = api.ok("uploadAsyncResult", {"preuploadID": created["preuploadID"]})["fileID"]
        link = api.ok("getFileDetail", fileID=file_id)["downloadURL"]
        started = time.monotonic()
        assert api.download(link).content == data
        assert time.monotonic() - started >= len(data) / bandwidth + latency
    with pytest.raises(ValueError, match="latency"):
        FakePan123(latency=-1)
    with pytest.raises(ValueError, match="bandwidth"):
        FakePan123(bandwidth=0)


# The real clients against minimal replies with unknown fields (a newer service, as the docs allow it to answer).

SLICE = 1000


@pytest.fixture
def fake(clock: FakeClock) -> Iterator[FakePan123]:
    """Overrides conftest's fake, so that `make_client` drives a minimal, spec-checking one."""
    fake = FakePan123(
        clock=clock, spec=SPEC_PATH, slice_size=SLICE, pending_polls=1, replies="minimal", extra_fields=True
    )
    yield fake
    assert fake.violations == [], "\n".join(fake.violations)


def upload(client: Both, data: bytes, name: str = "image.bin", **kwargs: Any) -> pan123_oss.UploadResult:
    result: pan123_oss.UploadResult = client.call("upload_file", io.BytesIO(data), filename=name, **kwargs)
    return result


def test_an_instant_upload_from_minimal_replies(make_client: MakeClient, fake: FakePan123) -> None:
    client = make_client()
    data = b"the same bytes twice"
    first = upload(client, data)
    again = upload(client, data, "again.bin")
    assert (first.reused, again.reused) == (False, True)
    assert again.file_id != first.file_id
    assert fake.file_bytes(again.file_id) == data
    assert sum(r.method == "PUT" for r in fake.requests) == 1


def test_an_async_merged_upload_from_minimal_replies(make_client: MakeClient, fake: FakePan123) -> None:
    data = b"merged later" * 10
    result = upload(make_client(), data)
    assert fake.file_bytes(result.file_id) == data
    assert len(fake.polls(result.preupload_id)) == 2  # complete said async, without a fileID: polled for it


def test_a_synchronous_complete_from_minimal_replies(make_client: MakeClient, fake: FakePan123) -> None:
    fake.oss.complete_async = False
    result = upload(make_client(), b"done at once")
    assert fake.file_bytes(result.file_id) == b"done at once"
    assert fake.polls(result.preupload_id) == []


def test_a_multi_slice_upload_from_minimal_replies(make_client: MakeClient, fake: FakePan123) -> None:
    data = bytes(range(256)) * 15  # 3840 bytes: four slices
    result = upload(make_client(), data, concurrency=2)
    assert fake.file_bytes(result.file_id) == data
    assert sum(r.method == "PUT" for r in fake.requests) == 4


def test_wait_for_upload_from_minimal_replies(make_client: MakeClient, fake: FakePan123) -> None:
    pid = fake.add_upload(pending_polls=2, file_id="minimal-file")
    assert make_client().wait_for_upload(pid) == "minimal-file"
    assert len(fake.polls(pid)) == 3
