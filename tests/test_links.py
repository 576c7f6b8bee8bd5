"""From a file to a link: file details, links after uploads, folder paths, listings and batches, on both clients."""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import itertools
import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import Both, MakeClient, every_reply_shape
from test_drivers import drive, envelope

import pan123_oss
from pan123_oss import _policy
from pan123_oss._flows import _call, _effects, _files
from pan123_oss.testing import FakeClock, FakePan123, Fault

DETAIL = "/api/v1/oss/file/detail"
MKDIR = "/upload/v1/oss/file/mkdir"
LIST = "/api/v1/oss/file/list"


replies = every_reply_shape()
"""Every test here runs against full replies and against minimal ones with unknown fields."""


def image(tmp_path: Path, name: str = "cat.png", size: int = 3000) -> Path:
    path = tmp_path / name
    path.write_bytes(os.urandom(size))
    return path


def upload(client: Both, *args: Any, **kwargs: Any) -> pan123_oss.UploadResult:
    result: pan123_oss.UploadResult = client.call("upload_file", *args, **kwargs)
    return result


def listed(client: Both, *args: Any, **kwargs: Any) -> list[pan123_oss.FileInfo]:
    """`list_files` drained into a list, from the sync generator or the async one."""
    found = client.client.list_files(*args, **kwargs)
    if client.loop is None:
        return list(found)  # type: ignore[arg-type]

    async def drain() -> list[pan123_oss.FileInfo]:
        return [info async for info in found]  # type: ignore[union-attr]

    return client.loop.run_until_complete(drain())


def sent(fake: FakePan123, path: str) -> list[Any]:
    return [r for r in fake.requests if r.path == path]


# file_info


def test_file_info_reads_every_field(make_client: MakeClient, fake: FakePan123) -> None:
    folder = fake.add_folder("blog")
    file_id = fake.add_file("cat.png", b"meow" * 10, folder)
    info = make_client().call("file_info", file_id)
    assert isinstance(info, pan123_oss.FileInfo)
    assert (info.file_id, info.filename, info.parent_id, info.is_folder) == (file_id, "cat.png", folder, False)
    assert (info.size, info.etag, info.status, info.rejected) == (
        40,
        hashlib.md5(b"meow" * 10, usedforsecurity=False).hexdigest(),
        0,
        False,
    )
    assert info.url.endswith(".png") and info.url.startswith("http")
    assert info.self_url == ""
    assert info.created_at and info.updated_at
    with pytest.raises(AttributeError):
        info.url = "x"  # type: ignore[misc]


def test_file_info_of_a_folder_and_of_a_rejected_file(make_client: MakeClient, fake: FakePan123) -> None:
    folder = fake.add_folder("blog")
    bad = fake.add_file("bad.png", b"no", folder)
    fake.set_review_status(bad, 101)
    client = make_client()
    assert client.call("file_info", folder).is_folder
    rejected = client.call("file_info", bad)
    assert (rejected.status, rejected.rejected) == (101, True)


def test_file_info_of_a_missing_file_is_an_api_error(make_client: MakeClient) -> None:
    with pytest.raises(pan123_oss.ApiError) as caught:
        make_client().call("file_info", "no-such-file")
    assert caught.value.endpoint == DETAIL and caught.value.trace_id


@pytest.mark.parametrize("bad", ["", "  ", 12, None])
def test_file_info_wants_a_file_id_string(make_client: MakeClient, fake: FakePan123, bad: Any) -> None:
    with pytest.raises(ValueError, match="file_id"):
        make_client().call("file_info", bad)
    assert fake.requests == []


# Links after uploads


def test_upload_ends_with_the_link(make_client: MakeClient, fake: FakePan123, tmp_path: Path) -> None:
    result = upload(make_client(), image(tmp_path))
    assert result.url and result.url.endswith(".png")
    assert (result.self_url, result.status, result.rejected) == ("", 0, False)
    assert result.url.endswith(f"/fake-files/{result.file_id}.png")
    assert len(sent(fake, DETAIL)) == 1


def test_an_instant_upload_gets_its_link_too(make_client: MakeClient, fake: FakePan123, tmp_path: Path) -> None:
    path = image(tmp_path)
    fake.add_file("first.png", path.read_bytes())
    result = upload(make_client(), path)
    assert result.reused
    assert result.url


