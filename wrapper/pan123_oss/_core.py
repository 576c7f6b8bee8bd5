"""The client's decisions, free of I/O: generators that yield effects for a driver to carry out.

`Client` and `AsyncClient` each own one small driver loop that performs `Send`, `Sleep` and
`GetToken` with blocking or awaitable I/O and sends the result back in. Every decision (what a reply
means, whether to refresh, retry or give up, how long to wait) lives here once, so the two clients
cannot drift apart, and tests can drive these generators with a fake clock and canned replies.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import random
from collections.abc import Callable, Generator, Iterator, Mapping
from typing import Any, Generic, Protocol, TypeVar

from ._errors import (
    ApiError,
    AuthError,
    DeadlineError,
    MalformedResponseError,
    Pan123Error,
    PollTimeoutError,
    RateLimitError,
    TransportError,
)
from ._policy import (
    LAST_POLL_SLACK,
    MIN_POLL_INTERVAL,
    PollGate,
    PollPolicy,
    RatePolicy,
    RetryPolicy,
    fit_before_deadline,
)
from ._replies import TOKEN_INVALID, TOO_MANY_REQUESTS, Envelope, Malformed, read_reply
from ._spec import OPERATIONS
from ._types import AsyncResult, OnPoll, PollEvent

T = TypeVar("T")
E = TypeVar("E", bound=Pan123Error)
MAX_RETRY_AFTER = 120.0
"""A `Retry-After` longer than this ends the call at once (RateLimitError) instead of sleeping through it."""
logger = logging.getLogger("pan123_oss")


# Effects: what the core asks its driver to do.
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

    Getting it (waiting for another caller's fetch, or fetching) must end by `deadline` (on the core's
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
    """The bytes of an upload, read at offsets by the driver (never by the core)."""

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
    asked when the lock is not free by `deadline` (on the core's clock)."""

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


@dataclasses.dataclass(frozen=True, slots=True)
class Operation(Generic[T]):
    """One API call: how to build its request, how to read its payload, and the context for errors."""

    request: Request
    parse: Callable[[Envelope], T]
    authenticated: bool = True
    preupload_id: str | None = None
    """For errors: the upload this call is about."""
    gated: bool = False
    """Keep requests of this call at least 1 s apart per upload (the polling floor)."""
    accepted_codes: frozenset[int] = frozenset()
    """Non-zero codes that `parse` turns into a value (20103 "being verified" for the poll)."""

    @property
    def endpoint(self) -> str:
        """The path errors and logs name the call by."""
        return self.request.path


@dataclasses.dataclass(slots=True)
class Context:
    """Per-client settings and state shared by every flow."""

    clock: Callable[[], float]
    request_timeout: float
    can_refresh: bool
    poll: PollPolicy = dataclasses.field(default_factory=PollPolicy)
    retry: RetryPolicy = dataclasses.field(default_factory=RetryPolicy)
    gate: PollGate = dataclasses.field(default_factory=PollGate)
    rate: RatePolicy = dataclasses.field(default_factory=RatePolicy)
    rng: random.Random = dataclasses.field(default_factory=random.Random)


# Outcomes of one exchange.
@dataclasses.dataclass(frozen=True, slots=True)
class _Value(Generic[T]):
    value: T
    trace_id: str
    code: int


@dataclasses.dataclass(frozen=True, slots=True)
class _Refresh:
    error: AuthError


@dataclasses.dataclass(frozen=True, slots=True)
class _Retry:
    error: Pan123Error
    rate_limited: bool


@dataclasses.dataclass(frozen=True, slots=True)
class _Fatal:
    error: Pan123Error


_Outcome = _Value[T] | _Refresh | _Retry | _Fatal


