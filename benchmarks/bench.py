"""Benchmarks of pan123_oss against the fake 123pan on a real loopback socket (`nox -s bench`).

    python benchmarks/bench.py [--quick] [--runs N] [--write BENCHMARKS.md]

Not a test: it measures and prints, and never fails on a figure. Each figure is the median of several
runs, and every run measures its own baseline (a bare httpx client doing the same work, or `import httpx`),
so figures are printed beside their baseline as a ratio. The fake server runs in this process; every client
run is a fresh child process (`--child NAME`, a JSON job on stdin, a JSON result on stdout), so the CPU time
and peak RSS it reports are the client's alone.

To add a benchmark, write a function that takes `Config` and returns `Row`s, and list it in `BENCHMARKS`.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import dataclasses
import hashlib
import io
import itertools
import json
import math
import os
import platform
import random
import re
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import httpx

import pan123_oss
from pan123_oss.testing import FakePan123

TOKEN_PATH = "/api/v1/access_token"
POLL_PATH = "/upload/v1/oss/file/upload_async_result"
URL_PATH = "/upload/v1/oss/file/get_upload_url"
CREATE_PATH = "/upload/v1/oss/file/create"
COMPLETE_PATH = "/upload/v1/oss/file/upload_complete"
DETAIL_PATH = "/api/v1/oss/file/detail"
COMPLETES_AFTER_POLLS = 3
"""Every benchmarked wait ends on its third poll: the fake answers `completed: false` twice first."""
WAIT_TIMEOUT = 120.0
NOTES_MARKER = "<!-- Hand-written notes below this line are kept when the figures are regenerated. -->"

Job = dict[str, Any]
T = TypeVar("T")


# Measuring, inside a child process.
def peak_rss_mib() -> float:
    """This process's peak resident set size: VmHWM where /proc has it, else ru_maxrss (KiB on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mib() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return math.nan


@dataclasses.dataclass(frozen=True, slots=True)
class Schedule:
    """The polling schedule of a `PollPolicy` without jitter, which the bare baselines follow."""

    initial: float
    multiplier: float
    maximum: float

    @classmethod
    def of(cls, policy: pan123_oss.PollPolicy) -> Schedule:
        return cls(policy.initial, policy.multiplier, policy.maximum)

    def sleeps(self) -> Iterator[float]:
        interval = self.initial
        while True:
            yield interval
            interval = min(self.maximum, interval * self.multiplier)


def ideal_wait(policy: pan123_oss.PollPolicy, polls: int) -> float:
    """Seconds from the first poll to the last of a wait that completes on poll `polls`, without jitter."""
    return sum(itertools.islice(Schedule.of(policy).sleeps(), polls - 1))


def _bare_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Platform": "open_platform", "Content-Type": "application/json"}


def _bare_token_request(job: Job) -> tuple[str, dict[str, Any]]:
    body = json.dumps({"clientID": job["client_id"], "clientSecret": job["client_secret"]})
    return body, {"Platform": "open_platform", "Content-Type": "application/json"}


def _bare_login(http: httpx.Client, job: Job) -> dict[str, str]:
    """Fetch a token with bare httpx; the headers of every API call after it."""
    body, token_headers = _bare_token_request(job)
    token = http.post(TOKEN_PATH, content=body, headers=token_headers).json()["data"]["accessToken"]
    return _bare_headers(token)


def _file_md5(path: str) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _random_file(path: Path, mib: int) -> tuple[Path, str]:
    """`mib` MiB of random bytes written to `path`; the path and their MD5."""
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("wb") as fh:
        for _ in range(mib):
            chunk = os.urandom(1 << 20)
            digest.update(chunk)
            fh.write(chunk)
    return path, digest.hexdigest()


def _rotated(items: Sequence[T], round_: int) -> list[T]:
    """`items` rotated by `round_`, so that no item always goes first."""
    k = round_ % len(items)
    return [*items[k:], *items[:k]]


def _poll_body(pid: str) -> bytes:
    return json.dumps({"preuploadID": pid}).encode()


def child_per_call(job: Job) -> Job:
    """`client.upload_async_result()` against the same request sent with a bare, keep-alive `httpx.Client`."""
    url, calls, rounds = job["url"], job["calls"], job["rounds"]
    headers = _bare_headers(job["token"])
    counter = itertools.count()
    with (
        httpx.Client(base_url=url) as http,
        pan123_oss.Client(client_id=job["client_id"], client_secret=job["client_secret"], base_url=url) as client,
    ):

        def bare() -> None:
            reply = http.post(POLL_PATH, content=_poll_body(f"bare-{next(counter)}"), headers=headers).json()
            assert reply["code"] == 0

        def wrapped() -> None:
            # A new upload each call: the client would rightly hold a second call for one upload for 1 s.
            assert not client.upload_async_result(f"client-{next(counter)}").completed

        sides: dict[str, Callable[[], None]] = {"bare": bare, "client": wrapped}
        for call in sides.values():  # warm up: the token fetch, connections, first-call imports
            for _ in range(min(calls, 100)):
                call()
        wall: dict[str, list[float]] = {name: [] for name in sides}
        cpu: dict[str, list[float]] = {name: [] for name in sides}
        for r in range(rounds):
            order = list(sides) if r % 2 == 0 else list(reversed(sides))
            for name in order:
                call = sides[name]
                t0, c0 = time.perf_counter(), time.process_time()
                for _ in range(calls):
                    call()
                wall[name].append((time.perf_counter() - t0) / calls)
                cpu[name].append((time.process_time() - c0) / calls)
    return {"wall": wall, "cpu": cpu}


async def _bare_async_wait(
    http: httpx.AsyncClient, pid: str, headers: dict[str, str], schedule: Schedule, bound: asyncio.Semaphore
) -> str:
    sleeps = schedule.sleeps()
    while True:
        async with bound:
            data = (await http.post(POLL_PATH, content=_poll_body(pid), headers=headers)).json()["data"]
        if data["completed"]:
            file_id: str = data["fileID"]
            return file_id
        await asyncio.sleep(next(sleeps))


async def _fan_out(job: Job) -> tuple[list[str], int]:
    url, pids = job["url"], job["pids"]
    if job["mode"] == "client":
        async with pan123_oss.AsyncClient(
            client_id=job["client_id"], client_secret=job["client_secret"], base_url=url
        ) as client:
            results = await asyncio.gather(*(client.wait_for_upload(p, timeout=WAIT_TIMEOUT) for p in pids))
            return list(results), client.token_fetches
    schedule = Schedule.of(pan123_oss.PollPolicy())
    # The same connection limit as AsyncClient's own pool.
    limits = httpx.Limits(max_connections=job["max_connections"], max_keepalive_connections=job["max_connections"])
    # "bounded" hands httpx at most as many requests as it has connections; "bare" hands it every one at once.
    bound = asyncio.Semaphore(job["max_connections"] if job["mode"] == "bounded" else len(pids))
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30.0) as http:
        body, token_headers = _bare_token_request(job)
        token = (await http.post(TOKEN_PATH, content=body, headers=token_headers)).json()["data"]["accessToken"]
        headers = _bare_headers(token)
        results = await asyncio.gather(*(_bare_async_wait(http, p, headers, schedule, bound) for p in pids))
        return list(results), 1


def _timed(run: Callable[[], tuple[list[str], int]], job: Job) -> Job:
    rss_before = rss_mib()
    t0, c0 = time.perf_counter(), time.process_time()
    results, token_fetches = run()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    expected: dict[str, str] = job["expected"]
    wrong = sum(result != expected[pid] for pid, result in zip(job["pids"], results, strict=True))
    return {
        "wall": wall,
        "cpu": cpu,
        "rss_before": rss_before,
        "peak_rss": peak_rss_mib(),
        "wrong": wrong,
        "token_fetches": token_fetches,
    }


def child_fan_out(job: Job) -> Job:
    """Every upload in `job["pids"]` waited for concurrently on one event loop."""
    return _timed(lambda: asyncio.run(_fan_out(job)), job)


def _threads(job: Job) -> tuple[list[str], int]:
    url, pids, workers = job["url"], job["pids"], job["threads"]
    if job["mode"] == "client":
        with (
            pan123_oss.Client(client_id=job["client_id"], client_secret=job["client_secret"], base_url=url) as client,
            concurrent.futures.ThreadPoolExecutor(workers) as pool,
        ):
            results = list(pool.map(lambda p: client.wait_for_upload(p, timeout=WAIT_TIMEOUT), pids))
            return results, client.token_fetches
    schedule = Schedule.of(pan123_oss.PollPolicy())
    with httpx.Client(base_url=url, timeout=30.0) as http, concurrent.futures.ThreadPoolExecutor(workers) as pool:
        headers = _bare_login(http, job)

        def wait(pid: str) -> str:
            sleeps = schedule.sleeps()
            while True:
                data = http.post(POLL_PATH, content=_poll_body(pid), headers=headers).json()["data"]
                if data["completed"]:
                    file_id: str = data["fileID"]
                    return file_id
                time.sleep(next(sleeps))

        return list(pool.map(wait, pids)), 1


