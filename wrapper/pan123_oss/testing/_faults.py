"""Misbehaviour on request: the faults a test scripts, and the per-endpoint rate limit.

A test queues `Fault`s per endpoint (`FakePan123.script`); each request to it takes the next one. A fault
replaces the reply (an error code, an HTTP error, HTML, a huge body, a dropped connection), changes how the reply
travels (late, trickled), changes the service (every token expires), or, on a slice PUT, changes what is kept (a
damaged or short slice). `Throttle` refuses requests over an endpoint's `qps` as the service does.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict, deque
from collections.abc import Collection, Iterable, Iterator

from .._flows._governor import endpoint_of
from ._messages import FakeReply, envelope

LEGACY_NAMES = {
    "access_token": "getAccessToken",
    "upload_async_result": "uploadAsyncResult",
    "create": "createUpload",
    "get_upload_url": "getUploadUrl",
    "list_upload_parts": "listUploadParts",
    "upload_complete": "completeUpload",
    "file_detail": "getFileDetail",
}
"""The endpoint names `script` took before the fake was routed from the spec; operation IDs work as well."""
PUT = "put"
"""The `script` name of the slice PUTs to presigned URLs."""
TOO_MANY = 429
"""The code of a reply over an endpoint's `qps` limit (with HTTP 200, as the service answers)."""
BUSY = "操作频繁\uff0c请稍后再试"
"""The message of that reply ("too frequent, try again later"), with the service's full-width comma."""
REPLACING = frozenset({"code", "http", "drop", "huge"})
"""The kinds of fault that answer an API request in place of the service."""
REPLACING_PUT = frozenset({"code", "http", "drop"})
"""The kinds that answer a slice PUT in place of the store: a huge body is a fault of JSON replies, which a PUT's
is not, so on a PUT it is played as no fault."""


@dataclasses.dataclass(frozen=True, slots=True)
class Fault:
    """One scripted misbehaviour, used by the next request to its endpoint (see `FakePan123.script`)."""

    kind: str
    code: int = 0
    message: str = ""
    status: int = 200
    body: bytes = b""
    seconds: float = 0.0
    retry_after: float | None = None

    @classmethod
    def code_reply(cls, code: int, message: str = "", *, retry_after: float | None = None) -> Fault:
        """An error envelope with this code (429, 20103, 5066, ...) and HTTP 200, as the service does;
        `retry_after` adds a `Retry-After` header (whole seconds)."""
        return cls("code", code=code, message=message or f"fake error {code}", retry_after=retry_after)

    @classmethod
    def huge(cls, size: int = 4 << 20) -> Fault:
        """HTTP 200 with a JSON body of about `size` bytes: what a broken gateway or a hostile server sends."""
        return cls("huge", status=200, body=b'{"code": 0, "message": "' + b"x" * size + b'", "data": null}')

    @classmethod
    def trickle(cls, per_byte: float = 0.2) -> Fault:
        """Answer normally, but send the body one byte every `per_byte` seconds (on a socket; in process the
        reply is just late by the whole time)."""
        return cls("trickle", seconds=per_byte)

    @classmethod
    def http(cls, status: int = 502, body: bytes = b"<html><body>502 Bad Gateway</body></html>") -> Fault:
        return cls("http", status=status, body=body)

    @classmethod
    def html(cls) -> Fault:
        """HTTP 200 with an HTML page instead of JSON (a captive portal or misrouted proxy)."""
        return cls("http", status=200, body=b"<!doctype html><title>maintenance</title>")

    @classmethod
    def malformed(cls, body: bytes = b'{"code": 0, "message": "ok", "data": {"completed": "yes"}}') -> Fault:
        """HTTP 200 with JSON that breaks the spec."""
        return cls("http", status=200, body=body)

    @classmethod
    def slow(cls, seconds: float) -> Fault:
        """Answer normally, but only after `seconds`."""
        return cls("slow", seconds=seconds)

    @classmethod
    def drop(cls) -> Fault:
        """Close the connection without answering."""
        return cls("drop")

    @classmethod
    def damage(cls) -> Fault:
        """For a slice PUT: answer 200 but keep the slice with its first byte changed, the same size, as a
        faulty store would; only the MD5s of the parts list show it."""
        return cls("damage")

    @classmethod
    def short(cls) -> Fault:
        """For a slice PUT: answer 200 but keep the slice one byte short; the sizes of the parts list show it."""
        return cls("short")

    @classmethod
    def expire_tokens(cls) -> Fault:
        """Every live token expires now, so this request (if it needs one) gets code 401."""
        return cls("expire")


