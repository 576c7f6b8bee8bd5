"""What the upload flow decides from the service's replies, driven on a fake clock with no sockets.

Each test scripts the replies of one upload or resume and checks what a user sees: the result's fields, the
progress reported, when the flow polls, and the error (with the preupload ID to resume) when time runs out.
"""

from __future__ import annotations

import hashlib
import io
import itertools

import pytest
from flow_service import (
    COMPLETE,
    CREATE,
    PARTS,
    PID,
    POLL,
    URL,
    Service,
    after,
    completed,
    created,
    drive,
    envelope,
    job,
    md5,
    numbered_urls,
    parts,
    polled,
    url,
)

import pan123_oss
from pan123_oss._flows import _effects, _upload
from pan123_oss._policy import UPLOAD_WAIT

DATA = b"".join(hashlib.sha256(b"%d" % n).digest() for n in range(96))  # 3072 bytes: three distinct slices


def upload(
    service: Service,
    data: bytes = DATA,
    *,
    timeout: float | None = None,
    progress: list[tuple[int, int]] | None = None,
    slice_sizes: dict[str, int] | None = None,
    unfinished: dict[str, str] | None = None,
) -> pan123_oss.UploadResult:
    flow = _upload.upload(
        job(service, data, timeout=timeout, progress=progress, slice_sizes=slice_sizes, unfinished=unfinished), ""
    )
    result: pan123_oss.UploadResult = drive(flow, service.answer)
    return result


def intact_parts(data: bytes = DATA, size: int = 1024) -> _effects.Reply:
    return parts(
        *((n + 1, len(data[o : o + size]), md5(data[o : o + size])) for n, o in enumerate(range(0, len(data), size)))
    )


def test_a_completed_reply_without_a_file_id_is_followed_by_polls_for_the_file_id() -> None:
    service = Service({
        CREATE: [created(1024)], URL: [url()], PARTS: [intact_parts()],
        COMPLETE: [completed("", done=True, background=True)],
        POLL: [polled(False), polled(True, "f-merged")],
    })  # fmt: skip
    assert upload(service).file_id == "f-merged"
    assert service.paths().count(POLL) == 2


def test_a_file_id_in_a_not_completed_reply_is_not_taken_as_the_result() -> None:
    service = Service({
        CREATE: [created(1024)], URL: [url()], PARTS: [intact_parts()],
        COMPLETE: [completed("f-early", done=False, background=True)],
        POLL: [polled(True, "f-merged")],
    })  # fmt: skip
    assert upload(service).file_id == "f-merged"


def test_an_upload_without_a_timeout_waits_for_the_merge_at_most_the_default_bound() -> None:
    service = Service({
        CREATE: [created(1024)], URL: [url()], PARTS: [intact_parts()],
        COMPLETE: [completed(None, done=False, background=True)], POLL: [polled(False)],
    })  # fmt: skip
    with pytest.raises(pan123_oss.PollTimeoutError) as caught:
        upload(service)
    polls = [s.at for s in service.sent if s.path == POLL]
    assert caught.value.preupload_id == PID
    assert caught.value.polls == len(polls) > 50
    assert 290.0 < polls[-1] - polls[0] <= UPLOAD_WAIT == 300.0


def test_a_finished_upload_returns_every_result_field() -> None:
    slice_sizes: dict[str, int] = {}
    unfinished: dict[str, str] = {}
    service = Service({CREATE: [created(1024)], URL: [url()], PARTS: [intact_parts()], COMPLETE: [completed("f-1")]})
    result = upload(service, slice_sizes=slice_sizes, unfinished=unfinished)
    assert result == pan123_oss.UploadResult("f-1", "a.bin", len(DATA), md5(DATA), False, PID)
    assert slice_sizes == {PID: 1024}  # a later resume_upload needs no slice size
    assert unfinished == {}
    assert [s.json for s in service.sent if s.path == URL] == [{"preuploadID": PID, "sliceNo": n} for n in (1, 2, 3)]


