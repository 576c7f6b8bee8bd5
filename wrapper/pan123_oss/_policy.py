"""Every interval, deadline, retry number and size limit the client uses, named and explained in one place.

Read it by section: polling, retries, rate limits, requests and connections, tokens, transfers, listings and
batches, settings and errors, local files and shared stores, and `serve`. Each value says why it is what it is:
a fact of the API (tagged as `openapi.yaml` tags its statements: [doc] the official docs say so, [seen] the real
service was seen doing it, [guess] our inference), a measurement, or the trade-off it makes. Every other module
imports its numbers from here, and the public signatures' defaults name these constants, so the documentation
shows one source (`tests/test_policy_place.py` holds the rest of the package to that).

The policy objects are decisions as pure code: nothing here sleeps or sends; the sync and async clients both
drive them, so their timing can never drift apart and is tested without sockets.
"""

from __future__ import annotations

import dataclasses
import math
import random
import threading

MiB = 1 << 20


# Polling: how often to ask whether an upload (or a link, or a task) is ready, and for how long.

MIN_POLL_INTERVAL = 1.0
"""The documented floor: while an upload is not completed, poll it again no sooner than 1 s later ("请至少1秒后发起
轮询" [doc], on `upload_async_result`; `upload_complete`'s 20103 says "请间隔1秒后再试" [seen])."""

LAST_POLL_SLACK = 0.25
"""Time left for the last request of a wait when its poll is moved up to fit before the deadline."""

UPLOAD_WAIT = 300.0
"""Seconds a wait for an upload's merge lasts when the caller sets no bound: the default `timeout` of
`wait_for_upload`, and the final wait of an upload without a `timeout`. The docs say how often to poll but
not how long a merge takes [doc, by absence]: five minutes [guess] is ample for a large file's background merge,
and short enough that a stuck upload ends in `PollTimeoutError` (with its preupload ID, to resume) instead of
hanging."""

LINK_WAIT = 60.0
"""Seconds `upload_file` waits for a link when the upload itself has no deadline. When `downloadURL` is filled
after an upload is undocumented [doc, by absence], and a client was seen to re-ask while it is empty [seen]; a
minute of polls [guess], then `LinkTimeoutError` carries the stored file's ID, so the file is never lost."""

TASK_WAIT = 600.0
"""Seconds an import task may take in all when the caller sets no bound: the default `timeout` of `import_url`
and `copy_from_drive`. The service downloads a URL, or copies up to `PAGE_SIZE` files, in the background and the
docs give no duration [doc, by absence]; ten minutes [guess], then `TaskTimeoutError` carries the task ID."""

POLL_GATE_ENTRIES = 4096
"""Uploads the poll gate remembers before it forgets those whose floor has passed: bounds its memory in a
long-lived client that waits on many uploads."""


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

    def __init__(self, floor: float = MIN_POLL_INTERVAL, max_entries: int = POLL_GATE_ENTRIES) -> None:
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

    def cancel(self, key: str, at: float) -> None:
        """The request `reserve` booked to go at `at` will not be sent (no time was left for it): free its slot,
        so the next request for `key` is not held a floor later than the last one actually sent."""
        with self._lock:
            if self._next.get(key) == at + self._floor:  # else a later request has booked behind it: keep that
                self._next[key] = at

    def done(self, key: str, now: float) -> None:
        """The reply for `key` arrived at `now`: the next request waits `floor` from here.

        Counting from the reply, not the send, keeps requests at least `floor` apart as the server
        sees them, however long the first one spent on the way.
        """
        with self._lock:
            self._next[key] = max(self._next.get(key, now), now + self._floor)


# Retries: of one request after transport trouble; a `429` is not a failure (see Rate limits).


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


MAX_RETRY_AFTER = 120.0
"""A `Retry-After` longer than this ends the call at once (`RateLimitError`) instead of sleeping through it: the
same two minutes `RatePolicy.patience` gives a throttled call without a deadline of its own."""


# Rate limits: when the next request to each endpoint may go.


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


# Requests and connections.

REQUEST_TIMEOUT = 30.0
"""Seconds one API request may take, its reply read in full (`timeout`); for a slice PUT, each step of it (httpx's
timeouts restart with every chunk). API replies are a few hundred bytes, so half a minute without one means a
dead or stalled peer, not a slow answer; the request is then retried within `RetryPolicy`."""

MAX_CONNECTIONS = 100
"""Requests one client has in flight at most (`max_connections`); more wait their turn in the client, not in
httpcore, whose pool rescans every queued request on each event: thousands of requests queued there cost more CPU
than the requests themselves (found with BENCHMARKS.md's 1,000 concurrent waits on one client)."""

MAX_CONNECTIONS_LIMIT = 1000
"""The largest `max_connections` accepted: a slip of the keyboard must not open tens of thousands of sockets
and run into the process's file descriptor limit (1024 by default on many systems)."""

MAX_REPLY_BYTES = 1 * MiB
"""API replies are a few hundred bytes; a body past this is treated as transport trouble, not read on (decoded
bytes are counted, so a gzip bomb stops too)."""