def test_link_false_asks_for_no_link(make_client: MakeClient, fake: FakePan123, tmp_path: Path) -> None:
    result = upload(make_client(), image(tmp_path), link=False)
    assert (result.url, result.self_url, result.status, result.rejected) == (None, None, None, False)
    assert sent(fake, DETAIL) == []


def test_a_link_not_ready_is_asked_again_at_least_a_second_apart(
    make_client: MakeClient, fake: FakePan123, clock: FakeClock, tmp_path: Path
) -> None:
    fake.oss.link_delay_polls = 3
    result = upload(make_client(), image(tmp_path))
    assert result.url
    asked = [r.time for r in sent(fake, DETAIL)]
    assert len(asked) == 4
    assert min(b - a for a, b in itertools.pairwise(asked)) >= 1.0


def test_a_link_that_never_comes_names_the_stored_file(
    make_client: MakeClient, fake: FakePan123, clock: FakeClock, tmp_path: Path
) -> None:
    fake.oss.link_delay_polls = 10**6
    started = clock.monotonic()
    with pytest.raises(pan123_oss.LinkTimeoutError) as caught:
        upload(make_client(), image(tmp_path), timeout=20.0)
    assert caught.value.file_id in fake.oss.files
    assert caught.value.file_id in str(caught.value)
    assert isinstance(caught.value, TimeoutError)
    assert clock.monotonic() - started <= 20.0
    assert len(sent(fake, DETAIL)) >= 3


def test_without_a_timeout_the_link_wait_is_still_bounded(
    make_client: MakeClient, fake: FakePan123, clock: FakeClock, tmp_path: Path
) -> None:
    fake.oss.link_delay_polls = 10**6
    started = clock.monotonic()
    with pytest.raises(pan123_oss.LinkTimeoutError):
        upload(make_client(), image(tmp_path))
    assert clock.monotonic() - started <= _policy.LINK_WAIT + 10


def test_a_rejected_file_is_answered_at_once_with_its_status() -> None:
    # Review may reject a file before it ever gets a link: waiting for one would be waiting for nothing.
    ctx = _call.Context(clock=FakeClock().monotonic, request_timeout=30.0, can_refresh=True)
    rejected = {**entry("bad.png", "f-9", kind=0), "status": 120}
    info, effects = drive(_files.wait_for_link(ctx, "f-9", float("inf")), _answers([envelope(rejected)]))
    assert (info.file_id, info.url, info.status, info.rejected) == ("f-9", "", 120, True)
    assert [e for e in effects if isinstance(e, _effects.Sleep)] == []


# Folders


def test_upload_into_a_folder_path_makes_it_once(make_client: MakeClient, fake: FakePan123, tmp_path: Path) -> None:
    client = make_client()
    first = upload(client, image(tmp_path, "a.png"), folder="blog/2026/11")
    second = upload(client, image(tmp_path, "b.png"), folder="/blog/2026/11/")
    assert len(sent(fake, MKDIR)) == 3
    blog = fake.oss.folder_named("blog", "")
    month = fake.oss.folder_named("11", fake.oss.folder_named("2026", blog))
    assert fake.oss.files[first.file_id].parent_id == month == fake.oss.files[second.file_id].parent_id
    assert client.call("make_folders", "blog/2026/11") == month
    assert len(sent(fake, MKDIR)) == 3


def test_make_folders_finds_existing_folders_by_listing(make_client: MakeClient, fake: FakePan123) -> None:
    blog = fake.add_folder("blog")
    fake.add_file("2025", b"a file, not a folder", blog)
    year = make_client().call("make_folders", "blog/2026")
    assert fake.oss.folders[year].parent_id == blog
    assert [r.body["name"] for r in sent(fake, MKDIR)] == [["2026"]]


def test_a_file_in_the_way_of_a_folder_is_the_name_clash_error(make_client: MakeClient, fake: FakePan123) -> None:
    fake.add_file("2026", b"a file, not a folder", fake.add_folder("blog"))
    with pytest.raises(pan123_oss.ApiError, match="不能重名"):
        make_client().call("make_folders", "blog/2026")


def test_find_folder_finds_but_never_makes(make_client: MakeClient, fake: FakePan123) -> None:
    client = make_client()
    assert client.call("find_folder", "blog/2026") is None
    year = fake.add_folder("2026", fake.add_folder("blog"))
    assert client.call("find_folder", "blog/2026") == year
    assert client.call("find_folder", "") == ""
    assert sent(fake, MKDIR) == []


