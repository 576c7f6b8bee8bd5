"""What the import flows decide, on a fake clock: offline migration of a URL and copies from the drive. Each
starts a task, polls it at least 1 s apart until it ends or the deadline comes, then tells its files from the
others by listing the folder before and after."""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest
from flow_service import Service, after, context, drive, envelope

import pan123_oss
from pan123_oss._flows import _effects, _files, _migration
from pan123_oss._policy import PollPolicy

LIST = "/api/v1/oss/file/list"
DETAIL = "/api/v1/oss/file/detail"
OFFLINE = "/api/v1/oss/offline/download"
OFFLINE_STATE = "/api/v1/oss/offline/download/process"
COPY = "/api/v1/oss/source/copy"
COPY_STATE = "/api/v1/oss/source/copy/process"
COPY_FAIL = "/api/v1/oss/source/copy/fail"
URL = "https://pics.example/dir/cat%20one.png?x=1"


def entry(
    file_id: str, name: str = "a.png", *, folder: bool = False, url: str = "", updated: str = "u1", status: int = 0
) -> dict[str, Any]:
    return {
        "fileId": file_id, "filename": name, "type": 1 if folder else 0, "size": 3, "etag": "e" * 32,
        "status": status, "createAt": "c", "updateAt": updated, "downloadURL": url, "userSelfURL": "",
        "totalTraffic": 0, "parentFileId": "p", "parentFilename": "p", "extension": "png",
    }  # fmt: skip


def listing(*entries: dict[str, Any]) -> _effects.Reply:
    return envelope({"fileList": list(entries), "lastFileId": "-1"})


def offline_state(status: int) -> _effects.Reply:
    return envelope({"status": status, "process": 50})


def copy_state(status: int, why: str = "") -> _effects.Reply:
    return envelope({"status": status, "failMsg": why})


def failures(total: int, *items: tuple[int, str]) -> _effects.Reply:
    return envelope({"total": total, "list": [{"fileId": i, "filename": n} for i, n in items] or None})


def import_url(
    service: Service, names: tuple[str, ...] | None, filename: str | None = None, timeout: float = 600.0
) -> Any:
    flow = _migration.import_url(
        context(service), _files.Folders(), URL, names, filename, service.clock.monotonic() + timeout
    )
    return drive(flow, service.answer)


BLOG = listing(entry("d-blog", "blog", folder=True))
LATE = 11.0
"""Seconds a slow reply takes in the deadline tests: past their 10 s."""


def after_deadline(reply: _effects.Reply) -> Any:
    """`reply`, but only once the import's deadline has passed (bound to a service by `slow`)."""
    return ("late", reply)


def test_an_imported_url_is_the_new_file_in_its_folder() -> None:
    service = Service({
        LIST: [BLOG, listing(entry("f-old", "cat one.png")),
               listing(entry("f-old", "cat one.png"), entry("f-new", "cat one.png", url="https://cdn.example/c"))],
        OFFLINE: [envelope({"taskID": 77})],
        OFFLINE_STATE: [offline_state(0), offline_state(3), offline_state(2)],
    })  # fmt: skip
    info = import_url(service, ("blog",))
    assert (info.file_id, info.url) == ("f-new", "https://cdn.example/c")
    (start,) = [s.json for s in service.sent if s.path == OFFLINE]
    assert start == {"url": URL, "type": 1, "businessDirID": "d-blog"}
    polls = [s for s in service.sent if s.path == OFFLINE_STATE]
    assert [p.params for p in polls] == [{"taskID": 77}] * 3
    assert all(b.at - a.at >= 1.0 for a, b in itertools.pairwise(polls))


def test_an_overwritten_file_counts_as_the_import_and_its_link_is_waited_for() -> None:
    service = Service({
        LIST: [BLOG, listing(entry("f-1", "x.png", updated="u1")), listing(entry("f-1", "x.png", updated="u2"))],
        OFFLINE: [envelope({"taskID": 5})], OFFLINE_STATE: [offline_state(2)],
        DETAIL: [envelope(entry("f-1", "x.png", url="https://cdn.example/x", updated="u2"))],
    })  # fmt: skip
    info = import_url(service, ("blog",), filename="x.png")
    assert (info.file_id, info.url) == ("f-1", "https://cdn.example/x")
    (start,) = [s.json for s in service.sent if s.path == OFFLINE]
    assert start["fileName"] == "x.png"