# Tokens: the API allows 3 live tokens per client ID [doc]; fetching a fourth can log another session out.

REFRESH_MARGIN = 300.0
"""Seconds before `expiredAt` at which a cached token is replaced (`refresh_margin`): a token is not fetched
again before then, as fetches count against the 3 live tokens, and a call that starts in the last five minutes
of a token's life gets a fresh one rather than one that may expire under a long upload."""

SHORT_LIVED_MARGIN = 10.0
"""Seconds before expiry at which a token that arrived with less life than the refresh margin is replaced: a
fresh one would be no better, and fetching before every call would log other sessions out."""


# Transfers: reading, hashing and sending a file's bytes.

READ_CHUNK = 1 * MiB
"""Bytes read, hashed and sent at a time: memory per slice in flight, whatever the slice size."""

HASH_QUEUE_CHUNKS = 8
"""Chunks the first MD5 pass reads ahead of the thread that hashes the slices: at most this many chunks
(`READ_CHUNK` each) wait in memory while that thread catches up."""

UPLOAD_CONCURRENCY = 3
"""Slices one upload sends at once (`concurrency`): the 200 MiB upload over an emulated 80 ms, 20 MiB/s link
(BENCHMARKS.md) sends its 13 slices 3 at a time and beats the same steps by hand (0.83 of its time)."""

MAX_UPLOAD_CONCURRENCY = 32
"""The largest `concurrency` accepted: each lane holds a connection and a chunk of memory, and past this more
lanes only queue behind the service's rate limit for slice URLs [guess]."""

PIPELINE_AFTER = 0.01
"""Seconds a slice URL must take before a lane asks for the next one while the current slice is being sent.
Measured: over loopback the overlap cost a 200 MiB upload about 25 ms, and over an 80 ms link it saves a tenth of
every slice's time; 10 ms tells the two apart."""

SIGNAL_WAKE = 0.1
"""Seconds between the wake-ups of the blocking client's main thread while it waits for a parallel flow. The kernel
may hand Ctrl-C or SIGTERM to a slice's thread, and Python runs the handler only when the main thread next runs
Python code: an untimed wait would leave the interrupt pending until every slice ended, a minute on a stalled one."""

FAILURE_GRACE = 0.5
"""Seconds the blocking client waits, after a parallel flow failed, for its siblings' requests to end and hand
their connections back (so that a client closed right after the error closes them too); a stalled one is left
behind all the same, so a failure or Ctrl-C is still reported promptly."""


# Listings and batches.

PAGE_SIZE = 100
"""Entries per listing page, IDs per move or delete, files per drive copy task and failures per page of one: the
most `list` (`limit` ≤ 100) and `move`/`delete` (`fileIDs` ≤ 100) take [doc]; copy tasks use the same [guess]."""

MAX_PAGES = 100_000
"""Pages one listing may take (10 million entries) before it is taken for a cursor that never ends."""

MAX_FAILURE_PAGES = 999
"""Pages of a copy task's failures read at most: a task copies at most `PAGE_SIZE` files, so one page holds
them all, and this only ends a `total` that is never reached."""


# Settings and errors.

MAX_SECONDS = 30 * 86400
"""The longest wait accepted: past this, OS timers overflow (a lock's timeout must fit a C long)."""

MAX_PRINTED = 500
"""Characters of server text (a message, an ID) an error shows before cutting it short: a broken or hostile
reply cannot flood a terminal or a log."""


# Local files and shared stores.

LOCAL_LOCK_TIMEOUT = 30.0
"""How long a command waits for another process's hold on a local file (the serve key, the token cache when
`logout` edits it) before saying so: those holds last milliseconds, so this only ends a wait on a stuck one."""

REPLACE_ATTEMPTS = 20
"""Replacing a file that another process has open for reading fails on Windows (a sharing violation) until
it is closed: try this many times, `REPLACE_RETRY_GAP` apart (1 s in all), before giving up."""

REPLACE_RETRY_GAP = 0.05
"""Seconds between two tries of `REPLACE_ATTEMPTS`."""

STORE_IO_TIMEOUT = 2.0
"""Seconds one call to a shared token store (Redis) may take to connect or answer: a store that has gone
quiet fails the call instead of holding it, and no call is retried behind the caller's back."""

STORE_LOCK_RETRY = 0.1
"""Seconds between tries for a token store's fetch lock that another worker holds."""

TOKEN_LOCK_TTL = 30.0
"""Seconds `RedisTokenStore`'s fetch lock lives unless released (`lock_ttl`): a fetch is one request, so a
worker that dies while fetching holds up the others for this long at most, not forever."""

RATES_TTL = 3600.0
"""Seconds `RedisRates` keeps an endpoint's learned pace after its last request (`ttl`): a fleet that pauses
for a while keeps what it learned from `429`s, and the state of a client ID no longer used goes away on its own."""


# `pan123-oss serve`.


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