def child_threads(job: Job) -> Job:
    """The uploads in `job["pids"]` waited for by `job["threads"]` threads sharing one client."""
    return _timed(lambda: _threads(job), job)


def _bare_puts(http: httpx.Client, path: str, size: int, slice_size: int, urls: list[str], concurrency: int) -> None:
    """PUT each slice of the file to its URL, streamed in 1 MiB chunks, `concurrency` at a time."""

    def put(number: int, url: str) -> None:
        offset = (number - 1) * slice_size
        length = min(slice_size, size - offset)

        def chunks() -> Iterator[bytes]:
            with open(path, "rb") as fh:
                fh.seek(offset)
                left = length
                while left:
                    data = fh.read(min(1 << 20, left))
                    left -= len(data)
                    yield data

        http.put(url, content=chunks(), headers={"Content-Length": str(length)}).raise_for_status()

    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(put, range(1, len(urls) + 1), urls))


def _bare_flow(job: Job) -> str:
    """The whole upload done by hand with bare httpx: MD5, create, URLs and PUTs, complete, poll."""
    path, size = job["path"], job["size"]
    etag = _file_md5(path)
    with httpx.Client(base_url=job["url"], timeout=60.0) as http:
        headers = _bare_login(http, job)
        create = {"parentFileID": "", "filename": "upload.bin", "etag": etag, "size": size, "type": 1}
        created = http.post(CREATE_PATH, json=create, headers=headers).json()["data"]
        pid, slice_size = created["preuploadID"], created["sliceSize"]
        urls = [
            http.post(URL_PATH, json={"preuploadID": pid, "sliceNo": n}, headers=headers).json()["data"]["presignedURL"]
            for n in range(1, math.ceil(size / slice_size) + 1)
        ]
        _bare_puts(http, path, size, slice_size, urls, job["concurrency"])
        http.post(COMPLETE_PATH, content=_poll_body(pid), headers=headers)
        while True:
            data = http.post(POLL_PATH, content=_poll_body(pid), headers=headers).json()["data"]
            if data["completed"]:
                file_id: str = data["fileID"]
                return file_id
            time.sleep(1.0)


def child_upload(job: Job) -> Job:
    """One `upload_file` in a new process (mode "client"), or a client's second upload (mode "client-warm":
    it has seen `sliceSize`, so the slices' MD5s come from the whole-file pass; timed from that call); or,
    as baselines, bare httpx PUTs of the same slices to URLs the parent fetched (mode "bare-put": the bytes
    on the wire only), or the whole flow by hand with bare httpx (mode "bare-flow": the same steps as the
    client, minus its checks, retries and progress)."""
    path, size = job["path"], job["size"]
    t0, c0 = time.perf_counter(), time.process_time()
    if job["mode"] in ("client", "client-warm"):
        with pan123_oss.Client(
            client_id=job["client_id"], client_secret=job["client_secret"], base_url=job["url"]
        ) as client:
            if job["mode"] == "client-warm":
                client.upload_file(io.BytesIO(os.urandom(1024)), filename="first.bin", link=False)
                t0, c0 = time.perf_counter(), time.process_time()
            result = client.upload_file(path, concurrency=job["concurrency"], link=False)
        file_id = result.file_id
    elif job["mode"] == "bare-put":
        with httpx.Client(timeout=60.0) as http:
            _bare_puts(http, path, size, job["slice_size"], job["urls"], job["concurrency"])
        file_id = ""
    else:
        file_id = _bare_flow(job)
    return {
        "wall": time.perf_counter() - t0,
        "cpu": time.process_time() - c0,
        "peak_rss": peak_rss_mib(),
        "file_id": file_id,
    }


def child_md5(job: Job) -> Job:
    """The whole-file MD5 pass alone, as `upload_file` must do it before `create`: the API's own cost."""
    t0 = time.perf_counter()
    digest = _file_md5(job["path"])
    return {"wall": time.perf_counter() - t0, "md5": digest}


async def _library_batch(job: Job) -> list[str]:
    """Every image through one `AsyncClient`, `jobs` uploads at a time (1: one after another, in order)."""
    async with pan123_oss.AsyncClient(
        client_id=job["client_id"], client_secret=job["client_secret"], base_url=job["url"]
    ) as client:
        bound = asyncio.Semaphore(job["jobs"])

        async def one(path: str) -> str:
            async with bound:
                result = await client.upload_file(path, link=True)
            return result.url or ""

        return list(await asyncio.gather(*(one(path) for path in job["files"])))


def _picgo_batch(job: Job) -> list[str]:
    """What the PicGo plugin does, with bare httpx: one file at a time; per file MD5, create, a URL and a PUT
    per slice, complete, 2 s before the first poll, polls 1 s apart, detail for the link; 500 ms between files."""
    urls: list[str] = []
    with httpx.Client(base_url=job["url"], timeout=60.0) as http:
        headers = _bare_login(http, job)
        for index, path in enumerate(job["files"]):
            if index:
                time.sleep(PICGO_BETWEEN_FILES)
            data = Path(path).read_bytes()
            etag = hashlib.md5(data, usedforsecurity=False).hexdigest()
            create = {"parentFileID": "", "filename": Path(path).name, "etag": etag, "size": len(data), "type": 1}
            created = http.post(CREATE_PATH, json=create, headers=headers).json()["data"]
            file_id: str = created["fileID"]
            if not created["reuse"]:
                pid, slice_size = created["preuploadID"], created["sliceSize"]
                for number, start in enumerate(range(0, len(data), slice_size), 1):
                    ask = {"preuploadID": pid, "sliceNo": number}
                    put_url = http.post(URL_PATH, json=ask, headers=headers).json()["data"]["presignedURL"]
                    http.put(put_url, content=data[start : start + slice_size]).raise_for_status()
                http.post(COMPLETE_PATH, content=_poll_body(pid), headers=headers)
                time.sleep(PICGO_FIRST_POLL)
                while True:
                    polled = http.post(POLL_PATH, content=_poll_body(pid), headers=headers).json()["data"]
                    if polled["completed"]:
                        file_id = polled["fileID"]
                        break
                    time.sleep(PICGO_POLL_INTERVAL)
            detail = http.get(DETAIL_PATH, params={"fileID": file_id}, headers=headers).json()["data"]
            urls.append(detail["downloadURL"])
    return urls


