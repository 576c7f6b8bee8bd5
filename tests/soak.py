"""Load and fault soak: hundreds of concurrent waits and uploads against a fake 123pan that misbehaves at random.

    python tests/soak.py [--short] [--seed N] [--replies mixed|full|minimal]

`nox -s soak` runs the full form and `nox` (and so CI) the short one. This is a pass/fail check of behaviour,
never of speed: it exits 1, listing every broken rule, if any wait

- returned a wrong file ID, or raised anything but the error the faults it met explain (`ApiError` for an
  upload the server fails, `PollTimeoutError` at its deadline, `MalformedResponseError` after a reply that
  breaks the spec, `TransportError` after a retry budget of transport trouble, `AuthError` after a refresh
  that did not help), or raised it outside its deadline;
- hung (did not end within a grace period after its deadline);
- polled one upload twice within 1 s (as the server saw the requests arrive);

if any upload (`upload_file` of a small random file, from a path or a file object)

- returned a file ID whose bytes, as the fake stored them, are not the file's, or an etag that is not its MD5;
- reported progress outside 0 to the file's size, or (when it succeeded) never reported the whole file sent;
- raised anything but a documented error (`ApiError`, `AuthError`, `RateLimitError`, `TransportError`,
  `MalformedResponseError`, `PollTimeoutError`, `UploadTimeoutError`) that the faults it met explain, or
  raised one after `create` without the `preupload_id` to resume with;
- ended after its deadline, gave up well before it with no retry to blame, or hung;
- was polled twice within 1 s, or asked to complete again within 1 s of a 20103 (being verified);

or if the client fetched more tokens than the fake expired (+1 for the first), or a token or the client
secret appeared in any log line (every logger, at DEBUG) or error message. A 429 (scripted, or the fakes'
per-endpoint limits, `QPS`) never explains a failure: it is sent again; it explains only a call that ended
early or timed out, as the client's pace was cut meanwhile.

Two phases run at once, each against its own fake on a real 127.0.0.1 socket: waits and uploads on one
`AsyncClient`, and waits and uploads from many threads sharing one `Client`. By default the threads' fake
answers only what openapi.yaml requires and adds fields no spec knows (`replies="minimal", extra_fields=True`),
as a newer service may; the async phase's fake answers every field it knows. The seed fixes the waits, the
files, their deadlines and start times, and the sequence of faults the fake plays on each endpoint (token,
poll, create, slice URL, slice PUT, parts list, complete), one per request in order of arrival; which call
meets which fault still depends on timing, so the checks read what each wait and upload actually got from
the fake's request records.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import concurrent.futures
import dataclasses
import hashlib
import io
import itertools
import json
import logging
import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

import pan123_oss
from pan123_oss.testing import FakePan123, FakeReply, Fault, RecordedRequest

TOKEN_PATH = "/api/v1/access_token"
POLL_PATH = "/upload/v1/oss/file/upload_async_result"
CREATE_PATH = "/upload/v1/oss/file/create"
PATHS = {
    "access_token": TOKEN_PATH,
    "upload_async_result": POLL_PATH,
    "create": CREATE_PATH,
    "get_upload_url": "/upload/v1/oss/file/get_upload_url",
    "list_upload_parts": "/upload/v1/oss/file/list_upload_parts",
    "upload_complete": "/upload/v1/oss/file/upload_complete",
}
"""The fake's scriptable endpoints (besides "put") and their paths."""
PUT_PREFIX = "/fake-oss/"
"""Where the fake's presigned slice URLs point."""
PUT_ENDPOINT = "PUT presigned URL"
"""The `endpoint` that upload errors name for slice PUTs."""
ENDPOINT_NAMES = {**{path: name for name, path in PATHS.items()}, PUT_ENDPOINT: "put"}
REQUEST_TIMEOUT = 2.5
"""The clients' per-request timeout: `slow` faults last up to twice this, so about half of them time out."""
RETRY_ATTEMPTS = pan123_oss.RetryPolicy().attempts
DEADLINE_SLACK = 0.3
"""How far past its deadline a wait or upload may end: scheduling delay on a loaded 2-core machine, not polling."""
EARLY_GIVE_UP = 1.25 + 0.05
"""A wait may give up this long before its deadline: the next poll could not start 1 s from now and leave
the last request its 0.25 s (see `fit_before_deadline`), plus scheduling slack. An upload may give up earlier
only when a retry it owed a fault would not fit before its deadline."""
HANG_GRACE = 15.0
"""A wait or upload still running this long after its deadline has hung."""
FAIL_CODES = (5066, 5113)
SLICE = 4096
"""The fakes' `sliceSize`: small, so that small files take several slices."""
MERGE_POLLS = 1
"""Polls a background merge stays pending for, after `upload_complete`."""
REPEATS = 0.3
"""The share of uploads that send the bytes of an earlier one again."""
REPEAT_AFTER = 3.0
"""A repeat starts at least this long after the upload it repeats: a fault-free upload takes a second or two."""
TIGHT_DEADLINE = (1.0, 3.0)
"""Deadlines some fault-free uploads miss: their timeouts need no fault behind them."""
DOCUMENTED = (
    pan123_oss.ApiError,
    pan123_oss.AuthError,
    pan123_oss.RateLimitError,
    pan123_oss.TransportError,
    pan123_oss.MalformedResponseError,
    pan123_oss.PollTimeoutError,
    pan123_oss.UploadTimeoutError,
    pan123_oss.LinkTimeoutError,
    pan123_oss.Pan123Error,
)
"""The error types the README promises; an upload may raise exactly these."""