def classify(op: Operation[T], result: Reply | Failed) -> _Outcome[T]:
    """What one reply means for `op`: a value, a token refresh, a retry, or a final error."""

    def error(kind: type[E], message: str, code: int | None = None, trace: str | None = None) -> E:
        status = result.status if isinstance(result, Reply) else None
        return kind(
            message, code=code, trace_id=trace or None, http_status=status, endpoint=op.endpoint,
            preupload_id=op.preupload_id,
        )  # fmt: skip

    if isinstance(result, Failed):
        return _Retry(error(TransportError, f"request failed: {result.reason}"), rate_limited=False)
    reply = read_reply(result.status, result.content)
    if not isinstance(reply, Envelope):
        if reply.retryable:
            return _Retry(error(TransportError, reply.message, reply.code, reply.trace_id), rate_limited=False)
        return _Fatal(error(MalformedResponseError, reply.message, reply.code, reply.trace_id))
    code, trace = reply.code, reply.trace_id
    if code == 0 or code in op.accepted_codes:
        try:
            return _Value(op.parse(reply), trace, code)
        except Malformed as exc:
            return _Fatal(error(MalformedResponseError, f"reply breaks the spec: {exc}", code, trace))
    message = reply.message or "no message"
    if code == TOKEN_INVALID:
        if op.authenticated:
            return _Refresh(error(AuthError, f"access token rejected: {message}", code, trace))
        return _Fatal(error(AuthError, f"credentials rejected: {message}", code, trace))
    if code == TOO_MANY_REQUESTS:
        limited = error(RateLimitError, f"rate limited: {message}", code, trace)
        if (result.retry_after or 0.0) > MAX_RETRY_AFTER:
            return _Fatal(limited)  # asked to come back later than any call here waits
        return _Retry(limited, rate_limited=True)
    return _Fatal(error(ApiError, message, code, trace))


def _exchange(
    ctx: Context, op: Operation[T], stale: str | None, deadline: float
) -> Steps[tuple[_Outcome[T], str | None]]:
    """Token, the per-upload floor, the endpoint's turn, one request, and what its reply means; DeadlineError if
    no time is left."""
    token = (yield from get_token(stale, deadline)) if op.authenticated else None
    delay = 0.0
    if op.gated and op.preupload_id is not None:
        delay = ctx.gate.reserve(op.preupload_id, ctx.clock())
        if delay > 0 and ctx.clock() + delay > deadline - LAST_POLL_SLACK:
            raise DeadlineError(f"no time left to wait out the 1 s floor of {op.endpoint}", op.endpoint)
    booked = ctx.clock()
    turn = yield from pace(op.endpoint, booked, deadline - LAST_POLL_SLACK - booked, delay)
    if turn is None:
        raise DeadlineError(f"no time left to wait for the rate limit of {op.endpoint}", op.endpoint, op.preupload_id)
    if turn > 0:
        yield from sleep(turn)
        if op.authenticated and turn > delay:
            # It waited for the rate limit: another caller may have replaced the token meanwhile (usually this
            # is no I/O, just the cache).
            token = yield from get_token(stale, deadline)
    timeout = min(ctx.request_timeout, deadline - ctx.clock())
    if timeout <= 0:
        raise DeadlineError(f"no time left for {op.endpoint}", op.endpoint, op.preupload_id)
    sent = ctx.clock()
    result = yield from send(op.request, token, timeout)
    now = ctx.clock()
    if op.gated and op.preupload_id is not None:
        ctx.gate.done(op.preupload_id, now)
    outcome = classify(op, result)
    throttled = isinstance(outcome, _Retry) and outcome.rate_limited
    retry_after = result.retry_after if isinstance(result, Reply) else None
    # The age counts from when the request took its turn, not from its send: one that took its turn before the
    # pace changed says nothing about the new pace, however long it slept before going.
    yield from report(op.endpoint, now, throttled, now - booked, retry_after)
    if logger.isEnabledFor(logging.DEBUG):
        _log(op, result, outcome, ctx.clock() - sent)
    return outcome, token


def _log(op: Operation[Any], result: Reply | Failed, outcome: _Outcome[Any], seconds: float) -> None:
    """One debug line per request, with the trace ID support will ask for; never a token or secret."""
    code: int | None
    trace: str | None
    if isinstance(outcome, _Value):
        code, trace, what = outcome.code, outcome.trace_id, "ok"
    else:
        code, trace, what = outcome.error.code, outcome.error.trace_id, type(outcome.error).__name__
    status = result.status if isinstance(result, Reply) else "-"
    logger.debug(
        "POST %s%s: %s, HTTP %s, code %s, trace %s, %.1f ms",
        op.endpoint, f" preuploadID={op.preupload_id}" if op.preupload_id else "", what, status, code, trace,
        seconds * 1000,
    )  # fmt: skip


