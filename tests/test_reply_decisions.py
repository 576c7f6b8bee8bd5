"""What a reply means, to the letter: `read_reply`'s verdict on each kind of body, the spec checks' messages,
and the payload readers' refusals.

These are the words a user reads in a `MalformedResponseError` or `TransportError`, and the line between a
reply that is retried and one that is not, so each is pinned exactly.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from pan123_oss import AsyncResult
from pan123_oss._flows._replies import (
    Envelope,
    Malformed,
    Trouble,
    Unreadable,
    parse_async_result,
    parse_token,
    payload_of,
    read_reply,
    reply_of,
)
from pan123_oss._flows._schema import path_of, payload_problems, problems, resolve
from pan123_oss_api.models import FileDetailReply, UploadAsyncResultReply


def body(**fields: Any) -> bytes:
    return json.dumps(fields).encode()


# read_reply: the envelope, or what is wrong with the reply.


@pytest.mark.parametrize("status", [401, 429])
def test_a_plain_401_or_429_still_says_what_happened(status: int) -> None:
    assert read_reply(status, b"Too Many Requests") == Envelope(
        status, f"HTTP {status} with a non-JSON body", None, "", status
    )


@pytest.mark.parametrize("status", [200, 400, 403, 502])
def test_any_other_body_that_is_not_json_is_transport_trouble(status: int) -> None:
    assert read_reply(status, b"<html>busy</html>") == Trouble(
        f"HTTP {status} with a body that is not JSON", retryable=True, http_status=status
    )


def test_json_nested_past_the_parser_is_transport_trouble_too() -> None:
    assert read_reply(200, b"[" * 100_000 + b"]" * 100_000) == Trouble(
        "HTTP 200 with a body that is not JSON", retryable=True, http_status=200
    )


def test_a_server_error_is_retried_and_keeps_the_code_and_trace_it_carried() -> None:
    assert read_reply(500, body(code=1, message="oops", data=None, **{"x-traceID": "t5"})) == Trouble(
        "server error HTTP 500", retryable=True, http_status=500, code=1, trace_id="t5"
    )


@pytest.mark.parametrize("reply", [body(code=True, **{"x-traceID": 7}), b"[1, 2]", b'"busy"'])
def test_a_server_error_keeps_only_a_code_and_trace_of_the_right_type(reply: bytes) -> None:
    assert read_reply(503, reply) == Trouble("server error HTTP 503", retryable=True, http_status=503)


def test_a_499_is_not_a_server_error() -> None:
    reply = read_reply(499, body(code=0, message="ok", data=None, **{"x-traceID": "t"}))
    assert reply == Envelope(0, "ok", None, "t", 499)


@pytest.mark.parametrize("reply", [b"[]", b"1", b"null", b'"ok"'])
def test_json_that_is_not_an_object_is_malformed_and_not_retried(reply: bytes) -> None:
    assert read_reply(200, reply) == Trouble("reply is JSON but not an object", retryable=False, http_status=200)


def test_a_broken_envelope_names_every_problem_and_keeps_what_it_can() -> None:
    reply = read_reply(200, body(code=7, message=3, **{"x-traceID": "t9"}))
    assert reply == Trouble(
        "reply breaks the envelope: message is not a string, data is missing",
        retryable=False, http_status=200, code=7, trace_id="t9",
    )  # fmt: skip


def test_a_boolean_code_is_no_code() -> None:
    reply = read_reply(200, body(code=False, message="ok", data=None, **{"x-traceID": 1}))
    assert reply == Trouble(
        "reply breaks the envelope: code is not an integer, x-traceID is not a string",
        retryable=False, http_status=200, code=None, trace_id=None,
    )  # fmt: skip


def test_a_failure_with_data_is_malformed() -> None:
    reply = read_reply(200, body(code=1, message="no", data={"a": 1}, **{"x-traceID": "t"}))
    assert reply == Trouble("failure reply (code 1) with non-null data", False, 200, 1, "t")


def test_a_failure_with_null_data_and_a_success_with_data_are_envelopes() -> None:
    assert read_reply(200, body(code=1, message="no", data=None, **{"x-traceID": "t"})) == Envelope(
        1, "no", None, "t", 200
    )
    assert read_reply(201, body(code=0, message="", data=[1], **{"x-traceID": ""})) == Envelope(0, "", [1], "", 201)


# The spec's checks, node by node.


@pytest.mark.parametrize(
    ("kind", "value", "found"),
    [
        ("integer", "1", ["v is not an integer"]),
        ("integer", True, ["v is not an integer"]),
        ("integer", 1.5, ["v is not an integer"]),
        ("number", False, ["v is not a number"]),
        ("number", 1, []),
        ("number", 1.5, []),
        ("string", 1, ["v is not a string"]),
        ("boolean", 0, ["v is not a boolean"]),
        ("boolean", True, []),
        ("array", {}, ["v is not an array"]),
        ("object", [], ["v is not an object"]),
    ],
)
def test_each_type_is_checked_and_named_with_its_article(kind: str, value: object, found: list[str]) -> None:
    assert problems({"type": kind}, value, "v") == found


def test_null_passes_only_where_the_spec_allows_it() -> None:
    assert problems({"type": "string", "nullable": True}, None, "v") == []
    assert problems({"type": "string"}, None, "v") == ["v is null"]
    assert problems({"type": "string"}, None) == ["data is null"]


def test_enum_and_pattern() -> None:
    assert problems({"type": "integer", "enum": [1, 2]}, 3, "v") == ["v is not one of [1, 2]"]
    assert problems({"type": "integer", "enum": [1, 2]}, 2, "v") == []
    assert problems({"type": "string", "pattern": "^[0-9]+$"}, "12a", "v") == ["v does not match ^[0-9]+$"]
    assert problems({"type": "string", "pattern": "^[0-9]+$"}, "12", "v") == []
    assert problems({"pattern": "^[0-9]+$"}, 12, "v") == []  # a pattern says nothing of a non-string


def test_objects_name_each_missing_and_wrong_field_by_its_path_and_let_unknown_ones_pass() -> None:
    schema = {
        "type": "object",
        "required": ["a", "b"],
        "properties": {"a": {"type": "integer"}, "b": {"type": "string"}, "c": {"type": "object", "properties": {
            "d": {"type": "boolean"}}}},
    }  # fmt: skip
    assert problems(schema, {"c": {"d": 1}, "extra": 1}) == ["data.a is missing", "data.b is missing",
                                                              "data.c.d is not a boolean"]  # fmt: skip
    assert problems(schema, {"a": 1, "b": "x", "zzz": None}) == []


def test_lists_name_each_bad_item_by_its_index() -> None:
    schema = {"type": "array", "items": {"type": "string"}}
    assert problems(schema, ["a", 1, "b", None], "ids") == ["ids[1] is not a string", "ids[3] is null"]
    assert problems({"type": "array"}, [1, "x"], "ids") == []


def test_one_of_wants_exactly_one_shape_and_any_of_at_least_one() -> None:
    one = {"oneOf": [{"type": "integer"}, {"type": "number"}]}
    assert problems(one, 1, "v") == ["v matches more than one of its allowed shapes"]
    assert problems(one, 1.5, "v") == []
    assert problems(one, "1", "v") == ["v matches none of its allowed shapes"]
    any_ = {"anyOf": [{"type": "integer"}, {"type": "number"}]}
    assert problems(any_, 1, "v") == []
    assert problems(any_, "1", "v") == ["v matches none of its allowed shapes"]


def test_references_are_followed_to_the_spec_tables() -> None:
    assert resolve({"ref": "Code"}) == {"type": "integer"}
    assert problems({"ref": "UploadPart"}, {"partNumber": "01", "size": 1, "etag": "e"}, "p") == [
        "p.partNumber matches none of its allowed shapes"
    ]
    assert problems({"ref": "UploadPart"}, {"partNumber": "10", "size": 1, "etag": "e"}, "p") == []


def test_payload_checks_per_operation() -> None:
    assert payload_problems("deleteFiles", None) == []
    assert payload_problems("deleteFiles", {}) == ["data is not null"]
    assert payload_problems("uploadAsyncResult", None) == ["data is null"]
    assert payload_problems("uploadAsyncResult", {"completed": "yes"}) == [
        "data.fileID is missing", "data.completed is not a boolean"
    ]  # fmt: skip
    assert path_of("uploadAsyncResult") == "/upload/v1/oss/file/upload_async_result"


# The payload readers.


def test_a_reply_breaking_its_payload_names_five_problems_at_most() -> None:
    env = Envelope(0, "ok", {}, "t", 200)
    with pytest.raises(Malformed) as caught:
        reply_of(FileDetailReply, "getFileDetail", env)
    assert str(caught.value) == ("data.fileId is missing; data.filename is missing; data.type is missing; "
                                 "data.size is missing; data.etag is missing; ...")  # fmt: skip
    with pytest.raises(Malformed) as caught:
        reply_of(UploadAsyncResultReply, "uploadAsyncResult", env)
    assert str(caught.value) == "data.completed is missing; data.fileID is missing"


def test_a_payload_the_model_cannot_read_is_unreadable() -> None:
    env = Envelope(0, "ok", {"accessToken": "tok", "expiredAt": "not a date"}, "t", 200)
    from pan123_oss_api.models import AccessTokenReply

    with pytest.raises(Unreadable, match="data is not a readable AccessTokenPayload"):
        payload_of(AccessTokenReply, "getAccessToken", env)


def test_a_poll_answer_reads_as_its_result() -> None:
    assert parse_async_result(Envelope(0, "ok", {"completed": True, "fileID": "f9"}, "t1", 200)) == AsyncResult(
        completed=True, file_id="f9", trace_id="t1", code=0
    )
    assert parse_async_result(Envelope(0, "ok", {"completed": False, "fileID": ""}, "t2", 200)) == AsyncResult(
        completed=False, file_id="", trace_id="t2", code=0
    )


def test_being_verified_reads_as_not_completed_with_its_code() -> None:
    assert parse_async_result(Envelope(20103, "verifying", None, "t3", 200)) == AsyncResult(
        completed=False, file_id="", trace_id="t3", code=20103
    )


def test_completed_without_a_file_id_is_malformed() -> None:
    with pytest.raises(Malformed, match=r"^completed is true but fileID is empty$"):
        parse_async_result(Envelope(0, "ok", {"completed": True, "fileID": ""}, "t", 200))


def test_a_token_reads_with_its_expiry_as_epoch_seconds() -> None:
    token = parse_token(Envelope(0, "ok", {"accessToken": "tok", "expiredAt": "2026-01-01T08:00:00+08:00"}, "t", 200))
    assert (token.access_token, token.expires_at) == ("tok", 1767225600.0)


def test_a_token_no_header_can_carry_is_refused_without_echoing_it() -> None:
    env = Envelope(0, "ok", {"accessToken": "tok\r\nX-Evil: 1", "expiredAt": "2026-01-01T08:00:00+08:00"}, "t", 200)
    with pytest.raises(Malformed) as caught:
        parse_token(env)
    assert str(caught.value) == "accessToken holds characters an HTTP header cannot carry"


def test_a_reply_breaking_its_payload_in_exactly_five_ways_lists_them_all() -> None:
    data = {"fileId": "f", "filename": "a.png", "type": 0, "size": 1, "etag": "e", "status": 0, "createAt": "t",
            "updateAt": "t", "downloadURL": "u"}  # fmt: skip
    with pytest.raises(Malformed) as caught:
        reply_of(FileDetailReply, "getFileDetail", Envelope(0, "ok", data, "t", 200))
    assert str(caught.value) == ("data.userSelfURL is missing; data.totalTraffic is missing; data.parentFileId is "
                                 "missing; data.parentFilename is missing; data.extension is missing")  # fmt: skip