def child_batch(job: Job) -> Job:
    """A batch of images uploaded and turned into links: through the library (mode "library", `jobs` at
    once), or as the PicGo plugin does it (mode "picgo")."""
    t0, c0 = time.perf_counter(), time.process_time()
    urls = asyncio.run(_library_batch(job)) if job["mode"] == "library" else _picgo_batch(job)
    return {"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0, "urls": urls}


CHILDREN: dict[str, Callable[[Job], Job]] = {
    "per_call": child_per_call,
    "fan_out": child_fan_out,
    "threads": child_threads,
    "upload": child_upload,
    "md5": child_md5,
    "batch": child_batch,
}


def run_child(name: str, job: Job) -> Job:
    done = subprocess.run(  # noqa: S603 - this very script, with this interpreter
        [sys.executable, __file__, "--child", name],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child {name!r} failed:\n{done.stderr}")
    result: Job = json.loads(done.stdout.splitlines()[-1])
    return result


# Orchestrating, in the parent.
@dataclasses.dataclass(frozen=True, slots=True)
class Config:
    runs: int
    per_call_calls: int
    per_call_rounds: int
    fan_out_uploads: int
    thread_count: int
    thread_waits: int
    thread_runs: int
    import_runs: int
    upload_mib: int
    upload_runs: int
    batch_images: int
    batch_jobs: int
    batch_baseline_runs: int
    rate_files: int
    rate_waits: int


FULL = Config(
    runs=3,
    per_call_calls=500,
    per_call_rounds=9,
    fan_out_uploads=1000,
    thread_count=32,
    thread_waits=200,
    thread_runs=3,
    import_runs=9,
    upload_mib=200,
    upload_runs=5,
    batch_images=100,
    batch_jobs=8,
    batch_baseline_runs=1,
    rate_files=40,
    rate_waits=40,
)
QUICK = Config(
    runs=1,
    per_call_calls=200,
    per_call_rounds=3,
    fan_out_uploads=200,
    thread_count=8,
    thread_waits=24,
    thread_runs=1,
    import_runs=3,
    upload_mib=32,
    upload_runs=1,
    batch_images=12,
    batch_jobs=4,
    batch_baseline_runs=1,
    rate_files=12,
    rate_waits=12,
)


@dataclasses.dataclass(frozen=True, slots=True)
class Row:
    benchmark: str
    figure: str
    measured: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    verdict: str = ""


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b > 0 else "-"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _med(values: Sequence[float]) -> float:
    return statistics.median(values)


def bench_per_call(cfg: Config) -> list[Row]:
    fake = FakePan123(auto_uploads=True, pending_polls=10**9)
    with fake.serve() as url:
        job = {
            "url": url,
            "token": fake.issue_token(),
            "client_id": fake.client_id,
            "client_secret": fake.client_secret,
            "calls": cfg.per_call_calls,
            "rounds": cfg.per_call_rounds,
        }
        out = run_child("per_call", job)
    wall_client, wall_bare = _med(out["wall"]["client"]), _med(out["wall"]["bare"])
    cpu_client, cpu_bare = _med(out["cpu"]["client"]), _med(out["cpu"]["bare"])
    ratio = wall_client / wall_bare
    name = f"1. per-call overhead ({cfg.per_call_rounds} rounds of {cfg.per_call_calls} calls)"
    return [
        Row(
            name,
            "time per `upload_async_result()`",
            f"{wall_client * 1e6:.0f} µs",
            f"{wall_bare * 1e6:.0f} µs (bare `httpx.Client`)",
            f"{ratio:.2f}",
            "ratio ≤ 1.15",
            _verdict(ratio <= 1.15),
        ),
        Row(
            "",
            "client CPU per call",
            f"{cpu_client * 1e6:.0f} µs",
            f"{cpu_bare * 1e6:.0f} µs",
            _ratio(cpu_client, cpu_bare),
        ),
    ]


@dataclasses.dataclass(frozen=True, slots=True)
class LoadRun:
    """One child run of many waits, with what the fake server saw of it."""

    wall: float
    cpu: float
    peak_rss: float
    rss_before: float
    wrong: int
    token_fetches: int
    tokens_issued: int
    requests: int
    min_gap: float
    polls_per_upload: tuple[int, int]
    server_cpu: float
    throttled: int = 0
    """Requests the fake refused as over its `qps` limits."""


def _load_run(child: str, mode: str, n: int, extra: Job, qps: dict[str, float] | None = None) -> LoadRun:
    fake = FakePan123(pending_polls=COMPLETES_AFTER_POLLS - 1, qps=qps)
    pids = [fake.add_upload() for _ in range(n)]
    expected = {pid: fake.uploads[pid].file_id for pid in pids}
    with fake.serve() as url:
        job = {
            "url": url,
            "mode": mode,
            "pids": pids,
            "expected": expected,
            "client_id": fake.client_id,
            "client_secret": fake.client_secret,
            **extra,
        }
        c0 = time.process_time()
        out = run_child(child, job)
        server_cpu = time.process_time() - c0
    gaps = [b.time - a.time for pid in pids for a, b in itertools.pairwise(fake.polls(pid))]
    counts = [len(fake.polls(pid)) for pid in pids]
    return LoadRun(
        wall=out["wall"],
        cpu=out["cpu"],
        peak_rss=out["peak_rss"],
        rss_before=out["rss_before"],
        wrong=out["wrong"],
        token_fetches=out["token_fetches"],
        tokens_issued=fake.tokens_issued,
        requests=len(fake.requests),
        min_gap=min(gaps, default=math.inf),
        polls_per_upload=(min(counts), max(counts)),
        server_cpu=server_cpu,
        throttled=sum(fake.throttled.values()),
    )


def _load_rows(name: str, ideal: float, target: float, client: list[LoadRun], bare: list[LoadRun]) -> list[Row]:
    def med(runs: list[LoadRun], field: str) -> float:
        return _med([getattr(r, field) for r in runs])

    wall_c, wall_b = med(client, "wall"), med(bare, "wall")
    cpu_c, cpu_b = med(client, "cpu"), med(bare, "cpu")
    rss_c, rss_b = med(client, "peak_rss"), med(bare, "peak_rss")
    rps_c = _med([r.requests / r.wall for r in client])
    rps_b = _med([r.requests / r.wall for r in bare])
    min_gap = min(r.min_gap for r in client)
    polls = sorted({p for r in client for p in r.polls_per_upload})
    wrong = sum(r.wrong for r in client)
    fetches = sorted({r.token_fetches for r in client} | {r.tokens_issued for r in client})
    rows = [
        Row(
            name,
            "wall time against the schedule's ideal",
            f"{wall_c:.2f} s",
            f"{ideal:.2f} s (the polling schedule, no jitter)",
            _ratio(wall_c, ideal),
            f"≤ {target:.2f}",
            _verdict(wall_c <= target * ideal),
        ),
        Row(
            "",
            "wall time against a bare httpx loop",
            f"{wall_c:.2f} s",
            f"{wall_b:.2f} s ({_ratio(wall_b, ideal)} x ideal)",
            _ratio(wall_c, wall_b),
        ),
        Row("", "CPU time", f"{cpu_c:.2f} s", f"{cpu_b:.2f} s", _ratio(cpu_c, cpu_b)),
        Row(
            "",
            "peak RSS",
            f"{rss_c:.1f} MiB",
            f"{rss_b:.1f} MiB",
            _ratio(rss_c, rss_b),
            "",
            f"{med(client, 'rss_before'):.1f} MiB before the waits",
        ),
        Row("", "requests per second", f"{rps_c:.0f}", f"{rps_b:.0f}", _ratio(rps_c, rps_b)),
        Row(
            "",
            "server CPU (fake, same run)",
            f"{med(client, 'server_cpu'):.2f} s",
            f"{med(bare, 'server_cpu'):.2f} s",
            _ratio(med(client, "server_cpu"), med(bare, "server_cpu")),
        ),
        Row(
            "",
            "shortest gap between two polls of one upload (server-side arrivals)",
            f"{min_gap:.3f} s",
            f"1 s (the service's limit; bare loop {min(r.min_gap for r in bare):.3f} s)",
            f"{min_gap:.3f}",
            "≥ 1.00",
            _verdict(min_gap >= 1.0),
        ),
        Row(
            "",
            "polls per upload (fewest-most); wrong file IDs",
            f"{'-'.join(map(str, polls))}; {wrong}",
            f"{COMPLETES_AFTER_POLLS} (the fake completes on that poll); 0",
            _ratio(max(polls), COMPLETES_AFTER_POLLS),
            "1.00; 0",
            _verdict(polls == [COMPLETES_AFTER_POLLS] and wrong == 0),
        ),
        Row(
            "",
            "token fetches (client count, fake count)",
            "/".join(map(str, fetches)),
            "1",
            _ratio(max(fetches), 1),
            "1.00",
            _verdict(fetches == [1]),
        ),
    ]
    return rows


def _interleaved(runs: int, modes: Sequence[str], run: Callable[[str], LoadRun]) -> dict[str, list[LoadRun]]:
    """`runs` rounds of one child run per mode, the order rotating each round so no mode always goes first."""
    results: dict[str, list[LoadRun]] = {mode: [] for mode in modes}
    for i in range(runs):
        for mode in _rotated(modes, i):
            results[mode].append(run(mode))
            print(f"  {mode} run {i + 1}/{runs}: {results[mode][-1].wall:.2f} s", flush=True)
    return results


FAN_OUT_TARGET = 1.8
"""1,000 waits within 1.8 x the schedule: about what httpx's per-request CPU allows on 2 cores (see BENCHMARKS.md)."""
THREADS_TARGET = 1.2


def bench_fan_out(cfg: Config) -> list[Row]:
    n = cfg.fan_out_uploads
    extra = {"max_connections": 100}  # what AsyncClient uses; the bare baselines get the same
    runs = _interleaved(cfg.runs, ["bare", "bounded", "client"], lambda mode: _load_run("fan_out", mode, n, extra))
    ideal = ideal_wait(pan123_oss.PollPolicy(), COMPLETES_AFTER_POLLS)
    name = f"2. async fan-out: {n:,} waits on one `AsyncClient`, {COMPLETES_AFTER_POLLS} polls each"
    rows = _load_rows(name, ideal, FAN_OUT_TARGET, runs["client"], runs["bare"])
    bounded, client = runs["bounded"], runs["client"]
    wall, cpu = _med([r.wall for r in bounded]), _med([r.cpu for r in bounded])
    rows.insert(
        2,
        Row(
            "",
            "wall time against a bare loop that hands httpx at most 100 requests at once",
            f"{_med([r.wall for r in client]):.2f} s",
            f"{wall:.2f} s ({wall / ideal:.2f} x ideal; CPU {cpu:.2f} s)",
            _ratio(_med([r.wall for r in client]), wall),
        ),
    )
    return rows


def bench_threads(cfg: Config) -> list[Row]:
    n, workers = cfg.thread_waits, cfg.thread_count
    runs = _interleaved(
        cfg.thread_runs, ["bare", "client"], lambda mode: _load_run("threads", mode, n, {"threads": workers})
    )
    client, bare = runs["client"], runs["bare"]
    # Each thread waits for its uploads one after another: ceil(n / workers) waits in a row.
    ideal = math.ceil(n / workers) * ideal_wait(pan123_oss.PollPolicy(), COMPLETES_AFTER_POLLS)
    name = f"3. threads: {workers} threads sharing one `Client`, {n} waits, {COMPLETES_AFTER_POLLS} polls each"
    return _load_rows(name, ideal, THREADS_TARGET, client, bare)


def import_time_us(module: str) -> int:
    """The cumulative import time of `module` in a fresh interpreter, from `python -X importtime`."""
    done = subprocess.run(  # noqa: S603 - this interpreter, importing one module
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
    )
    for line in done.stderr.splitlines():
        parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[2] == module:
            return int(parts[1])
    raise RuntimeError(f"no import time line for {module}:\n{done.stderr}")


def bench_import(cfg: Config) -> list[Row]:
    ours: list[int] = []
    theirs: list[int] = []
    import_time_us("pan123_oss")  # warm the bytecode caches
    for _ in range(cfg.import_runs):
        ours.append(import_time_us("pan123_oss"))
        theirs.append(import_time_us("httpx"))
    mine, base = _med(ours) / 1000, _med(theirs) / 1000
    return [
        Row(
            f"4. import time ({cfg.import_runs} fresh interpreters each)",
            "`import pan123_oss` (cumulative, `-X importtime`; median, fastest in brackets)",
            f"{mine:.1f} ms ({min(ours) / 1000:.1f})",
            f"{base:.1f} ms ({min(theirs) / 1000:.1f}) (`import httpx`)",
            f"{mine / base:.2f}",
            "< 150 ms",
            _verdict(mine < 150),
        )
    ]


UPLOAD_SLICE = 16 << 20
"""The fake's sliceSize for the upload benchmark (the real service's example is 100 MiB)."""
UPLOAD_CONCURRENCY = 3


def _bare_urls(url: str, fake: FakePan123, path: Path, size: int) -> list[str]:
    """Presigned URLs for every slice of a fresh upload session, fetched outside the timed child."""
    with httpx.Client(base_url=url, timeout=30.0) as http:
        headers = _bare_headers(fake.issue_token())
        etag = hashlib.md5(b"not checked: this session is never completed", usedforsecurity=False).hexdigest()
        body = {"parentFileID": "", "filename": path.name, "etag": etag, "size": size}
        pid = http.post(CREATE_PATH, json={**body, "type": 1}, headers=headers).json()["data"]
        count = math.ceil(size / UPLOAD_SLICE)
        urls = []
        for number in range(1, count + 1):
            payload = {"preuploadID": pid["preuploadID"], "sliceNo": number}
            urls.append(http.post(URL_PATH, json=payload, headers=headers).json())
        return [u["data"]["presignedURL"] for u in urls]


def _completion(requests: Sequence[Any]) -> float:
    """The fake's own time at `upload_complete` (merging the slices and checking the file's MD5): from the
    complete's arrival to the arrival of the next request of the run, the first poll, sent as soon as it answers."""
    found = math.nan
    for before, after in itertools.pairwise(requests):
        if before.path == COMPLETE_PATH:
            found = float(after.time - before.time)  # the last: a warm-up upload may come first
    return found


def bench_upload(cfg: Config) -> list[Row]:
    size = cfg.upload_mib << 20
    modes = ("client", "client-warm", "bare-put", "bare-flow", "md5")
    runs: dict[str, list[Job]] = {mode: [] for mode in modes}
    with tempfile.TemporaryDirectory() as tmp:
        path, digest = _random_file(Path(tmp) / "upload.bin", cfg.upload_mib)
        fake = FakePan123(slice_size=UPLOAD_SLICE, pending_polls=0)
        with fake, fake.serve() as url:
            common = {"url": url, "path": str(path), "size": size, "concurrency": UPLOAD_CONCURRENCY}
            for round_ in range(cfg.upload_runs):
                # Rotate the order so that no mode always goes first.
                for mode in _rotated(modes, round_):
                    if mode == "md5":
                        runs[mode].append(run_child("md5", {"path": str(path)}))
                        continue
                    job: Job = {
                        **common,
                        "mode": mode,
                        "client_id": fake.client_id,
                        "client_secret": fake.client_secret,
                    }
                    if mode == "bare-put":
                        job.update(urls=_bare_urls(url, fake, path, size), slice_size=UPLOAD_SLICE)
                    seen = len(fake.requests)
                    result = run_child("upload", job)
                    if mode != "bare-put":
                        stored = hashlib.md5(fake.file_bytes(result["file_id"]), usedforsecurity=False).hexdigest()
                        result["verified"] = stored == digest
                        result["completion"] = _completion(fake.requests[seen:])
                    runs[mode].append(result)
                    fake.close()  # forget the bytes, so the next client run is not an instant upload

    def med(mode: str, field: str = "wall") -> float:
        return _med([r[field] for r in runs[mode]])

    def paired(mode: str) -> str:
        # Each round runs every flow once, back to back: the spread of the per-round ratios shows the noise.
        ratios = sorted(a["wall"] / b["wall"] for a, b in zip(runs[mode], runs["bare-flow"], strict=True))
        faster = sum(r < 1 for r in ratios)
        return f"per round {ratios[0]:.2f}-{ratios[-1]:.2f}, faster in {faster} of {len(ratios)}"

    def own(mode: str) -> float:
        # The client's own time: its wall time less the fake's completion in that same run, which no client
        # can shorten (it merges the slices and checks the MD5 of the whole file before it answers).
        return _med([r["wall"] - r["completion"] for r in runs[mode]])

    mib = size / (1 << 20)
    ours, warm, put, flow, md5 = med("client"), med("client-warm"), med("bare-put"), med("bare-flow"), med("md5")
    limit = md5 + put
    completion, flow_completion = med("client", "completion"), med("bare-flow", "completion")
    warm_completion = med("client-warm", "completion")
    ours_own, warm_own, flow_own = own("client"), own("client-warm"), own("bare-flow")
    rss, rss_flow = max(r["peak_rss"] for r in runs["client"]), max(r["peak_rss"] for r in runs["bare-flow"])
    verified = [r["verified"] for r in runs["client"] + runs["client-warm"] + runs["bare-flow"]]
    name = f"5. upload {cfg.upload_mib} MiB ({cfg.upload_runs} runs, {UPLOAD_SLICE >> 20} MiB slices, 3 at once)"
    return [
        Row(
            name,
            "first `upload_file` of a new process (token, MD5 pass, create, slices, parts, complete, poll), "
            "less the fake's own completion, against the API's minimum",
            f"{ours_own:.2f} s (whole: {ours:.2f} s, {mib / ours:.0f} MiB/s)",
            f"{limit:.2f} s = whole-file MD5 {md5:.2f} s + bare httpx PUTs of the slices {put:.2f} s",
            _ratio(ours_own, limit),
            "≤ 1.10",
            _verdict(ours_own <= 1.1 * limit),
        ),
        Row(
            "",
            "a client's second upload (slice MD5s from the whole-file pass), less the fake's completion, "
            "against the same",
            f"{warm_own:.2f} s (whole: {warm:.2f} s, {mib / warm:.0f} MiB/s)",
            f"{limit:.2f} s",
            _ratio(warm_own, limit),
            "≤ 1.10",
            _verdict(warm_own <= 1.1 * limit),
        ),
        Row(
            "",
            "the same steps by hand with bare httpx (MD5, token, create, URLs, PUTs, complete, poll), less the "
            "fake's completion, against the same",
            f"{flow_own:.2f} s (whole: {flow:.2f} s)",
            f"{limit:.2f} s",
            _ratio(flow_own, limit),
        ),
        Row(
            "",
            "first upload against the same steps by hand with bare httpx, whole times",
            f"{ours:.2f} s",
            f"{flow:.2f} s ({mib / flow:.0f} MiB/s; {paired('client')})",
            _ratio(ours, flow),
            "≤ 1.00",
            _verdict(ours <= flow),
        ),
        Row(
            "",
            "second upload against the same steps by hand with bare httpx, whole times",
            f"{warm:.2f} s",
            f"{flow:.2f} s ({paired('client-warm')})",
            _ratio(warm, flow),
            "≤ 1.00",
            _verdict(warm <= flow),
        ),
        Row(
            "",
            "first upload, whole, against MD5 + bare PUTs + the fake's own completion (merge and MD5 check)",
            f"{ours:.2f} s",
            f"{limit + completion:.2f} s (completion {completion:.2f} s; in the bare flow {flow_completion:.2f} s)",
            _ratio(ours, limit + completion),
        ),
        Row(
            "",
            "second upload, whole, against MD5 + bare PUTs + the fake's own completion",
            f"{warm:.2f} s",
            f"{limit + warm_completion:.2f} s (completion {warm_completion:.2f} s)",
            _ratio(warm, limit + warm_completion),
        ),
        Row(
            "",
            "client CPU time (first upload, second upload), against the bare flow's",
            f"{med('client', 'cpu'):.2f} s, {med('client-warm', 'cpu'):.2f} s",
            f"{med('bare-flow', 'cpu'):.2f} s",
            _ratio(med("client", "cpu"), med("bare-flow", "cpu")),
        ),
        Row(
            "",
            "peak RSS of the uploading process (VmHWM)",
            f"{rss:.1f} MiB",
            f"{rss_flow:.1f} MiB (bare flow)",
            _ratio(rss, rss_flow),
            "< 100 MiB",
            _verdict(rss < 100),
        ),
        Row(
            "",
            "runs whose stored bytes equal the file (MD5 of what the fake kept; client runs and bare flow)",
            f"{sum(verified)} of {len(verified)}",
            "",
            _ratio(sum(verified), len(verified)),
            "all",
            _verdict(all(verified)),
        ),
    ]


BATCH_LATENCY = 0.08
"""Seconds the fake adds before every reply in the batch benchmark: a wide-area round trip."""
BATCH_BANDWIDTH = 20 << 20
"""Bytes a second per connection at which the fake takes slice bodies in the batch benchmark."""
BATCH_SLICE = 100 << 20
"""The batch fake's sliceSize: the docs' example, so that every image is one slice, as with the real service."""
BATCH_SIZES = (50_000, 5_000_000)
"""Image sizes in bytes, drawn log-uniformly (small images are the common case) with a fixed seed."""
BATCH_SEED = 123
PICGO_FIRST_POLL = 2.0
PICGO_POLL_INTERVAL = 1.0
PICGO_BETWEEN_FILES = 0.5


def _batch_files(folder: Path, count: int) -> list[tuple[Path, str]]:
    """`count` files of random bytes with seeded random sizes; (path, MD5) of each."""
    rng = random.Random(BATCH_SEED)  # noqa: S311 - test data that must be the same every run
    low, high = (math.log(size) for size in BATCH_SIZES)
    files = []
    for index in range(count):
        data = rng.randbytes(round(math.exp(rng.uniform(low, high))))
        path = folder / f"image-{index:03d}.png"
        path.write_bytes(data)
        files.append((path, hashlib.md5(data, usedforsecurity=False).hexdigest()))
    return files


@dataclasses.dataclass(frozen=True, slots=True)
class BatchRun:
    """One batch: its time, and what the fake recorded of it."""

    wall: float
    cpu: float
    tokens: int
    """Token requests the fake answered."""
    requests: int
    """Every other request the fake answered: API calls and slice PUTs."""
    kinds: dict[str, int]
    ok: bool
    """Every file stored with the right MD5, and one distinct link of the fake's returned for each."""

    def ideal(self, sizes: Sequence[int], jobs: int) -> float:
        """The critical path at the fake's latency and bandwidth, spread over `jobs` uploads at once:
        tokens x L + max(sum(t_i) / jobs, max(t_i)), where t_i = (requests / images) x L + size_i / B."""
        per_image = self.requests / len(sizes) * BATCH_LATENCY
        each = [per_image + size / BATCH_BANDWIDTH for size in sizes]
        return self.tokens * BATCH_LATENCY + max(sum(each) / jobs, max(each))


def _request_kind(record: Any) -> str:
    return "PUT" if record.method == "PUT" else str(record.path).rsplit("/", 1)[-1]


def _batch_run(mode: str, files: Sequence[tuple[Path, str]], jobs: int, folder: Path) -> BatchRun:
    """One batch against a fresh fake (so that no upload is instant), timed from start to the last link."""
    fake = FakePan123(slice_size=BATCH_SLICE, pending_polls=0, latency=BATCH_LATENCY, bandwidth=BATCH_BANDWIDTH)
    paths = [str(path) for path, _ in files]
    with fake, fake.serve() as url:
        if mode == "cli":
            env = {
                **os.environ,
                "PAN123_CLIENT_ID": fake.client_id,
                "PAN123_CLIENT_SECRET": fake.client_secret,
                "PAN123_BASE_URL": url,
                "PAN123_TOKEN_CACHE": str(folder / f"tokens-{time.monotonic_ns()}.json"),
            }
            command = [sys.executable, "-m", "pan123_oss", "upload", *paths, "--jobs", str(jobs), "--format", "url"]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900, check=False)  # noqa: S603 - this interpreter, this package's CLI
            wall = time.perf_counter() - t0
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if done.returncode != 0:
                raise RuntimeError(f"pan123-oss upload failed:\n{done.stderr}")
            urls = done.stdout.splitlines()
            cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        else:
            job: Job = {
                "url": url,
                "mode": "picgo" if mode == "picgo" else "library",
                "files": paths,
                "jobs": jobs,
                "client_id": fake.client_id,
                "client_secret": fake.client_secret,
            }
            out = run_child("batch", job)
            wall, cpu, urls = out["wall"], out["cpu"], out["urls"]
        kinds: dict[str, int] = {}
        for record in fake.requests:
            kinds[_request_kind(record)] = kinds.get(_request_kind(record), 0) + 1
        tokens = kinds.get(TOKEN_PATH.rsplit("/", 1)[-1], 0)
        stored = sorted(f.etag for f in fake.oss.files.values())
        linked = {u.removeprefix(f"{url}/fake-files/").split(".", 1)[0] for u in urls}
        ok = stored == sorted(md5 for _, md5 in files) and len(urls) == len(files) and linked == set(fake.oss.files)
    return BatchRun(wall, cpu, tokens, len(fake.requests) - tokens, kinds, ok)


def bench_batch(cfg: Config) -> list[Row]:
    n, jobs = cfg.batch_images, cfg.batch_jobs
    runs: dict[str, list[BatchRun]] = {"library": [], "cli": [], "one-by-one": [], "picgo": []}
    with tempfile.TemporaryDirectory() as tmp:
        files = _batch_files(Path(tmp), n)
        sizes = [path.stat().st_size for path, _ in files]
        plan = [("library", jobs), ("cli", jobs)]
        rounds = [_rotated(plan, i) for i in range(cfg.runs)]
        rounds += [[("one-by-one", 1), ("picgo", 1)]] * cfg.batch_baseline_runs
        for round_ in rounds:
            for mode, at_once in round_:
                runs[mode].append(_batch_run(mode, files, at_once, Path(tmp)))
                print(f"  {mode}: {runs[mode][-1].wall:.2f} s", flush=True)

    def wall(mode: str) -> float:
        return _med([r.wall for r in runs[mode]])

    def ideal(mode: str, at_once: int) -> float:
        return _med([r.ideal(sizes, at_once) for r in runs[mode]])

    library, cli, single, picgo = wall("library"), wall("cli"), wall("one-by-one"), wall("picgo")
    ideal_lib, ideal_cli, ideal_single = ideal("library", jobs), ideal("cli", jobs), ideal("one-by-one", 1)
    total = sum(sizes) / 1e6
    name = (
        f"6. batch: {n} images ({BATCH_SIZES[0] // 1000} KB-{BATCH_SIZES[1] // 1_000_000} MB, {total:.0f} MB in all) "
        f"to links, {BATCH_LATENCY * 1000:.0f} ms a request, {BATCH_BANDWIDTH >> 20} MiB/s a connection"
    )
    per_image = _med([r.requests / n for r in runs["library"]])
    kinds = runs["library"][0].kinds
    mix = ", ".join(f"{kind} {count / n:g}" for kind, count in sorted(kinds.items()) if kind != "access_token")
    every = [r for rs in runs.values() for r in rs]
    return [
        Row(
            name,
            f"library: `AsyncClient.upload_file(link=True)`, {jobs} at once",
            f"{library:.2f} s",
            f"{ideal_lib:.2f} s (critical-path ideal)",
            _ratio(library, ideal_lib),
            "≤ 1.30",
            _verdict(library <= 1.3 * ideal_lib),
        ),
        Row(
            "",
            f"CLI: `pan123-oss upload` {n} files `--jobs {jobs} --format url`, process start to exit",
            f"{cli:.2f} s",
            f"{ideal_cli:.2f} s (critical-path ideal)",
            _ratio(cli, ideal_cli),
            "≤ 1.30",
            _verdict(cli <= 1.3 * ideal_cli),
        ),
        Row(
            "",
            f"library, {jobs} at once, against one by one (same client, 1 at a time)",
            f"{library:.2f} s",
            f"{single:.2f} s ({_ratio(single, ideal_single)} x its ideal {ideal_single:.2f} s)",
            _ratio(library, single),
        ),
        Row(
            "",
            "library against the PicGo plugin's steps with bare httpx (1 at a time, 2 s to the first poll, "
            "polls 1 s apart, 500 ms between files)",
            f"{library:.2f} s",
            f"{picgo:.2f} s",
            _ratio(library, picgo),
        ),
        Row("", "CLI against the PicGo plugin's steps", f"{cli:.2f} s", f"{picgo:.2f} s", _ratio(cli, picgo)),
        Row(
            "",
            f"requests per image, recorded by the fake (library; plus {runs['library'][0].tokens} token call)",
            f"{per_image:.2f} ({mix})",
            "6 (create, URL, PUT, complete, poll, detail)",
            _ratio(per_image, 6),
        ),
        Row(
            "",
            "client CPU time (library, CLI)",
            f"{_med([r.cpu for r in runs['library']]):.2f} s, {_med([r.cpu for r in runs['cli']]):.2f} s",
            f"{_med([r.cpu for r in runs['picgo']]):.2f} s (PicGo steps)",
            _ratio(_med([r.cpu for r in runs["library"]]), _med([r.cpu for r in runs["picgo"]])),
        ),
        Row(
            "",
            "runs with every file stored intact and one distinct link each",
            f"{sum(r.ok for r in every)} of {len(every)}",
            "",
            _ratio(sum(r.ok for r in every), len(every)),
            "all",
            _verdict(all(r.ok for r in every)),
        ),
    ]


def bench_upload_link(cfg: Config) -> list[Row]:
    """The upload of benchmark 5 over the batch's emulated wide-area link, where round trips, not CPU, cost."""
    size = cfg.upload_mib << 20
    runs: dict[str, list[Job]] = {"client": [], "bare-flow": []}
    with tempfile.TemporaryDirectory() as tmp:
        path, _ = _random_file(Path(tmp) / "upload.bin", cfg.upload_mib)
        fake = FakePan123(slice_size=UPLOAD_SLICE, pending_polls=0, latency=BATCH_LATENCY, bandwidth=BATCH_BANDWIDTH)
        with fake, fake.serve() as url:
            common = {"url": url, "path": str(path), "size": size, "concurrency": UPLOAD_CONCURRENCY}
            for round_ in range(cfg.runs):
                for mode in _rotated(("client", "bare-flow"), round_):
                    job: Job = {
                        **common,
                        "mode": mode,
                        "client_id": fake.client_id,
                        "client_secret": fake.client_secret,
                    }
                    runs[mode].append(run_child("upload", job))
                    fake.close()  # forget the bytes, so the next run is not an instant upload
    ours, flow = _med([r["wall"] for r in runs["client"]]), _med([r["wall"] for r in runs["bare-flow"]])
    slices = math.ceil(size / UPLOAD_SLICE)
    return [
        Row(
            f"7. upload {cfg.upload_mib} MiB over the emulated link ({BATCH_LATENCY * 1000:.0f} ms a request, "
            f"{BATCH_BANDWIDTH >> 20} MiB/s a connection; {slices} slices, {UPLOAD_CONCURRENCY} at once; "
            f"{cfg.runs} runs)",
            "first `upload_file` of a new process against the same steps by hand with bare httpx (which asks "
            "for the token after the MD5 and for every slice URL before the first PUT)",
            f"{ours:.2f} s",
            f"{flow:.2f} s",
            _ratio(ours, flow),
            "≤ 1.00",
            _verdict(ours <= flow),
        )
    ]


SOAK_IDLE = 200
SOAK_SMALL = 100
SOAK_KEY = "benchmark-soak-key-0123456789"
SOAK_TARGET_MIB = 150.0
SOAK_BOUNDARY = "----soak1700000000000"


def _proc_mib(pid: int, field: str) -> float:
    """A `/proc/PID/status` figure of another process, in MiB (or a count, for Threads); NaN where there is none."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                value = int(line.split()[1])
                return float(value) if field == "Threads" else value / 1024
    except OSError:
        pass
    return math.nan


class _Idlers:
    """`count` connections that never finish a request (half send the start of a head), reopened as the server
    drops them, until `stop`: the slowloris load of the soak."""

    def __init__(self, address: tuple[str, int], count: int) -> None:
        self.address = address
        self.socks = [self._open(n) for n in range(count)]
        self.reopened = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._keep, daemon=True)
        self._thread.start()

    def _open(self, n: int) -> socket.socket:
        sock = socket.create_connection(self.address, timeout=5)
        if n % 2:
            sock.sendall(b"POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")
        sock.setblocking(False)
        return sock

    def _keep(self) -> None:
        while not self._stop.wait(0.2):
            for n, sock in enumerate(self.socks):
                try:
                    gone = sock.recv(1) == b""
                except BlockingIOError:
                    gone = False
                except OSError:
                    gone = True
                if gone:
                    sock.close()
                    self.socks[n] = self._open(n)
                    self.reopened += 1

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        for sock in self.socks:
            sock.close()


def _soak_once(big_mib: int) -> Job:
    """One soak of a real `pan123-oss serve` process; its RSS and threads read from /proc by this process."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        fake = FakePan123(pending_polls=0, storage_dir=work)  # slices on disk: this process is not measured
        with fake.serve() as url:
            env = {
                **os.environ, "PAN123_ACCESS_TOKEN": fake.issue_token(), "PAN123_BASE_URL": url,
                "PAN123_SERVE_KEY": SOAK_KEY, "PAN123_TOKEN_CACHE": str(work / "tokens.json"),
            }  # fmt: skip
            for name in ("PAN123_CLIENT_ID", "PAN123_CLIENT_SECRET"):
                env.pop(name, None)
            command = [sys.executable, "-m", "pan123_oss", "serve", "--port", "0", "--format", "url"]
            server = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)  # noqa: S603
            try:
                return _soak(server, work, big_mib, fake)
            finally:
                server.terminate()
                server.wait(30)


