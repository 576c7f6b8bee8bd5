"""What the fake 123pan refuses, and how it says so: the words its replies carry are what a test written
against it (ours or a user's) reads in the client's `ApiError`."""

from __future__ import annotations

import pytest

import pan123_oss
from pan123_oss.testing import FakeClock, FakePan123, Fault


def client(fake: FakePan123, clock: FakeClock) -> pan123_oss.Client:
    return pan123_oss.Client(client_id=fake.client_id, client_secret=fake.client_secret, transport=fake.transport(),
                             clock=clock, sleep=clock.sleep)  # fmt: skip


def test_moving_unknown_files_names_the_first_five() -> None:
    clock = FakeClock()
    fake = FakePan123(clock=clock)
    with client(fake, clock) as c, pytest.raises(pan123_oss.ApiError) as caught:
        c.move_files([f"nope-{n}" for n in range(7)], "")
    assert caught.value.message == "文件不存在: nope-0, nope-1, nope-2, nope-3, nope-4"
    assert caught.value.code == 5066


def test_moving_into_a_folder_that_is_not_there_says_which() -> None:
    clock = FakeClock()
    fake = FakePan123(clock=clock)
    file_id = fake.add_file("a.png", b"data")
    with client(fake, clock) as c, pytest.raises(pan123_oss.ApiError) as caught:
        c.move_files([file_id], "no-such-folder")
    assert caught.value.message == "目标目录不存在 (toParentFileID 'no-such-folder')"


def test_a_slow_reply_on_the_real_clock_is_waited_for_with_the_real_sleep() -> None:
    fake = FakePan123(pending_polls=0)  # the system clock: no FakeClock to advance
    pid = fake.add_upload()
    fake.script("upload_async_result", Fault.slow(0.01))
    with pan123_oss.Client(access_token=fake.issue_token(), transport=fake.transport()) as c:
        assert c.upload_async_result(pid).completed is True
