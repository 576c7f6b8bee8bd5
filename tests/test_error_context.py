"""What each error tells the user: its sentence (code, HTTP status, endpoint, preuploadID, trace ID), the
attributes code can act on, and that both survive pickling (errors cross process boundaries)."""

from __future__ import annotations

import pickle

import pytest

import pan123_oss
from pan123_oss._errors import DeadlineError, printable
from pan123_oss._policy import MAX_PRINTED

UPLOAD = "/upload/v1/oss/file/upload_async_result"


def test_an_api_error_says_and_carries_everything_support_asks_for() -> None:
    err = pan123_oss.ApiError(
        "file too large.", code=1, trace_id="t-42", http_status=200, endpoint=UPLOAD, preupload_id="pid-7"
    )
    assert str(err) == (f"file too large (code 1, HTTP 200, endpoint {UPLOAD}, preuploadID 'pid-7', trace ID t-42).")
    assert (err.message, err.code, err.trace_id, err.http_status, err.endpoint, err.preupload_id) == (
        "file too large.", 1, "t-42", 200, UPLOAD, "pid-7",
    )  # fmt: skip


def test_an_error_without_context_says_there_is_no_trace_id() -> None:
    err = pan123_oss.TransportError("connection refused")
    assert str(err) == "connection refused (no trace ID)."
    assert (err.code, err.trace_id, err.http_status, err.endpoint, err.preupload_id) == (None,) * 5


def test_only_a_final_full_stop_is_taken_off_the_message() -> None:
    assert str(pan123_oss.Pan123Error("sent to slot X")) == "sent to slot X (no trace ID)."
    assert str(pan123_oss.Pan123Error("sent to slot X.")) == "sent to slot X (no trace ID)."
    # A list cut short ends in an ellipsis: it is part of what the message says, not the sentence's full stop.
    assert str(pan123_oss.Pan123Error("not copied: a, b, c ...")) == "not copied: a, b, c ... (no trace ID)."
    assert printable("a\\b 'q'") == "a\\b 'q'"  # printable characters are kept as they are, backslash included


def test_a_zero_code_and_status_are_still_reported() -> None:
    assert str(pan123_oss.Pan123Error("odd", code=0, http_status=0)) == "odd (code 0, HTTP 0, no trace ID)."


def test_what_the_server_sent_is_printed_safely() -> None:
    err = pan123_oss.ApiError("bad\x1b[31m\r\nname", trace_id="t\x07", preupload_id="p\n1")
    assert str(err) == "bad\\x1b[31m\\r\\nname (preuploadID 'p\\\\n1', trace ID t\\x07)."
    assert err.message == "bad\x1b[31m\r\nname"  # the attribute keeps what was sent


def test_printable_cuts_long_text_and_says_how_long_it_was() -> None:
    assert MAX_PRINTED == 500
    assert printable("a" * 500) == "a" * 500
    assert printable("a" * 501) == "a" * 500 + "... (501 characters)"
    assert printable("ab\tc", limit=2) == "ab... (4 characters)"
    assert printable("x" * 600, limit=None) == "x" * 600
    assert printable("日本語 ok") == "日本語 ok"


def test_a_long_message_is_cut_in_the_sentence() -> None:
    err = pan123_oss.ApiError("m" * 1000, code=5)
    assert str(err) == "m" * 500 + "... (1000 characters) (code 5, no trace ID)."


def test_a_poll_timeout_carries_its_polls_elapsed_time_and_last_trace() -> None:
    err = pan123_oss.PollTimeoutError(
        "not completed", preupload_id="pid-9", polls=4, elapsed=12.5, last_trace_id="t-last", endpoint=UPLOAD
    )
    assert isinstance(err, TimeoutError)
    assert (err.preupload_id, err.polls, err.elapsed, err.last_trace_id, err.trace_id, err.endpoint) == (
        "pid-9", 4, 12.5, "t-last", "t-last", UPLOAD,
    )  # fmt: skip
    assert str(err) == f"not completed (endpoint {UPLOAD}, preuploadID 'pid-9', trace ID t-last)."


def test_an_upload_timeout_names_the_upload_to_resume() -> None:
    err = pan123_oss.UploadTimeoutError("deadline", preupload_id="pid-3", endpoint=UPLOAD)
    assert isinstance(err, TimeoutError)
    assert err.preupload_id == "pid-3"
    assert "preuploadID 'pid-3'" in str(err)


def test_a_link_timeout_names_the_stored_file() -> None:
    err = pan123_oss.LinkTimeoutError("no link yet", file_id="f-1", trace_id="t-1", endpoint="/detail")
    assert (err.file_id, err.trace_id, err.endpoint) == ("f-1", "t-1", "/detail")
    assert isinstance(err, TimeoutError)
    assert str(err) == "no link yet (endpoint /detail, trace ID t-1)."


def test_a_failed_task_names_the_task_and_the_files_not_copied() -> None:
    err = pan123_oss.TaskFailedError("copy failed", task_id="task-1", failures=[("d-1", "a.png")], endpoint="/copy")
    assert (err.task_id, err.failures, err.endpoint) == ("task-1", [("d-1", "a.png")], "/copy")
    assert isinstance(err, pan123_oss.ApiError)
    assert pan123_oss.TaskFailedError("failed", task_id="task-2").failures == []


def test_a_task_timeout_names_the_task() -> None:
    err = pan123_oss.TaskTimeoutError("still running", task_id="task-3", endpoint="/process")
    assert (err.task_id, err.endpoint) == ("task-3", "/process")
    assert isinstance(err, TimeoutError)


def test_a_partial_batch_says_what_was_done_and_carries_the_failure_context() -> None:
    cause = pan123_oss.ApiError("no such file", code=2, trace_id="t-2", http_status=200, endpoint="/delete")
    err = pan123_oss.PartialBatchError("stopped", done=["a", "b"], not_done=["c"], cause=cause)
    assert (err.done, err.not_done) == (["a", "b"], ["c"])
    assert (err.code, err.trace_id, err.http_status, err.endpoint) == (2, "t-2", 200, "/delete")
    assert str(err) == "stopped (code 2, HTTP 200, endpoint /delete, trace ID t-2)."


def test_the_internal_deadline_signal_carries_its_context() -> None:
    err = DeadlineError("no time left", "/create", "pid-4")
    assert (str(err), err.endpoint, err.preupload_id) == ("no time left", "/create", "pid-4")
    assert (DeadlineError("x").endpoint, DeadlineError("x").preupload_id) == (None, None)


@pytest.mark.parametrize(
    "err",
    [
        pan123_oss.ApiError("refused", code=1, trace_id="t", http_status=200, endpoint="/e", preupload_id="p"),
        pan123_oss.PollTimeoutError("late", preupload_id="p", polls=3, elapsed=2.5, last_trace_id="t", endpoint="/e"),
        pan123_oss.TaskFailedError("failed", task_id="k", failures=[("d", "n")], endpoint="/e"),
        pan123_oss.PartialBatchError(
            "part", done=["a"], not_done=["b"], cause=pan123_oss.ApiError("x", code=3, trace_id="t")
        ),
    ],
    ids=["api", "poll-timeout", "task-failed", "partial-batch"],
)
def test_an_error_survives_pickling_with_its_sentence_and_context(err: pan123_oss.Pan123Error) -> None:
    back = pickle.loads(pickle.dumps(err))  # noqa: S301 - our own bytes, just made
    assert type(back) is type(err)
    assert str(back) == str(err)
    assert back.__dict__ == err.__dict__
