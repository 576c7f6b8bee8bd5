"""The values the public API hands back: what their fields default to, when a file counts as rejected by
review, and that a token never shows in a repr."""

from __future__ import annotations

import dataclasses

import pytest

import pan123_oss
from pan123_oss._types import REJECTED_ABOVE, AsyncResult, PollEvent, Token


def file_info(status: int) -> pan123_oss.FileInfo:
    return pan123_oss.FileInfo(
        file_id="f-1", filename="a.png", parent_id="", is_folder=False, size=3, etag="e" * 32, status=status,
        url="https://x.example/a.png", self_url="", created_at="2025-01-01 00:00:00", updated_at="2025-01-01",
    )  # fmt: skip


@pytest.mark.parametrize(("status", "rejected"), [(0, False), (100, False), (101, True), (999, True)])
def test_review_rejects_a_file_only_above_status_100(status: int, rejected: bool) -> None:
    assert REJECTED_ABOVE == 100
    assert file_info(status).rejected is rejected
    result = pan123_oss.UploadResult("f-1", "a.png", 3, "e" * 32, False, "pid", url="u", self_url="", status=status)
    assert result.rejected is rejected


def test_an_upload_made_without_a_link_has_no_link_fields_and_is_not_rejected() -> None:
    result = pan123_oss.UploadResult("f-1", "a.png", 3, "e" * 32, True, "")
    assert (result.url, result.self_url, result.status) == (None, None, None)
    assert result.rejected is False


def test_a_poll_answer_defaults_to_code_zero() -> None:
    assert AsyncResult(completed=True, file_id="f-1", trace_id="t").code == 0


def test_a_poll_event_without_an_envelope_has_no_code_and_no_error_by_default() -> None:
    event = PollEvent(attempt=1, elapsed=0.0, completed=False, trace_id=None)
    assert (event.code, event.error) == (None, None)


def test_a_token_never_shows_in_its_repr() -> None:
    token = Token(access_token="sekrit-token-value", expires_at=1.5)
    assert "sekrit" not in repr(token)
    assert repr(token) == "Token(expires_at=1.5)"


def test_result_values_are_frozen() -> None:
    result = pan123_oss.UploadResult("f-1", "a.png", 3, "e" * 32, True, "")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.file_id = "other"  # type: ignore[misc]
