"""Load and fault soak: hundreds of concurrent waits against a fake 123pan that misbehaves at random.

    python tests/soak.py [--short] [--seed N]

`nox -s soak` runs the full form and `nox` (and so CI) the short one. This is a pass/fail check of behaviour,
never of speed: it exits 1, listing every broken rule, if any wait

- returned a wrong file ID, or raised anything but the error the faults it met explain (`ApiError` for an
  upload the server fails, `PollTimeoutError` at its deadline, `MalformedResponseError` after a reply that
  breaks the spec, `TransportError` after a retry budget of transport trouble, `AuthError` after a refresh
  that did not help), or raised it outside its deadline;
- hung (did not end within a grace period after its deadline);
- polled one upload twice within 1 s (as the server saw the requests arrive);

or if the client fetched more tokens than the fake expired (+1 for the first), or a token or the client
secret appeared in any log line (every logger, at DEBUG) or error message.

Two phases run at once, each against its own fake on a real 127.0.0.1 socket: many waits on one `AsyncClient`,
and waits from many threads sharing one `Client`. The seed fixes the uploads, their deadlines and start times,
and the sequence of faults the fake plays, one per request in order of arrival; which wait meets which fault
still depends on timing, so the checks read what each upload actually got from the fake's request records.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import concurrent.futures
import dataclasses
import itertools
import json
import logging
import os
import random
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

import pan123_oss
from pan123_oss.testing import FakePan123, FakeReply, Fault, RecordedRequest

POLL_PATH = "/upload/v1/oss/file/upload_async_result"
TOKEN_PATH = "/api/v1/access_token"
REQUEST_TIMEOUT = 2.5
"""The clients' per-request timeout: `slow` faults last up to twice this, so about half of them time out."""
RETRY_ATTEMPTS = pan123_oss.RetryPolicy().attempts
DEADLINE_SLACK = 0.3
"""How far past its deadline a wait may end: scheduling delay on a loaded 2-core machine, not polling."""
EARLY_GIVE_UP = 1.25 + 0.05
"""A wait may give up this long before its deadline: the next poll could not start 1 s from now and leave
the last request its 0.25 s (see `fit_before_deadline`), plus scheduling slack."""
HANG_GRACE = 15.0
"""A wait still running this long after its deadline has hung."""
FAIL_CODES = (5066, 5113)

# Fault kinds on the poll endpoint, with their weights among faults.
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
}
TOKEN_FAULTS = ("5xx", "drop", "429", "html", "slow-token")
"""Token-call faults never lose a token: a slow token reply comes well within the request timeout."""
TRANSPORT_KINDS = frozenset({"5xx", "drop", "html", "bad-json", "slow"})
"""Faults that reach the client as transport trouble (a slow reply only when it outlasts the timeout)."""


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


# Deadlines of uploads that complete or fail stay above the longest fault-free wait (5 polls: 8.1 s, 8.9 s with
# the most jitter), so that a timeout of one of them always has a fault behind it.
FULL = Form("full", 600, 20.0, 64, 192, 10.0, (15.0, 30.0), (5.0, 12.0), 0.3)
SHORT = Form("short", 150, 3.0, 32, 32, 2.0, (12.0, 16.0), (3.0, 6.0), 0.3)


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


@dataclasses.dataclass(slots=True)
class Outcome:
    plan: Plan
    elapsed: float = 0.0
    started: float = 0.0
    """When the wait began, on `time.monotonic`, the clock the fake stamps requests with."""
    result: str | None = None
    error: BaseException | None = None
    hung: bool = False


def fault_of(kind: str, rng: random.Random) -> Fault:
    if kind == "none":
        return Fault.slow(0.0)  # a normal reply: keeps the queue one entry per request
    if kind in ("429", "20103"):
        return Fault.code_reply(int(kind))
    if kind == "401-expiry":
        return Fault.expire_tokens()
    if kind == "5xx":
        status = rng.choice([500, 502, 503, 504])
        if rng.random() < 0.5:
            return Fault.http(status)
        body = {"code": 1, "message": "internal error", "data": None, "x-traceID": "soak-5xx"}
        return Fault.http(status, json.dumps(body).encode())
    if kind == "drop":
        return Fault.drop()
    if kind == "slow":
        return Fault.slow(rng.uniform(0.2, 2 * REQUEST_TIMEOUT))
    if kind == "slow-token":
        return Fault.slow(rng.uniform(0.3, 0.6 * REQUEST_TIMEOUT))
    if kind == "html":
        return Fault.html()
    if kind == "bad-json":
        return Fault.malformed(b'{"code": 0, "message": "ok", "data": {"completed": tr')
    if kind == "off-spec":
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