def _soak(server: subprocess.Popen[str], work: Path, big_mib: int, fake: FakePan123) -> Job:
    assert server.stderr is not None
    base = ""
    while not base:
        line = server.stderr.readline()
        if not line:
            raise RuntimeError("serve exited before it listened")
        found = re.search(r"(http://127\.0\.0\.1:(\d+))/upload", line)
        base = found[1] if found else ""
    drain = threading.Thread(target=lambda: server.stderr.read() if server.stderr else None, daemon=True)
    drain.start()  # one log line per upload: a full pipe would stall the server
    upload_url = f"{base}/upload?key={SOAK_KEY}"
    small = []
    for n in range(SOAK_SMALL + 1):
        path = work / f"small-{n}.png"
        path.write_bytes(os.urandom(2048 + n))
        small.append(path)
    # The multipart body, on disk: the client sends it from the file, so its memory is not the server's either.
    body = work / "big.multipart"
    with body.open("wb") as fh:
        fh.write(
            f'--{SOAK_BOUNDARY}\r\nContent-Disposition: form-data; name="list"; filename="big.png"\r\n\r\n'.encode()
        )
        for _ in range(big_mib):
            fh.write(os.urandom(1 << 20))
        fh.write(f"\r\n--{SOAK_BOUNDARY}--\r\n".encode())
    warm = httpx.post(upload_url, json={"list": [str(small[-1])]}, timeout=120).json()
    if not warm.get("success"):
        raise RuntimeError(f"serve's warm-up upload failed: {warm}")
    port = int(base.rsplit(":", 1)[1])
    idlers = _Idlers(("127.0.0.1", port), SOAK_IDLE)
    try:
        time.sleep(1.0)
        idle_rss = _proc_mib(server.pid, "VmRSS")
        idle_threads = _proc_mib(server.pid, "Threads")
        start = threading.Barrier(SOAK_SMALL + 1)
        outcomes: list[bool] = []
        lock = threading.Lock()

        def post(path: Path | None) -> None:
            start.wait()
            try:
                if path is None:
                    headers = {"Content-Type": f"multipart/form-data; boundary={SOAK_BOUNDARY}"}
                    with body.open("rb") as fh:
                        reply = httpx.post(upload_url, content=fh, headers=headers, timeout=900)
                else:
                    reply = httpx.post(upload_url, json={"list": [str(path)]}, timeout=900)
                ok = reply.json().get("success") is True
            except (httpx.HTTPError, ValueError):
                ok = False
            with lock:
                outcomes.append(ok)

        began = time.perf_counter()
        threads = [threading.Thread(target=post, args=(p,)) for p in [None, *small[:SOAK_SMALL]]]
        for thread in threads:
            thread.start()
        peak_threads = idle_threads
        while any(t.is_alive() for t in threads):
            peak_threads = max(peak_threads, _proc_mib(server.pid, "Threads"))
            time.sleep(0.1)
        wall = time.perf_counter() - began
        peak_rss = _proc_mib(server.pid, "VmHWM")
    finally:
        idlers.stop()
    stored_big = any(f.size == big_mib << 20 for f in fake.oss.files.values())
    return {
        "idle_rss": idle_rss, "peak_rss": peak_rss, "idle_threads": idle_threads, "peak_threads": peak_threads,
        "sent": len(outcomes), "ok": sum(outcomes), "stored_big": stored_big, "wall": wall,
        "reopened": idlers.reopened,
    }  # fmt: skip