def test_an_instant_upload_reports_all_bytes_and_sends_none() -> None:
    progress: list[tuple[int, int]] = []
    service = Service({CREATE: [envelope({"reuse": True, "fileID": "f-reused", "preuploadID": "pid-instant"})]})
    result = upload(service, progress=progress)
    assert result == pan123_oss.UploadResult("f-reused", "a.bin", len(DATA), md5(DATA), True, "pid-instant")
    assert progress == [(len(DATA), len(DATA))]
    assert service.paths() == [CREATE]


def test_progress_takes_back_a_failed_slice_and_ends_at_the_file_size() -> None:
    progress: list[tuple[int, int]] = []
    service = Service(
        {CREATE: [created(1024)], URL: [url()], PARTS: [intact_parts()], COMPLETE: [completed("f-1")]}, puts=[200, 500]
    )
    upload(service, progress=progress)
    sent = [s for s, _ in progress]
    assert {total for _, total in progress} == {len(DATA)}
    assert sent == [1024, 2048, 1024, 2048, 3072]  # slice 2 failed once: its bytes were taken back, then resent
    assert service.put_log == [(200, 30.0), (500, 30.0), (200, 30.0), (200, 30.0)]


def test_progress_takes_back_a_slice_the_parts_check_finds_damaged() -> None:
    progress: list[tuple[int, int]] = []
    # A first upload knows no slice MD5s yet (hashing them on a guess would cost a pass): the size tells.
    damaged = parts((1, 1024, md5(DATA[:1024])), (2, 1000, md5(DATA[1024:2048])), (3, 1024, md5(DATA[2048:])))
    service = Service(
        {CREATE: [created(1024)], URL: [url()], PARTS: [damaged, intact_parts()], COMPLETE: [completed("f-1")]}
    )
    upload(service, progress=progress)
    assert [s for s, _ in progress] == [1024, 2048, 3072, 2048, 3072]
    assert [s.json for s in service.sent if s.path == URL][-1] == {"preuploadID": PID, "sliceNo": 2}


def test_a_slice_damaged_twice_fails_with_the_upload_to_resume() -> None:
    damaged = parts((1, 1024, md5(DATA[:1024])), (2, 1000, md5(DATA[1024:2048])), (3, 1024, md5(DATA[2048:])))
    service = Service({CREATE: [created(1024)], URL: [url()], PARTS: [damaged]})
    unfinished: dict[str, str] = {}
    with pytest.raises(pan123_oss.Pan123Error, match=r"^slice 2 is stored with the wrong size or MD5 after") as caught:
        upload(service, unfinished=unfinished)
    assert unfinished == {PID: "a.bin"}  # resume_upload can offer it
    assert caught.value.preupload_id == PID
    assert caught.value.endpoint == PARTS
    assert service.paths().count(PARTS) == 2


def test_resuming_a_completed_upload_returns_its_file_without_sending_anything() -> None:
    unfinished = {PID: "a.bin"}
    service = Service({POLL: [polled(True, "f-done")]})
    result = drive(_upload.resume(job(service, DATA, unfinished=unfinished), PID, None), service.answer)
    assert result == pan123_oss.UploadResult("f-done", "a.bin", len(DATA), md5(DATA), False, PID)
    assert service.paths() == [POLL]
    assert unfinished == {}


def test_resuming_sends_only_the_slices_the_service_lacks_and_returns_every_field() -> None:
    progress: list[tuple[int, int]] = []
    unfinished: dict[str, str] = {}
    held = parts((1, 1024, md5(DATA[:1024])), (2, 512, "f" * 32))  # slice 2 cut short, slice 3 missing
    service = Service({
        POLL: [polled(False, "f-not-yet")], PARTS: [held, intact_parts()], URL: [url()], COMPLETE: [completed("f-2")],
    })  # fmt: skip
    flow = _upload.resume(job(service, DATA, progress=progress, unfinished=unfinished), PID, None)
    result = drive(flow, service.answer)
    assert result == pan123_oss.UploadResult("f-2", "a.bin", len(DATA), md5(DATA), False, PID)
    assert [s.json["sliceNo"] for s in service.sent if s.path == URL] == [2, 3]  # size learnt from slice 1
    assert [s for s, _ in progress] == [1024, 2048, 3072]
    assert unfinished == {}


