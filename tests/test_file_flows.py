"""What the file flows decide from the service's replies, on a fake clock: waiting for a link, folder paths
found or made, listings that end (or do not), and batches of IDs 100 at a time."""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest
from flow_service import Service, context, drive, envelope

import pan123_oss
from pan123_oss._flows import _effects, _files
from pan123_oss._policy import LINK_WAIT, PollPolicy

DETAIL = "/api/v1/oss/file/detail"
LIST = "/api/v1/oss/file/list"
MKDIR = "/upload/v1/oss/file/mkdir"
DELETE = "/api/v1/oss/file/delete"


def entry(file_id: str, name: str = "a.png", *, folder: bool = False, url: str = "", status: int = 0) -> dict[str, Any]:
    return {
        "fileId": file_id, "filename": name, "type": 1 if folder else 0, "size": 3, "etag": "e" * 32,
        "status": status, "createAt": "2025-01-01 00:00:00", "updateAt": "2025-01-02 00:00:00",
        "downloadURL": url, "userSelfURL": url and url + "?self", "totalTraffic": 0, "parentFileId": "p-1",
        "parentFilename": "p", "extension": "png",
    }  # fmt: skip


def detail(url: str = "", status: int = 0) -> _effects.Reply:
    return envelope(entry("f-1", url=url, status=status))


def listing(*entries: dict[str, Any], last: str = "-1") -> _effects.Reply:
    return envelope({"fileList": list(entries), "lastFileId": last})


def mkdir_reply(dir_id: str) -> _effects.Reply:
    return envelope({"list": [{"filename": "x", "dirID": dir_id}]})


# Waiting for a link.


def test_a_link_is_asked_for_until_it_comes_at_least_a_second_apart() -> None:
    service = Service({DETAIL: [detail(), detail(), detail("https://cdn.example/a.png")]})
    info = drive(_files.wait_for_link(context(service), "f-1", service.clock.monotonic() + 30), service.answer)
    assert info.url == "https://cdn.example/a.png"
    assert info.self_url == "https://cdn.example/a.png?self"
    times = [s.at for s in service.sent]
    assert len(times) == 3
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(times))


def test_a_link_wait_gives_up_when_the_next_ask_would_leave_its_reply_no_time() -> None:
    service = Service({DETAIL: [detail()]})
    ctx = context(service)
    ctx.poll = PollPolicy(initial=1.0, multiplier=1.0, maximum=1.0, jitter=0.0)
    start = service.clock.monotonic()
    with pytest.raises(pan123_oss.LinkTimeoutError, match="gave it no link before the deadline"):
        drive(_files.wait_for_link(ctx, "f-1", start + 10.1), service.answer)
    # Asks at 0, 1, ... 9 s; one at 10 s would leave its reply 0.1 s, under the 0.25 s kept for it.
    assert [s.at - start for s in service.sent] == [float(n) for n in range(10)]


def test_a_file_rejected_by_review_is_answered_without_waiting_for_a_link() -> None:
    service = Service({DETAIL: [detail(status=101)]})
    info = drive(_files.wait_for_link(context(service), "f-1", service.clock.monotonic() + 30), service.answer)
    assert info.rejected and info.url == ""
    assert len(service.sent) == 1


def test_a_link_that_does_not_come_by_the_deadline_names_the_stored_file() -> None:
    service = Service({DETAIL: [detail()]})
    start = service.clock.monotonic()
    with pytest.raises(pan123_oss.LinkTimeoutError, match="file f-1 is stored but the service gave it no link") as e:
        drive(_files.wait_for_link(context(service), "f-1", start + 10), service.answer)
    assert (e.value.file_id, e.value.endpoint) == ("f-1", DETAIL)
    assert service.clock.monotonic() - start <= 10 - 0.25