def bench_serve_soak(cfg: Config) -> list[Row]:
    """`pan123-oss serve` under 200 idle connections plus one big multipart upload plus 100 small ones at once."""
    big_mib = min(150, cfg.upload_mib)
    runs = [_soak_once(big_mib) for _ in range(max(1, min(cfg.runs, 2)))]
    above = [r["peak_rss"] - r["idle_rss"] for r in runs]
    lost = max(SOAK_SMALL + 1 - r["ok"] for r in runs)
    name = f"serve soak: {SOAK_IDLE} idle conns + {big_mib} MiB multipart + {SOAK_SMALL} small uploads at once"
    worst = max(above)
    return [
        Row(name, "serve's peak RSS above idle (worst run)", f"{worst:.1f} MiB", f"body {big_mib} MiB",
            _ratio(worst, big_mib), f"< {SOAK_TARGET_MIB:.0f} MiB", _verdict(worst < SOAK_TARGET_MIB)),
        Row(name, "serve's RSS when idle (with the idle conns open)", f"{_med([r['idle_rss'] for r in runs]):.1f} MiB"),
        Row(name, "requests lost (worst run)", f"{lost} of {SOAK_SMALL + 1}", "", "", "0", _verdict(lost == 0)),
        Row(name, "big file stored whole", "yes" if all(r["stored_big"] for r in runs) else "NO", "", "", "yes",
            _verdict(all(r["stored_big"] for r in runs))),
        Row(name, "serve's threads: idle with the conns open / peak", f"{_med([r['idle_threads'] for r in runs]):.0f}"
            f" / {max(r['peak_threads'] for r in runs):.0f}", f"{SOAK_IDLE} idle conns"),
        Row(name, "wall time of the uploads (median)", f"{_med([r['wall'] for r in runs]):.1f} s"),
    ]  # fmt: skip


