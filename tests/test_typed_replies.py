"""Replies go through the generated models: spec check first, then `<Name>Reply.from_dict`, never a dict read.

The property here is the contract between the two steps: whatever the spec's tables accept as an operation's
`data` must be readable by that operation's generated reply model, so the check in front is all the
protection `from_dict` needs (it raises KeyError/TypeError on input it does not expect).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

import pan123_oss
import pan123_oss_api.models as models
from pan123_oss._flows import _call, _effects
from pan123_oss._flows._replies import Envelope, Trouble, payload_of, read_reply, reply_of
from pan123_oss._flows._schema import payload_problems, resolve
from pan123_oss._spec import OPERATIONS
from pan123_oss_api.models import DriveCopyReply, FileDetailReply

SETTINGS = settings(max_examples=settings().max_examples // 5, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])  # fmt: skip
"""A fifth of the profile's examples per operation (tests/conftest.py): 20 in the suite, 200 under `nox -s fuzz`."""
WITH_PAYLOAD = sorted(op for op, table in OPERATIONS.items() if table["payload"] is not None)
DATE_TIMES = st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat())
"""The tables leave `format` out; the one date-time of a reply (`expiredAt`) gets real RFC 3339 values."""
scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8)


def of_schema(node: dict[str, Any]) -> SearchStrategy[Any]:
    """Values of a node of `_spec.SCHEMAS`, unknown fields included (a newer service may add them)."""
    node = dict(resolve(node))
    plain = _plain(node)
    return st.none() | plain if node.get("nullable") else plain


def _plain(node: dict[str, Any]) -> SearchStrategy[Any]:
    branches = node.get("oneOf", node.get("anyOf"))
    if branches is not None:
        return st.one_of([of_schema(branch) for branch in branches])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    kind = node.get("type")
    if kind == "string":
        return st.from_regex(node["pattern"]) if "pattern" in node else st.text(max_size=12)
    if kind == "integer":
        return st.integers(-(2**63), 2**63 - 1)
    if kind == "number":
        return st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return st.lists(of_schema(node["items"]) if "items" in node else scalars, max_size=3)
    if kind == "object":
        properties = node.get("properties", {})
        fields = {name: DATE_TIMES if name == "expiredAt" else of_schema(sub) for name, sub in properties.items()}
        required = set(node.get("required", ()))
        known = st.fixed_dictionaries(
            {n: s for n, s in fields.items() if n in required},
            optional={n: s for n, s in fields.items() if n not in required},
        )
        unknown = st.dictionaries(
            st.text(min_size=1, max_size=6).filter(lambda k: k not in properties), scalars, max_size=2
        )
        return st.tuples(unknown, known).map(lambda pair: {**pair[0], **pair[1]})
    return scalars


def _model(name: str) -> Any:
    return getattr(models, name)


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_every_operation_names_a_generated_reply_model_whose_data_is_its_payload(operation_id: str) -> None:
    table = OPERATIONS[operation_id]
    reply = _model(table["reply"])
    payload = table["payload"]
    assert table["reply"] == (f"{payload.removesuffix('Payload')}Reply" if payload else "EmptyReply")
    assert set(reply.__annotations__["data"].split(" | ")) == {payload or "EmptyReplyDataType0", "None"}


@SETTINGS
@given(st.data())
@pytest.mark.parametrize("operation_id", WITH_PAYLOAD)
def test_what_the_spec_accepts_the_generated_model_reads(operation_id: str, data: st.DataObject) -> None:
    payload = OPERATIONS[operation_id]["payload"]
    value = data.draw(of_schema({"ref": payload}))
    assume(not payload_problems(operation_id, value))
    got = payload_of(_model(OPERATIONS[operation_id]["reply"]), operation_id, Envelope(0, "ok", value, "t", 200))
    assert isinstance(got, _model(payload))
    # Every field the reply carried is kept: known ones as attributes, the rest as additional properties.
    assert set(got.to_dict()) == set(value)


def test_a_model_of_another_operation_is_refused() -> None:
    env = Envelope(0, "ok", {"taskID": "7"}, "t", 200)
    assert payload_of(DriveCopyReply, "startDriveCopy", env).task_id == "7"
    with pytest.raises(TypeError, match="getFileDetail replies with FileDetailReply, not DriveCopyReply"):
        reply_of(DriveCopyReply, "getFileDetail", env)
    with pytest.raises(TypeError):
        reply_of(FileDetailReply, "startDriveCopy", env)


@pytest.mark.parametrize(
    ("token", "expired_at", "why"),
    [
        ("tok", "tomorrow", "expiredAt is not an RFC 3339 date-time"),
        ("tok", "2026-13-45T00:00:00+08:00", "expiredAt is not an RFC 3339 date-time"),
        ("tok", "", "expiredAt is not an RFC 3339 date-time"),
        ("tok", "2026-12-07T10:00:00", "expiredAt has no UTC offset"),
        ("", "2026-12-07T10:00:00+08:00", "accessToken is empty"),
    ],
)
def test_a_token_reply_the_client_cannot_use_is_malformed(token: str, expired_at: str, why: str) -> None:
    client = pan123_oss.Client(client_id="id", client_secret="secret")
    body = {"code": 0, "message": "ok", "data": {"accessToken": token, "expiredAt": expired_at}, "x-traceID": "tr"}
    outcome = _call.classify(client._token_op(), _effects.Reply(200, json.dumps(body).encode()))
    client.close()
    assert isinstance(outcome, _call._Fatal)
    error = outcome.error
    assert isinstance(error, pan123_oss.MalformedResponseError)
    assert error.message == f"reply breaks the spec: {why}"
    assert (error.code, error.trace_id) == (0, "tr")


@pytest.mark.parametrize(
    ("body", "problems"),
    [
        ({"data": None}, "code is not an integer, message is not a string, x-traceID is not a string"),
        ({"code": True, "message": None, "x-traceID": 5, "data": None}, "code is not an integer, message is not "
         "a string, x-traceID is not a string"),
        ({"code": 0, "message": "ok", "x-traceID": "t"}, "data is missing"),
    ],
)  # fmt: skip
def test_the_envelope_is_checked_against_the_spec(body: dict[str, Any], problems: str) -> None:
    reply = read_reply(200, json.dumps(body).encode())
    assert isinstance(reply, Trouble) and not reply.retryable
    assert reply.message == f"reply breaks the envelope: {problems}"
