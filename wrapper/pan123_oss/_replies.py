"""What a reply means, as pure code: an envelope, transport trouble, or a reply that breaks the spec."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from pan123_oss_api.models import AccessTokenPayload, UploadAsyncResultPayload

from ._config import header_safe
from ._schema import payload_problems
from ._types import AsyncResult, Token

OK = 0
BEING_VERIFIED = 20103
TOKEN_INVALID = 401
TOO_MANY_REQUESTS = 429


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
        "code is not an integer" if not _is_int(code) else "",
        "message is not a string" if not isinstance(message, str) else "",
        "x-traceID is not a string" if trace_id is None else "",
        "data is missing" if "data" not in body else "",
    ]
    problems = [p for p in problems if p]
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


def payload(operation_id: str, env: Envelope) -> Any:
    """The success's `data`, checked against the spec's payload schema for `operation_id`."""
    found = payload_problems(operation_id, env.data)
    if found:
        raise Malformed("; ".join(found[:5]) + ("; ..." if len(found) > 5 else ""))
    return env.data


def parse_async_result(env: Envelope) -> AsyncResult:
    """`uploadAsyncResult` data → AsyncResult; `20103` (being verified) counts as not completed yet."""
    if env.code == BEING_VERIFIED:
        return AsyncResult(completed=False, file_id="", trace_id=env.trace_id, code=env.code)
    data = UploadAsyncResultPayload.from_dict(payload("uploadAsyncResult", env))
    if data.completed and not data.file_id:
        raise Malformed("completed is true but fileID is empty")
    return AsyncResult(completed=data.completed, file_id=data.file_id, trace_id=env.trace_id)


def parse_token(env: Envelope) -> Token:
    """`getAccessToken` data → Token, with `expiredAt` read as RFC 3339 (an offset is required)."""
    try:
        data = AccessTokenPayload.from_dict(payload("getAccessToken", env))
    except ValueError:
        raise Malformed("expiredAt is not an RFC 3339 date-time") from None
    if not data.access_token:
        raise Malformed("accessToken is empty")
    if not header_safe(data.access_token):
        # Not echoed: it is a secret, and a newline in it would break every later request's headers.
        raise Malformed("accessToken holds characters an HTTP header cannot carry")
    if data.expired_at.tzinfo is None:
        raise Malformed("expiredAt has no UTC offset")
    return Token(access_token=data.access_token, expires_at=data.expired_at.timestamp())
