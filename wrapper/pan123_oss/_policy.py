"""Timing decisions, as pure code: how long to wait between polls and retries, and when to give up.

Nothing here sleeps or sends; the sync and async clients both drive these objects, so their timing
can never drift apart and is tested without sockets.
"""

from __future__ import annotations

import dataclasses
import math
import random
import threading

MIN_POLL_INTERVAL = 1.0
"""The documented floor: while an upload is not completed, poll it again no sooner than 1 s later."""

LAST_POLL_SLACK = 0.25
"""Time left for the last request of a wait when its poll is moved up to fit before the deadline."""

LOCAL_LOCK_TIMEOUT = 30.0
"""How long a command waits for another process's hold on a local file (the serve key, the token cache when
`logout` edits it) before saying so: those holds last milliseconds, so this only ends a wait on a stuck one."""

REPLACE_ATTEMPTS, REPLACE_RETRY_GAP = 20, 0.05
"""Replacing a file that another process has open for reading fails on Windows (a sharing violation) until
it is closed: try this many times, this many seconds apart (1 s in all), before giving up."""


def _check(name: str, value: float, *, minimum: float, what: str = "") -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number of seconds, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}{what}, got {value!r}")


@dataclasses.dataclass(frozen=True, slots=True)
class PollPolicy:
    """How `wait_for_upload` spaces its polls: start at `initial`, grow by `multiplier` up to `maximum`.

    Jitter only ever lengthens a wait (by up to `jitter` of it), so the 1-second floor holds whatever
    the settings. A `429` leaves the schedule as it is: when a throttled poll goes again is for the rate
    governor to say (`RatePolicy`), as for every other request.
    """

    initial: float = 1.0
    multiplier: float = 1.5
    maximum: float = 5.0
    jitter: float = 0.1

    def __post_init__(self) -> None:
        floor = " (the API asks for at least 1 s between polls)"
        _check("initial", self.initial, minimum=MIN_POLL_INTERVAL, what=floor)
        _check("maximum", self.maximum, minimum=self.initial, what=" (initial)")
        _check("multiplier", self.multiplier, minimum=1.0)
        _check("jitter", self.jitter, minimum=0.0)

    def grow(self, interval: float) -> float:
        """The interval after `interval`, before jitter."""
        return min(self.maximum, interval * self.multiplier)

    def jittered(self, interval: float, rng: random.Random) -> float:
        return interval * (1.0 + self.jitter * rng.random())


