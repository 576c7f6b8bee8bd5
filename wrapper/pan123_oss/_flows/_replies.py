"""What a reply means, as pure code: an envelope, transport trouble, or a reply that breaks the spec.

A success becomes a value in two steps, the same for every operation: the spec's tables check it (`_schema`:
strict on what the spec requires, tolerant of fields it does not know), then the generated `<Name>Reply`
model reads it (`reply_of`, `payload_of`). The flows build their results from the model's attributes, so a
field added to the spec reaches them through `nox -s generate` alone; no reply is read from a dict by hand.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any, Protocol, Self, TypeVar

from pan123_oss_api.models import AccessTokenReply, UploadAsyncResultReply

from .._config import header_safe
from .._spec import OPERATIONS, SCHEMAS
from .._types import AsyncResult, Token
from ._schema import payload_problems
from ._schema import problems as schema_problems

P_co = TypeVar("P_co", covariant=True)
OK = 0
BEING_VERIFIED = 20103
TOKEN_INVALID = 401
TOO_MANY_REQUESTS = 429
_ENVELOPE = SCHEMAS["EmptyReply"]
"""The envelope every `<Name>Reply` shares: `code`, `message`, `x-traceID` and a `data` of its own."""
_ABSENT = object()
"""Stands for a missing or null envelope field, which no envelope type admits ("code is not an integer")."""


@dataclasses.dataclass(frozen=True, slots=True)
class Envelope:
    """A well-formed `{code, message, data, x-traceID}` reply."""

    code: int
    message: str
    data: Any
    trace_id: str
    http_status: int


@dataclasses.dataclass(frozen=True, slots=True)
class Trouble:
    """A reply that is not a usable envelope: `retryable` for transport trouble, else malformed."""

    message: str
    retryable: bool
    http_status: int | None = None
    code: int | None = None
    trace_id: str | None = None


class Malformed(Exception):
    """Raised by payload parsers: the envelope said success but `data` breaks the spec."""


class Unreadable(Malformed):
    """`data` fits the spec's tables, yet its generated model cannot read it (a `format` the tables leave out)."""


def read_reply(status: int, content: bytes) -> Envelope | Trouble:
    """Classify a raw HTTP reply. Failures come inside HTTP 200 bodies, so the body decides, not the status."""
    try:
        body = json.loads(content)
    except (ValueError, RecursionError):  # ValueError: not JSON, bad UTF-8, or an int too long to convert
        body = None
        if status in (TOKEN_INVALID, TOO_MANY_REQUESTS):
            # A gateway may answer these with a plain body; the status still says what happened.
            return Envelope(status, f"HTTP {status} with a non-JSON body", None, "", status)
        return Trouble(f"HTTP {status} with a body that is not JSON", retryable=True, http_status=status)
    if status >= 500:
        code, trace = (body.get("code"), body.get("x-traceID")) if isinstance(body, dict) else (None, None)
        return Trouble(
            f"server error HTTP {status}",
            retryable=True,
            http_status=status,
            code=code if _is_int(code) else None,
            trace_id=trace if isinstance(trace, str) else None,
        )
    if not isinstance(body, dict):
        return Trouble("reply is JSON but not an object", retryable=False, http_status=status)
    code, message, trace = body.get("code"), body.get("message"), body.get("x-traceID")
    trace_id = trace if isinstance(trace, str) else None
    problems = [
        problem
        for name, node in _ENVELOPE["properties"].items()
        if name != "data"  # checked per operation, against its payload
        for problem in schema_problems(node, _ABSENT if body.get(name) is None else body[name], name)
    ] + (["data is missing"] if "data" not in body else [])
    if problems:
        return Trouble(
            "reply breaks the envelope: " + ", ".join(problems),
            retryable=False,
            http_status=status,
            code=code if _is_int(code) else None,
            trace_id=trace_id,
        )
    assert isinstance(message, str) and isinstance(code, int) and trace_id is not None
    if code != OK and body["data"] is not None:
        return Trouble(
            f"failure reply (code {code}) with non-null data", retryable=False, http_status=status,
            code=code, trace_id=trace_id,
        )  # fmt: skip
    return Envelope(code, message, body["data"], trace_id, status)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class ReplyModel(Protocol[P_co]):
    """What every generated `<Name>Reply` is: `{code, message, data, x-traceID}` with `data` a `P_co` or null."""

    @property
    def data(self) -> P_co | None: ...

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self: ...


R = TypeVar("R", bound=ReplyModel[Any])
P = TypeVar("P")


def reply_of(model: type[R], operation_id: str, env: Envelope) -> R:
    """The success `env` as the generated reply model of `operation_id`, once its `data` is checked against the
    spec's payload schema: a generated `from_dict` trusts its input, so nothing unchecked may reach it."""
    if OPERATIONS[operation_id]["reply"] != model.__name__:
        raise TypeError(f"{operation_id} replies with {OPERATIONS[operation_id]['reply']}, not {model.__name__}")
    found = payload_problems(operation_id, env.data)
    if found:
        raise Malformed("; ".join(found[:5]) + ("; ..." if len(found) > 5 else ""))
    return model.from_dict({"code": env.code, "message": env.message, "data": env.data, "x-traceID": env.trace_id})


def payload_of(model: type[ReplyModel[P]], operation_id: str, env: Envelope) -> P:
    """The success's `data` as the generated `<Name>Payload` (the check makes it non-null)."""
    data = reply_of(model, operation_id, env).data
    if data is None:
        raise Malformed("data is null")
    if isinstance(data, dict):
        # The generated reply keeps the raw dict when its payload model raised (it tries each allowed type).
        raise Unreadable(f"data is not a readable {OPERATIONS[operation_id]['payload']}")
    return data


def parse_async_result(env: Envelope) -> AsyncResult:
    """`uploadAsyncResult` data → AsyncResult; `20103` (being verified) counts as not completed yet."""
    if env.code == BEING_VERIFIED:
        return AsyncResult(completed=False, file_id="", trace_id=env.trace_id, code=env.code)
    data = payload_of(UploadAsyncResultReply, "uploadAsyncResult", env)
    if data.completed and not data.file_id:
        raise Malformed("completed is true but fileID is empty")
    return AsyncResult(completed=data.completed, file_id=data.file_id, trace_id=env.trace_id)


def parse_token(env: Envelope) -> Token:
    """`getAccessToken` data → Token, with `expiredAt` read as RFC 3339 (an offset is required)."""
    try:
        data = payload_of(AccessTokenReply, "getAccessToken", env)
    except Unreadable:
        raise Malformed("expiredAt is not an RFC 3339 date-time") from None
    if not data.access_token:
        raise Malformed("accessToken is empty")
    if not header_safe(data.access_token):
        # Not echoed: it is a secret, and a newline in it would break every later request's headers.
        raise Malformed("accessToken holds characters an HTTP header cannot carry")
    if data.expired_at.tzinfo is None:
        raise Malformed("expiredAt has no UTC offset")
    return Token(access_token=data.access_token, expires_at=data.expired_at.timestamp())