def test_a_link_wait_out_of_time_before_asking_names_the_stored_file() -> None:
    service = Service({DETAIL: [detail()]})
    start = service.clock.monotonic()
    with pytest.raises(pan123_oss.LinkTimeoutError, match="the deadline came first") as caught:
        drive(_files.wait_for_link(context(service), "f-1", start), service.answer)
    assert (caught.value.file_id, caught.value.endpoint) == ("f-1", DETAIL)
    assert service.sent == []


def uploaded() -> _effects.Steps[pan123_oss.UploadResult]:
    yield from ()
    return pan123_oss.UploadResult("f-1", "a.png", 3, "e" * 32, False, "pid")


def test_an_upload_without_a_deadline_waits_a_minute_for_its_link() -> None:
    service = Service({DETAIL: [detail()]})
    start = service.clock.monotonic()
    with pytest.raises(pan123_oss.LinkTimeoutError) as caught:
        drive(_files.with_link(context(service), uploaded(), math.inf), service.answer)
    assert (caught.value.file_id, caught.value.preupload_id) == ("f-1", "pid")  # named by its upload, as after create
    assert "preuploadID 'pid'" in str(caught.value)
    assert LINK_WAIT == 60.0
    assert 50.0 < service.sent[-1].at - start < 60.0


def test_an_upload_with_its_link_carries_the_link_fields() -> None:
    service = Service({DETAIL: [detail("https://cdn.example/a.png", status=1)]})
    result = drive(_files.with_link(context(service), uploaded(), math.inf), service.answer)
    assert (result.url, result.self_url, result.status) == (
        "https://cdn.example/a.png", "https://cdn.example/a.png?self", 1,
    )  # fmt: skip
    assert (result.file_id, result.preupload_id) == ("f-1", "pid")


# Folder paths.


def test_a_folder_path_is_found_by_listing_and_the_missing_folders_are_made() -> None:
    folders = _files.Folders()
    service = Service({
        LIST: [
            listing(
                entry("d-photos", "photos", folder=True), entry("f-blog", "blog"), entry("d-blog", "blog", folder=True)
            ),
            listing(entry("f-x", "2026")),
        ],
        MKDIR: [mkdir_reply("d-2026")],
    })  # fmt: skip
    made = drive(_files.make_folders(context(service), folders, ("blog", "2026"), math.inf), service.answer)
    assert made == "d-2026"  # a file named like the folder does not count as the folder
    assert folders.ids == {("blog",): "d-blog", ("blog", "2026"): "d-2026"}
    mkdir = [s.json for s in service.sent if s.path == MKDIR]
    assert mkdir == [{"name": ["2026"], "parentID": "d-blog", "type": 1}]
    assert [s.json["parentFileId"] for s in service.sent if s.path == LIST] == ["", "d-blog"]


def test_a_known_folder_path_is_answered_from_memory() -> None:
    folders = _files.Folders()
    folders.ids[("blog",)] = "d-blog"
    service = Service({})
    assert drive(_files.folder_of(folders, ("blog",), math.inf, context(service)), service.answer) == "d-blog"
    assert folders.known(()) == ""
    assert service.sent == []


def test_finding_a_path_makes_nothing() -> None:
    service = Service({LIST: [listing(entry("d-blog", "blog", folder=True)), listing()]})
    assert drive(_files.find_path(context(service), _files.Folders(), ("blog", "new")), service.answer) is None
    assert MKDIR not in service.paths()


def test_a_folder_made_meanwhile_by_someone_else_is_found_again() -> None:
    service = Service({
        LIST: [listing(), listing(entry("d-blog", "blog", folder=True))],
        MKDIR: [_message("该目录下已经有同名文件夹,不能重名")],
    })  # fmt: skip
    made = drive(_files.make_folders(context(service), _files.Folders(), ("blog",), math.inf), service.answer)
    assert made == "d-blog"


def test_another_mkdir_failure_is_raised_as_it_is() -> None:
    service = Service({LIST: [listing()], MKDIR: [_message("quota exceeded", code=5)]})
    with pytest.raises(pan123_oss.ApiError, match="quota exceeded") as caught:
        drive(_files.make_folders(context(service), _files.Folders(), ("blog",), math.inf), service.answer)
    assert caught.value.code == 5


