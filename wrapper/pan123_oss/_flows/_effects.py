"""Effects: what a flow asks its driver to do, as plain data, and the typed helpers flows ask with.

A flow never sends, sleeps, hashes or locks; it yields one of these and gets the answer sent back in:
`Send` a request (answered by `Reply` or `Failed`), `Sleep`, `GetToken`, `Hash` a byte range, `Put` a slice,
run flows in `Parallel` or `Exclusive`ly, and `Pace`/`Report` for the rate governor. Flows use the helpers
(`send`, `md5`, `put`, `parallel`, ...) so what comes back is typed. The drivers (`_async`, `_sync`) are the
only code that carries them out.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Generator, Iterator, Mapping
from typing import Any, Protocol, TypeVar

from .._spec import OPERATIONS

T = TypeVar("T")


@dataclasses.dataclass(frozen=True, slots=True)
class Request:
    """One API request as data: the method and path come from the spec's tables, the body from a
    generated model's `to_dict()`. Every request carries `Platform: open_platform`."""

    method: str
    path: str
    json: Any = dataclasses.field(default=None, repr=False)  # the token call's body holds the client secret
    params: Mapping[str, str | int] | None = None


def request_for(operation_id: str, body: Any = None, params: Mapping[str, str | int] | None = None) -> Request:
    """The request of `operation_id` with `body` (a generated `*Body` model) and its query `params`, whose names
    must be the spec's: the query has no generated model, so the tables stand in for one."""
    operation = OPERATIONS[operation_id]
    names = set(params or ())
    if names - set(operation["query"]) or set(operation["query_required"]) - names:
        raise TypeError(f"{operation_id} takes the query {sorted(operation['query'])}, not {sorted(names)}")
    return Request(operation["method"], operation["path"], None if body is None else body.to_dict(), params)


@dataclasses.dataclass(frozen=True, slots=True)
class Send:
    """Send `request` with this token (None: no Authorization header). The driver answers Reply | Failed."""

    request: Request
    token: str | None = dataclasses.field(repr=False)
    timeout: float


@dataclasses.dataclass(frozen=True, slots=True)
class Sleep:
    seconds: float


@dataclasses.dataclass(frozen=True, slots=True)
class GetToken:
    """A valid access token; `stale` is one the server just rejected, so it must not come back.

    Getting it (waiting for another caller's fetch, or fetching) must end by `deadline` (on the flows'
    clock), or raise DeadlineError.
    """

    stale: str | None = dataclasses.field(repr=False)  # a token: never in a repr or traceback
    deadline: float = math.inf


# What the driver sends back for a `Send`.
@dataclasses.dataclass(frozen=True, slots=True)
class Reply:
    status: int
    content: bytes
    retry_after: float | None = None
    """Seconds from a `Retry-After` header, when the server sent one."""


@dataclasses.dataclass(frozen=True, slots=True)
class Failed:
    """No reply: the connection failed, timed out or was dropped."""

    reason: str


class Readable(Protocol):
    """The bytes of an upload, read at offsets by the driver (never by a flow)."""

    size: int

    def read_at(self, offset: int, length: int) -> bytes: ...

    def md5(self, offset: int = 0, length: int | None = None) -> str: ...

    def digests(self, slice_size: int) -> tuple[str, list[str]]: ...


@dataclasses.dataclass(frozen=True, slots=True)
class Hash:
    """The hex MD5 of `length` bytes of `source` from `offset` (None: to the end). The driver answers a str,
    computed off the event loop by the async driver."""

    source: Readable
    offset: int = 0
    length: int | None = None
    slice_size: int | None = None
    """When given, the driver answers (whole-file MD5, [MD5 of each slice of this size]) from one read."""


class Body(Protocol):
    """A slice to stream: the driver reads each (offset, length) of `chunks()` and passes it to `account`."""

    length: int

    @property
    def source(self) -> Readable: ...

    def chunks(self) -> Iterator[tuple[int, int]]: ...

    def account(self, data: bytes) -> bytes: ...