# Fault kinds per endpoint, with their weights among faults.
POLL_FAULTS: dict[str, float] = {
    "429": 4,
    "401-expiry": 0.6,
    "20103": 4,
    "5xx": 4,
    "drop": 3,
    "slow": 3,
    "html": 2,
    "bad-json": 2,
    "off-spec": 0.5,
    # The hostile server: a reply trickled a byte at a time (never done within the request timeout), a body of
    # megabytes, and a 429 that says how long to wait.
    "trickle": 1.5,
    "huge": 1.5,
    "429-retry-after": 2,
}
CALL_FAULTS = {kind: weight for kind, weight in POLL_FAULTS.items() if kind != "20103"}
"""For create, get_upload_url and list_upload_parts, where 20103 ("being verified") means nothing."""
PUT_FAULTS: dict[str, float] = {"5xx": 4, "drop": 3, "slow": 3, "url-expiry": 2, "damage": 1, "short": 1}
"""Slice PUTs go to an object store: its failures are HTTP statuses, dropped connections and expired URLs (any
body with HTTP 200 means the slice is stored, so no HTML or envelope faults here), and a faulty store that
answers 200 but keeps the slice with a byte changed or one byte short."""
STORE_KINDS = frozenset({"damage", "short"})
"""PUT faults that only the parts check or the service's MD5 check of the whole file can find."""
ENDPOINT_FAULTS: dict[str, dict[str, float]] = {
    "upload_async_result": POLL_FAULTS,
    "create": CALL_FAULTS,
    "get_upload_url": CALL_FAULTS,
    "put": PUT_FAULTS,
    "list_upload_parts": CALL_FAULTS,
    "upload_complete": POLL_FAULTS,  # 20103 here: still verifying, ask again after 1 s
}
TOKEN_FAULTS = ("5xx", "drop", "429", "html", "slow-token")
"""Token-call faults never lose a token: a slow token reply comes well within the request timeout."""
TRANSPORT_KINDS = frozenset({"5xx", "drop", "html", "bad-json", "slow", "url-expiry", "trickle", "huge"})
"""Faults that reach the client as transport trouble (a slow reply only when it outlasts the timeout)."""
RATE_KINDS = frozenset({"429", "429-retry-after", "qps"})
"""Scripted 429s, and "qps": refused by the fake's per-endpoint limits (`QPS`), which plays no fault then."""
RETRIED_KINDS = TRANSPORT_KINDS | RATE_KINDS
QPS = {"upload_async_result": 60, "create": 20, "get_upload_url": 40, "list_upload_parts": 40, "upload_complete": 40}
"""The fakes' limits per endpoint and second, over which they answer 429 as the service does."""
CLIENT_QPS = {name: 1.5 * limit for name, limit in QPS.items()}
"""The clients' rates, above the fakes' limits: they are paced from the start and learn the real limits from 429s
(the spec's own figures, the drive's, would make these hundreds of calls take minutes)."""
PACE_MEMORY = 10.0
"""Seconds a 429 keeps explaining slow turns: the pace it cut takes a few seconds to grow back."""
RETRY_AFTER = 2.0
"""What the `429-retry-after` fault asks for; the next request of that upload must not come sooner."""
TRICKLE_PER_BYTE = 0.05
"""A reply of a hundred bytes or more then takes longer than the request timeout to arrive."""
"""Faults after which the client waits before trying again: a wait that may not fit before a deadline."""


@dataclasses.dataclass(frozen=True, slots=True)
class Form:
    name: str
    async_waits: int
    async_ramp: float
    thread_count: int
    thread_waits: int
    thread_ramp: float
    deadline: tuple[float, float]
    never_deadline: tuple[float, float]
    fault_rate: float
    async_uploads: int
    thread_uploads: int
    upload_threads: int
    upload_ramp: float
    upload_deadline: tuple[float, float]
    upload_fault_rate: float
    """On the upload endpoints besides the poll, which an upload calls several times per slice."""


# Deadlines of uploads that complete or fail stay above the longest fault-free wait (5 polls: 8.1 s, 8.9 s with
# the most jitter), so that a timeout of one of them always has a fault behind it. The same holds for uploads
# (but those with a `TIGHT_DEADLINE`): a fault-free one of a few slices takes a second or two.
FULL = Form(
    "full", 600, 20.0, 64, 192, 10.0, (15.0, 30.0), (5.0, 12.0), 0.3,
    async_uploads=60, thread_uploads=40, upload_threads=16, upload_ramp=20.0, upload_deadline=(10.0, 25.0),
    upload_fault_rate=0.2,
)  # fmt: skip
SHORT = Form(
    "short", 150, 3.0, 32, 32, 2.0, (12.0, 16.0), (3.0, 6.0), 0.3,
    async_uploads=12, thread_uploads=12, upload_threads=8, upload_ramp=4.0, upload_deadline=(10.0, 14.0),
    upload_fault_rate=0.2,
)  # fmt: skip


class Scheduled(Protocol):
    @property
    def timeout(self) -> float: ...

    @property
    def start(self) -> float: ...


@dataclasses.dataclass(frozen=True, slots=True)
class Plan:
    """One wait the soak makes: which upload, what the server will do with it, and when."""

    pid: str
    kind: str
    """"normal" (completes), "fails" (a terminal code after its pending polls) or "never" (stays pending)."""
    file_id: str
    fail_code: int | None
    timeout: float
    start: float


@dataclasses.dataclass(frozen=True, slots=True)
class UploadPlan:
    """One upload the soak makes: which bytes, under which name, how, and when."""

    name: str
    data: bytes
    timeout: float
    start: float
    tight: bool
    """Its deadline is in `TIGHT_DEADLINE`: it may time out without meeting a fault."""
    by_path: bool
    """Uploaded from a file on disk (else from an in-memory file object)."""
    merge_at_once: bool
    """The fake finishes its `upload_complete` at once (`async: false`) instead of merging in the background."""
    concurrency: int
    repeat: bool
    """Its bytes are those of an earlier upload: an instant upload if that one finished first."""

    @property
    def md5(self) -> str:
        return hashlib.md5(self.data, usedforsecurity=False).hexdigest()


P = TypeVar("P", bound=Scheduled)
R = TypeVar("R")


@dataclasses.dataclass(slots=True)
class Outcome(Generic[P, R]):
    plan: P
    elapsed: float = 0.0
    started: float = 0.0
    """When the call began, on `time.monotonic`, the clock the fake stamps requests with."""
    result: R | None = None
    error: BaseException | None = None
    hung: bool = False


WaitOutcome = Outcome[Plan, str]
UploadOutcome = Outcome[UploadPlan, pan123_oss.UploadResult]