def test_resuming_an_upload_the_poll_does_not_know_continues_it() -> None:
    service = Service({
        POLL: [envelope(None, code=1, trace="t-unknown")], PARTS: [intact_parts()], COMPLETE: [completed("f-3")],
    })  # fmt: skip
    result = drive(_upload.resume(job(service, DATA), PID, 1024), service.answer)
    assert result.file_id == "f-3"
    assert URL not in service.paths()  # every slice was held intact


def test_the_parts_check_keeps_to_the_upload_deadline() -> None:
    # One slice exactly the slice size: the parts list is checked after it is sent, but the PUT took the time.
    service = Service({CREATE: [created(1024)], URL: [url()], PARTS: [intact_parts(DATA[:1024])]}, put_seconds=25.0)
    with pytest.raises(pan123_oss.UploadTimeoutError, match=f"^deadline reached before {PARTS} ") as caught:
        upload(service, DATA[:1024], timeout=20.0)
    assert (caught.value.preupload_id, caught.value.endpoint) == (PID, PARTS)
    assert PARTS not in service.paths()


def test_the_parts_check_asks_with_no_more_time_than_is_left() -> None:
    service = Service(
        {CREATE: [created(1024)], URL: [url()], PARTS: [intact_parts(DATA[:1024])], COMPLETE: [completed("f-1")]},
        put_seconds=15.0,
    )
    upload(service, DATA[:1024], timeout=20.0)
    (check,) = [s for s in service.sent if s.path == PARTS]
    assert check.timeout == pytest.approx(5.0)


def test_a_slice_retry_past_the_deadline_fails_with_the_upload_to_resume() -> None:
    service = Service({CREATE: [created(1024)], URL: [url()]}, puts=[500], put_seconds=9.5)
    with pytest.raises(
        pan123_oss.UploadTimeoutError, match=r"^upload deadline reached retrying slice 1: HTTP 500 \("
    ) as caught:
        upload(service, DATA[:1000], timeout=10.0)
    assert caught.value.preupload_id == PID


def test_a_slice_whose_url_came_too_late_fails_with_the_upload_to_resume() -> None:
    service = Service({CREATE: [created(1024)]})

    def slow_url() -> _effects.Reply:
        service.clock.advance(11.0)
        return url()

    service.replies[URL] = [slow_url]
    with pytest.raises(
        pan123_oss.UploadTimeoutError, match=r"^upload deadline reached while sending slices \("
    ) as caught:
        upload(service, DATA[:1000], timeout=10.0)
    assert caught.value.preupload_id == PID
    assert service.put_log == []


def test_a_slice_that_keeps_failing_is_a_transport_error_naming_the_upload() -> None:
    service = Service({CREATE: [created(1024)], URL: [url()]}, puts=[503] * 10)
    with pytest.raises(pan123_oss.TransportError, match=r"^slice 1 could not be sent: HTTP 503 \(") as caught:
        upload(service, DATA[:1000])
    assert (caught.value.preupload_id, caught.value.http_status, caught.value.endpoint) == (
        PID, 503, _upload.PUT_ENDPOINT,
    )  # fmt: skip
    assert len(service.put_log) == 4  # the retry budget's four tries, each with a fresh URL
    assert service.paths().count(URL) == 4


def test_verifying_past_the_deadline_fails_with_the_upload_to_resume() -> None:
    service = Service({CREATE: [created(1024)], URL: [url()], COMPLETE: [envelope(None, code=20103)]})
    with pytest.raises(
        pan123_oss.UploadTimeoutError, match=r"^upload deadline reached while the service was verifying \("
    ) as caught:
        upload(service, DATA[:1000], timeout=10.0)
    assert caught.value.preupload_id == PID
    completes = [s.at for s in service.sent if s.path == COMPLETE]
    assert len(completes) >= 9
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(completes))