RATE_LIMITS = {"create": 5, "get_upload_url": 20, "upload_async_result": 5, "mkdir": 5, "list": 4}
"""The fake's limits in the rate-limit benchmark, per endpoint and second: the cloud drive's published figures
for the twins of these endpoints (the spec's `x-rate-limit` starts from the same)."""
RATE_JOBS = 8
RATE_TARGET = 1.3
RATE_THROTTLED_TARGET = 0.05


@dataclasses.dataclass(frozen=True, slots=True)
class RateRun:
    wall: float
    ideal: float
    """The busiest endpoint's accepted requests over its limit: the least time the limits allow."""
    throttled: int
    requests: int
    """API requests the fake answered (slice PUTs not counted), throttled ones included."""
    ok: bool


def _rate_batch_run(files: Sequence[tuple[Path, str]], folder: Path, limited: bool, options: Sequence[str]) -> RateRun:
    """The CLI uploading every file into a folder (made on the way) against a fake with or without limits;
    uploads complete on the second poll."""
    fake = FakePan123(pending_polls=1, qps=RATE_LIMITS if limited else None)
    paths = [str(path) for path, _ in files]
    with fake, fake.serve() as url:
        env = {
            **os.environ,
            "PAN123_CLIENT_ID": fake.client_id,
            "PAN123_CLIENT_SECRET": fake.client_secret,
            "PAN123_BASE_URL": url,
            "PAN123_TOKEN_CACHE": str(folder / f"tokens-{time.monotonic_ns()}.json"),
        }
        command = [sys.executable, "-m", "pan123_oss", "upload", *paths, "--jobs", str(RATE_JOBS), "--format", "url",
                   "--folder", "typora/assets", *options]  # fmt: skip
        t0 = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900, check=False)  # noqa: S603 - this interpreter, this package's CLI
        wall = time.perf_counter() - t0
        if done.returncode != 0:
            raise RuntimeError(f"pan123-oss upload failed:\n{done.stderr}")
        api = [r for r in fake.requests if r.method != "PUT"]
        accepted: dict[str, int] = {}
        for record in api:
            if record.code != 429:
                accepted[record.path] = accepted.get(record.path, 0) + 1
        limits = {path: fake.qps[path] for path in fake.qps} if limited else {}
        ideal = max((accepted.get(path, 0) / limit for path, limit in limits.items()), default=0.0)
        stored = sorted(f.etag for f in fake.oss.files.values())
        ok = stored == sorted(md5 for _, md5 in files) and len(done.stdout.splitlines()) == len(files)
    return RateRun(wall, ideal, sum(fake.throttled.values()), len(api), ok)