def test_forgetting_a_folder_forgets_every_path_through_it() -> None:
    folders = _files.Folders()
    folders.ids = {("a",): "1", ("a", "b"): "2", ("a", "b", "c"): "3", ("x",): "9"}
    folders.forget(["2"])
    assert folders.ids == {("a",): "1", ("x",): "9"}
    folders.forget([])
    assert folders.ids == {("a",): "1", ("x",): "9"}


def test_running_out_of_time_making_folders_is_an_upload_timeout() -> None:
    service = Service({LIST: [listing()]})
    flow = _files.into_folder(
        context(service), _files.Folders(), ("blog",), service.clock.monotonic(), lambda parent: uploaded()
    )

    def answer(effect: _effects.Effect) -> object:
        if isinstance(effect, _effects.Exclusive):
            return drive(effect.flow, answer)
        return service.answer(effect)

    with pytest.raises(pan123_oss.UploadTimeoutError, match="upload deadline reached making its folders") as caught:
        drive(flow, answer)
    assert caught.value.endpoint == LIST


# Listings.


def pages(*replies: _effects.Reply) -> tuple[list[list[str]], Service]:
    service = Service({LIST: list(replies)})
    listing_ = _files.Pages("d-1", 10, 20)
    seen: list[list[str]] = []
    while not listing_.done:
        seen.append([f.file_id for f in drive(listing_.next(context(service)), service.answer)])
    return seen, service


def test_a_listing_follows_its_cursor_to_the_last_page() -> None:
    seen, service = pages(listing(entry("a"), last="c-1"), listing(entry("b"), last="c-2"), listing(entry("c")))
    assert seen == [["a"], ["b"], ["c"]]
    asked = [s.json for s in service.sent]
    assert [a.get("lastFileId") for a in asked] == [None, "c-1", "c-2"]
    assert asked[0] == {"limit": 100, "type": 1, "parentFileId": "d-1", "startTime": 10, "endTime": 20}


@pytest.mark.parametrize("last", ["", "c-9"])
def test_a_listing_ends_on_an_empty_cursor_or_an_empty_page(last: str) -> None:
    seen, _ = pages(listing(entry("a"), last=last) if not last else listing(last=last))
    assert len(seen) == 1


def test_a_listing_whose_cursor_comes_back_is_refused() -> None:
    with pytest.raises(pan123_oss.MalformedResponseError, match="does not advance: lastFileId 'c-1' again") as e:
        pages(listing(entry("a"), last="c-1"), listing(entry("b"), last="c-1"))
    assert e.value.endpoint == LIST


def test_a_listing_that_repeats_a_page_under_a_new_cursor_is_refused() -> None:
    with pytest.raises(pan123_oss.MalformedResponseError, match="repeats a page under a new cursor"):
        pages(listing(entry("a"), last="c-1"), listing(entry("a"), last="c-2"))


# Batches.


def test_ids_are_sent_a_hundred_at_a_time_in_order() -> None:
    service = Service({DELETE: [envelope(None)]})
    ids = [f"f-{n}" for n in range(250)]
    drive(_files.in_batches(context(service), ids, _files.FileCalls.delete), service.answer)
    assert [s.json["fileIDs"] for s in service.sent] == [ids[:100], ids[100:200], ids[200:]]


def test_a_batch_failing_after_the_first_says_what_was_done() -> None:
    service = Service({DELETE: [envelope(None), _message("locked", code=7)]})
    ids = [f"f-{n}" for n in range(150)]
    with pytest.raises(
        pan123_oss.PartialBatchError, match="100 of 150 IDs were done, then a request failed: locked"
    ) as e:
        drive(_files.in_batches(context(service), ids, _files.FileCalls.delete), service.answer)
    assert (e.value.done, e.value.not_done, e.value.code) == (ids[:100], ids[100:], 7)