def fault_script(rng: random.Random, length: int, rate: float) -> list[tuple[str, Fault]]:
    kinds, weights = zip(*POLL_FAULTS.items(), strict=True)
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
    """The fake, also keeping every token it hands out, so the soak can look for them in the logs."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.issued: list[str] = []

    def handle(self, method: str, path: str, headers: Mapping[str, str], body: bytes, **more: Any) -> FakeReply:
        reply = super().handle(method, path, headers, body, **more)
        if path == TOKEN_PATH and reply.code == 0:
            with self._lock:
                self.issued.append(json.loads(reply.body)["data"]["accessToken"])
        return reply


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
    script: list[tuple[str, Fault]]
    tokens: list[tuple[str, Fault]]
    outcomes: list[Outcome] = dataclasses.field(default_factory=list)
    token_fetches: int = 0
    seconds: float = 0.0


def make_phase(name: str, rng: random.Random, form: Form, waits: int, ramp: float) -> Phase:
    secret = f"soak-secret-{rng.getrandbits(64):016x}"
    fake = SoakFake(client_id=f"soak-{name}", client_secret=secret)
    plans = []
    for _ in range(waits):
        kind = rng.choices(["normal", "fails", "never"], [85, 8, 7])[0]
        fail_code = rng.choice(FAIL_CODES) if kind == "fails" else None
        pending = 10**9 if kind == "never" else rng.randint(0, 4)
        pid = fake.add_upload(pending_polls=pending, fail_code=fail_code)
        span = form.never_deadline if kind == "never" else form.deadline
        plans.append(Plan(pid, kind, fake.uploads[pid].file_id, fail_code, rng.uniform(*span), rng.uniform(0.0, ramp)))
    # More entries than requests: each wait polls a handful of times, retries included.
    script = fault_script(rng, 20 * waits + 100, form.fault_rate)
    tokens = token_script(rng, 200)
    fake.script("upload_async_result", *(f for _, f in script))
    fake.script("access_token", *(f for _, f in tokens))
    return Phase(name, fake, plans, script, tokens)


def client_options(phase: Phase, url: str) -> dict[str, Any]:
    return {
        "client_id": phase.fake.client_id,
        "client_secret": phase.fake.client_secret,
        "base_url": url,
        "timeout": REQUEST_TIMEOUT,
    }


async def run_async(phase: Phase, url: str) -> None:
    loop = asyncio.get_running_loop()
    async with pan123_oss.AsyncClient(**client_options(phase, url)) as client:
        begin = loop.time()

        async def one(plan: Plan) -> Outcome:
            await asyncio.sleep(plan.start)
            outcome = Outcome(plan, started=time.monotonic())
            task = asyncio.ensure_future(client.wait_for_upload(plan.pid, timeout=plan.timeout))
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

        phase.outcomes = list(await asyncio.gather(*(one(p) for p in phase.plans)))
        phase.seconds = loop.time() - begin
        phase.token_fetches = client.token_fetches


def run_threads(phase: Phase, url: str, threads: int) -> None:
    begin = time.monotonic()
    with pan123_oss.Client(**client_options(phase, url)) as client:

        def one(plan: Plan) -> Outcome:
            time.sleep(max(0.0, begin + plan.start - time.monotonic()))
            outcome = Outcome(plan, started=time.monotonic())
            try:
                outcome.result = client.wait_for_upload(plan.pid, timeout=plan.timeout)
            except Exception as exc:
                outcome.error = exc
            outcome.elapsed = time.monotonic() - outcome.started
            return outcome

        pool = concurrent.futures.ThreadPoolExecutor(threads, thread_name_prefix="soak")
        futures = [pool.submit(one, plan) for plan in phase.plans]
        # Each thread runs its waits one after another; bound the whole phase by the sum of its deadlines.
        limit = time.monotonic() + sum(p.timeout + p.start for p in phase.plans) / threads + 2 * HANG_GRACE
        for plan, future in zip(phase.plans, futures, strict=True):
            try:
                phase.outcomes.append(future.result(timeout=max(0.0, limit - time.monotonic())))
            except concurrent.futures.TimeoutError:
                phase.outcomes.append(Outcome(plan, elapsed=time.monotonic() - begin, hung=True))
        hung = any(o.hung for o in phase.outcomes)
        pool.shutdown(wait=not hung, cancel_futures=True)
        phase.seconds = time.monotonic() - begin
        phase.token_fetches = client.token_fetches


# Checking.
@dataclasses.dataclass(frozen=True, slots=True)
class Poll:
    """One poll as the fake saw it, with the fault it played."""

    record: RecordedRequest
    kind: str


def polls_by_upload(phase: Phase, problems: list[str]) -> dict[str, list[Poll]]:
    """Pair each poll with the fault it consumed: the fake plays queued faults in order of arrival."""
    records = [r for r in phase.fake.requests if r.path == POLL_PATH]
    by_pid: dict[str, list[Poll]] = collections.defaultdict(list)
    for record, (kind, fault) in zip(records, phase.script, strict=False):
        expected_code: object
        if fault.kind == "code":
            expected_code = fault.code
        elif fault.kind == "expire":
            expected_code = 401
        elif fault.kind in ("http", "drop"):
            expected_code = None
        else:
            expected_code = "an envelope"
        got = record.code
        if (expected_code == "an envelope" and got is None) or (
            expected_code != "an envelope" and got != expected_code
        ):
            problems.append(
                f"{phase.name}: poll {record.preupload_id} got code {got}, but fault {kind} means {expected_code}"
            )
        by_pid[record.preupload_id or ""].append(Poll(record, kind))
    if len(records) > len(phase.script):
        problems.append(f"{phase.name}: {len(records)} polls outran the {len(phase.script)} scripted entries")
    return by_pid


def since_last_answer(polls: Sequence[Poll]) -> list[Poll]:
    """The polls after the last one that got a usable answer (code 0 or 20103 with no transport fault)."""
    tail: list[Poll] = []
    for poll in reversed(polls):
        if poll.record.code in (0, 20103) and poll.kind not in TRANSPORT_KINDS:
            break
        tail.append(poll)
    return tail[::-1]


def token_trouble(phase: Phase, outcome: Outcome) -> bool:
    """Whether a token call failed while this wait ran (a refresh then kept it waiting)."""
    end = outcome.started + outcome.elapsed
    return any(r.path == TOKEN_PATH and r.code != 0 and outcome.started <= r.time <= end for r in phase.fake.requests)


def explain(outcome: Outcome, polls: Sequence[Poll], token_trouble: bool) -> str | None:
    """Why this outcome is wrong, or None if it is what the upload and the faults it met call for."""
    plan, err = outcome.plan, outcome.error
    if outcome.hung:
        return f"hung: still waiting {HANG_GRACE:.0f} s after its {plan.timeout:.1f} s deadline"
    if outcome.elapsed > plan.timeout + DEADLINE_SLACK:
        late = outcome.elapsed - plan.timeout
        return f"ended {late:.2f} s after its {plan.timeout:.1f} s deadline ({type(err).__name__ if err else 'ok'})"
    last = polls[-1] if polls else None
    tail = since_last_answer(polls)
    if err is None:
        if plan.kind != "normal" or outcome.result != plan.file_id:
            return f"returned {outcome.result!r} for a {plan.kind} upload with file ID {plan.file_id!r}"
        return None
    if not isinstance(err, pan123_oss.Pan123Error):
        return f"raised {type(err).__name__}, not a Pan123Error: {err!r}"
    if isinstance(err, pan123_oss.PollTimeoutError):
        if outcome.elapsed < plan.timeout - EARLY_GIVE_UP:
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
        return f"RateLimitError from a wait, which should keep backing off instead: {err}"
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


def story(phase: Phase, outcome: Outcome, polls: Sequence[Poll]) -> str:
    """What the fake saw of one wait: its polls (fault, code) and the token calls made meanwhile."""
    t0 = outcome.started
    seen = [f"+{p.record.time - t0:.2f} {p.kind}:{p.record.code}" for p in polls]
    end = t0 + outcome.elapsed
    token_calls = [r for r in phase.fake.requests if r.path == TOKEN_PATH and t0 <= r.time <= end]
    seen += [f"+{r.time - t0:.2f} token call:{r.code}" for r in token_calls]
    return "; ".join(sorted(seen, key=lambda item: float(item.split()[0])))


def check(phase: Phase, lines: Sequence[str], secrets: Sequence[str]) -> list[str]:
    problems: list[str] = []
    by_pid = polls_by_upload(phase, problems)
    for outcome in phase.outcomes:
        polls = by_pid.get(outcome.plan.pid, [])
        why = explain(outcome, polls, token_trouble(phase, outcome))
        if why:
            what = f"{phase.name}: wait for {outcome.plan.pid} ({outcome.plan.kind})"
            problems.append(f"{what}: {why} [{story(phase, outcome, polls)}]")
    for pid, polls in by_pid.items():
        for a, b in itertools.pairwise(polls):
            if b.record.time - a.record.time < 1.0:
                gap = b.record.time - a.record.time
                problems.append(f"{phase.name}: {pid} was polled twice within {gap:.3f} s")
    expiries = sum(1 for polls in by_pid.values() for p in polls if p.kind == "401-expiry")
    fetched = max(phase.fake.tokens_issued, phase.token_fetches)
    if fetched > expiries + 1:
        problems.append(f"{phase.name}: {fetched} tokens fetched for {expiries} expiries (at most {expiries + 1})")
    texts = [*lines, *(f"{o.error!s} {o.error!r}" for o in phase.outcomes if o.error)]
    leaks = sum(1 for text in texts if any(s in text for s in secrets))
    if leaks:
        problems.append(f"{phase.name}: {leaks} log lines or error messages show a token or the client secret")
    return problems


# Reporting.
def latencies(lines: Sequence[str]) -> list[float]:
    """Per-request times from the client's own debug lines ("..., 12.3 ms")."""
    found = []
    for line in lines:
        if line.endswith(" ms") and " pan123_oss DEBUG " in line:
            found.append(float(line.rsplit(" ", 2)[-2]) / 1000)
    return found