def test_make_folders_pages_through_a_big_parent(make_client: MakeClient, fake: FakePan123) -> None:
    for n in range(150):
        fake.add_folder(f"f{n:03}")
    assert make_client().call("make_folders", "f149") == fake.oss.folder_named("f149", "")
    assert len(sent(fake, LIST)) == 2
    assert sent(fake, MKDIR) == []


def test_make_folders_of_the_root_is_the_root(make_client: MakeClient, fake: FakePan123) -> None:
    assert make_client().call("make_folders", "/") == ""
    assert fake.requests == []


@pytest.mark.parametrize("path", ["blog/a:b", "blog/" + "x" * 256, 7])
def test_bad_folder_paths_send_nothing(make_client: MakeClient, fake: FakePan123, tmp_path: Path, path: Any) -> None:
    client = make_client()
    with pytest.raises(ValueError, match=r"filename|folder path"):
        client.call("make_folders", path)
    with pytest.raises(ValueError, match=r"filename|folder path"):
        upload(client, image(tmp_path), folder=path)
    assert fake.requests == []


def test_folder_and_parent_id_are_exclusive(make_client: MakeClient, fake: FakePan123, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not both"):
        upload(make_client(), image(tmp_path), folder="blog", parent_id="123")
    assert fake.requests == []


def test_concurrent_uploads_into_one_new_path_make_it_once(
    make_client: MakeClient, fake: FakePan123, tmp_path: Path
) -> None:
    client = make_client()
    paths = [image(tmp_path, f"{n}.png") for n in range(6)]
    if client.loop is None:
        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            results = list(pool.map(lambda p: client.call("upload_file", p, folder="new/path"), paths))
    else:
        async_client = client.client
        assert isinstance(async_client, pan123_oss.AsyncClient)

        async def all_at_once() -> list[pan123_oss.UploadResult]:
            return await asyncio.gather(*(async_client.upload_file(p, folder="new/path") for p in paths))

        results = client.loop.run_until_complete(all_at_once())
    assert len(sent(fake, MKDIR)) == 2
    assert len({fake.oss.files[r.file_id].parent_id for r in results}) == 1
    assert len([f for f in fake.oss.folders.values() if f.name == "path"]) == 1


def _answers(replies: list[_effects.Reply]) -> Any:
    queue = iter(replies)

    def answer(effect: _effects.Effect) -> object:
        if isinstance(effect, _effects.GetToken):
            return "token"
        assert isinstance(effect, _effects.Send)
        return next(queue)

    return answer


def entry(name: str, file_id: str, kind: int = 1) -> dict[str, Any]:
    return {
        "fileId": file_id, "filename": name, "type": kind, "size": 0, "etag": "", "status": 0, "createAt": "",
        "updateAt": "", "downloadURL": "", "userSelfURL": "", "totalTraffic": 0, "parentFileId": "",
        "parentFilename": "", "extension": "",
    }  # fmt: skip


def test_a_name_clash_on_mkdir_means_someone_made_it_meanwhile() -> None:
    ctx = _call.Context(clock=FakeClock().monotonic, request_timeout=30.0, can_refresh=True)
    folders = _files.Folders()
    clash = _effects.Reply(
        200, json.dumps({"code": 1, "message": "目录名不能重名", "data": None, "x-traceID": "t"}).encode()
    )
    answer = _answers(
        [envelope({"lastFileId": "-1", "fileList": []}), clash,
         envelope({"lastFileId": "-1", "fileList": [entry("blog", "d-1")]})]
    )  # fmt: skip
    folder_id, effects = drive(_files.make_folders(ctx, folders, ("blog",), float("inf")), answer)
    assert folder_id == "d-1"
    assert folders.ids == {("blog",): "d-1"}
    assert [e.request.path for e in effects if isinstance(e, _effects.Send)] == [LIST, MKDIR, LIST]


def test_a_name_clash_with_no_folder_to_find_is_the_api_error() -> None:
    ctx = _call.Context(clock=FakeClock().monotonic, request_timeout=30.0, can_refresh=True)
    clash = _effects.Reply(
        200, json.dumps({"code": 1, "message": "目录名不能重名", "data": None, "x-traceID": "t"}).encode()
    )
    empty = envelope({"lastFileId": "-1", "fileList": [entry("blog", "f-1", kind=0)]})
    with pytest.raises(pan123_oss.ApiError, match="不能重名"):
        drive(
            _files.make_folders(ctx, _files.Folders(), ("blog",), float("inf")),
            _answers([empty, clash, empty]),
        )


def test_other_mkdir_failures_are_not_retried(make_client: MakeClient, fake: FakePan123) -> None:
    fake.script("createFolder", Fault.code_reply(5113, "quota exceeded"))
    with pytest.raises(pan123_oss.ApiError, match="quota exceeded"):
        make_client().call("make_folders", "blog")
    assert len(sent(fake, MKDIR)) == 1


# Listing, moving, deleting


def test_list_files_pages_until_the_last(make_client: MakeClient, fake: FakePan123) -> None:
    folder = fake.add_folder("many")
    ids = [fake.add_file(f"{n}.png", str(n).encode(), folder) for n in range(230)]
    client = make_client()
    found = listed(client, folder)
    assert [f.file_id for f in found] == ids
    assert all(isinstance(f, pan123_oss.FileInfo) and not f.is_folder for f in found)
    assert len(sent(fake, LIST)) == 3
    assert all(r.body["limit"] == 100 for r in sent(fake, LIST))


@pytest.mark.parametrize("cursor", ["-1", "", "x-9"])
def test_a_listing_ends_at_minus_one_an_empty_cursor_or_an_empty_page(cursor: str) -> None:
    ctx = _call.Context(clock=FakeClock().monotonic, request_timeout=30.0, can_refresh=True)
    pages = _files.Pages("", None, None)
    files = [] if cursor == "x-9" else [entry("a.png", "f-1", kind=0)]
    found, _ = drive(pages.next(ctx), _answers([envelope({"lastFileId": cursor, "fileList": files})]))
    assert pages.done
    assert [f.file_id for f in found] == [f["fileId"] for f in files]


def test_list_files_of_the_root_shows_folders(make_client: MakeClient, fake: FakePan123) -> None:
    folder = fake.add_folder("blog")
    found = listed(make_client())
    assert [(f.file_id, f.is_folder) for f in found] == [(folder, True)]


def test_list_files_sends_the_time_range(make_client: MakeClient, fake: FakePan123) -> None:
    import datetime

    listed(make_client(), "", since=1_700_000_000, until=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC))
    body = sent(fake, LIST)[0].body
    assert (body["startTime"], body["endTime"]) == (1_700_000_000, 1893456000)