def test_a_merge_that_outlasts_the_deadline_fails_with_the_upload_to_resume() -> None:
    service = Service({CREATE: [created(1024)], URL: [url()]}, put_seconds=5.0)

    def slow_complete() -> _effects.Reply:
        service.clock.advance(5.0)  # the reply comes exactly at the deadline: no time is left for a poll
        return completed(None, done=False, background=True)

    service.replies[COMPLETE] = [slow_complete]
    with pytest.raises(
        pan123_oss.UploadTimeoutError, match=r"^upload deadline reached before the service finished merging \("
    ) as caught:
        upload(service, DATA[:1000], timeout=10.0)
    assert caught.value.preupload_id == PID
    assert POLL not in service.paths()


def test_a_wait_bounded_by_the_upload_deadline_names_the_upload() -> None:
    service = Service({
        CREATE: [created(1024)], URL: [url()], COMPLETE: [completed(None, done=False, background=True)],
        POLL: [polled(False)],
    })  # fmt: skip
    with pytest.raises(pan123_oss.PollTimeoutError) as caught:
        upload(service, DATA[:1000], timeout=10.0)
    assert caught.value.preupload_id == PID
    assert service.clock.monotonic() - service.sent[0].at <= 10.0


# What a reply may say, and what an upload does with what it learnt before.


@pytest.mark.parametrize(
    ("size", "slice_size", "lengths"),
    [(0, 1024, [0]), (1024, 1024, [1024]), (2500, 1000, [1000, 1000, 500]), (3000, 1000, [1000] * 3)],
)
def test_a_file_is_planned_as_full_slices_and_a_shorter_last_one(
    size: int, slice_size: int, lengths: list[int]
) -> None:
    pieces = _upload.plan(size, slice_size)
    assert [p.length for p in pieces] == lengths
    assert [p.number for p in pieces] == list(range(1, len(lengths) + 1))
    assert [p.offset for p in pieces] == [n * slice_size for n in range(len(lengths))]


NO_SLICES = "an upload needs a preuploadID and a positive sliceSize"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"reuse": True, "fileID": ""}, "reuse is true but fileID is missing or empty"),
        ({"reuse": True}, "reuse is true but fileID is missing or empty"),
        (
            {"reuse": False, "preuploadID": "", "sliceSize": 1024},
            "an upload needs a preuploadID and a positive sliceSize",
        ),
        (
            {"reuse": False, "preuploadID": PID, "sliceSize": 0},
            "an upload needs a preuploadID and a positive sliceSize",
        ),
        ({"reuse": False, "preuploadID": PID}, NO_SLICES),
    ],
)
def test_a_create_reply_missing_what_its_branch_needs_is_refused(data: dict[str, object], problem: str) -> None:
    service = Service({CREATE: [envelope(data, trace="t-create")]})
    with pytest.raises(pan123_oss.MalformedResponseError, match=f"^reply breaks the spec: {problem} \\(") as caught:
        upload(service)
    assert (caught.value.trace_id, caught.value.endpoint) == ("t-create", CREATE)


def test_a_slice_url_that_is_not_http_is_refused_before_anything_is_sent_to_it() -> None:
    service = Service({CREATE: [created(1024)], URL: [envelope({"presignedURL": "file:///etc/passwd"})]})
    with pytest.raises(
        pan123_oss.MalformedResponseError, match=r"^reply breaks the spec: presignedURL is not an http\(s\) URL \("
    ) as caught:
        upload(service)
    assert caught.value.preupload_id == PID
    assert service.put_log == []


def test_parts_listed_with_string_numbers_and_upper_case_md5s_are_understood() -> None:
    held = parts(*((str(n + 1), 1024, md5(DATA[n * 1024 : (n + 1) * 1024]).upper()) for n in range(3)))
    service = Service({PARTS: [held], COMPLETE: [completed("f-1")], POLL: [polled(False)]})
    result = drive(_upload.resume(job(service, DATA), PID, 1024), service.answer)
    assert result.file_id == "f-1"
    assert URL not in service.paths()  # all three held intact


def test_a_second_upload_checks_slice_md5s_it_learnt_in_its_first_read() -> None:
    damaged = parts((1, 1024, md5(DATA[:1024])), (2, 1024, "0" * 32), (3, 1024, md5(DATA[2048:])))
    service = Service(
        {CREATE: [created(1024)], URL: [url()], PARTS: [damaged, intact_parts()], COMPLETE: [completed("f-1")]}
    )
    upload(service, slice_sizes={"pid-earlier": 1024})
    assert [s.json["sliceNo"] for s in service.sent if s.path == URL] == [1, 2, 3, 2]


