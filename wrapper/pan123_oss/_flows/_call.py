"""One API call, and the wait for an upload: the decisions every flow shares, free of I/O.

`call` sends one operation and decides what its reply means: a value, a token refresh, a retry after a
backoff or a 429, or a typed error that carries the code, message, trace ID and preupload ID. `wait` polls
`upload_async_result` at least a second apart until the file is ready or the deadline comes. Both only
yield effects (`_effects`); every number they use comes from `_policy`.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import random
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from .._errors import (
    ApiError,
    AuthError,
    DeadlineError,
    MalformedResponseError,
    Pan123Error,
    PollTimeoutError,
    RateLimitError,
    TransportError,
)
from .._policy import (
    LAST_POLL_SLACK,
    MAX_RETRY_AFTER,
    MIN_POLL_INTERVAL,
    PollGate,
    PollPolicy,
    RatePolicy,
    RetryPolicy,
    fit_before_deadline,
)
from .._types import AsyncResult, OnPoll, PollEvent
from ._effects import Failed, Reply, Request, Steps, get_token, pace, report, send, sleep
from ._replies import TOKEN_INVALID, TOO_MANY_REQUESTS, Envelope, Malformed, read_reply

T = TypeVar("T")
E = TypeVar("E", bound=Pan123Error)
logger = logging.getLogger("pan123_oss")


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
    gate = op.preupload_id if op.gated else None
    booked = ctx.clock()
    if gate is not None:
        delay = ctx.gate.reserve(gate, booked)
    try:
        if delay > 0 and booked + delay > deadline - LAST_POLL_SLACK:
            raise DeadlineError(f"no time left to wait out the 1 s floor of {op.endpoint}", op.endpoint)
        turn = yield from pace(op.endpoint, booked, deadline - LAST_POLL_SLACK - booked, delay)
        if turn is None:
            raise DeadlineError(
                f"no time left to wait for the rate limit of {op.endpoint}", op.endpoint, op.preupload_id
            )
        if turn > 0:
            yield from sleep(turn)
            if op.authenticated and turn > delay:
                # It waited for the rate limit: another caller may have replaced the token meanwhile (usually
                # this is no I/O, just the cache).
                token = yield from get_token(stale, deadline)
        timeout = min(ctx.request_timeout, deadline - ctx.clock())
        if timeout <= 0:
            raise DeadlineError(f"no time left for {op.endpoint}", op.endpoint, op.preupload_id)
    except DeadlineError:
        if gate is not None:
            ctx.gate.cancel(gate, booked + delay)  # nothing was sent: the next poll is not held back for this one
        raise
    sent = ctx.clock()
    result = yield from send(op.request, token, timeout)
    now = ctx.clock()
    if gate is not None:
        ctx.gate.done(gate, now)
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