def test_an_import_without_a_folder_is_found_in_the_service_default_folder() -> None:
    default = entry("d-off", _migration.OFFLINE_FOLDER, folder=True)
    service = Service({
        LIST: [listing(), listing(default), listing(entry("f-9", "other.png", url="https://cdn.example/o"))],
        OFFLINE: [envelope({"taskID": 9})], OFFLINE_STATE: [offline_state(2)],
    })  # fmt: skip
    info = import_url(service, None)
    assert info.file_id == "f-9"  # named otherwise, but the only file that changed
    (start,) = [s.json for s in service.sent if s.path == OFFLINE]
    assert start == {"url": URL, "type": 1}


def test_a_failed_offline_task_says_which_url() -> None:
    service = Service({LIST: [BLOG, listing()], OFFLINE: [envelope({"taskID": 7})], OFFLINE_STATE: [offline_state(1)]})
    with pytest.raises(pan123_oss.TaskFailedError, match="task 7 failed") as e:
        import_url(service, ("blog",))
    assert e.value.message == f"task 7 failed: the service could not fetch {URL}"
    assert (e.value.task_id, e.value.endpoint) == ("7", OFFLINE_STATE)


def test_an_unfinished_task_at_the_deadline_names_the_task() -> None:
    service = Service({LIST: [BLOG, listing()], OFFLINE: [envelope({"taskID": 7})], OFFLINE_STATE: [offline_state(0)]})
    start = service.clock.monotonic()
    with pytest.raises(pan123_oss.TaskTimeoutError, match=r"task 7 not finished after \d+ polls in") as caught:
        import_url(service, ("blog",), timeout=20.0)
    assert (caught.value.task_id, caught.value.endpoint) == ("7", OFFLINE_STATE)
    assert service.clock.monotonic() - start <= 20.0
    assert len([s for s in service.sent if s.path == OFFLINE_STATE]) >= 5


def test_a_deadline_before_the_task_started_is_a_task_timeout_without_a_task() -> None:
    service = Service({LIST: [BLOG]})
    with pytest.raises(pan123_oss.TaskTimeoutError, match="deadline reached making the folders") as caught:
        import_url(service, ("blog",), timeout=0.0)
    assert caught.value.task_id == ""


@pytest.mark.parametrize(
    ("after", "message", "endpoint"),
    [
        ([], "task 7 finished, but no new file is in its folder", OFFLINE_STATE),
        ([entry("f-a", "cat one.png"), entry("f-b", "cat one.png")],
         "2 files named 'cat one.png' changed in its folder .* file IDs f-a, f-b", LIST),
        ([entry("f-a", "a.png"), entry("f-b", "b.png")], "but 2 files changed in its folder .* file IDs f-a, f-b",
         LIST),
    ],
)  # fmt: skip
def test_an_import_that_cannot_be_told_from_other_files_says_so(
    after: list[dict[str, Any]], message: str, endpoint: str
) -> None:
    service = Service({
        LIST: [BLOG, listing(), listing(*after)], OFFLINE: [envelope({"taskID": 7})], OFFLINE_STATE: [offline_state(2)],
    })  # fmt: skip
    with pytest.raises(pan123_oss.Pan123Error, match=message) as caught:
        import_url(service, ("blog",))
    assert caught.value.endpoint == endpoint  # the call whose answer showed it


def test_the_expected_name_comes_from_the_url_path() -> None:
    assert _migration.name_from_url("https://h.example/a/b%20c.png?q=1#f") == "b c.png"
    assert _migration.check_url("HTTPS://h.example/x") == "HTTPS://h.example/x"
    for bad in ["ftp://h.example/x", "h.example/x", None]:
        with pytest.raises(ValueError, match="url must be an http or https URL, got"):
            _migration.check_url(bad)


# Copies from the drive.


def copy(service: Service, ids: list[str]) -> list[pan123_oss.FileInfo]:
    flow = _migration.copy_from_drive(context(service), _files.Folders(), ids, ("blog",), math.inf)
    result: list[pan123_oss.FileInfo] = drive(flow, service.answer)
    return result


