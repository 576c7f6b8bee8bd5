"""import_url (offline migration) and copy_from_drive on both clients: tasks polled, new files found, failures."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from conftest import MakeClient, every_reply_shape

import pan123_oss
from pan123_oss.testing import FakeClock, FakePan123

OFFLINE_PROCESS = "/api/v1/oss/offline/download/process"
COPY_PROCESS = "/api/v1/oss/source/copy/process"
COPY = "/api/v1/oss/source/copy"


replies = every_reply_shape()
"""Every test here runs against full replies and against minimal ones with unknown fields."""


def sent(fake: FakePan123, path: str) -> list[Any]:
    return [r for r in fake.requests if r.path == path]


def test_import_url_into_a_folder_path(make_client: MakeClient, fake: FakePan123) -> None:
    fake.imports.task_polls = 3
    fake.add_remote_file("https://example.com/pics/cat%20one.png", b"meow")
    info = make_client().call("import_url", "https://example.com/pics/cat%20one.png", folder="blog/imports")
    assert isinstance(info, pan123_oss.FileInfo)
    assert info.filename == "cat one.png" and info.size == 4 and info.url
    assert fake.file_bytes(info.file_id) == b"meow"
    assert fake.oss.folders[info.parent_id].name == "imports"
    polls = [r.time for r in sent(fake, OFFLINE_PROCESS)]
    assert len(polls) == 4
    assert min(b - a for a, b in itertools.pairwise(polls)) >= 1.0


def test_import_url_with_a_name_into_the_default_folder(make_client: MakeClient, fake: FakePan123) -> None:
    fake.add_remote_file("https://example.com/a", b"bytes")
    info = make_client().call("import_url", "https://example.com/a", filename="named.png")
    assert info.filename == "named.png"
    assert fake.oss.folders[info.parent_id].name == "来自:离线下载"
    assert "businessDirID" not in sent(fake, "/api/v1/oss/offline/download")[0].body


def test_an_import_without_a_link_yet_waits_for_it(make_client: MakeClient, fake: FakePan123) -> None:
    fake.oss.link_delay_polls = 2
    fake.add_remote_file("https://example.com/late.png", b"late")
    info = make_client().call("import_url", "https://example.com/late.png")
    assert info.url
    assert len(sent(fake, "/api/v1/oss/file/detail")) == 3


def test_a_failed_import_raises_with_the_task_id(make_client: MakeClient, fake: FakePan123) -> None:
    with pytest.raises(pan123_oss.TaskFailedError) as caught:
        make_client().call("import_url", "https://example.com/not-there.png")
    assert caught.value.task_id
    assert "could not fetch https://example.com/not-there.png" in str(caught.value)


def test_an_import_that_does_not_finish_times_out(make_client: MakeClient, fake: FakePan123, clock: FakeClock) -> None:
    fake.imports.task_polls = 10**6
    fake.add_remote_file("https://example.com/slow.png", b"x")
    started = clock.monotonic()
    with pytest.raises(pan123_oss.TaskTimeoutError) as caught:
        make_client().call("import_url", "https://example.com/slow.png", timeout=30.0)
    assert caught.value.task_id
    assert isinstance(caught.value, TimeoutError)
    assert clock.monotonic() - started <= 30.0


@pytest.mark.parametrize("url", ["ftp://example.com/a.png", "", None])
def test_import_url_wants_an_http_url(make_client: MakeClient, fake: FakePan123, url: Any) -> None:
    with pytest.raises(ValueError, match="http or https"):
        make_client().call("import_url", url)
    assert fake.requests == []


def test_copy_from_drive_returns_the_copies(make_client: MakeClient, fake: FakePan123) -> None:
    fake.add_file("already.png", b"old")  # in the root already: not a copy
    for n in range(3):
        fake.add_drive_file(str(1000 + n), f"d{n}.png", f"drive {n}".encode())
    copies = make_client().call("copy_from_drive", ["1000", "1001", "1002"])
    assert sorted(f.filename for f in copies) == ["d0.png", "d1.png", "d2.png"]
    assert all(f.parent_id == "" and f.url for f in copies)


def test_copy_from_drive_in_batches_of_100(make_client: MakeClient, fake: FakePan123) -> None:
    ids = [str(5000 + n) for n in range(130)]
    for drive_id in ids:
        fake.add_drive_file(drive_id, f"{drive_id}.png", drive_id.encode())
    copies = make_client().call("copy_from_drive", ids, folder="from-drive")
    assert len(copies) == 130
    assert {fake.oss.folders[copy.parent_id].name for copy in copies} == {"from-drive"}  # made, and copied into
    assert [len(r.body["fileIDs"]) for r in sent(fake, COPY)] == [100, 30]


def test_a_failed_copy_lists_what_failed(make_client: MakeClient, fake: FakePan123) -> None:
    fake.add_drive_file("42", "bad.psd", b"psd")
    fake.fail_copy("42", "图片格式不支持")
    with pytest.raises(pan123_oss.TaskFailedError) as caught:
        make_client().call("copy_from_drive", ["42"])
    assert caught.value.failures == [("42", "bad.psd")]
    assert "图片格式不支持" in str(caught.value)


def test_a_partly_failed_copy_is_a_failure_too(make_client: MakeClient, fake: FakePan123) -> None:
    fake.add_drive_file("1", "good.png", b"good")
    fake.add_drive_file("2", "bad.psd", b"bad")
    fake.fail_copy("2")
    with pytest.raises(pan123_oss.TaskFailedError) as caught:
        make_client().call("copy_from_drive", ["1", "2"])
    assert caught.value.failures == [("2", "bad.psd")]
    assert sent(fake, COPY_PROCESS)