def bench_rate_limits(cfg: Config) -> list[Row]:
    """A Typora folder of screenshots through the CLI, and many waits at once, against a fake that limits each
    endpoint's requests per second as the service does (429 in a 200 reply over the limit)."""
    n = cfg.rate_files
    runs: dict[str, list[RateRun]] = {"limited": [], "limited, --qps": [], "unlimited": []}
    qps = [f"--qps={name}={limit}" for name, limit in RATE_LIMITS.items()]
    plan = [("limited", True, []), ("limited, --qps", True, qps), ("unlimited", False, [])]
    with tempfile.TemporaryDirectory() as tmp:
        rng = random.Random(BATCH_SEED)  # noqa: S311 - test data that must be the same every run
        files = []
        for index in range(n):
            data = rng.randbytes(rng.randrange(20_000, 400_000))
            path = Path(tmp) / f"screenshot-{index:02d}.png"
            path.write_bytes(data)
            files.append((path, hashlib.md5(data, usedforsecurity=False).hexdigest()))
        for i in range(cfg.runs):
            for mode, limited, options in _rotated(plan, i):
                runs[mode].append(_rate_batch_run(files, Path(tmp), limited, options))
                last = runs[mode][-1]
                print(f"  CLI batch, {mode}: {last.wall:.2f} s, {last.throttled} throttled", flush=True)
    waits = cfg.rate_waits
    poll_limit = {"upload_async_result": float(RATE_LIMITS["upload_async_result"])}
    extra = {"max_connections": 100}
    limited_waits = [_load_run("fan_out", "client", waits, extra, poll_limit) for _ in range(cfg.runs)]
    free_waits = [_load_run("fan_out", "client", waits, extra) for _ in range(cfg.runs)]
    for run in limited_waits:
        print(f"  {waits} waits, limited: {run.wall:.2f} s, {run.throttled} throttled", flush=True)

    def med(mode: str, field: str) -> float:
        return _med([getattr(r, field) for r in runs[mode]])

    limits = ", ".join(f"{name} {limit}" for name, limit in RATE_LIMITS.items())
    wall, ideal = med("limited", "wall"), med("limited", "ideal")
    share = _med([r.throttled / r.requests for r in runs["limited"]])
    paced_wall, paced_ideal = med("limited, --qps", "wall"), med("limited, --qps", "ideal")
    paced_share = _med([r.throttled / r.requests for r in runs["limited, --qps"]])
    every = [r for rs in runs.values() for r in rs]
    wait_ideal = waits * COMPLETES_AFTER_POLLS / RATE_LIMITS["upload_async_result"]
    wait_wall = _med([r.wall for r in limited_waits])
    finished = sum(r.wrong == 0 and r.polls_per_upload[0] >= COMPLETES_AFTER_POLLS for r in limited_waits)
    min_gap = min(r.min_gap for r in limited_waits)
    return [
        Row(
            f"8. rate limits: `pan123-oss upload` {n} screenshots `--jobs {RATE_JOBS} --folder ...` against a fake "
            f"limiting each endpoint per second ({limits}), 2 polls per upload",
            "wall time against the rate-bound ideal (the busiest endpoint's accepted requests over its limit)",
            f"{wall:.2f} s",
            f"{ideal:.2f} s",
            _ratio(wall, ideal),
            f"≤ {RATE_TARGET:.2f}",
            _verdict(wall <= RATE_TARGET * ideal),
        ),
        Row(
            "",
            "requests throttled (429) of all API requests",
            f"{share:.1%} ({med('limited', 'throttled'):.0f} of {med('limited', 'requests'):.0f})",
            "0 (a client that knew the limits)",
            "",
            f"≤ {RATE_THROTTLED_TARGET:.0%}",
            _verdict(share <= RATE_THROTTLED_TARGET),
        ),
        Row(
            "",
            "the same with the limits given as `--qps` (paced from the first request)",
            f"{paced_wall:.2f} s, {paced_share:.1%} throttled",
            f"{paced_ideal:.2f} s",
            _ratio(paced_wall, paced_ideal),
        ),
        Row("", "the same batch against the fake without limits", f"{med('unlimited', 'wall'):.2f} s", "", ""),
        Row(
            "",
            "runs with every file stored intact and one line per file",
            f"{sum(r.ok for r in every)} of {len(every)}",
            "",
            _ratio(sum(r.ok for r in every), len(every)),
            "all",
            _verdict(all(r.ok for r in every)),
        ),
        Row(
            f"9. rate limits: {waits} concurrent waits on one `AsyncClient`, {COMPLETES_AFTER_POLLS} polls each, "
            f"upload_async_result limited to {RATE_LIMITS['upload_async_result']} a second",
            "wall time against the rate-bound ideal (every poll at the limit)",
            f"{wait_wall:.2f} s",
            f"{wait_ideal:.2f} s",
            _ratio(wait_wall, wait_ideal),
            f"≤ {RATE_TARGET:.2f}",
            _verdict(wait_wall <= RATE_TARGET * wait_ideal),
        ),
        Row(
            "",
            "runs in which every wait finished with the right file ID; throttled polls (median)",
            f"{finished} of {len(limited_waits)}; {_med([r.throttled for r in limited_waits]):.0f}",
            f"without limits: {_med([r.wall for r in free_waits]):.2f} s",
            "",
            "all",
            _verdict(finished == len(limited_waits)),
        ),
        Row(
            "",
            "shortest gap between two polls of one upload (server-side arrivals)",
            f"{min_gap:.3f} s",
            "1 s",
            f"{min_gap:.3f}",
            "≥ 1.00",
            _verdict(min_gap >= 1.0),
        ),
    ]