def fault_of(kind: str, rng: random.Random) -> Fault:
    if kind == "none":
        return Fault.slow(0.0)  # a normal reply: keeps the queue one entry per request
    if kind in ("429", "20103"):
        return Fault.code_reply(int(kind))
    if kind == "429-retry-after":
        return Fault.code_reply(429, retry_after=RETRY_AFTER)
    if kind == "trickle":
        return Fault.trickle(TRICKLE_PER_BYTE)
    if kind == "huge":
        return Fault.huge(rng.choice([2 << 20, 8 << 20]))
    if kind in ("401-expiry", "url-expiry"):
        return Fault.expire_tokens()  # on "put": that slice's presigned URL has expired
    if kind == "5xx":
        status = rng.choice([500, 502, 503, 504])
        if rng.random() < 0.5:
            return Fault.http(status)
        body = {"code": 1, "message": "internal error", "data": None, "x-traceID": "soak-5xx"}
        return Fault.http(status, json.dumps(body).encode())
    if kind == "drop":
        return Fault.drop()
    if kind == "damage":
        return Fault.damage()
    if kind == "short":
        return Fault.short()
    if kind == "slow":
        return Fault.slow(rng.uniform(0.2, 2 * REQUEST_TIMEOUT))
    if kind == "slow-token":
        return Fault.slow(rng.uniform(0.3, 0.6 * REQUEST_TIMEOUT))
    if kind == "html":
        return Fault.html()
    if kind == "bad-json":
        return Fault.malformed(b'{"code": 0, "message": "ok", "data": {"completed": tr')
    if kind == "off-spec":
        # Each breaks the payload of every endpoint that answers with an envelope.
        return Fault.malformed(
            rng.choice(
                [
                    b'{"code": 0, "message": "ok", "data": {"completed": "yes"}, "x-traceID": "soak-off-spec"}',
                    b'{"code": 0, "message": "ok", "data": {"completed": true, "fileID": ""}, "x-traceID": "t"}',
                    b'{"code": "0", "message": "ok", "data": null, "x-traceID": "soak-off-spec"}',
                    b'[{"code": 0}]',
                ]
            )
        )
    raise ValueError(kind)


def fault_script(rng: random.Random, length: int, rate: float, mix: Mapping[str, float]) -> list[tuple[str, Fault]]:
    kinds, weights = zip(*mix.items(), strict=True)
    script = []
    for _ in range(length):
        kind = rng.choices(kinds, weights)[0] if rng.random() < rate else "none"
        script.append((kind, fault_of(kind, rng)))
    return script


def token_script(rng: random.Random, length: int) -> list[tuple[str, Fault]]:
    """Faults for token calls, never more than two in a row, so every fetch succeeds within its budget."""
    script: list[tuple[str, Fault]] = []
    run = 0
    for _ in range(length):
        kind = rng.choice(TOKEN_FAULTS) if run < 2 and rng.random() < 0.4 else "none"
        run = run + 1 if kind != "none" else 0
        script.append((kind, fault_of(kind, rng)))
    return script


class SoakFake(FakePan123):
    """The fake, also keeping every token it hands out, so the soak can look for them in the logs, and
    finishing the uploads named in `merge_at_once` at `upload_complete` rather than in the background."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.issued: list[str] = []
        self.merge_at_once: set[str] = set()

    def handle(self, method: str, path: str, headers: Mapping[str, str], body: bytes, **more: Any) -> FakeReply:
        reply = super().handle(method, path, headers, body, **more)
        if path == TOKEN_PATH and reply.code == 0:
            with self._lock:
                self.issued.append(json.loads(reply.body)["data"]["accessToken"])
        return reply

    def _route(self, operation_id: str, body: Any, query: dict[str, list[str]], origin: str) -> FakeReply:
        if operation_id == "completeUpload":  # called with the fake's lock held, so the switch is the call's own
            session = self.oss.sessions.get(str(body.get("preuploadID")))
            self.oss.complete_async = session is None or session.filename not in self.merge_at_once
        return super()._route(operation_id, body, query, origin)


class Capture(logging.Handler):
    """Every log line of every logger, formatted as a handler would write it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@dataclasses.dataclass(slots=True)
class Phase:
    name: str
    fake: SoakFake
    plans: list[Plan]
    uploads: list[UploadPlan]
    folder: Path
    """Where the files of uploads made from a path are."""
    scripts: dict[str, list[tuple[str, Fault]]]
    """The faults each endpoint plays ("access_token", "upload_async_result", "put", ...), labelled."""
    outcomes: list[WaitOutcome] = dataclasses.field(default_factory=list)
    upload_outcomes: list[UploadOutcome] = dataclasses.field(default_factory=list)
    progress: dict[str, list[tuple[int, int]]] = dataclasses.field(default_factory=dict)
    """What `on_progress` reported for each upload, by filename."""
    token_fetches: int = 0
    seconds: float = 0.0


