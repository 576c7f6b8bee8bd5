"""The rate governor: when the next request to each endpoint may go, learned from the service's `429`s.

One `Governor` per client, shared by every flow, thread and task on it. It is pure decision code with time
passed in: `reserve` answers how long a request must wait for its turn (or None: not within the time the
caller has), `report` feeds it each reply. The drivers ask it through the flows' `Pace` and `Report`
effects and do the sleeping themselves, so the sync and async clients pace alike, and tests drive it with
numbers instead of a clock.

How it paces (numbers in `RatePolicy`, `_policy.py`): an endpoint goes unpaced until the service first
answers it with `429`, as botocore's adaptive mode does, so a service with room to spare is never slowed
down. From then on its requests are spaced evenly at the endpoint's rate, which starts at the figure the
spec gives (`x-rate-limit`), or at `beta` times the rate replies were coming at when that is higher (the
figures are guesses, and a service that answered that fast has shown it allows more), is cut on each
further `429` (to what the service let through lately, by CUBIC's cut at most) and grows back along
CUBIC's curve, never above where it started. A rate the caller sets (`qps=`) paces from the first
request. Turns are handed out in the order they are asked for, and a wait's poll asks for one only once
its own sleep is over, so concurrent waits share the budget first come, first served: a first poll is
not put behind later polls that were not yet due when it asked. (A request that must also keep its
upload's 1-second floor, as a poll sent again after a `429` does, books the first turn after that floor.)

Workers on many machines share one client ID's limits: given a `SharedRates` (`RedisRates`), the turns and
the learned rate live there instead, on the server's clock, and every worker paces against the same book.
"""

from __future__ import annotations

import dataclasses
import math
import threading
from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from .._policy import DEFAULT_RATE, RatePolicy
from .._spec import OPERATIONS


@runtime_checkable
class SharedRates(Protocol):
    """Pacing state kept outside the process (e.g. `RedisRates`), on the store's own clock.

    Both calls are blocking I/O: the drivers make them off the event loop. `reserve` answers the wait before
    the request may go, no less than `after` (just `after` while the endpoint is unpaced), or None when that
    is more than `max_wait`; `throttled` records a `429` for a request that took its turn `age` seconds ago,
    while this process's replies came at `measured` a second."""

    def reserve(
        self, endpoint: str, ceiling: float, paced: bool, policy: RatePolicy, max_wait: float, after: float
    ) -> float | None: ...

    def throttled(
        self, endpoint: str, ceiling: float, policy: RatePolicy, age: float, retry_after: float | None, measured: float
    ) -> None: ...


def spec_rates() -> dict[str, float]:
    """Requests a second per endpoint path, from each operation's `x-rate-limit` in the spec."""
    return {op["path"]: float(op["rate_limit"]) for op in OPERATIONS.values() if op.get("rate_limit")}


def endpoint_of(name: str) -> str:
    """The path of an endpoint named by operation ID ("uploadAsyncResult"), path, or last path segment
    ("upload_async_result") when only one endpoint ends so; ValueError naming the choices otherwise."""
    if not isinstance(name, str):
        raise ValueError(f"an endpoint name must be a string, got {name!r}")
    if name in OPERATIONS:
        return str(OPERATIONS[name]["path"])
    paths = sorted({str(op["path"]) for op in OPERATIONS.values()})
    if name in paths:
        return name
    matches = [p for p in paths if p.rsplit("/", 1)[-1] == name]
    if len(matches) == 1:
        return matches[0]
    names = sorted({p.rsplit("/", 1)[-1] for p in paths})
    why = f"{name!r} names {len(matches)} endpoints, give the path" if matches else f"no endpoint {name!r}"
    raise ValueError(f"{why}; endpoints: {', '.join(names)} (or an operation ID or path)")


def check_qps(qps: object) -> dict[str, float]:
    """`{endpoint name: requests a second}` from the caller, keyed by path; ValueError before anything is sent."""
    if qps is None:
        return {}
    if not isinstance(qps, Mapping):
        raise ValueError(f'qps must be a mapping such as {{"upload_async_result": 3}}, got {qps!r}')
    checked: dict[str, float] = {}
    for name, value in qps.items():
        path = endpoint_of(name)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
            raise ValueError(f"qps for {name!r} must be a positive number of requests a second, got {value!r}")
        checked[path] = float(value)
    return checked