class Script:
    """The faults queued for each endpoint: operation IDs, and `PUT` for slice PUTs. Called under the fake's lock."""

    def __init__(self, operations: Collection[str]) -> None:
        self._operations = operations
        self._queues: defaultdict[str, deque[Fault]] = defaultdict(deque)

    def add(self, endpoint: str, faults: Iterable[Fault]) -> None:
        """Queue faults for an endpoint: an operation ID, one of the `LEGACY_NAMES`, or `PUT`."""
        name = LEGACY_NAMES.get(endpoint, endpoint)
        if name != PUT and name not in self._operations:
            known = sorted({*LEGACY_NAMES, *self._operations, PUT})
            raise ValueError(f"endpoint must be one of {known}")
        self._queues[name].extend(faults)

    def next(self, name: str) -> Fault | None:
        """The fault the next request to this endpoint plays, taken off its queue; None when none is queued."""
        queue = self._queues[name]
        return queue.popleft() if queue else None


class Throttle:
    """Per-endpoint limits on requests a second, over a sliding second. Called under the fake's lock."""

    def __init__(self) -> None:
        self.qps: dict[str, float] = {}
        """Requests a second each endpoint path accepts; an endpoint not here has no limit."""
        self.throttled: Counter[str] = Counter()
        """Requests refused as over the limit, per endpoint path."""
        self._accepted: defaultdict[str, deque[float]] = defaultdict(deque)

    def set(self, endpoint: str, limit: float | None) -> None:
        """See `FakePan123.set_qps`."""
        path = endpoint_of(LEGACY_NAMES.get(endpoint, endpoint))
        if limit is None:
            self.qps.pop(path, None)
            return
        if isinstance(limit, bool) or not isinstance(limit, int | float) or not limit > 0:
            raise ValueError(f"qps for {endpoint!r} must be a positive number of requests a second, got {limit!r}")
        self.qps[path] = float(limit)

    def over_limit(self, path: str, now: float) -> bool:
        """Whether a request to `path` at `now` is over its limit; if not, it is counted (refused ones are not)."""
        limit = self.qps.get(path)
        if limit is None:
            return False
        accepted = self._accepted[path]
        while accepted and accepted[0] <= now - 1.0:
            accepted.popleft()
        if len(accepted) >= limit:
            self.throttled[path] += 1
            return True
        accepted.append(now)
        return False


def busy(*, extra_fields: bool) -> FakeReply:
    """The reply over an endpoint's limit: HTTP 200, code 429, `BUSY`."""
    return dataclasses.replace(envelope(TOO_MANY, BUSY, extra_fields=extra_fields), limited=True)


def replacement(fault: Fault | None, kinds: Collection[str], *, extra_fields: bool) -> FakeReply | None:
    """What `fault` answers in place of the service, if it is of one of `kinds` (`REPLACING`, `REPLACING_PUT`)."""
    if fault is None or fault.kind not in kinds:
        return None
    if fault.kind == "code":
        reply = envelope(fault.code, fault.message, extra_fields=extra_fields)
        if fault.retry_after is not None:
            return dataclasses.replace(reply, headers=(("Retry-After", str(round(fault.retry_after))),))
        return reply
    if fault.kind == "huge":
        return FakeReply(200, fault.body, scripted=True)
    if fault.kind == "http":
        return FakeReply(fault.status, fault.body, content_type="text/html", scripted=True)
    return FakeReply(0, b"", content_type="", drop=True, scripted=True)


def played(reply: FakeReply, fault: Fault | None) -> FakeReply:
    """The service's reply as a `slow` or `trickle` fault sends it."""
    if fault is not None and fault.kind == "trickle":
        return dataclasses.replace(reply, trickle=fault.seconds)
    if fault is not None and fault.kind == "slow" and fault.seconds:
        return dataclasses.replace(reply, delay=fault.seconds)
    return reply


def kept(chunks: Iterator[bytes], fault: Fault | None) -> Iterator[bytes]:
    """The bytes of a slice PUT as the store keeps them: as sent, or as a `damage` or `short` fault changes them."""
    if fault is not None and fault.kind == "damage":
        return _first_byte_changed(chunks)
    if fault is not None and fault.kind == "short":
        return _last_byte_dropped(chunks)
    return chunks


def _first_byte_changed(chunks: Iterator[bytes]) -> Iterator[bytes]:
    for chunk in chunks:
        if chunk:
            yield bytes([chunk[0] ^ 0xFF]) + chunk[1:]
            break
    yield from chunks


def _last_byte_dropped(chunks: Iterator[bytes]) -> Iterator[bytes]:
    held = b""
    for chunk in chunks:
        if held:
            yield held
        held = chunk
    yield held[:-1]