def test_a_one_slice_file_is_checked_against_its_own_md5() -> None:
    one = DATA[:1024]
    service = Service({
        CREATE: [created(1024)], URL: [url()], PARTS: [parts((1, 1024, "0" * 32)), parts((1, 1024, md5(one)))],
        COMPLETE: [completed("f-1")],
    })  # fmt: skip
    upload(service, one)
    assert service.paths().count(URL) == 2  # resent once: the listed MD5 was not the file's


def test_an_upload_being_verified_asks_again_a_second_later() -> None:
    service = Service({
        CREATE: [created(1024)], URL: [url()], COMPLETE: [envelope(None, code=20103), completed("f-1")],
    })  # fmt: skip
    assert upload(service, DATA[:1000]).file_id == "f-1"
    first, second = [s.at for s in service.sent if s.path == COMPLETE]
    assert second - first == 1.0


def test_resuming_without_a_known_slice_size_is_refused_when_it_cannot_be_learnt() -> None:
    service = Service({POLL: [polled(False)], PARTS: [parts()]})
    with pytest.raises(ValueError, match=f"the slice size of '{PID}' is unknown: pass slice_size"):
        drive(_upload.resume(job(service, DATA), PID, None), service.answer)


def test_resuming_an_empty_file_needs_no_slice_size() -> None:
    service = Service({POLL: [polled(False)], PARTS: [parts()], URL: [url()], COMPLETE: [completed("f-0")]})
    result = drive(_upload.resume(job(service, b""), PID, None), service.answer)
    assert (result.file_id, result.size, result.etag) == ("f-0", 0, md5(b""))


def test_resuming_uses_the_slice_size_this_client_was_told() -> None:
    service = Service({POLL: [polled(False)], PARTS: [parts()], URL: [url()], COMPLETE: [completed("f-1")]})
    drive(_upload.resume(job(service, DATA, slice_sizes={PID: 2048}), PID, None), service.answer)
    assert [s.json["sliceNo"] for s in service.sent if s.path == URL] == [1, 2]


def test_a_file_cut_short_after_create_names_the_upload_to_resume() -> None:
    service = Service({URL: [url()]})
    stream = io.BytesIO(DATA)
    cut = job(service, DATA, stream=stream)

    def create_then_cut() -> _effects.Reply:
        stream.truncate(1000)
        return created(1024)

    service.replies[CREATE] = [create_then_cut]
    with pytest.raises(pan123_oss.Pan123Error, match="reading the file failed: the file changed during") as caught:
        drive(_upload.upload(cut, ""), service.answer)
    assert caught.value.preupload_id == PID


def test_every_request_of_an_upload_names_the_upload_and_its_file() -> None:
    service = Service({
        CREATE: [created(1024)], URL: [url()], PARTS: [intact_parts()],
        COMPLETE: [completed(None, done=False, background=True)], POLL: [polled(True, "f-1")],
    })  # fmt: skip
    upload(service)
    bodies = {s.path: s.json for s in service.sent}
    assert bodies[CREATE] == {"parentFileID": "", "filename": "a.bin", "etag": md5(DATA), "size": len(DATA), "type": 1}
    assert bodies[PARTS] == bodies[COMPLETE] == bodies[POLL] == {"preuploadID": PID}


def test_resuming_asks_about_the_upload_it_resumes() -> None:
    service = Service({POLL: [polled(False)], PARTS: [intact_parts()], COMPLETE: [completed("f-1")]})
    drive(_upload.resume(job(service, DATA), PID, 1024), service.answer)
    assert [(s.path, s.json) for s in service.sent] == [
        (POLL, {"preuploadID": PID}), (PARTS, {"preuploadID": PID}), (PARTS, {"preuploadID": PID}),
        (COMPLETE, {"preuploadID": PID}),
    ]  # fmt: skip