def test_drive_files_are_copied_a_hundred_per_task_and_the_copies_returned() -> None:
    ids = [f"d{n}" for n in range(150)]
    first = [entry(f"c{n}", f"{n}.png", url="u") for n in range(100)]
    second = [entry(f"c{n}", f"{n}.png", url="u") for n in range(100, 150)]
    service = Service({
        LIST: [BLOG, listing(), listing(*first), listing(*first), listing(*first, *second)],
        COPY: [envelope({"taskID": "t1"}), envelope({"taskID": "t2"})],
        COPY_STATE: [copy_state(1), copy_state(2), copy_state(2)],
        COPY_FAIL: [failures(0)],
    })  # fmt: skip
    copies = copy(service, ids)
    assert [c.file_id for c in copies] == [f"c{n}" for n in range(150)]
    batches = [s.json for s in service.sent if s.path == COPY]
    assert batches == [
        {"fileIDs": ids[:100], "toParentFileID": "d-blog", "sourceType": "1", "type": 1},
        {"fileIDs": ids[100:], "toParentFileID": "d-blog", "sourceType": "1", "type": 1},
    ]
    assert [s.params for s in service.sent if s.path == COPY_STATE] == [{"taskID": "t1"}] * 2 + [{"taskID": "t2"}]
    asked = [s.params for s in service.sent if s.path == COPY_FAIL]
    assert asked == [{"taskID": "t1", "limit": 100, "page": 1}, {"taskID": "t2", "limit": 100, "page": 1}]


def test_a_failed_copy_names_the_task_and_the_files_not_copied() -> None:
    service = Service({
        LIST: [BLOG, listing()], COPY: [envelope({"taskID": "t1"})], COPY_STATE: [copy_state(3, "quota")],
        COPY_FAIL: [failures(2, (11, "a.png"), (12, "b.png"))],
    })  # fmt: skip
    with pytest.raises(pan123_oss.TaskFailedError, match="task t1 failed: quota") as caught:
        copy(service, ["d1", "d2"])
    assert (caught.value.task_id, caught.value.failures) == ("t1", [("11", "a.png"), ("12", "b.png")])
    assert caught.value.endpoint == COPY_STATE


def test_a_failed_copy_without_a_reason_says_so() -> None:
    service = Service({
        LIST: [BLOG, listing()], COPY: [envelope({"taskID": "t1"})], COPY_STATE: [copy_state(3)],
        COPY_FAIL: [failures(0)],
    })  # fmt: skip
    with pytest.raises(pan123_oss.TaskFailedError, match="task t1 failed: no reason given"):
        copy(service, ["d1"])


def test_a_finished_copy_that_missed_files_lists_them_from_every_page() -> None:
    page1 = [(n, f"{n}.png") for n in range(100)]
    service = Service({
        LIST: [BLOG, listing()], COPY: [envelope({"taskID": "t1"})], COPY_STATE: [copy_state(2)],
        COPY_FAIL: [failures(101, *page1), failures(101, (100, "100.png"))],
    })  # fmt: skip
    with pytest.raises(pan123_oss.TaskFailedError) as caught:
        copy(service, ["d1"])
    assert caught.value.message == "task t1 copied some files but not 101: 0.png, 1.png, 2.png, 3.png, 4.png"
    assert len(caught.value.failures) == 101
    assert caught.value.endpoint == _migration.COPY_FAILURES_PATH
    assert [s.params["page"] for s in service.sent if s.path == COPY_FAIL] == [1, 2]


def test_more_changes_than_copies_is_an_error_not_a_guess() -> None:
    service = Service({
        LIST: [BLOG, listing(), listing(*(entry(f"c{n}", url="u") for n in range(12)))],
        COPY: [envelope({"taskID": "t1"})], COPY_STATE: [copy_state(2)], COPY_FAIL: [failures(0)],
    })  # fmt: skip
    with pytest.raises(pan123_oss.Pan123Error, match="task t1 copied 2 files, but 12 changed in the folder") as e:
        copy(service, ["d1", "d2", "d1"])  # the same file twice is one copy
    assert e.value.message.endswith("file IDs c0, c1, c2, c3, c4, c5, c6, c7, c8, c9 ...")
    assert e.value.endpoint == LIST


def test_a_file_named_twice_in_a_copy_is_one_copy() -> None:
    service = Service({
        LIST: [BLOG, listing(), listing(entry("c0", url="u"), entry("c1", url="u"))],
        COPY: [envelope({"taskID": "t1"})], COPY_STATE: [copy_state(2)], COPY_FAIL: [failures(0)],
    })  # fmt: skip
    with pytest.raises(pan123_oss.Pan123Error, match="task t1 copied 1 files, but 2 changed in the folder"):
        copy(service, ["d1", "d1"])


def test_every_import_request_keeps_to_the_deadline_and_lists_the_right_folder() -> None:
    service = Service({
        LIST: [BLOG, listing(), listing(entry("f-new", "cat one.png", url="u"))],
        OFFLINE: [envelope({"taskID": 7})], OFFLINE_STATE: [offline_state(0), offline_state(2)],
    })  # fmt: skip
    start = service.clock.monotonic()
    import_url(service, ("blog",), timeout=20.0)
    assert all(s.timeout == pytest.approx(start + 20.0 - s.at) for s in service.sent)
    assert [s.json["parentFileId"] for s in service.sent if s.path == LIST] == ["", "d-blog", "d-blog"]