def call(ctx: Context, op: Operation[T], deadline: float = math.inf) -> Steps[T]:
    """One logical call: refresh the token once on 401, retry transport trouble within the budget, and send a
    throttled request again when the governor gives it a turn, for as long as the deadline (or, with none,
    the rate policy's patience) allows."""
    failures = 0
    stale: str | None = None
    throttled_since: float | None = None
    throttled: Pan123Error | None = None
    while True:
        if ctx.clock() >= deadline:
            raise DeadlineError(f"deadline reached before {op.endpoint}", op.endpoint, op.preupload_id) from throttled
        try:
            outcome, token = yield from _exchange(ctx, op, stale, deadline)
        except DeadlineError as exc:
            # A turn past the deadline after a 429: the caller's timeout says the service was throttling it.
            if throttled is not None and exc.__cause__ is None:
                raise exc from throttled
            raise
        if isinstance(outcome, _Value):
            return outcome.value
        if isinstance(outcome, _Refresh):
            if not ctx.can_refresh or stale is not None:
                raise outcome.error
            stale = token
            continue
        if isinstance(outcome, _Fatal):
            raise outcome.error
        if outcome.rate_limited:
            # Not a failure: the governor has cut the pace (and noted any Retry-After), and the next turn it
            # gives is when this request goes again. DeadlineError when that turn is past the deadline.
            now = ctx.clock()
            throttled = outcome.error
            throttled_since = now if throttled_since is None else throttled_since
            if math.isinf(deadline) and now - throttled_since >= ctx.rate.patience:
                raise outcome.error
            continue
        throttled_since, throttled = None, None
        failures += 1
        delay = ctx.retry.delay(failures, ctx.rng)
        if delay is None:
            raise outcome.error
        if ctx.clock() + delay >= deadline:
            raise DeadlineError(f"deadline reached retrying {op.endpoint}", op.endpoint, op.preupload_id) from (
                outcome.error
            )
        yield from sleep(delay)


def wait(ctx: Context, op: Operation[AsyncResult], *, timeout: float, on_poll: OnPoll | None) -> Steps[str]:
    """Poll until the upload completes; return its file ID. Bounded by `timeout`, sleeps included."""
    assert op.preupload_id is not None
    start = ctx.clock()
    deadline = start + timeout
    interval = ctx.poll.initial
    polls = failures = 0
    stale: str | None = None
    last_trace: str | None = None
    last_error: Pan123Error | None = None
    while True:
        try:
            outcome, token = yield from _exchange(ctx, op, stale, deadline)
        except DeadlineError:
            raise _timed_out(op.preupload_id, op.endpoint, polls, ctx.clock() - start, last_trace, last_error)  # noqa: B904 - the cause is the last poll's error
        polls += 1
        code: int | None
        trace: str | None
        if isinstance(outcome, _Value):
            code, trace, failure = outcome.code, outcome.trace_id, None
        else:
            code, trace, failure = outcome.error.code, outcome.error.trace_id, str(outcome.error)
        last_trace = trace or last_trace
        if on_poll is not None:
            completed = isinstance(outcome, _Value) and outcome.value.completed
            on_poll(PollEvent(polls, ctx.clock() - start, completed, last_trace, code, failure))
        if isinstance(outcome, _Value):
            if outcome.value.completed:
                return outcome.value.file_id
            stale, failures, last_error = None, 0, None
            pause = ctx.poll.jittered(interval, ctx.rng)
            interval = ctx.poll.grow(interval)
        elif isinstance(outcome, _Refresh):
            if not ctx.can_refresh or stale is not None:
                raise outcome.error
            stale, last_error = token, outcome.error
            continue  # the gate keeps the retry at least 1 s after the rejected poll
        elif isinstance(outcome, _Fatal):
            raise outcome.error
        elif outcome.rate_limited:
            # Not this upload's fault, so its own schedule stays: the governor has cut the pace and the poll
            # goes again at its next turn (Retry-After included), and the gate keeps it 1 s after this one.
            # A turn past the deadline ends the wait at once.
            last_error = outcome.error
            continue
        else:
            last_error = outcome.error
            failures += 1
            retry_delay = ctx.retry.delay(failures, ctx.rng)
            if retry_delay is None:
                raise outcome.error
            pause = max(MIN_POLL_INTERVAL, retry_delay)
        now = ctx.clock()
        fitted = fit_before_deadline(pause, now=now, deadline=deadline)
        if fitted is None:
            raise _timed_out(op.preupload_id, op.endpoint, polls, now - start, last_trace, last_error)
        yield from sleep(fitted)


def _timed_out(
    preupload_id: str, endpoint: str, polls: int, elapsed: float, trace: str | None, cause: Pan123Error | None
) -> PollTimeoutError:
    why = f"; the last poll failed: {cause.message}" if cause else ""
    err = PollTimeoutError(
        f"upload not completed after {polls} polls in {elapsed:.1f} s{why}",
        preupload_id=preupload_id,
        polls=polls,
        elapsed=elapsed,
        last_trace_id=trace,
        endpoint=endpoint,
    )
    err.__cause__ = cause
    return err