def upload_plans(rng: random.Random, form: Form, name: str, count: int, folder: Path) -> list[UploadPlan]:
    """Small random files (empty, a few bytes, whole slices, a few slices), some repeating earlier bytes."""
    plans: list[UploadPlan] = []
    for n in range(count):
        start = rng.uniform(0.0, form.upload_ramp)
        originals = [p for p in plans if not p.repeat and not p.tight]
        repeat = bool(originals) and rng.random() < REPEATS
        if repeat:
            # Late enough that the first upload of these bytes has most likely finished: an instant upload.
            original = rng.choice(originals)
            data, start = original.data, max(start, original.start + REPEAT_AFTER)
        else:
            shape = rng.choices(["empty", "bytes", "whole", "slices"], [1, 3, 3, 8])[0]
            size = {
                "empty": 0,
                "bytes": rng.randint(1, 64),
                "whole": SLICE * rng.randint(1, 3),
                "slices": rng.randint(65, 3 * SLICE + SLICE // 2),
            }[shape]
            data = rng.randbytes(size)
        tight = rng.random() < 0.1
        plan = UploadPlan(
            name=f"{name}-{n:03d}.bin",
            data=data,
            timeout=rng.uniform(*(TIGHT_DEADLINE if tight else form.upload_deadline)),
            start=start,
            tight=tight,
            by_path=rng.random() < 0.5,
            merge_at_once=rng.random() < 0.25,
            concurrency=rng.randint(1, 4),
            repeat=repeat,
        )
        if plan.by_path:
            (folder / plan.name).write_bytes(plan.data)
        plans.append(plan)
    return plans


def make_phase(
    name: str, rng: random.Random, form: Form, waits: int, ramp: float, uploads: int, folder: Path, *, minimal: bool
) -> Phase:
    secret = f"soak-secret-{rng.getrandbits(64):016x}"
    # Minimal: only what the spec requires, plus fields no spec knows yet, as a newer service may answer.
    shape: dict[str, Any] = {"replies": "minimal", "extra_fields": True} if minimal else {}
    fake = SoakFake(
        client_id=f"soak-{name}", client_secret=secret, slice_size=SLICE, pending_polls=MERGE_POLLS, qps=QPS, **shape
    )
    plans = []
    for _ in range(waits):
        kind = rng.choices(["normal", "fails", "never"], [85, 8, 7])[0]
        fail_code = rng.choice(FAIL_CODES) if kind == "fails" else None
        pending = 10**9 if kind == "never" else rng.randint(0, 4)
        pid = fake.add_upload(pending_polls=pending, fail_code=fail_code)
        span = form.never_deadline if kind == "never" else form.deadline
        plans.append(Plan(pid, kind, fake.uploads[pid].file_id, fail_code, rng.uniform(*span), rng.uniform(0.0, ramp)))
    # More entries than requests: each wait or upload polls a handful of times, and each upload calls every
    # other endpoint a few times per slice, retries included.
    polls = 20 * (waits + uploads) + 100
    scripts = {"upload_async_result": fault_script(rng, polls, form.fault_rate, POLL_FAULTS)}
    scripts["access_token"] = token_script(rng, 200)
    files = upload_plans(rng, form, name, uploads, folder)
    fake.merge_at_once.update(p.name for p in files if p.merge_at_once)
    for endpoint, mix in ENDPOINT_FAULTS.items():
        if endpoint not in scripts:
            scripts[endpoint] = fault_script(rng, 40 * uploads + 100, form.upload_fault_rate, mix)
    for endpoint, script in scripts.items():
        fake.script(endpoint, *(f for _, f in script))
    return Phase(name, fake, plans, files, folder, scripts)


def client_options(phase: Phase, url: str) -> dict[str, Any]:
    return {
        "client_id": phase.fake.client_id,
        "client_secret": phase.fake.client_secret,
        "base_url": url,
        "timeout": REQUEST_TIMEOUT,
        "qps": CLIENT_QPS,
    }


def upload_source(phase: Phase, plan: UploadPlan) -> tuple[Path | io.BytesIO, str | None]:
    """What to pass to `upload_file`: a path (its name is the filename), or a file object and a filename."""
    if plan.by_path:
        return phase.folder / plan.name, None
    return io.BytesIO(plan.data), plan.name


def progress_log(phase: Phase, plan: UploadPlan) -> Callable[[int, int], None]:
    """An `on_progress` callback that keeps every report."""
    reports = phase.progress.setdefault(plan.name, [])
    return lambda sent, total: reports.append((sent, total))


async def timed(plan: P, work: Callable[[], Awaitable[R]]) -> Outcome[P, R]:
    """Start `work` at the plan's time; record how it ended, or that it hung past its deadline."""
    await asyncio.sleep(plan.start)
    outcome: Outcome[P, R] = Outcome(plan, started=time.monotonic())
    task = asyncio.ensure_future(work())
    done, _ = await asyncio.wait({task}, timeout=plan.timeout + HANG_GRACE)
    outcome.elapsed = time.monotonic() - outcome.started
    if not done:
        outcome.hung = True
        task.cancel()
    elif task.exception() is not None:
        outcome.error = task.exception()
    else:
        outcome.result = task.result()
    return outcome


async def run_async(phase: Phase, url: str) -> None:
    loop = asyncio.get_running_loop()
    async with pan123_oss.AsyncClient(**client_options(phase, url)) as client:
        begin = loop.time()

        def wait(plan: Plan) -> Callable[[], Awaitable[str]]:
            return lambda: client.wait_for_upload(plan.pid, timeout=plan.timeout)

        def upload(plan: UploadPlan) -> Callable[[], Awaitable[pan123_oss.UploadResult]]:
            source, filename = upload_source(phase, plan)
            on_progress = progress_log(phase, plan)
            return lambda: client.upload_file(
                source, filename=filename, timeout=plan.timeout, on_progress=on_progress, concurrency=plan.concurrency
            )

        waits = asyncio.gather(*(timed(p, wait(p)) for p in phase.plans))
        uploads = asyncio.gather(*(timed(p, upload(p)) for p in phase.uploads))
        phase.outcomes = list(await waits)
        phase.upload_outcomes = list(await uploads)
        phase.seconds = loop.time() - begin
        phase.token_fetches = client.token_fetches


class Batch(Generic[P, R]):
    """Plans run on a pool of threads, each started at its time; `collect` bounds the whole batch."""

    def __init__(self, plans: Sequence[P], work: Callable[[P], R], threads: int, begin: float, prefix: str) -> None:
        self.plans = list(plans)
        self.begin = begin
        self.pool = concurrent.futures.ThreadPoolExecutor(threads, thread_name_prefix=prefix)
        self.futures = [self.pool.submit(self._one, plan, work) for plan in self.plans]
        # Each thread runs its plans one after another; bound the batch by the sum of their deadlines.
        self.limit = time.monotonic() + sum(p.timeout + p.start for p in self.plans) / threads + 2 * HANG_GRACE

    def _one(self, plan: P, work: Callable[[P], R]) -> Outcome[P, R]:
        time.sleep(max(0.0, self.begin + plan.start - time.monotonic()))
        outcome: Outcome[P, R] = Outcome(plan, started=time.monotonic())
        try:
            outcome.result = work(plan)
        except Exception as exc:
            outcome.error = exc
        outcome.elapsed = time.monotonic() - outcome.started
        return outcome

    def collect(self) -> list[Outcome[P, R]]:
        outcomes: list[Outcome[P, R]] = []
        for plan, future in zip(self.plans, self.futures, strict=True):
            try:
                outcomes.append(future.result(timeout=max(0.0, self.limit - time.monotonic())))
            except concurrent.futures.TimeoutError:
                outcomes.append(Outcome(plan, elapsed=time.monotonic() - self.begin, hung=True))
        hung = any(o.hung for o in outcomes)
        self.pool.shutdown(wait=not hung, cancel_futures=True)
        return outcomes


def run_threads(phase: Phase, url: str, form: Form) -> None:
    begin = time.monotonic()
    with pan123_oss.Client(**client_options(phase, url)) as client:

        def wait(plan: Plan) -> str:
            return client.wait_for_upload(plan.pid, timeout=plan.timeout)

        def upload(plan: UploadPlan) -> pan123_oss.UploadResult:
            source, filename = upload_source(phase, plan)
            on_progress = progress_log(phase, plan)
            return client.upload_file(
                source, filename=filename, timeout=plan.timeout, on_progress=on_progress, concurrency=plan.concurrency
            )

        waits = Batch(phase.plans, wait, form.thread_count, begin, "soak-wait")
        uploads = Batch(phase.uploads, upload, form.upload_threads, begin, "soak-upload")
        phase.outcomes = waits.collect()
        phase.upload_outcomes = uploads.collect()
        phase.seconds = time.monotonic() - begin
        phase.token_fetches = client.token_fetches


# Checking.
@dataclasses.dataclass(frozen=True, slots=True)
class Seen:
    """One request as the fake saw it, with the fault it played."""

    endpoint: str
    record: RecordedRequest
    kind: str
    slice: int | None = None
    """The slice number, for get_upload_url and slice PUTs (filled in by `seen_by_file`)."""


def on_endpoint(endpoint: str, record: RecordedRequest) -> bool:
    if endpoint == "put":
        return record.method == "PUT" and record.path.startswith(PUT_PREFIX)
    return record.path == PATHS[endpoint]


def seen_by_endpoint(phase: Phase, problems: list[str]) -> dict[str, list[Seen]]:
    """Pair each request with the fault it consumed: the fake plays each endpoint's faults in order of arrival,
    to the requests its limits let through (those refused are seen as "qps")."""
    by_endpoint: dict[str, list[Seen]] = {}
    requests = list(phase.fake.requests)
    for endpoint, script in phase.scripts.items():
        every = [r for r in requests if on_endpoint(endpoint, r)]
        records = [r for r in every if not r.limited]
        seen = by_endpoint[endpoint] = []
        for record in every:
            if record.limited:
                seen.append(Seen(endpoint, record, "qps"))
        for record, (kind, fault) in zip(records, script, strict=False):
            seen.append(Seen(endpoint, record, kind))
            if endpoint == "put":
                continue  # the object store answers without envelopes
            expected_code: object
            if fault.kind == "code":
                expected_code = fault.code
            elif fault.kind == "expire":
                expected_code = 401
            elif fault.kind in ("http", "drop", "huge"):
                expected_code = None
            else:
                expected_code = "an envelope"
            got = record.code
            if (expected_code == "an envelope" and got is None) or (
                expected_code != "an envelope" and got != expected_code
            ):
                problems.append(
                    f"{phase.name}: {endpoint} request for {record.preupload_id} got code {got}, "
                    f"but fault {kind} means {expected_code}"
                )
        if len(records) > len(script):
            problems.append(f"{phase.name}: {len(records)} {endpoint} requests outran the {len(script)} scripted")
        seen.sort(key=lambda item: item.record.time)
    return by_endpoint


def since_last_answer(polls: Sequence[Seen]) -> list[Seen]:
    """The polls after the last one that got a usable answer (code 0 or 20103 with no transport fault)."""
    tail: list[Seen] = []
    for poll in reversed(polls):
        if poll.record.code in (0, 20103) and poll.kind not in TRANSPORT_KINDS:
            break
        tail.append(poll)
    return tail[::-1]


def token_trouble(phase: Phase, outcome: Outcome[Any, Any]) -> bool:
    """Whether a token call failed while this call ran (a refresh then kept it waiting), or the service throttled
    any request meanwhile or shortly before (the client's pace was cut, so every call waits longer for its
    turn, and one whose turn is past its deadline ends at once)."""
    start, end = outcome.started, outcome.started + outcome.elapsed
    return any(
        (r.code == 429 and start - PACE_MEMORY <= r.time <= end)
        or (r.path == TOKEN_PATH and r.code != 0 and start <= r.time <= end)
        for r in phase.fake.requests
    )


def late(outcome: Outcome[Any, Any]) -> str | None:
    """Why the call broke its deadline (hung, or ended after it), or None."""
    timeout, err = outcome.plan.timeout, outcome.error
    if outcome.hung:
        return f"hung: still running {HANG_GRACE:.0f} s after its {timeout:.1f} s deadline"
    if outcome.elapsed > timeout + DEADLINE_SLACK:
        over = outcome.elapsed - timeout
        return f"ended {over:.2f} s after its {timeout:.1f} s deadline ({type(err).__name__ if err else 'ok'})"
    return None


def explain(outcome: WaitOutcome, polls: Sequence[Seen], token_trouble: bool) -> str | None:
    """Why this outcome is wrong, or None if it is what the upload and the faults it met call for."""
    plan, err = outcome.plan, outcome.error
    broken = late(outcome)
    if broken:
        return broken
    last = polls[-1] if polls else None
    tail = since_last_answer(polls)
    if err is None:
        if plan.kind != "normal" or outcome.result != plan.file_id:
            return f"returned {outcome.result!r} for a {plan.kind} upload with file ID {plan.file_id!r}"
        return None
    if not isinstance(err, pan123_oss.Pan123Error):
        return f"raised {type(err).__name__}, not a Pan123Error: {err!r}"
    if isinstance(err, pan123_oss.PollTimeoutError):
        # A 429 asking for more than the 1 s floor moves the next poll out by the difference.
        owed = RETRY_AFTER - 1.0 if last is not None and last.kind == "429-retry-after" else 0.0
        if outcome.elapsed < plan.timeout - EARLY_GIVE_UP - owed and not token_trouble:
            return f"gave up after {outcome.elapsed:.2f} s, well before its {plan.timeout:.1f} s deadline"
        if plan.kind == "never":
            return None
        faults = [p for p in polls if p.kind != "none" or p.record.code == 401]
        return None if faults or token_trouble else f"timed out on a {plan.kind} upload that met no fault"
    if isinstance(err, pan123_oss.AuthError):
        rejected = [p for p in tail if p.record.code == 401]
        ok = last is not None and last.record.code == 401 and len(rejected) >= 2
        return None if ok else f"AuthError without two 401s in a row: {err}"
    if isinstance(err, pan123_oss.RateLimitError):
        return f"RateLimitError from a wait, which should keep going at its pace instead: {err}"
    if isinstance(err, pan123_oss.ApiError):
        ok = plan.kind == "fails" and err.code == plan.fail_code and last is not None and last.record.code == err.code
        return None if ok else f"ApiError the server never sent: {err}"
    if isinstance(err, pan123_oss.MalformedResponseError):
        return (
            None
            if last is not None and last.kind == "off-spec"
            else f"MalformedResponseError after no bad reply: {err}"
        )
    if isinstance(err, pan123_oss.TransportError):
        troubled = [p for p in tail if p.kind in TRANSPORT_KINDS]
        ok = len(troubled) >= RETRY_ATTEMPTS and last is not None and last.kind in TRANSPORT_KINDS
        return None if ok else f"TransportError after {len(troubled)} troubled polls in a row: {err}"
    return f"raised an undocumented {type(err).__name__}: {err}"


def seen_by_file(phase: Phase, seen: Mapping[str, Sequence[Seen]]) -> dict[str, list[Seen]]:
    """Every request of each upload, by filename, in order of arrival: `create` names the file, later calls
    name an upload session the fake keeps, and each slice PUT goes to a URL the fake issued for one session."""
    oss = phase.fake.oss
    owner = {pid: session.filename for pid, session in oss.sessions.items()}
    by_name: dict[str, list[Seen]] = collections.defaultdict(list)
    for endpoint, items in seen.items():
        for item in items:
            record = item.record
            name: str | None
            if endpoint == "create":
                name = record.body.get("filename") if isinstance(record.body, dict) else None
            elif endpoint == "put":
                slot = oss.slots.get(record.path.removeprefix(PUT_PREFIX))
                name = owner.get(slot.preupload_id) if slot is not None else None
                item = dataclasses.replace(item, slice=slot.number if slot is not None else None)
            else:
                name = owner.get(record.preupload_id or "")
                number = record.body.get("sliceNo") if isinstance(record.body, dict) else None
                item = dataclasses.replace(item, slice=number if isinstance(number, int) else None)
            if isinstance(name, str):
                by_name[name].append(item)
    for items in by_name.values():
        items.sort(key=lambda item: item.record.time)
    return by_name


def wrong_file(fake: FakePan123, plan: UploadPlan, result: pan123_oss.UploadResult | None) -> str | None:
    """What is wrong with a successful upload's result, or None if the fake holds exactly its bytes."""
    if result is None:
        return "returned nothing"
    stored = fake.oss.files.get(result.file_id)
    if stored is None:
        return f"returned file ID {result.file_id!r}, which the fake never stored"
    data = fake.file_bytes(result.file_id)
    if data != plan.data:
        return f"the fake stored {len(data)} bytes for {result.file_id!r}, not the file's {len(plan.data)}"
    if result.etag != plan.md5:
        return f"etag {result.etag!r} is not the file's MD5 {plan.md5!r}"
    if (result.size, result.filename, stored.filename) != (len(plan.data), plan.name, plan.name):
        return f"size or name wrong: {result!r}, stored as {stored.filename!r}"
    if not result.reused:
        session = fake.oss.sessions.get(result.preupload_id)
        if session is None or session.filename != plan.name:
            return f"returned preupload ID {result.preupload_id!r}, not one of its own uploads"
    return None


def explain_upload(
    phase: Phase, outcome: UploadOutcome, seen: Sequence[Seen], token_trouble: bool
) -> tuple[str | None, int]:
    """Why this upload's outcome is wrong (or None), and how many of its bytes were checked in the fake."""
    plan, err = outcome.plan, outcome.error
    broken = late(outcome)
    if broken:
        return broken, 0
    size, reports = len(plan.data), phase.progress.get(plan.name, [])
    odd = [(sent, total) for sent, total in reports if total != size or not 0 <= sent <= size]
    if odd:
        return f"on_progress reported {odd[0]} for a file of {size} bytes", 0
    if err is None:
        if size and (size, size) not in reports:
            return f"on_progress never reported all {size} bytes sent: {reports[-3:]}", 0
        wrong = wrong_file(phase.fake, plan, outcome.result)
        return wrong, 0 if wrong else size
    if type(err) not in DOCUMENTED:
        return f"raised {type(err).__name__}, not a documented error: {err!r}", 0
    assert isinstance(err, pan123_oss.Pan123Error)
    own = {pid for pid, session in phase.fake.oss.sessions.items() if session.filename == plan.name}
    if err.preupload_id is None and any(item.endpoint != "create" for item in seen):
        return f"raised {type(err).__name__} after create without a preupload_id: {err}", 0
    if err.preupload_id is not None and err.preupload_id not in own:
        return f"raised {type(err).__name__} naming a preupload ID not its own: {err}", 0
    return explain_upload_error(plan, outcome.elapsed, err, seen, token_trouble), 0


def explain_upload_error(
    plan: UploadPlan, elapsed: float, err: pan123_oss.Pan123Error, seen: Sequence[Seen], token_trouble: bool
) -> str | None:
    """Whether the faults this upload met explain the (documented) error it raised."""
    if isinstance(err, TimeoutError):
        retried = token_trouble or any(item.kind in RETRIED_KINDS for item in seen)
        if elapsed < plan.timeout - EARLY_GIVE_UP and not retried:
            return f"gave up after {elapsed:.2f} s of its {plan.timeout:.1f} s with no retry to wait for: {err}"
        faults = [item for item in seen if item.kind != "none" or item.record.code == 401]
        if plan.tight or faults or token_trouble:
            return None
        return f"timed out after meeting no fault: {err}"
    endpoint = ENDPOINT_NAMES.get(err.endpoint or "")
    kept_wrong = collections.Counter(item.slice for item in seen if item.endpoint == "put" and item.kind in STORE_KINDS)
    if type(err) is pan123_oss.Pan123Error:
        # The parts check found a slice kept wrong after sending it twice: it must have been damaged twice.
        if "stored with the wrong size or MD5" in err.message and max(kept_wrong.values(), default=0) >= 2:
            return None
        return f"Pan123Error that no scripted fault explains: {err}"
    if isinstance(err, pan123_oss.ApiError) and not isinstance(err, pan123_oss.AuthError | pan123_oss.RateLimitError):
        # A slice kept wrong that the parts check could not see (its MD5 unknown on a client's first upload, or
        # a file of one slice, which has no parts list) fails the service's check of the whole file.
        if "MD5" in err.message and kept_wrong:
            return None
        return f"ApiError that no scripted fault explains: {err}"
    if isinstance(err, pan123_oss.RateLimitError):
        return f"RateLimitError, which a call with a deadline left should never raise (a 429 is sent again): {err}"
    # The requests of one call: slices go concurrently, so each slice's URLs and PUTs are a call of their own.
    calls: dict[int | None, list[Seen]] = collections.defaultdict(list)
    for item in seen:
        if item.endpoint == endpoint:
            calls[item.slice].append(item)
    if not any(call_explains(err, endpoint, requests) for requests in calls.values()):
        return f"{type(err).__name__} that the faults met on {endpoint} do not explain: {err}"
    return None


def call_explains(err: pan123_oss.Pan123Error, endpoint: str | None, requests: Sequence[Seen]) -> bool:
    """Whether the requests of one call, in order, end as `err` says that call ended."""
    last = requests[-1] if requests else None
    if last is None:
        return False
    tail = since_last_answer(requests)
    if isinstance(err, pan123_oss.AuthError):
        return last.record.code == 401 and sum(item.record.code == 401 for item in tail) >= 2
    if isinstance(err, pan123_oss.MalformedResponseError):
        return last.kind == "off-spec"
    # TransportError: the retry budget of one call was spent on transport trouble (a 429 is no failure: the
    # request goes again at its next turn, so it neither spends the budget nor ends the run of failures).
    retried = [item for item in tail if item.kind in TRANSPORT_KINDS]
    return (
        isinstance(err, pan123_oss.TransportError) and len(retried) >= RETRY_ATTEMPTS and last.kind in TRANSPORT_KINDS
    )


def story(phase: Phase, outcome: Outcome[Any, Any], seen: Sequence[Seen], *, endpoints: bool = False) -> str:
    """What the fake saw of one call: its requests (fault, code) and the token calls made meanwhile."""
    t0 = outcome.started
    told = [(s.record.time, f"{s.endpoint} " if endpoints else "", f"{s.kind}:{s.record.code}") for s in seen]
    end = t0 + outcome.elapsed
    token_calls = [r for r in phase.fake.requests if r.path == TOKEN_PATH and t0 <= r.time <= end]
    told += [(r.time, "token call", f":{r.code}") for r in token_calls]
    return "; ".join(f"+{at - t0:.2f} {what}{how}" for at, what, how in sorted(told))


@dataclasses.dataclass(slots=True)
class Verdict:
    problems: list[str]
    seen: dict[str, list[Seen]]
    bytes_verified: int = 0


def check(phase: Phase, lines: Sequence[str], secrets: Sequence[str]) -> Verdict:
    problems: list[str] = []
    seen = seen_by_endpoint(phase, problems)
    verdict = Verdict(problems, seen)
    by_pid: dict[str, list[Seen]] = collections.defaultdict(list)
    for poll in seen["upload_async_result"]:
        by_pid[poll.record.preupload_id or ""].append(poll)
    for outcome in phase.outcomes:
        polls = by_pid.get(outcome.plan.pid, [])
        why = explain(outcome, polls, token_trouble(phase, outcome))
        if why:
            what = f"{phase.name}: wait for {outcome.plan.pid} ({outcome.plan.kind})"
            problems.append(f"{what}: {why} [{story(phase, outcome, polls)}]")
    by_file = seen_by_file(phase, seen)
    for upload in phase.upload_outcomes:
        requests = by_file.get(upload.plan.name, [])
        why, checked = explain_upload(phase, upload, requests, token_trouble(phase, upload))
        verdict.bytes_verified += checked
        if why:
            what = f"{phase.name}: upload of {upload.plan.name} ({len(upload.plan.data)} bytes)"
            problems.append(f"{what}: {why} [{story(phase, upload, requests, endpoints=True)}]")
    for pid, polls in by_pid.items():
        for a, b in itertools.pairwise(polls):
            if b.record.time - a.record.time < 1.0:
                gap = b.record.time - a.record.time
                problems.append(f"{phase.name}: {pid} was polled twice within {gap:.3f} s")
            if a.kind == "429-retry-after" and b.record.time - a.record.time < RETRY_AFTER - 0.05:
                gap = b.record.time - a.record.time
                problems.append(f"{phase.name}: {pid} was polled {gap:.3f} s after a Retry-After of {RETRY_AFTER} s")
    completes: dict[str, list[Seen]] = collections.defaultdict(list)
    for item in seen["upload_complete"]:
        completes[item.record.preupload_id or ""].append(item)
    for pid, items in completes.items():
        for a, b in itertools.pairwise(items):
            if a.record.code == 20103 and b.record.time - a.record.time < 1.0:
                gap = b.record.time - a.record.time
                problems.append(f"{phase.name}: {pid} was completed again {gap:.3f} s after 20103 (being verified)")
    expiries = sum(1 for items in seen.values() for item in items if item.kind == "401-expiry")
    fetched = max(phase.fake.tokens_issued, phase.token_fetches)
    if fetched > expiries + 1:
        problems.append(f"{phase.name}: {fetched} tokens fetched for {expiries} expiries (at most {expiries + 1})")
    every: list[Outcome[Any, Any]] = [*phase.outcomes, *phase.upload_outcomes]
    errors = [o.error for o in every if o.error]
    texts = [*lines, *(f"{error!s} {error!r}" for error in errors)]
    leaks = sum(1 for text in texts if any(s in text for s in secrets))
    if leaks:
        problems.append(f"{phase.name}: {leaks} log lines or error messages show a token or the client secret")
    return verdict


# Reporting.
def latencies(lines: Sequence[str]) -> list[float]:
    """Per-request times from the client's own debug lines ("..., 12.3 ms")."""
    found = []
    for line in lines:
        if line.endswith(" ms") and " pan123_oss DEBUG " in line:
            found.append(float(line.rsplit(" ", 2)[-2]) / 1000)
    return found


def counts(c: collections.Counter[str]) -> str:
    return ", ".join(f"{k} {v}" for k, v in c.most_common()) or "none"


def summary(
    phases: Sequence[Phase], verdicts: Sequence[Verdict], lines: Sequence[str], form: Form, seed: int, seconds: float
) -> str:
    faults: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    requests: collections.Counter[str] = collections.Counter()
    outcomes: collections.Counter[str] = collections.Counter()
    upload_outcomes: collections.Counter[str] = collections.Counter()
    issued = instant = verified = verified_files = 0
    worst_wait = (0.0, 0.0)
    worst_over = -1e9
    for phase, verdict in zip(phases, verdicts, strict=True):
        issued += phase.fake.tokens_issued
        verified += verdict.bytes_verified
        for endpoint, items in verdict.seen.items():
            requests[endpoint] += len(items)
            faults[endpoint].update(item.kind for item in items if item.kind != "none")
        every: list[Outcome[Any, Any]] = [*phase.outcomes, *phase.upload_outcomes]
        for o in every:
            worst_wait = max(worst_wait, (o.elapsed, o.plan.timeout))
            worst_over = max(worst_over, o.elapsed - o.plan.timeout)
        for o in phase.outcomes:
            outcomes["hung" if o.hung else type(o.error).__name__ if o.error else "file ID"] += 1
        for u in phase.upload_outcomes:
            upload_outcomes["hung" if u.hung else type(u.error).__name__ if u.error else "file ID"] += 1
            if u.result is not None:
                instant += u.result.reused
                verified_files += 1
    lat = latencies(lines)
    uploads = [p for phase in phases for p in phase.uploads]
    waits = sum(len(p.plans) for p in phases)
    sizes = [len(p.data) for p in uploads]
    shapes = collections.Counter(
        "empty" if not n else "whole slices" if n % SLICE == 0 else "one slice" if n < SLICE else "several slices"
        for n in sizes
    )
    phase_lines = "; ".join(
        f"{p.name} {len(p.plans)} waits and {len(p.uploads)} uploads in {p.seconds:.1f} s "
        f"({'minimal replies with unknown fields' if p.fake.replies == 'minimal' else 'full replies'})"
        for p in phases
    )
    return "\n".join(
        [
            f"soak ({form.name} form, seed {seed}) in {seconds:.1f} s: {phase_lines}",
            f"  operations: {waits} waits, {len(uploads)} uploads, {requests['upload_async_result']} polls, "
            f"{requests['access_token']} token calls ({issued} tokens issued); upload calls: "
            + ", ".join(f"{e} {requests[e]}" for e in ENDPOINT_FAULTS if e != "upload_async_result"),
            f"  files: {len(uploads)} of 0 to {max(sizes, default=0)} bytes, {SLICE}-byte slices ({counts(shapes)}; "
            f"{sum(p.repeat for p in uploads)} repeat earlier bytes, {sum(p.by_path for p in uploads)} from a path, "
            f"{sum(p.tight for p in uploads)} with a deadline under {TIGHT_DEADLINE[1]:.0f} s)",
            "  faults injected:",
            *(f"    {endpoint}: {counts(faults[endpoint])}" for endpoint in ["access_token", *ENDPOINT_FAULTS]),
            f"  wait outcomes: {counts(outcomes)}",
            f"  upload outcomes: {counts(upload_outcomes)}; {instant} of the file IDs by instant upload",
            f"  uploads verified: {verified_files} files, {verified} bytes equal to what the fake stored, each etag "
            "the file's MD5",
            f"  worst case: longest call {worst_wait[0]:.2f} s (deadline {worst_wait[1]:.1f} s); "
            f"latest end relative to a deadline {worst_over:+.2f} s; slowest request "
            f"{max(lat, default=0.0):.2f} s of {len(lat)} logged",
            f"  log lines checked for secrets: {len(lines)}",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--short", action="store_true", help="the short form that `nox` and CI run")
    parser.add_argument("--seed", type=int, default=20250323, help="seed of waits, files, deadlines and faults")
    parser.add_argument(
        "--replies",
        choices=["mixed", "full", "minimal"],
        default="mixed",
        help="what the fakes answer: every field (full), only what the spec requires plus unknown fields "
        "(minimal), or full for the async phase and minimal for the threads phase (mixed, the default)",
    )
    args = parser.parse_args(argv)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        os.environ.pop(name, None)  # loopback only, whatever the environment says
    form = SHORT if args.short else FULL
    rng = random.Random(args.seed)
    capture = Capture()
    root = logging.getLogger()
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="pan123-soak-") as tmp:
        folder = Path(tmp)
        phases = [
            make_phase(
                "async", random.Random(rng.getrandbits(64)), form, form.async_waits, form.async_ramp,
                form.async_uploads, folder, minimal=args.replies == "minimal",
            ),
            make_phase(
                "threads", random.Random(rng.getrandbits(64)), form, form.thread_waits, form.thread_ramp,
                form.thread_uploads, folder, minimal=args.replies != "full",
            ),
        ]  # fmt: skip
        async_phase, threads_phase = phases
        # The two phases run at once, each against its own fake: the threads in the background.
        with async_phase.fake.serve() as async_url, threads_phase.fake.serve() as threads_url:
            background = threading.Thread(target=run_threads, args=(threads_phase, threads_url, form))
            background.start()
            asyncio.run(run_async(async_phase, async_url))
            background.join()
    root.removeHandler(capture)
    secrets = [secret for phase in phases for secret in (phase.fake.client_secret, *phase.fake.issued)]
    verdicts = [check(phase, capture.lines, secrets) for phase in phases]
    problems = [problem for verdict in verdicts for problem in verdict.problems]
    print(summary(phases, verdicts, capture.lines, form, args.seed, time.monotonic() - began))
    if problems:
        print(f"FAILED: {len(problems)} problems")
        for problem in problems[:50]:
            print(f"  - {problem}")
        sys.stdout.flush()
        if any("hung" in p for p in problems):
            os._exit(1)  # a hung thread would keep the interpreter from exiting
        return 1
    print("PASSED: every wait and upload ended as its faults call for, within its deadline; stored bytes match")
    return 0


if __name__ == "__main__":
    sys.exit(main())