@dataclasses.dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Retries of one request after transport trouble: `attempts` tries in all (a `429` is not a failure: the
    request goes again at its next turn, see `RatePolicy`).

    The n-th retry waits `initial * multiplier**(n-1)`, capped at `maximum`, lengthened by up to `jitter`.
    """

    attempts: int = 4
    initial: float = 1.0
    multiplier: float = 2.0
    maximum: float = 20.0
    jitter: float = 0.25

    def __post_init__(self) -> None:
        if isinstance(self.attempts, bool) or not isinstance(self.attempts, int) or self.attempts < 1:
            raise ValueError(f"attempts must be a whole number of at least 1, got {self.attempts!r}")
        _check("initial", self.initial, minimum=0.0)
        _check("maximum", self.maximum, minimum=self.initial, what=" (initial)")
        _check("multiplier", self.multiplier, minimum=1.0)
        _check("jitter", self.jitter, minimum=0.0)

    def delay(self, failures: int, rng: random.Random) -> float | None:
        """The wait before the next try after `failures` failed tries in a row, or None: give up."""
        if failures >= self.attempts:
            return None
        base = min(self.maximum, self.initial * self.multiplier ** (failures - 1))
        return base * (1.0 + self.jitter * rng.random())


def fit_before_deadline(wait: float, *, now: float, deadline: float) -> float | None:
    """The wait to use so that the next poll still starts before `deadline`, or None if none can.

    A poll due after the deadline is moved up to leave `LAST_POLL_SLACK` for its request, but never
    below the 1-second floor: the caller then gives up at once instead of sleeping for nothing.
    """
    latest = deadline - now - LAST_POLL_SLACK
    if wait <= latest:
        return wait
    return latest if latest >= MIN_POLL_INTERVAL else None


class PollGate:
    """Spaces requests for one upload at least `floor` seconds apart across every call on one client.

    `wait_for_upload` keeps its own schedule; the gate is what makes the floor hold even when a caller
    runs its own loop around `upload_async_result`, or several waits share one preupload ID.
    """

    def __init__(self, floor: float = MIN_POLL_INTERVAL, max_entries: int = 4096) -> None:
        self._floor = floor
        self._max_entries = max_entries
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def reserve(self, key: str, now: float) -> float:
        """Book the next request for `key`; returns how long to wait before sending it."""
        with self._lock:
            delay = max(0.0, self._next.get(key, now) - now)
            self._next[key] = now + delay + self._floor
            if len(self._next) > self._max_entries:
                self._next = {k: t for k, t in self._next.items() if t > now}
            return delay

    def done(self, key: str, now: float) -> None:
        """The reply for `key` arrived at `now`: the next request waits `floor` from here.

        Counting from the reply, not the send, keeps requests at least `floor` apart as the server
        sees them, however long the first one spent on the way.
        """
        with self._lock:
            self._next[key] = max(self._next.get(key, now), now + self._floor)


MiB = 1 << 20


@dataclasses.dataclass(frozen=True, slots=True)
class ServeLimits:
    """What `pan123-oss serve` gives one client, so that no client, idle or hostile, can hold it or fill memory.

    A connection costs a socket and a buffer until its request head is complete (at most `head_timeout`
    seconds and `max_head` bytes); only then does it take one of `workers` threads, which read its body
    `read_timeout` at a time and answer. Past `max_connections` open connections, new ones are answered 503.
    """

    max_body: int = 200 * MiB
    """The largest request body (`--max-size`): multipart uploads stream to temporary files up to this."""
    max_json: int = 1 * MiB
    """The largest JSON body: a list of paths, never file contents."""
    max_parts: int = 100
    """Parts in one multipart body, form fields included."""
    max_head: int = 64 * 1024
    """Bytes of request line and headers."""
    max_connections: int = 500
    """Connections open at once, idle ones included (under 512: Windows' select() watches at most that many)."""
    workers: int = 8
    """Requests handled at once (each uploads its files `--jobs` at a time)."""
    head_timeout: float = 10.0
    """Seconds from a connection's start by which its request line and headers must have arrived."""
    read_timeout: float = 30.0
    """Seconds any one read of a body, or write of a reply, may take before the connection is dropped."""
    backlog: int = 128
    """Connections the operating system queues before they are accepted."""

    def __post_init__(self) -> None:
        for name in ("max_body", "max_json", "max_parts", "max_head", "max_connections", "workers", "backlog"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}")
        _check("head_timeout", self.head_timeout, minimum=0.001)
        _check("read_timeout", self.read_timeout, minimum=0.001)


STORE_IO_TIMEOUT = 2.0
"""Seconds one call to a shared token store (Redis) may take to connect or answer: a store that has gone
quiet fails the call instead of holding it, and no call is retried behind the caller's back."""
STORE_LOCK_RETRY = 0.1
"""Seconds between tries for a token store's fetch lock that another worker holds."""


@dataclasses.dataclass(frozen=True, slots=True)
class RatePolicy:
    """How the client paces its requests per endpoint and learns each endpoint's limit from `429`s.

    An endpoint is paced from its first `429` on (or from the start, at the rate the caller sets). It starts
    at the rate the spec gives it (`x-rate-limit` of its operation: the documented figure, or a guess
    borrowed from the cloud-drive twin), or at `beta` times the rate replies were coming at when that is
    higher, and never goes above that `ceiling`: probing past it would only earn `429`s.
    Requests are spaced evenly (no bursts), `margin` below the rate, so that a limit the service counts
    over a sliding second is not crossed by the jitter between our send and its count.

    A `429` cuts the rate to the rate the service accepted requests at lately, but by no more than to
    `beta` times the rate it came at (so one cut is CUBIC's at most, and a stray `429` costs little); then
    the rate grows back along CUBIC's curve (as botocore's adaptive retry mode does): fast at first, flat
    near the rate that was refused (the pace; or, when most replies lately were `429`s, the rate they came
    at over `beta`), reaching it `cbrt(drop / scale)` seconds after the cut. Rates of replies are counted
    per `measure_bucket` seconds and smoothed by `smoothing`, as botocore's RateClocker does. Cuts come
    `cut_interval` apart at least, as the service counts requests per second and one second's `429`s say
    one thing; replies to requests that took their turn before the last cut say nothing about the new rate
    and cut nothing. The rate never drops below `min_rate`.
    A throttled request is sent again when the pacing allows; `patience` bounds how long one call keeps
    doing so when its caller set no deadline of its own (then RateLimitError).
    """

    beta: float = 0.7
    scale: float = 0.4
    min_rate: float = 0.5
    margin: float = 0.05
    patience: float = 120.0
    measure_bucket: float = 0.5
    smoothing: float = 0.8
    cut_interval: float = 1.0

    def __post_init__(self) -> None:
        if not (isinstance(self.beta, int | float) and 0 < self.beta < 1):
            raise ValueError(f"beta must be between 0 and 1, got {self.beta!r}")
        if not (isinstance(self.margin, int | float) and 0 <= self.margin < 1):
            raise ValueError(f"margin must be at least 0 and below 1, got {self.margin!r}")
        _check("scale", self.scale, minimum=0.01)
        _check("min_rate", self.min_rate, minimum=0.01)
        _check("patience", self.patience, minimum=0.0)
        _check("measure_bucket", self.measure_bucket, minimum=0.01)
        _check("cut_interval", self.cut_interval, minimum=0.0)
        if not (isinstance(self.smoothing, int | float) and 0 < self.smoothing <= 1):
            raise ValueError(f"smoothing must be above 0 and at most 1, got {self.smoothing!r}")

    def rate(self, ceiling: float, w_max: float, since_cut: float | None, cut_to: float | None = None) -> float:
        """Requests a second `since_cut` seconds after the last cut from `w_max` down to `cut_to` (default: `beta`
        times `w_max`, as CUBIC); `since_cut` None: never cut yet."""
        if since_cut is None:
            return ceiling
        drop = w_max * (1.0 - self.beta) if cut_to is None else max(0.0, w_max - cut_to)
        k = (drop / self.scale) ** (1.0 / 3.0)
        grown = self.scale * (since_cut - k) ** 3 + w_max
        return float(max(self.min_rate, min(ceiling, grown)))

    def spacing(self, rate: float) -> float:
        """Seconds between two requests to one endpoint at `rate`, margin included."""
        return 1.0 / (rate * (1.0 - self.margin))


DEFAULT_RATE = 5.0
"""Requests a second for an endpoint the spec gives no `x-rate-limit` (the most common published figure)."""
