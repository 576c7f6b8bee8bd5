"""The fake's rules as plain code (`fake.oss`, the image host; `fake.imports`, the import tasks), each answer
and boundary pinned: what a client of the fake would be told, without going through HTTP."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest

from pan123_oss.testing import FakeClock, FakePan123

ETAG = hashlib.md5(b"hello", usedforsecurity=False).hexdigest()


def made(**options: Any) -> tuple[FakePan123, FakeClock]:
    clock = FakeClock()
    return FakePan123(clock=clock, **options), clock


def new_upload(fake: FakePan123, data: bytes = b"hello", name: str = "a.png", parent: str = "") -> str:
    etag = hashlib.md5(data, usedforsecurity=False).hexdigest()
    code, _, reply = fake.oss.create(
        {"parentFileID": parent, "filename": name, "etag": etag, "size": len(data), "type": 1}
    )
    assert code == 0 and reply["reuse"] is False
    return str(reply["preuploadID"])


def store_slices(fake: FakePan123, pid: str, data: bytes) -> None:
    size = fake.oss.sessions[pid].slice_size
    for number, offset in enumerate(range(0, max(len(data), 1), size), 1):
        code, _, reply = fake.oss.upload_url({"preuploadID": pid, "sliceNo": number}, "http://o.test")
        assert code == 0
        slot = fake.oss.slots[reply["presignedURL"].split("/fake-oss/")[1].split("?")[0]]
        piece = data[offset : offset + size]
        fake.oss.store(slot, io.BytesIO(piece), len(piece), hashlib.md5(piece, usedforsecurity=False).hexdigest())


# Uploads.


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"parentFileID": 5}, "parentFileID must be a string"),
        ({"filename": 5}, "filename is invalid"),
        ({"filename": " "}, "filename is invalid"),
        ({"filename": "a" * 256}, "filename is invalid"),
        ({"filename": "a?.png"}, "filename is invalid"),
        ({"etag": "x" * 32}, "etag must be the hex MD5 of the file"),
        ({"etag": ETAG[:-1]}, "etag must be the hex MD5 of the file"),
        ({"etag": ETAG + "0"}, "etag must be the hex MD5 of the file"),
        ({"etag": 5}, "etag must be the hex MD5 of the file"),
        ({"size": -1}, "size must be a non-negative 64-bit integer"),
        ({"size": 2**63}, "size must be a non-negative 64-bit integer"),
        ({"size": True}, "size must be a non-negative 64-bit integer"),
        ({"size": 1.0}, "size must be a non-negative 64-bit integer"),
        ({"type": 2}, "type must be 1"),
    ],
)
def test_create_refuses_what_the_docs_do_not_allow(change: dict[str, Any], message: str) -> None:
    fake, _ = made()
    body = {"parentFileID": "", "filename": "a.png", "etag": ETAG, "size": 5, "type": 1, **change}
    assert fake.oss.create(body) == (400, message, None)
    assert fake.oss.sessions == {}


def test_create_takes_the_extremes() -> None:
    fake, _ = made()
    for size in (0, 2**63 - 1):
        body = {"parentFileID": "", "filename": "a" * 255, "etag": ETAG.upper(), "size": size, "type": 1}
        assert fake.oss.create(body)[0] == 0


def test_a_new_upload_gets_a_session_in_slices_of_the_fakes_size() -> None:
    fake, _ = made(slice_size=4)
    pid = new_upload(fake, b"hello", "a.png", "dir")
    session = fake.oss.sessions[pid]
    assert "/" in pid and pid.startswith("fake/")
    assert (session.parent_id, session.filename, session.etag, session.size, session.slice_size) == (
        "dir",
        "a.png",
        ETAG,
        5,
        4,
    )
    _code, _, reply = fake.oss.create({"parentFileID": "", "filename": "b.png", "etag": ETAG, "size": 5, "type": 1})
    assert reply == {"fileID": "", "preuploadID": reply["preuploadID"], "reuse": False, "sliceSize": 4}


def test_known_bytes_are_an_instant_upload_into_the_new_folder_under_the_new_name() -> None:
    fake, _ = made()
    first = fake.add_file("a.png", b"hello")
    code, _, reply = fake.oss.create(
        {"parentFileID": "dir", "filename": "b.png", "etag": ETAG.upper(), "size": 5, "type": 1}
    )
    assert (code, reply["preuploadID"], reply["reuse"], reply["sliceSize"]) == (0, "", True, 0)
    copy = fake.oss.files[reply["fileID"]]
    assert reply["fileID"] != first
    assert (copy.filename, copy.parent_id, copy.size, copy.etag) == ("b.png", "dir", 5, ETAG)
    assert fake.file_bytes(copy.file_id) == b"hello"
    assert fake.oss.by_md5[ETAG] == first  # the first file stays the one instant uploads copy


def test_slice_urls_are_numbered_within_the_file() -> None:
    fake, _clock = made(slice_size=2, url_lifetime=30)
    pid = new_upload(fake, b"hello")  # 3 slices
    for number in (0, 4, True, "1", None):
        assert fake.oss.upload_url({"preuploadID": pid, "sliceNo": number}, "http://o.test") == (
            400,
            "sliceNo must be from 1 to 3",
            None,
        )
    code, _, reply = fake.oss.upload_url({"preuploadID": pid, "sliceNo": 3}, "http://o.test")
    assert code == 0 and reply["isMultipart"] is True
    url = reply["presignedURL"]
    assert url.startswith("http://o.test/fake-oss/")
    slot = fake.oss.slots[url.split("/fake-oss/")[1].split("?")[0]]
    assert (slot.preupload_id, slot.number, slot.expires) == (pid, 3, 1030.0)
    assert url.endswith(f"?expires=1030&signature={slot.signature}")
    single, _ = made()
    one = new_upload(single, b"")
    assert single.oss.upload_url({"preuploadID": one, "sliceNo": 1}, "http://o.test")[2]["isMultipart"] is False
    assert (
        single.oss.upload_url({"preuploadID": one, "sliceNo": 2}, "http://o.test")[1] == "sliceNo must be from 1 to 1"
    )


@pytest.mark.parametrize("pid", [None, "", 5])
def test_calls_on_an_upload_need_its_id(pid: Any) -> None:
    fake, _ = made()
    for call in (fake.oss.parts, fake.oss.complete):
        assert call({"preuploadID": pid}) == (400, "preuploadID is required", None)
    assert fake.oss.upload_url({"preuploadID": pid, "sliceNo": 1}, "o") == (400, "preuploadID is required", None)
    assert fake.oss.parts({"preuploadID": "unknown"}) == (5066, "file does not exist", None)


def test_parts_are_listed_in_order_with_sizes_and_md5s() -> None:
    fake, _ = made(slice_size=2)
    pid = new_upload(fake, b"hello")
    store_slices(fake, pid, b"hello")
    _code, _, reply = fake.oss.parts({"preuploadID": pid})
    assert reply == {
        "parts": [
            {"partNumber": 1, "size": 2, "etag": hashlib.md5(b"he", usedforsecurity=False).hexdigest()},
            {"partNumber": 2, "size": 2, "etag": hashlib.md5(b"ll", usedforsecurity=False).hexdigest()},
            {"partNumber": 3, "size": 1, "etag": hashlib.md5(b"o", usedforsecurity=False).hexdigest()},
        ]
    }


def test_complete_wants_every_slice_and_the_declared_md5() -> None:
    fake, _ = made(slice_size=1, complete_async=False)
    pid = new_upload(fake, b"hello")
    assert fake.oss.complete({"preuploadID": pid}) == (1, "slices missing: [1, 2, 3, 4, 5]", None)
    store_slices(fake, pid, b"hellO")
    assert fake.oss.complete({"preuploadID": pid}) == (
        1,
        "file check failed: MD5 does not match the declared etag",
        None,
    )
    assert fake.oss.complete({"preuploadID": pid})[1] == "file check failed: MD5 does not match the declared etag"
    assert fake.oss.upload_url({"preuploadID": pid, "sliceNo": 1}, "o") == (1, "upload already completed", None)
    good = new_upload(fake, b"hello")
    store_slices(fake, good, b"hello")
    code, _, reply = fake.oss.complete({"preuploadID": good})
    assert (code, reply["async"], reply["completed"]) == (0, False, True)
    assert fake.file_bytes(reply["fileID"]) == b"hello"
    # Asked again (its reply was lost): the same answer, and no second file.
    assert fake.oss.complete({"preuploadID": good}) == (code, "ok", reply)
    assert len(fake.oss.files) == 1


def test_complete_counts_sizes_too() -> None:
    fake, _ = made(slice_size=10, complete_async=False)
    pid = new_upload(fake, b"hello")
    fake.oss.sessions[pid].size = 6  # declared one byte more than the slices hold, same MD5
    store_slices(fake, pid, b"hello")
    assert fake.oss.complete({"preuploadID": pid})[0] == 1


def test_an_async_complete_is_merged_for_the_poll() -> None:
    fake, _ = made(pending_polls=0)
    bad = new_upload(fake, b"hello", "b.png")
    store_slices(fake, bad, b"jello")
    fake.oss.complete({"preuploadID": bad})
    failed = fake.uploads[bad]
    assert (failed.file_id, failed.fail_code, failed.fail_message) == (
        "",
        1,
        "file check failed: MD5 does not match the declared etag",
    )
    pid = new_upload(fake, b"hello")
    store_slices(fake, pid, b"hello")
    assert fake.oss.complete({"preuploadID": pid}) == (0, "ok", {"async": True, "completed": False, "fileID": ""})
    upload = fake.uploads[pid]
    assert upload.file_id in fake.oss.files and upload.fail_code is None
    assert fake.oss.complete({"preuploadID": pid})[2] == {"async": True, "completed": False, "fileID": ""}
    assert fake.uploads[pid] is upload and len(fake.oss.files) == 1  # completed again: merged once


def test_a_slice_for_a_finished_upload_is_not_kept() -> None:
    fake, _ = made(complete_async=False)
    pid = new_upload(fake, b"hello")
    store_slices(fake, pid, b"hello")
    fake.oss.complete({"preuploadID": pid})
    slot = next(iter(fake.oss.slots.values()))
    fake.oss.store(slot, io.BytesIO(b"x"), 1, "0" * 32)
    assert fake.oss.sessions[pid].parts[1].size == 5


# Folders and files.


def test_mkdir_rules() -> None:
    fake, _ = made()
    assert fake.oss.mkdir({"name": [], "parentID": ""}) == (400, "name must hold a folder name", None)
    for bad in (["a/b"], [" "], ["x" * 256], ["ok", 'q"']):
        assert fake.oss.mkdir({"name": bad, "parentID": ""}) == (
            400,
            'a folder name is 1 to 255 characters, none of "\\/:*?|><',
            None,
        )
    assert fake.oss.mkdir({"name": ["a"], "parentID": "nope"}) == (5066, "父目录不存在 (parentID 'nope')", None)
    assert fake.oss.mkdir({"name": ["a", "a"], "parentID": ""}) == (1, "目录名不能重名", None)
    code, _, reply = fake.oss.mkdir({"name": ["a", "b"], "parentID": ""})
    assert code == 0 and [entry["filename"] for entry in reply["list"]] == ["a", "b"]
    assert [fake.oss.folders[entry["dirID"]].name for entry in reply["list"]] == ["a", "b"]
    assert fake.oss.mkdir({"name": ["b"], "parentID": ""}) == (1, "目录名不能重名", None)
    fake.add_file("c", b"c")
    assert fake.oss.mkdir({"name": ["c"], "parentID": ""}) == (1, "目录名不能重名", None)
    inner = reply["list"][0]["dirID"]
    assert fake.oss.mkdir({"name": ["b"], "parentID": inner})[0] == 0  # the same name in another folder


def test_listing_pages_and_filters() -> None:
    fake, clock = made()
    ids = []
    for n in range(5):
        ids.append(fake.add_file(f"{n}.png", bytes([n])))
        clock.advance(10)
    _code, _, page = fake.oss.listing({"limit": 2}, "http://o.test")
    assert [e["fileId"] for e in page["fileList"]] == ids[:2] and page["lastFileId"] == ids[1]
    _, _, page = fake.oss.listing({"limit": 2, "lastFileId": ids[1]}, "o")
    assert [e["fileId"] for e in page["fileList"]] == ids[2:4] and page["lastFileId"] == ids[3]
    _, _, page = fake.oss.listing({"limit": 3, "lastFileId": ids[3]}, "o")
    assert [e["fileId"] for e in page["fileList"]] == ids[4:] and page["lastFileId"] == "-1"
    _, _, page = fake.oss.listing({"limit": 5}, "o")
    assert page["lastFileId"] == "-1" and len(page["fileList"]) == 5
    assert fake.oss.listing({"limit": 5, "lastFileId": "-1"}, "o")[2]["fileList"] == []
    assert fake.oss.listing({"limit": 5, "lastFileId": "zz"}, "o") == (
        400,
        "lastFileId 'zz' is not from a listing",
        None,
    )
    start = int(fake.oss.files[ids[1]].created)
    end = int(fake.oss.files[ids[3]].created)
    _, _, page = fake.oss.listing({"limit": 9, "startTime": start, "endTime": end}, "o")
    assert [e["fileId"] for e in page["fileList"]] == ids[1:4]
    fake.oss.delete({"fileIDs": [ids[1]]})
    _, _, page = fake.oss.listing({"limit": 9, "lastFileId": ids[1]}, "o")  # a deleted ID still marks its place
    assert [e["fileId"] for e in page["fileList"]] == ids[2:]


def test_details_of_a_file_and_a_folder() -> None:
    fake, _ = made(user_self_url="https://me.test/")
    folder = fake.add_folder("pics")
    file_id = fake.add_file("cat.tar.gz", b"meow", folder)
    plain = fake.add_file("README", b"r")
    code, _, info = fake.oss.detail(file_id, "http://o.test")
    assert code == 0
    assert info == {
        "fileId": file_id,
        "filename": "cat.tar.gz",
        "type": 0,
        "size": 4,
        "etag": hashlib.md5(b"meow", usedforsecurity=False).hexdigest(),
        "status": 0,
        "downloadURL": f"http://o.test/fake-files/{file_id}.gz",
        "userSelfURL": f"https://me.test/{file_id}.gz",
        "totalTraffic": 0,
        "extension": "gz",
        "s3KeyFlag": f"{fake.oss.files[file_id].order}-0",
        "storageNode": "fake",
        "createAt": "2025-06-15 23:06:40",
        "updateAt": "2025-06-15 23:06:40",
        "parentFileId": folder,
        "parentFilename": "pics",
        "ossIndex": fake.oss.files[file_id].order,
    }
    _, _, bare = fake.oss.detail(plain, "http://o.test")
    assert (bare["extension"], bare["downloadURL"], bare["parentFilename"]) == (
        "",
        f"http://o.test/fake-files/{plain}",
        "",
    )
    _, _, entry = fake.oss.detail(folder, "http://o.test")
    assert (entry["storageNode"], entry["s3KeyFlag"], entry["userSelfURL"]) == ("", "", "")
    assert (entry["type"], entry["size"], entry["downloadURL"], entry["filename"], entry["fileId"]) == (
        1,
        0,
        "",
        "pics",
        folder,
    )
    assert fake.oss.detail("nope", "o") == (5066, "文件不存在", None)


def test_a_link_waits_for_detail_calls_only() -> None:
    fake, _ = made(link_delay_polls=2)
    file_id = fake.add_file("a.png", b"a")
    assert fake.oss.listing({"limit": 5}, "o")[2]["fileList"][0]["downloadURL"] == ""
    assert [fake.oss.detail(file_id, "o")[2]["downloadURL"] for _ in range(3)] == [
        "",
        "",
        f"o/fake-files/{file_id}.png",
    ]


def test_move_rules() -> None:
    fake, _ = made()
    outer = fake.add_folder("outer")
    inner = fake.add_folder("inner", outer)
    file_id = fake.add_file("a.png", b"a")
    assert fake.oss.move({"fileIDs": [], "toParentFileID": outer}) == (400, "fileIDs must hold 1 to 100 IDs", None)
    assert fake.oss.move({"fileIDs": [file_id] * 101, "toParentFileID": outer})[0] == 400
    assert fake.oss.move({"fileIDs": [file_id], "toParentFileID": "x"}) == (
        5066,
        "目标目录不存在 (toParentFileID 'x')",
        None,
    )
    missing = [f"m{n}" for n in range(7)]
    assert fake.oss.move({"fileIDs": [file_id, *missing], "toParentFileID": outer}) == (
        5066,
        "文件不存在: m0, m1, m2, m3, m4",
        None,
    )
    assert fake.oss.move({"fileIDs": [outer], "toParentFileID": inner}) == (1, "不能移动到自身或其子目录", None)
    assert fake.oss.move({"fileIDs": [outer], "toParentFileID": outer}) == (1, "不能移动到自身或其子目录", None)
    assert fake.oss.move({"fileIDs": [file_id] * 100, "toParentFileID": inner}) == (0, "ok", None)
    assert fake.oss.files[file_id].parent_id == inner
    assert fake.oss.move({"fileIDs": [inner, file_id], "toParentFileID": ""}) == (0, "ok", None)
    assert (fake.oss.folders[inner].parent_id, fake.oss.files[file_id].parent_id) == ("", "")


def test_delete_takes_folders_with_everything_in_them_and_keeps_instant_uploads_right() -> None:
    fake, _ = made()
    folder = fake.add_folder("f")
    sub = fake.add_folder("s", folder)
    inside = fake.add_file("in.png", b"same", sub)
    outside = fake.add_file("out.png", b"same")
    assert fake.oss.delete({"fileIDs": []}) == (400, "fileIDs must hold 1 to 100 IDs", None)
    assert fake.oss.by_md5[hashlib.md5(b"same", usedforsecurity=False).hexdigest()] == inside
    assert fake.oss.delete({"fileIDs": [folder, "never-was"]}) == (0, "ok", None)
    assert (folder in fake.oss.folders, sub in fake.oss.folders, inside in fake.oss.files) == (False, False, False)
    etag = hashlib.md5(b"same", usedforsecurity=False).hexdigest()
    assert fake.oss.by_md5[etag] == outside  # the copy left takes over
    fake.oss.delete({"fileIDs": [outside]})
    assert etag not in fake.oss.by_md5
    assert (
        fake.oss.create({"parentFileID": "", "filename": "x.png", "etag": etag, "size": 4, "type": 1})[2]["reuse"]
        is False
    )


def test_landing_the_same_bytes_in_the_same_folder_overwrites_keeping_the_id() -> None:
    fake, clock = made()
    first = fake.oss.land("a.png", "", b"data")
    clock.advance(60)
    again = fake.oss.land("b.png", "", b"data")
    elsewhere = fake.oss.land("c.png", "dir", b"data")
    longer = fake.oss.land("d.png", "", b"data2")
    assert again == first and elsewhere != first and longer != first
    stored = fake.oss.files[first]
    assert (stored.filename, stored.updated - stored.created) == ("b.png", 60)
    seeded = fake.oss.land("e.png", "", b"data", "seed-1")
    assert seeded == "seed-1" and fake.oss.files["seed-1"].filename == "e.png"


def test_close_frees_every_stored_byte() -> None:
    fake, _ = made()
    pid = new_upload(fake, b"hello")
    store_slices(fake, pid, b"hello")
    kept = fake.add_file("a.png", b"a")
    gone = fake.add_file("b.png", b"b")
    blobs = [
        fake.oss.sessions[pid].parts[1].blob,
        fake.oss.files[kept].parts[0].blob,
        fake.oss.files[gone].parts[0].blob,
    ]
    fake.oss.delete({"fileIDs": [gone]})
    fake.close()
    assert all(blob.closed for blob in blobs)
    assert (fake.oss.sessions, fake.oss.files, fake.oss.folders, fake.oss.by_md5) == ({}, {}, {}, {})


def test_stored_slices_go_to_temporary_files_in_the_storage_folder(tmp_path: Any) -> None:
    fake, _ = made(storage_dir=tmp_path)
    blob, size, md5 = fake.oss.receive([b"ab", b"c"])
    with blob:
        assert not isinstance(blob, io.BytesIO)
        blob.seek(0)
        assert (blob.read(), size, md5) == (b"abc", 3, hashlib.md5(b"abc", usedforsecurity=False).hexdigest())


# Imports.


def test_a_drive_copy_task_runs_after_its_polls_and_seconds() -> None:
    fake, clock = made(task_polls=1, task_seconds=5)
    fake.add_drive_file("1", "a.png", b"a")
    fake.add_drive_file("2", "b.png", b"b")
    code, _, reply = fake.imports.start_copy({"fileIDs": ["1", "2", "1"], "toParentFileID": ""})
    task = reply["taskID"]
    assert code == 0 and fake.imports.copies[task].drive_ids == ["1", "2"]
    assert fake.imports.copies[task].task_id == task
    assert fake.imports.copy_process(task) == (0, "ok", {"status": 1, "failMsg": ""})
    assert fake.imports.copy_process(task)[2]["status"] == 1  # polled twice, but not 5 s yet
    clock.advance(5)
    assert fake.imports.copy_process(task) == (0, "ok", {"status": 2, "failMsg": ""})
    assert sorted(fake.oss.files[i].filename for i in fake.imports.copies[task].copied) == ["a.png", "b.png"]
    assert fake.imports.copy_process("nope") == (5066, "任务不存在", None)


def test_a_drive_copy_refuses_bad_requests() -> None:
    fake, _ = made()
    fake.add_drive_file("1", "a.png", b"a")
    assert fake.imports.start_copy({"fileIDs": [], "toParentFileID": ""}) == (
        400,
        "fileIDs must hold 1 to 100 IDs",
        None,
    )
    assert fake.imports.start_copy({"fileIDs": ["1"] * 101, "toParentFileID": ""})[0] == 400
    assert fake.imports.start_copy({"fileIDs": ["1"] * 100, "toParentFileID": ""})[0] == 0
    assert fake.imports.start_copy({"fileIDs": ["1"], "toParentFileID": "x"}) == (
        5066,
        "目标目录不存在 (toParentFileID 'x')",
        None,
    )
    assert fake.imports.start_copy({"fileIDs": ["1", "7", "8", "9", "10", "11", "12"], "toParentFileID": ""}) == (
        5066,
        "云盘文件不存在: 7, 8, 9, 10, 11",
        None,
    )


def test_copy_failures_are_listed_a_page_at_a_time() -> None:
    fake, _ = made(task_polls=0)
    for n in range(1, 6):
        fake.add_drive_file(str(n), f"{n}.png", b"x")
        fake.fail_copy(str(n), "坏" if n % 2 else "不支持")
    task = fake.imports.start_copy({"fileIDs": [str(n) for n in range(1, 6)], "toParentFileID": ""})[2]["taskID"]
    assert fake.imports.copy_process(task)[2] == {"status": 3, "failMsg": "坏; 不支持"}
    assert fake.imports.copy_failures(task, 2, 1)[2] == {
        "total": 5,
        "list": [{"fileId": 1, "filename": "1.png"}, {"fileId": 2, "filename": "2.png"}],
    }
    assert fake.imports.copy_failures(task, 2, 3)[2] == {"total": 5, "list": [{"fileId": 5, "filename": "5.png"}]}
    assert fake.imports.copy_failures(task, 2, 4)[2] == {"total": 5, "list": None}
    assert fake.imports.copy_failures("nope", 1, 1) == (5066, "任务不存在", None)


def test_a_copy_with_one_success_is_done() -> None:
    fake, _ = made(task_polls=0)
    fake.add_drive_file("1", "a.png", b"a")
    fake.add_drive_file("2", "b.png", b"b")
    fake.fail_copy("2")
    task = fake.imports.start_copy({"fileIDs": ["1", "2"], "toParentFileID": ""})[2]["taskID"]
    assert fake.imports.copy_process(task)[2] == {"status": 2, "failMsg": ""}
    assert fake.imports.copy_failures(task, 10, 1)[2]["list"] == [{"fileId": 2, "filename": "b.png"}]


def test_an_offline_download_reports_progress_then_lands() -> None:
    fake, _clock = made(task_polls=3)
    fake.add_remote_file("https://site.test/a%20b.png?x=1", b"data")
    code, _, reply = fake.imports.start_offline({"url": "https://site.test/a%20b.png?x=1"})
    task = reply["taskID"]
    assert (code, task) == (0, 403316)
    assert [fake.imports.offline_process(task)[2] for _ in range(3)] == [
        {"status": 0, "process": 0},
        {"status": 0, "process": 25},
        {"status": 0, "process": 50},
    ]
    assert fake.imports.offline_process(task)[2] == {"status": 2, "process": 100}
    landed = fake.oss.files[str(fake.imports.offline[task].file_id)]
    assert landed.filename == "a b.png"
    assert fake.oss.folders[landed.parent_id].name == "来自:离线下载"
    second = fake.imports.start_offline({"url": "http://nowhere.test/", "fileName": "n.png"})[2]["taskID"]
    assert second == 403317
    for _ in range(3):
        fake.imports.offline_process(second)
    assert fake.imports.offline_process(second)[2] == {"status": 1, "process": 0}
    assert fake.imports.offline_process(99) == (5066, "任务不存在", None)


def test_an_offline_download_into_a_folder_takes_its_time() -> None:
    fake, clock = made(task_polls=0, task_seconds=3)
    folder = fake.add_folder("in")
    fake.add_remote_file("http://site.test/", b"d")
    task = fake.imports.start_offline({"url": "http://site.test/", "businessDirID": folder})[2]["taskID"]
    assert fake.imports.offline_process(task)[2]["status"] == 0
    clock.advance(3)
    assert fake.imports.offline_process(task)[2]["status"] == 2
    landed = fake.oss.files[str(fake.imports.offline[task].file_id)]
    assert (landed.filename, landed.parent_id) == ("download", folder)


@pytest.mark.parametrize(
    ("body", "reply"),
    [
        ({"url": "ftp://site.test/a.png"}, (400, "url must be an http or https URL", None)),
        ({"url": "http://[broken/a.png"}, (400, "url must be an http or https URL", None)),
        (
            {"url": "https://site.test/a.png", "fileName": "a?.png"},
            (400, 'fileName is 1 to 255 characters, none of "\\/:*?|><', None),
        ),
        (
            {"url": "https://site.test/a.png", "businessDirID": "nope"},
            (5066, "目录不存在 (businessDirID 'nope')", None),
        ),
    ],
)
def test_an_offline_download_refuses_bad_requests(body: dict[str, Any], reply: tuple[int, str, None]) -> None:
    fake, _ = made()
    assert fake.imports.start_offline(body) == reply
    assert fake.imports.offline == {}


def test_an_offline_download_takes_an_upper_case_scheme_and_an_empty_folder_as_none() -> None:
    fake, _ = made()
    code, _, reply = fake.imports.start_offline({"url": "HTTPS://site.test/x.png", "businessDirID": ""})
    assert code == 0 and fake.imports.offline[reply["taskID"]].target is None