def test_every_copy_request_keeps_to_the_deadline_and_lists_the_right_folder() -> None:
    service = Service({
        LIST: [BLOG, listing(), listing(entry("c1", url=""))], COPY: [envelope({"taskID": "t1"})],
        COPY_STATE: [copy_state(1), copy_state(2)], COPY_FAIL: [failures(0)],
        DETAIL: [envelope(entry("c1", url="https://cdn.example/c1"))],
    })  # fmt: skip
    start = service.clock.monotonic()
    flow = _migration.copy_from_drive(context(service), _files.Folders(), ["d1"], ("blog",), start + 20.0)
    (copied,) = drive(flow, service.answer)
    assert (copied.file_id, copied.url) == ("c1", "https://cdn.example/c1")
    assert all(s.timeout == pytest.approx(start + 20.0 - s.at) for s in service.sent)
    assert [s.json["parentFileId"] for s in service.sent if s.path == LIST] == ["", "d-blog", "d-blog"]
    assert [s.params for s in service.sent if s.path == DETAIL] == [{"fileID": "c1"}]


def test_a_task_timeout_says_how_many_polls_over_how_long() -> None:
    service = Service({LIST: [BLOG, listing()], OFFLINE: [envelope({"taskID": 7})], OFFLINE_STATE: [offline_state(0)]})
    ctx = context(service)
    ctx.poll = PollPolicy(initial=1.0, multiplier=1.0, maximum=1.0, jitter=0.0)
    flow = _migration.import_url(ctx, _files.Folders(), URL, ("blog",), None, service.clock.monotonic() + 3.5)
    with pytest.raises(pan123_oss.TaskTimeoutError) as caught:
        drive(flow, service.answer)
    assert caught.value.message == "task 7 not finished after 4 polls in 3.0 s"  # a fifth would leave no slack


@pytest.mark.parametrize(
    ("what", "replies"),
    [
        # A slow reply is only seen to have run out the clock by the request after it.
        ("listing the folder", {LIST: [after_deadline(BLOG), listing()]}),
        ("starting the import", {LIST: [BLOG, after_deadline(listing())], OFFLINE: [envelope({"taskID": 7})]}),
    ],
)
def test_a_deadline_outside_the_task_poll_says_what_it_interrupted(what: str, replies: dict[str, Any]) -> None:
    service = Service({OFFLINE_STATE: [offline_state(2)]})
    for path, queue in replies.items():
        service.replies[path] = [after(service, LATE, r[1]) if isinstance(r, tuple) else r for r in queue]
    with pytest.raises(pan123_oss.TaskTimeoutError, match=f"^deadline reached {what}: ") as caught:
        import_url(service, ("blog",), timeout=10.0)
    assert caught.value.task_id == ""
    assert caught.value.endpoint == {"listing the folder": LIST, "starting the import": OFFLINE}[what]


@pytest.mark.parametrize(("changes", "more"), [(10, False), (11, True)])
def test_too_many_changes_list_ten_file_ids_and_say_when_there_are_more(changes: int, more: bool) -> None:
    service = Service({
        LIST: [BLOG, listing(), listing(*(entry(f"c{n}", url="u") for n in range(changes)))],
        COPY: [envelope({"taskID": "t1"})], COPY_STATE: [copy_state(2)], COPY_FAIL: [failures(0)],
    })  # fmt: skip
    with pytest.raises(pan123_oss.Pan123Error) as caught:
        copy(service, ["d1"])
    ids = ", ".join(f"c{n}" for n in range(10))
    assert caught.value.message.endswith(f"file IDs {ids}{' ...' if more else ''}")
    assert caught.value.endpoint == LIST


def test_an_http_url_may_be_imported() -> None:
    assert _migration.check_url("http://h.example/a.png") == "http://h.example/a.png"


def test_a_copy_that_missed_files_is_reported_with_its_task() -> None:
    service = Service({
        LIST: [BLOG, listing()], COPY: [envelope({"taskID": "t1"})], COPY_STATE: [copy_state(2)],
        COPY_FAIL: [failures(1, (11, "a.png"))],
    })  # fmt: skip
    with pytest.raises(pan123_oss.TaskFailedError) as caught:
        copy(service, ["d1"])
    assert (caught.value.task_id, caught.value.failures) == ("t1", [("11", "a.png")])