def test_a_first_batch_failing_is_raised_as_it_is() -> None:
    service = Service({DELETE: [_message("locked", code=7)]})
    with pytest.raises(pan123_oss.ApiError, match="locked") as caught:
        drive(_files.in_batches(context(service), ["f-1"], _files.FileCalls.delete), service.answer)
    assert not isinstance(caught.value, pan123_oss.PartialBatchError)


# Arguments.


@pytest.mark.parametrize("bad", ["", "  ", 5, None])
def test_a_file_id_must_be_a_non_empty_string(bad: object) -> None:
    with pytest.raises(ValueError, match="file_id must be a non-empty string"):
        _files.check_file_id(bad)


def test_a_folder_id_must_be_a_string_and_the_root_is_empty() -> None:
    assert _files.check_folder_id("") == ""
    with pytest.raises(ValueError, match=r'folder_id must be a string .*the root is ""'):
        _files.check_folder_id(5)


@pytest.mark.parametrize("bad", ["f-1", b"f-1", 5, ["f-1", ""]])
def test_file_ids_must_be_a_list_of_id_strings(bad: object) -> None:
    with pytest.raises(ValueError, match=r"file_ids must be a list|every file ID must be a non-empty string"):
        _files.check_ids(bad)


def test_file_ids_may_come_from_any_iterable() -> None:
    assert _files.check_ids(iter(("a", "b"))) == ["a", "b"]


def test_a_folder_path_is_split_into_checked_names() -> None:
    assert _files.split_path("/blog//2026/11/") == ("blog", "2026", "11")
    assert _files.split_path("/") == ()
    with pytest.raises(ValueError, match="must not contain any of"):
        _files.split_path("blog/a:b")
    with pytest.raises(ValueError, match="a folder path must be a string"):
        _files.split_path(5)


def _message(message: str, code: int = 1) -> _effects.Reply:
    reply = envelope(None, code=code)
    return _effects.Reply(reply.status, reply.content.replace(b'"refused"', f'"{message}"'.encode()))


# What the file calls send and read.


def test_a_detail_reply_becomes_every_field_of_the_file_info() -> None:
    service = Service({DETAIL: [detail("https://cdn.example/a.png", status=1)]})
    info = drive(_files.wait_for_link(context(service), "f-1", service.clock.monotonic() + 30), service.answer)
    assert info == pan123_oss.FileInfo(
        file_id="f-1", filename="a.png", parent_id="p-1", is_folder=False, size=3, etag="e" * 32, status=1,
        url="https://cdn.example/a.png", self_url="https://cdn.example/a.png?self", created_at="2025-01-01 00:00:00",
        updated_at="2025-01-02 00:00:00",
    )  # fmt: skip
    assert [(s.params, s.timeout) for s in service.sent] == [({"fileID": "f-1"}, 30.0)]


def test_a_detail_without_a_file_id_is_refused() -> None:
    service = Service({DETAIL: [envelope(entry(""), trace="t-d")]})
    with pytest.raises(pan123_oss.MalformedResponseError, match=r"^reply breaks the spec: fileId is empty \(") as e:
        drive(_files.wait_for_link(context(service), "f-1", math.inf), service.answer)
    assert e.value.trace_id == "t-d"


@pytest.mark.parametrize(
    "made", [[], [{"filename": "x", "dirID": ""}], [{"filename": "x", "dirID": "1"}, {"filename": "y", "dirID": "2"}]]
)
def test_a_mkdir_reply_must_name_exactly_one_new_folder(made: list[dict[str, str]]) -> None:
    service = Service({LIST: [listing()], MKDIR: [envelope({"list": made})]})
    said = r"^reply breaks the spec: mkdir of one folder did not answer exactly one dirID \("
    with pytest.raises(pan123_oss.MalformedResponseError, match=said):
        drive(_files.make_folders(context(service), _files.Folders(), ("blog",), math.inf), service.answer)