def summary(phases: Sequence[Phase], lines: Sequence[str], form: Form, seed: int, seconds: float) -> str:
    poll_faults: collections.Counter[str] = collections.Counter()
    token_faults: collections.Counter[str] = collections.Counter()
    outcomes: collections.Counter[str] = collections.Counter()
    polls = tokens = issued = 0
    worst_wait = (0.0, 0.0)
    worst_over = -1e9
    for phase in phases:
        requests = phase.fake.requests
        n_polls = sum(1 for r in requests if r.path == POLL_PATH)
        n_tokens = sum(1 for r in requests if r.path == TOKEN_PATH)
        polls, tokens, issued = polls + n_polls, tokens + n_tokens, issued + phase.fake.tokens_issued
        poll_faults.update(kind for kind, _ in phase.script[:n_polls] if kind != "none")
        token_faults.update(kind for kind, _ in phase.tokens[:n_tokens] if kind != "none")
        for o in phase.outcomes:
            label = "hung" if o.hung else type(o.error).__name__ if o.error else "file ID"
            outcomes[label] += 1
            worst_wait = max(worst_wait, (o.elapsed, o.plan.timeout))
            worst_over = max(worst_over, o.elapsed - o.plan.timeout)
    lat = latencies(lines)

    def counts(c: collections.Counter[str]) -> str:
        return ", ".join(f"{k} {v}" for k, v in c.most_common()) or "none"

    waits = sum(len(p.plans) for p in phases)
    return "\n".join(
        [
            f"soak ({form.name} form, seed {seed}) in {seconds:.1f} s: "
            + "; ".join(f"{p.name} {len(p.plans)} waits in {p.seconds:.1f} s" for p in phases),
            f"  operations: {waits} waits, {polls} polls, {tokens} token calls ({issued} tokens issued)",
            f"  faults injected into polls: {counts(poll_faults)}",
            f"  faults injected into token calls: {counts(token_faults)}",
            f"  outcomes: {counts(outcomes)}",
            f"  worst case: longest wait {worst_wait[0]:.2f} s (deadline {worst_wait[1]:.1f} s); "
            f"latest end relative to a deadline {worst_over:+.2f} s; slowest request "
            f"{max(lat, default=0.0):.2f} s of {len(lat)} logged",
            f"  log lines checked for secrets: {len(lines)}",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--short", action="store_true", help="the short form that `nox` and CI run")
    parser.add_argument("--seed", type=int, default=20250323, help="seed of uploads, deadlines and faults")
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
    phases = [
        make_phase("async", random.Random(rng.getrandbits(64)), form, form.async_waits, form.async_ramp),
        make_phase("threads", random.Random(rng.getrandbits(64)), form, form.thread_waits, form.thread_ramp),
    ]
    async_phase, threads_phase = phases
    # The two phases run at once, each against its own fake: the threads in the background.
    with async_phase.fake.serve() as async_url, threads_phase.fake.serve() as threads_url:
        background = threading.Thread(target=run_threads, args=(threads_phase, threads_url, form.thread_count))
        background.start()
        asyncio.run(run_async(async_phase, async_url))
        background.join()
    root.removeHandler(capture)
    secrets = [secret for phase in phases for secret in (phase.fake.client_secret, *phase.fake.issued)]
    problems = [problem for phase in phases for problem in check(phase, capture.lines, secrets)]
    print(summary(phases, capture.lines, form, args.seed, time.monotonic() - began))
    if problems:
        print(f"FAILED: {len(problems)} problems")
        for problem in problems[:50]:
            print(f"  - {problem}")
        sys.stdout.flush()
        if any("hung" in p for p in problems):
            os._exit(1)  # a hung thread would keep the interpreter from exiting
        return 1
    print("PASSED: every wait ended as its upload and faults call for, within its deadline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