@dataclasses.dataclass(slots=True)
class _Lane:
    """One endpoint's pacing state (in-process)."""

    ceiling: float
    paced: bool
    w_max: float = 0.0
    last_cut: float | None = None
    """When the rate was last cut (None: not since pacing began, so the rate is the ceiling)."""
    paced_since: float = -math.inf
    next_free: float = -math.inf
    """The earliest time the next request may go (the end of the last turn handed out)."""
    measured: float = 0.0
    """Replies a second, smoothed (as botocore's RateClocker): where pacing starts when that is faster."""
    accepted: float = 0.0
    """Replies other than `429` a second, smoothed: how fast the service lets requests through."""
    bucket: float | None = None
    in_bucket: int = 0
    accepted_in_bucket: int = 0
    cut_to: float = 0.0
    """The rate right after the last cut."""


@dataclasses.dataclass(slots=True)
class _Counts:
    requests: int = 0
    throttled: int = 0
    parked_until: float = -math.inf


class Governor:
    """Per-endpoint pacing for one client. Thread-safe: the blocking client's threads share it."""

    def __init__(
        self,
        rates: Mapping[str, float] | None = None,
        *,
        overrides: Mapping[str, float] | None = None,
        policy: RatePolicy | None = None,
        shared: SharedRates | None = None,
        scope: str = "",
    ) -> None:
        self.policy = policy or RatePolicy()
        self.shared = shared
        self._scope = scope
        """What `shared` state is keyed by besides the endpoint: the limits are per client ID (and service)."""
        self._rates = dict(spec_rates() if rates is None else rates)
        self._overrides = dict(overrides or {})
        self._lanes: dict[str, _Lane] = {}
        self._counts: dict[str, _Counts] = {}
        self._lock = threading.Lock()

    def _lane(self, endpoint: str) -> _Lane:
        lane = self._lanes.get(endpoint)
        if lane is None:
            ceiling, paced = self.ceiling(endpoint)
            lane = self._lanes[endpoint] = _Lane(ceiling, paced)
        return lane

    def ceiling(self, endpoint: str) -> tuple[float, bool]:
        """The endpoint's highest rate, and whether it is paced from the first request (set by the caller)."""
        if endpoint in self._overrides:
            return self._overrides[endpoint], True
        return self._rates.get(endpoint, DEFAULT_RATE), False

    def rate(self, endpoint: str, now: float) -> float | None:
        """Requests a second the endpoint is paced at now; None while it is not paced (in this process)."""
        with self._lock:
            lane = self._lane(endpoint)
            return self._rate(lane, now) if lane.paced else None

    def _rate(self, lane: _Lane, now: float) -> float:
        since = None if lane.last_cut is None else now - lane.last_cut
        return self.policy.rate(lane.ceiling, lane.w_max, since, lane.cut_to)

    def reserve(self, endpoint: str, now: float, max_wait: float, after: float = 0.0) -> float | None:
        """Take the endpoint's next turn no sooner than `after` seconds from now: the seconds to wait before
        sending, or None (and no turn taken) when the turn is more than `max_wait` away. With `shared` state
        this is blocking I/O."""
        if self.shared is not None:
            ceiling, paced = self.ceiling(endpoint)
            return self.shared.reserve(f"{self._scope} {endpoint}", ceiling, paced, self.policy, max_wait, after)
        with self._lock:
            lane = self._lane(endpoint)
            if not lane.paced:
                return after if after <= max_wait else None
            start = max(lane.next_free, now + after)
            wait = start - now
            if wait > max_wait:
                return None
            lane.next_free = start + self.policy.spacing(self._rate(lane, now))
            return wait

    def report(self, endpoint: str, now: float, throttled: bool, age: float, retry_after: float | None) -> None:
        """A reply came at `now` for a request that took its turn `age` seconds earlier; `throttled`: a `429`.
        With `shared` state, a throttled reply is blocking I/O."""
        with self._lock:
            counts = self._counts.setdefault(endpoint, _Counts())
            counts.requests += 1
            self._measure(self._lane(endpoint), now, throttled)
            if not throttled:
                return
            counts.throttled += 1
            if self.shared is None:
                self._throttled(endpoint, now, age, retry_after)
                return
            measured = self._lane(endpoint).measured
        ceiling = self.ceiling(endpoint)[0]
        self.shared.throttled(f"{self._scope} {endpoint}", ceiling, self.policy, age, retry_after, measured)

    def _measure(self, lane: _Lane, now: float, throttled: bool) -> None:
        width = self.policy.measure_bucket
        bucket = math.floor(now / width) * width
        lane.in_bucket += 1
        lane.accepted_in_bucket += not throttled
        if lane.bucket is None:
            lane.bucket = bucket
        elif bucket > lane.bucket:
            span = bucket - lane.bucket
            # The first measure is taken whole: smoothing it from 0 would make a cut soon after start steep.
            fresh = lane.measured == 0
            lane.measured = self._smooth(lane.measured, lane.in_bucket / span, fresh)
            lane.accepted = self._smooth(lane.accepted, lane.accepted_in_bucket / span, fresh)
            lane.bucket, lane.in_bucket, lane.accepted_in_bucket = bucket, 0, 0

    def _smooth(self, old: float, current: float, fresh: bool) -> float:
        smoothing = self.policy.smoothing
        return current if fresh else current * smoothing + old * (1.0 - smoothing)

    def _throttled(self, endpoint: str, now: float, age: float, retry_after: float | None) -> None:
        lane = self._lane(endpoint)
        asked = now - age
        if not lane.paced:
            # The service has a limit here after all: pace from now on, at the spec's figure, or below the
            # rate it has just been answering at when that is higher (the figure is only a guess).
            lane.ceiling = max(lane.ceiling, self.policy.beta * lane.measured)
            lane.paced, lane.paced_since, lane.next_free = True, now, now
        elif asked > lane.paced_since and (
            lane.last_cut is None or (asked > lane.last_cut and now - lane.last_cut >= self.policy.cut_interval)
        ):
            # Only a request that took its turn at the current pace says the pace is too fast. The cut starts
            # from the pace: the rate replies come at follows the pace (and a busy server), so cutting from it
            # would feed each cut into the next. Unless most replies were refused: then even the rate they
            # came at is too fast (a lone poller at 1/s when the service has no room left).
            beta, paced = self.policy.beta, self._rate(lane, now)
            refusing = lane.measured > 0 and lane.accepted < beta * lane.measured
            lane.w_max = min(paced, lane.measured / beta) if refusing else paced
            # Down to what the service let through lately (over its limit, that is the limit), but by no more
            # than CUBIC's cut: a stray 429 among many accepted requests costs little.
            lane.cut_to = min(lane.w_max, max(self.policy.beta * lane.w_max, lane.accepted, self.policy.min_rate))
            lane.last_cut = now
            lane.next_free = max(lane.next_free, now + self.policy.spacing(self._rate(lane, now)))
        if retry_after is not None:
            lane.next_free = max(lane.next_free, now + retry_after)

    def parked(self, endpoint: str, now: float, wait: float) -> None:
        """Note that a request to `endpoint` waits `wait` seconds for its turn (for `waiting`)."""
        if wait > 0:
            with self._lock:
                counts = self._counts.setdefault(endpoint, _Counts())
                counts.parked_until = max(counts.parked_until, now + wait)

    def waiting(self, now: float) -> dict[str, float]:
        """Endpoints whose requests are now waiting for their turn: path -> seconds until the last turn given out."""
        with self._lock:
            return {e: c.parked_until - now for e, c in self._counts.items() if c.parked_until > now}

    @property
    def throttled(self) -> int:
        """Requests the service refused with `429` (each was sent again when its turn came)."""
        with self._lock:
            return sum(c.throttled for c in self._counts.values())

    @property
    def requests(self) -> int:
        """Replies received from the API (throttled ones included)."""
        with self._lock:
            return sum(c.requests for c in self._counts.values())

    def counts(self) -> dict[str, tuple[int, int]]:
        """Per endpoint path: (replies, of which throttled)."""
        with self._lock:
            return {e: (c.requests, c.throttled) for e, c in self._counts.items()}