@dataclasses.dataclass(frozen=True, slots=True)
class Put:
    """PUT a body to a presigned URL: no Authorization, no Platform header, no base URL.
    The driver answers Reply | Failed."""

    url: str
    body: Body
    timeout: float


@dataclasses.dataclass(frozen=True, slots=True)
class Parallel:
    """Run these flows at most `limit` at a time, failing fast: the results in order, or the first error,
    raised as soon as it happens. After a failure no flow starts, and the running ones stop at their next
    effect. Both drivers carry out this policy; neither decides it."""

    flows: list[Generator[Any, Any, Any]]
    limit: int


@dataclasses.dataclass(frozen=True, slots=True)
class Exclusive:
    """Run `flow` holding the client's one lock for folder paths, so that callers sharing a client never make
    the same folder twice. The driver answers the flow's result, or raises DeadlineError into the flow that
    asked when the lock is not free by `deadline` (on the flows' clock)."""

    flow: Generator[Any, Any, Any]
    deadline: float


@dataclasses.dataclass(frozen=True, slots=True)
class Pace:
    """Take the next turn of `endpoint` from the client's rate governor, no sooner than `after` seconds from
    `now` (the request's own floor). The driver answers the seconds to wait before sending (0.0: at once),
    or None when the turn is more than `max_wait` away (no turn is taken then)."""

    endpoint: str
    now: float
    max_wait: float
    after: float = 0.0


@dataclasses.dataclass(frozen=True, slots=True)
class Report:
    """Tell the rate governor how a request to `endpoint` fared: a reply came at `now`, `age` seconds after the
    request took its turn (`Pace`); `throttled` when it was a `429`. The driver answers None."""

    endpoint: str
    now: float
    throttled: bool
    age: float
    retry_after: float | None = None


Effect = Send | Sleep | GetToken | Hash | Put | Parallel | Exclusive | Pace | Report
Steps = Generator[Effect, Any, T]


# Each effect with the type of what the driver answers: flows `yield from` these, so what comes back is typed
# (and checked, where a type can be checked at run time) instead of Any.
def send(request: Request, token: str | None, timeout: float) -> Steps[Reply | Failed]:
    result = yield Send(request, token, timeout)
    assert isinstance(result, Reply | Failed), result
    return result


def get_token(stale: str | None, deadline: float) -> Steps[str]:
    token = yield GetToken(stale, deadline)
    assert isinstance(token, str)
    return token


def sleep(seconds: float) -> Steps[None]:
    yield Sleep(seconds)


def md5(source: Readable, offset: int = 0, length: int | None = None) -> Steps[str]:
    digest = yield Hash(source, offset, length)
    assert isinstance(digest, str), digest
    return digest


def digests(source: Readable, slice_size: int) -> Steps[tuple[str, list[str]]]:
    whole, slices = yield Hash(source, slice_size=slice_size)
    assert isinstance(whole, str) and isinstance(slices, list), (whole, slices)
    return whole, slices


def put(url: str, body: Body, timeout: float) -> Steps[Reply | Failed]:
    result = yield Put(url, body, timeout)
    assert isinstance(result, Reply | Failed), result
    return result


def parallel(flows: list[Steps[T]], limit: int) -> Steps[list[T]]:
    results = yield Parallel(flows, limit)
    assert isinstance(results, list) and len(results) == len(flows)
    return results


def pace(endpoint: str, now: float, max_wait: float, after: float = 0.0) -> Steps[float | None]:
    wait = yield Pace(endpoint, now, max_wait, after)
    assert wait is None or isinstance(wait, float | int), wait
    return wait


def report(endpoint: str, now: float, throttled: bool, age: float, retry_after: float | None) -> Steps[None]:
    yield Report(endpoint, now, throttled, age, retry_after)


def exclusive(flow: Steps[T], deadline: float) -> Steps[T]:
    result: T = yield Exclusive(flow, deadline)
    return result