def test_a_listing_that_does_not_advance_is_malformed() -> None:
    ctx = _call.Context(clock=FakeClock().monotonic, request_timeout=30.0, can_refresh=True)
    pages = _files.Pages("", None, None)
    same = envelope({"lastFileId": "x-1", "fileList": [entry("a.png", "x-1", kind=0)]})
    drive(pages.next(ctx), _answers([same]))
    with pytest.raises(pan123_oss.MalformedResponseError, match="does not advance"):
        drive(pages.next(ctx), _answers([same]))


def test_move_and_delete_any_number_in_batches_of_100(make_client: MakeClient, fake: FakePan123) -> None:
    ids = [fake.add_file(f"{n}.png", str(n).encode()) for n in range(250)]
    target = fake.add_folder("moved")
    client = make_client()
    client.call("move_files", ids[:150], target)
    assert [len(r.body["fileIDs"]) for r in sent(fake, "/api/v1/oss/file/move")] == [100, 50]
    assert all(fake.oss.files[i].parent_id == target for i in ids[:150])
    client.call("delete_files", iter(ids))
    assert [len(r.body["fileIDs"]) for r in sent(fake, "/api/v1/oss/file/delete")] == [100, 100, 50]
    assert not set(ids) & set(fake.oss.files)


def test_deleting_a_folder_forgets_its_path(make_client: MakeClient, fake: FakePan123) -> None:
    client = make_client()
    first = client.call("make_folders", "blog/2026")
    client.call("delete_files", [fake.oss.folders[first].parent_id])
    second = client.call("make_folders", "blog/2026")
    assert second != first and second in fake.oss.folders


@pytest.mark.parametrize("bad", ["one-id", [1, 2], None])
def test_batches_want_a_list_of_id_strings(make_client: MakeClient, fake: FakePan123, bad: Any) -> None:
    with pytest.raises(ValueError, match=r"file_ids|file ID"):
        make_client().call("delete_files", bad)
    assert fake.requests == []