def test_moves_are_sent_a_hundred_at_a_time_to_the_folder() -> None:
    service = Service({"/api/v1/oss/file/move": [envelope(None)]})
    ids = [f"f-{n}" for n in range(101)]
    drive(_files.in_batches(context(service), ids, lambda batch: _files.FileCalls.move(batch, "d-1")), service.answer)
    assert [s.json for s in service.sent] == [
        {"fileIDs": ids[:100], "toParentFileID": "d-1"}, {"fileIDs": ids[100:], "toParentFileID": "d-1"},
    ]  # fmt: skip


def test_a_move_answered_with_data_is_refused() -> None:
    service = Service({"/api/v1/oss/file/move": [envelope({"unexpected": 1})]})
    with pytest.raises(pan123_oss.MalformedResponseError):
        drive(_files.in_batches(context(service), ["f-1"], lambda b: _files.FileCalls.move(b, "d-1")), service.answer)


def test_file_calls_keep_to_their_deadline() -> None:
    service = Service({
        LIST: [listing()], MKDIR: [mkdir_reply("d-1")], DELETE: [envelope(None)], DETAIL: [detail("https://x")],
    })  # fmt: skip
    ctx, deadline = context(service), service.clock.monotonic() + 7.0
    drive(_files.make_folders(ctx, _files.Folders(), ("blog",), deadline), service.answer)
    drive(_files.in_batches(ctx, ["f-1"], _files.FileCalls.delete, deadline), service.answer)
    drive(_files.wait_for_link(ctx, "f-1", deadline), service.answer)
    assert [s.timeout for s in service.sent] == [7.0] * 4


def test_a_known_parent_is_not_listed_again_and_a_taken_name_is_looked_up_in_it() -> None:
    folders = _files.Folders()
    folders.ids[("blog",)] = "d-blog"
    service = Service({
        LIST: [listing(), listing(entry("d-2026", "2026", folder=True))],
        MKDIR: [_message("该目录下已经有同名文件夹,不能重名")],
    })  # fmt: skip
    made = drive(_files.make_folders(context(service), folders, ("blog", "2026"), math.inf), service.answer)
    assert made == "d-2026"
    assert [s.json["parentFileId"] for s in service.sent if s.path == LIST] == ["d-blog", "d-blog"]


def test_forgetting_a_top_folder_forgets_every_path_below_it() -> None:
    folders = _files.Folders()
    folders.ids = {("a",): "1", ("a", "b"): "2", ("x",): "9"}
    folders.forget(["1"])
    assert folders.ids == {("x",): "9"}


def test_an_upload_into_a_folder_path_goes_into_that_folder() -> None:
    service = Service({LIST: [listing(entry("d-blog", "blog", folder=True))]})
    parents: list[str] = []

    def into(parent: str) -> _effects.Steps[pan123_oss.UploadResult]:
        parents.append(parent)
        return uploaded()

    drive(_files.into_folder(context(service), _files.Folders(), ("blog",), math.inf, into), service.answer)
    assert parents == ["d-blog"]


def test_a_repeated_page_is_reported_against_the_listing_endpoint() -> None:
    with pytest.raises(pan123_oss.MalformedResponseError, match=r"^listing of folder 'd-1' repeats a page") as e:
        pages(listing(entry("a"), last="c-1"), listing(entry("a"), last="c-2"))
    assert e.value.endpoint == LIST


@pytest.mark.parametrize(
    ("check", "value", "message"),
    [
        (_files.check_folder_id, 5, r'^folder_id must be a string \(folder IDs are strings; the root is ""\)$'),
        (_files.check_ids, "f-1", "^file_ids must be a list of file ID strings$"),
        (_files.split_path, 5, '^a folder path must be a string such as "blog/2026/11"$'),
        (_files.check_file_id, "", r"^file_id must be a non-empty string \(file IDs are strings\)$"),
    ],
)
def test_bad_file_arguments_are_refused_with_the_whole_reason(check: Any, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check(value)