@pytest.mark.parametrize("resuming", [False, True])
def test_every_request_and_the_token_keep_to_the_upload_deadline(resuming: bool) -> None:
    service = Service({
        CREATE: [created(1024)], URL: [url()], PARTS: [intact_parts()], POLL: [polled(False)],
        COMPLETE: [completed(None, done=False, background=True)],
    })  # fmt: skip
    service.replies[POLL] = [polled(False), polled(True, "f-1")] if resuming else [polled(True, "f-1")]
    flow = job(service, DATA, timeout=5.0)
    drive(_upload.resume(flow, PID, 1024) if resuming else _upload.upload(flow, ""), service.answer)
    assert {s.path for s in service.sent} >= {PARTS, COMPLETE, POLL}
    assert all(s.timeout <= flow.deadline - s.at for s in service.sent)
    assert all(timeout == 5.0 for _, timeout in service.put_log)
    assert set(service.token_deadlines) == {flow.deadline}


@pytest.mark.parametrize("url_seconds", [0.0, 0.1])
def test_each_slice_goes_to_its_own_url_whether_or_not_urls_are_fetched_ahead(url_seconds: float) -> None:
    service = Service({CREATE: [created(1024)], PARTS: [intact_parts()], COMPLETE: [completed("f-1")]})
    service.replies[URL] = [numbered_urls(service, url_seconds)]
    upload(service)
    assert sorted(service.put_bodies) == [
        (f"https://slices.example/{n + 1}", DATA[n * 1024 : (n + 1) * 1024]) for n in range(3)
    ]


@pytest.mark.parametrize("failure", [300, "connection reset"])
def test_a_put_that_is_not_2xx_is_sent_again_to_a_new_url(failure: int | str) -> None:
    service = Service({CREATE: [created(1024)], PARTS: [intact_parts()], COMPLETE: [completed("f-1")]}, puts=[failure])
    service.replies[URL] = [numbered_urls(service)]
    upload(service)
    assert [u for u, _ in service.put_bodies] == [f"https://slices.example/{n}" for n in (1, 1, 2, 3)]


def test_a_slice_that_cannot_connect_says_why_and_has_no_http_status() -> None:
    service = Service({CREATE: [created(1024)], URL: [url()]}, puts=["connection reset"] * 4)
    with pytest.raises(pan123_oss.TransportError, match=r"^slice 1 could not be sent: connection reset") as caught:
        upload(service, DATA[:1000])
    assert (caught.value.http_status, caught.value.preupload_id) == (None, PID)


def test_a_slice_is_still_sent_with_under_a_second_left() -> None:
    service = Service({CREATE: [created(1024)], URL: [url()], COMPLETE: [completed("f-1")]})
    service.replies[CREATE] = [after(service, 4.5, created(1024))]
    assert upload(service, DATA[:1000], timeout=5.0).file_id == "f-1"
    ((status, timeout),) = service.put_log
    assert status == 200
    assert timeout == pytest.approx(0.5)


def test_a_merge_with_under_a_second_left_is_still_polled() -> None:
    service = Service({CREATE: [created(1024)], URL: [url()], POLL: [polled(True, "f-merged")]})
    service.replies[COMPLETE] = [after(service, 4.5, completed(None, done=False, background=True))]
    assert upload(service, DATA[:1000], timeout=5.0).file_id == "f-merged"


def test_a_completed_reply_with_no_file_id_field_is_followed_by_polls() -> None:
    service = Service({
        CREATE: [created(1024)], URL: [url()], COMPLETE: [completed(None, done=True, background=True)],
        POLL: [polled(True, "f-merged")],
    })  # fmt: skip
    assert upload(service, DATA[:1000]).file_id == "f-merged"


def test_a_one_byte_slice_size_is_honoured() -> None:
    service = Service({CREATE: [created(1)], URL: [url()], PARTS: [parts((1, 1, md5(b"a")), (2, 1, md5(b"b")))],
                       COMPLETE: [completed("f-1")]})  # fmt: skip
    upload(service, b"ab")
    assert [s.json["sliceNo"] for s in service.sent if s.path == URL] == [1, 2]