BENCHMARKS: list[Callable[[Config], list[Row]]] = [
    bench_per_call,
    bench_fan_out,
    bench_threads,
    bench_import,
    bench_upload,
    bench_batch,
    bench_upload_link,
    bench_serve_soak,
    bench_rate_limits,
]


# Reporting.
def machine() -> list[str]:
    model = "unknown CPU"
    with_cpuinfo = Path("/proc/cpuinfo")
    if with_cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", with_cpuinfo.read_text(), re.MULTILINE)
        model = found.group(1).strip() if found else model
    memory = "unknown memory"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"^MemTotal:\s*(\d+) kB", meminfo.read_text(), re.MULTILINE)
        memory = f"{int(found.group(1)) / 1024**2:.1f} GiB" if found else memory
    return [
        f"- CPU: {model}, {os.cpu_count()} cores; memory: {memory}",
        f"- OS: {platform.system()} {platform.release()} ({platform.machine()})",
        f"- Python {platform.python_version()} ({platform.python_implementation()}); "
        f"httpx {httpx.__version__}; pan123_oss {pan123_oss.__version__}",
    ]


def table(rows: Sequence[Row]) -> str:
    head = ["benchmark", "figure", "pan123_oss", "baseline", "ratio", "target", "verdict"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(dataclasses.astuple(row)) + " |" for row in rows]
    return "\n".join(lines)


def report(rows: Sequence[Row], command: str, cfg: Config, seconds: float, load: tuple[float, float]) -> str:
    policy = pan123_oss.PollPolicy()
    return "\n".join(
        [
            "# Benchmarks",
            "",
            f"Produced by `{command}` in {seconds:.0f} s, against the fake 123pan "
            "(`pan123_oss.testing.FakePan123`) on a real 127.0.0.1 socket, served by the benchmark's own process "
            "while each client run is a fresh child process. Each figure is the median of "
            f"{cfg.runs} runs ({cfg.thread_runs} for the threads benchmark, {cfg.upload_runs} for the upload "
            f"on loopback, {cfg.per_call_rounds} interleaved "
            f"rounds for the per-call one, {cfg.import_runs} interpreters for import time, "
            f"{cfg.batch_baseline_runs} for the batch's one-by-one and PicGo baselines), and each run measured "
            "its own baseline. Every figure has a ratio: pan123_oss over the baseline or limit beside it, "
            "from the same run (limits such as the polling schedule or a critical path are computed from "
            "that run's settings and records).",
            "",
            "## Machine",
            "",
            *machine(),
            f"- Load average (1 min) at the start and the end of the run: {load[0]:.2f}, {load[1]:.2f}",
            "",
            "## Figures",
            "",
            table(rows),
            "",
            "## How to read them",
            "",
            "- Baselines: a bare `httpx.Client` / `httpx.AsyncClient` sending the same requests with keep-alive "
            "and the same connection limit (100), and for the waits a hand-written loop that follows the "
            f"default `PollPolicy` ({policy.initial:g} s, x{policy.multiplier:g}, up to {policy.maximum:g} s) "
            "without jitter, without deadline, retries, token refresh or the per-upload 1-second gate.",
            "- The ideal wall time is the default `PollPolicy`'s schedule without jitter: a wait that completes "
            f"on poll {COMPLETES_AFTER_POLLS} sleeps {ideal_wait(policy, COMPLETES_AFTER_POLLS):.2f} s in all "
            "(threads: times the number of waits each thread does in a row). "
            f"Jitter only lengthens sleeps, by up to {policy.jitter:.0%} (half that on average), so the slowest "
            "of a thousand waits can be up to that much over the ideal before any network time is counted.",
            "- CPU time and peak RSS are the client process's own (peak RSS from VmHWM, including the "
            "interpreter and imports; the RSS before the waits is shown beside it); the server's CPU time is "
            "the fake's, measured in the same run, to show when it, not the client, is the bottleneck.",
            "- Gaps between polls are measured by the server, from the arrival of one poll to the next.",
            "- Upload limit: the API needs the file's MD5 before `create` and then the bytes, so no client can "
            "beat a whole-file MD5 pass (a child process hashing the file) plus bare httpx PUTs of the slices "
            "to URLs fetched beforehand, both timed in the same run. The service's own completion (the fake "
            "merges the slices and checks the MD5 of the whole file at `upload_complete`, on the same two "
            "cores) comes on top for every client, the bare flow included; it is measured in each run, from "
            "the complete's arrival to the next request's, and the target rows take it off the client's wall "
            "time of that same run. A process's first upload cannot know `sliceSize` before `create`, so it "
            "hashes the file once, as the bare flow does, and checks the slices the service lists by size; "
            "later uploads hash the slices of the size they saw in that same pass, on a second core, and "
            "check their MD5s as well.",
            f"- Batch: the fake adds {BATCH_LATENCY * 1000:.0f} ms before every reply and takes slice bodies "
            f"at {BATCH_BANDWIDTH >> 20} MiB/s per connection; uploads complete in the background and answer "
            "on the first poll, links are ready at the first detail. Critical-path ideal, from each run's own "
            "records: `tokens x L + max(sum(t_i) / J, max(t_i))`, `t_i = (R / N) x L + size_i / B`, where R is "
            "the requests the fake recorded besides the token (API calls and PUTs), N the images, L the latency, "
            "B the bandwidth and J the uploads at once. The CLI's time runs from process start to exit.",
            "- Upload over the link: benchmark 5's file and slices sent to a fake with benchmark 6's latency and "
            "bandwidth, where what a flow waits on is round trips. The hand-written flow is the same as in "
            "benchmark 5; the client overlaps the token with the MD5 pass and, as a URL takes 10 ms or more "
            "here, asks for each lane's next slice URL while its current slice is being sent.",
            "- Rate limits (8, 9): the fake refuses requests over an endpoint's limit in any sliding second (HTTP 200, "
            "code 429), as the service does. The rate-bound ideal is the busiest endpoint's accepted requests over its "
            "limit, from each run's records (the polls, 2 per upload at 5 a second, make 40 files a 16 s job). The "
            "throttled share counts 429s among every API request the fake answered (slice PUTs not counted). Without "
            "`--qps` an endpoint goes unpaced until its first 429, so a service without limits is never slowed: "
            "the requests of that first burst over the limit are most of the throttled ones.",
            "",
            NOTES_MARKER,
        ]
    )


def write(path: Path, text: str) -> None:
    notes = ""
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if NOTES_MARKER in old:
            notes = old.split(NOTES_MARKER, 1)[1]
    path.write_text(text + (notes if notes.strip() else "\n"), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes and one run: a smoke test of the bench")
    parser.add_argument("--runs", type=int, help="runs per figure (default 3, quick 1)")
    parser.add_argument("--only", action="append", help="run only benchmarks whose function name contains this")
    parser.add_argument("--write", type=Path, help="also write the report to this Markdown file")
    parser.add_argument("--command", default="python benchmarks/bench.py", help="the command named in the report")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        os.environ.pop(name, None)  # loopback only, whatever the environment says (children inherit this)
    if args.child:
        print(json.dumps(CHILDREN[args.child](json.load(sys.stdin))))
        return 0
    cfg = QUICK if args.quick else FULL
    if args.runs:
        cfg = dataclasses.replace(cfg, runs=args.runs, thread_runs=min(args.runs, cfg.thread_runs))
    start, load_before = time.perf_counter(), os.getloadavg()[0]
    rows: list[Row] = []
    for bench in BENCHMARKS:
        if args.only and not any(part in bench.__name__ for part in args.only):
            continue
        print(f"{bench.__name__} ...", flush=True)
        rows += bench(cfg)
    text = report(rows, args.command, cfg, time.perf_counter() - start, (load_before, os.getloadavg()[0]))
    print()
    print(text)
    if args.write:
        write(args.write, text)
        print(f"\nwrote {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
