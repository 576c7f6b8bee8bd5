"""upload_file and resume_upload end to end on the loopback fake: bytes stored, calls made, faults survived."""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPLY_SHAPES, Both, Kind, every_reply_shape

import pan123_oss
from pan123_oss.testing import FakeClock, FakePan123, Fault

SLICE = 1000
PUT = "PUT"
TIMING_ONLY = pytest.mark.parametrize("replies", ["full"])
"""For tests of real-time timing, which the shape of replies does not change: full replies only, to keep the
suite quick (tests/test_fake_oss.py uploads against minimal replies on the fake clock)."""
REAL_CLOCK = pytest.mark.parametrize("oss_clock", [None], ids=["real-clock"])
"""`oss` and `client` on the real clock, for a test of what takes real time (a slow slice against a deadline)."""


replies = every_reply_shape()


@pytest.fixture
def shape(replies: str) -> dict[str, Any]:
    return REPLY_SHAPES[replies]


@pytest.fixture
def oss_clock(clock: FakeClock) -> FakeClock | None:
    """The clock `oss` and `client` share: the fake one, so that the waits between retries and before a parts
    check take no real time (the bytes still go through a socket); None, the real one, under `REAL_CLOCK`."""
    return clock


@pytest.fixture
def oss(shape: dict[str, Any], oss_clock: FakeClock | None) -> FakePan123:
    return FakePan123(clock=oss_clock, slice_size=SLICE, pending_polls=0, **shape)


@pytest.fixture
def oss_url(oss: FakePan123) -> Iterator[str]:
    with oss.serve() as url:
        yield url


def waiting_on(kind: Kind, clock: FakeClock | None) -> dict[str, Any]:
    """A client's options to wait on `clock`: none for the real clock."""
    if clock is None:
        return {}
    return {"clock": clock, "sleep": clock.sleep if kind == "sync" else clock.async_sleep}


@pytest.fixture
def client(kind: Kind, oss: FakePan123, oss_url: str, oss_clock: FakeClock | None) -> Iterator[Both]:
    both = Both(
        kind,
        client_id=oss.client_id,
        client_secret=oss.client_secret,
        base_url=oss_url,
        retry_policy=pan123_oss.RetryPolicy(attempts=3, initial=0.05, maximum=0.1),
        **waiting_on(kind, oss_clock),
    )
    yield both
    both.close()


def upload(client: Both, *args: Any, **kwargs: Any) -> pan123_oss.UploadResult:
    result: pan123_oss.UploadResult = client.call("upload_file", *args, **kwargs)
    return result


def resume(client: Both, *args: Any, **kwargs: Any) -> pan123_oss.UploadResult:
    result: pan123_oss.UploadResult = client.call("resume_upload", *args, **kwargs)
    return result


def write(tmp_path: Path, size: int, name: str = "image.bin") -> tuple[Path, bytes]:
    data = os.urandom(size)
    path = tmp_path / name
    path.write_bytes(data)
    return path, data


def upload_to(fake: FakePan123, kind: Kind, path: Path, **kwargs: Any) -> pan123_oss.UploadResult:
    """Upload to a fake configured by the test itself, served on loopback for this one call."""
    with fake.serve() as url:
        both = Both(kind, client_id=fake.client_id, client_secret=fake.client_secret, base_url=url)
        try:
            return upload(both, path, **kwargs)
        finally:
            both.close()


@contextlib.contextmanager
def on_the_clock(kind: Kind, fake: FakePan123, clock: FakeClock, **options: Any) -> Iterator[Both]:
    """A client of `kind` on `fake` in process, waiting on the fake clock: timing decisions in no real time."""
    sleep = clock.sleep if kind == "sync" else clock.async_sleep
    both = Both(
        kind, client_id=fake.client_id, client_secret=fake.client_secret, transport=fake.transport(), clock=clock,
        sleep=sleep, **options,
    )  # fmt: skip
    try:
        yield both
    finally:
        both.close()


def puts(fake: FakePan123) -> int:
    return sum(1 for r in fake.requests if r.method == PUT)


@pytest.mark.parametrize(
    ("size", "slices"),
    [(0, 1), (1, 1), (SLICE, 1), (SLICE + 1, 2), (3 * SLICE + 17, 4), (5 * SLICE, 5)],
    ids=["empty", "one-byte", "exactly-one-slice", "one-byte-over", "short-last-slice", "whole-slices"],
)
def test_round_trip_stores_the_exact_bytes(
    client: Both, oss: FakePan123, tmp_path: Path, size: int, slices: int
) -> None:
    path, data = write(tmp_path, size)
    result = upload(client, path)
    assert oss.file_bytes(result.file_id) == data
    assert (result.size, result.filename, result.reused) == (size, "image.bin", False)
    assert result.etag == hashlib.md5(data, usedforsecurity=False).hexdigest()
    assert result.preupload_id.startswith("fake/")
    assert puts(oss) == slices
    create = next(r for r in oss.requests if r.path.endswith("/create"))
    assert create.body == {"parentFileID": "", "filename": "image.bin", "etag": result.etag, "size": size, "type": 1}


def test_slice_puts_carry_no_api_headers(client: Both, oss: FakePan123, tmp_path: Path) -> None:
    path, _ = write(tmp_path, 2500)
    upload(client, path)
    sent = [r for r in oss.requests if r.method == PUT]
    assert len(sent) == 3
    for request in sent:
        assert "authorization" not in request.headers and "platform" not in request.headers
        assert "transfer-encoding" not in request.headers
    assert sorted(int(r.headers["content-length"]) for r in sent) == [500, 1000, 1000]


def slice_requests(fake: FakePan123) -> list[tuple[str, int]]:
    """("url", n) and ("put", n) for each slice URL asked for and each slice PUT, in order of arrival."""
    order = []
    for r in fake.requests:
        if r.path.endswith("get_upload_url"):
            order.append(("url", r.body["sliceNo"]))
        elif r.method == PUT:
            order.append(("put", fake.oss.slots[r.path.rsplit("/", 1)[-1]].number))
    return order


def test_a_lane_asks_for_each_url_at_most_one_put_ahead(client: Both, oss: FakePan123, tmp_path: Path) -> None:
    path, _ = write(tmp_path, 4 * SLICE)
    upload(client, path, concurrency=1)
    order = slice_requests(oss)
    assert sorted(order) == [(kind, n) for kind in ("put", "url") for n in range(1, 5)]
    at = {item: i for i, item in enumerate(order)}
    assert order[0] == ("url", 1)
    for n in range(1, 5):
        assert at["url", n] < at["put", n]
        if n > 2:
            assert at["url", n] > at["put", n - 2]  # asked for only once the lane was on the slice before
    kinds = [r.path.rsplit("/", 1)[-1] for r in oss.requests if r.method != PUT][-4:]
    # Then the stored file's link, which no upload reply carries.
    assert kinds == ["list_upload_parts", "upload_complete", "upload_async_result", "detail"]


def arrivals(fake: FakePan123) -> dict[tuple[str, int], float]:
    slices = (r for r in fake.requests if r.method == PUT or r.path.endswith("get_upload_url"))
    return {item: r.time for item, r in zip(slice_requests(fake), slices, strict=True)}


@pytest.mark.slow
@TIMING_ONLY
def test_over_a_slow_link_the_next_url_is_asked_for_while_a_slice_is_being_sent(
    kind: Kind, tmp_path: Path, shape: dict[str, Any]
) -> None:
    fake = FakePan123(slice_size=SLICE, pending_polls=0, latency=0.05, **shape)  # each reply a round trip late
    fake.script("put", Fault.slow(0.6))  # slice 1 takes 0.6 s to be stored
    path, data = write(tmp_path, 3 * SLICE)
    result = upload_to(fake, kind, path, concurrency=1)
    assert fake.file_bytes(result.file_id) == data
    at = arrivals(fake)
    assert at["url", 2] < at["put", 1] + 0.3  # not after slice 1's 0.6 s were over


def test_same_bytes_again_is_an_instant_upload(client: Both, oss: FakePan123, tmp_path: Path) -> None:
    path, data = write(tmp_path, 2500)
    first = upload(client, path)
    before = puts(oss)
    progress: list[tuple[int, int]] = []
    again = upload(
        client, path, filename="copy.bin", parent_id="folder-7", on_progress=lambda a, b: progress.append((a, b))
    )
    assert again.reused is True
    assert again.file_id != first.file_id
    assert oss.file_bytes(again.file_id) == data
    assert puts(oss) == before
    assert progress == [(2500, 2500)]


def test_synchronous_completion_needs_no_poll(kind: Kind, tmp_path: Path, shape: dict[str, Any]) -> None:
    fake = FakePan123(slice_size=SLICE, complete_async=False, **shape)
    path, data = write(tmp_path, 1500)
    result = upload_to(fake, kind, path)
    assert fake.file_bytes(result.file_id) == data
    assert not any(r.path.endswith("upload_async_result") for r in fake.requests)


def test_asynchronous_completion_is_polled_a_second_apart(
    kind: Kind, tmp_path: Path, shape: dict[str, Any], clock: FakeClock
) -> None:
    # On the fake clock, where the fake stamps each poll with the time the client let pass before it.
    fake = FakePan123(clock=clock, slice_size=SLICE, pending_polls=2, **shape)
    path, data = write(tmp_path, 1500)
    with on_the_clock(kind, fake, clock) as both:
        result = upload(both, path)
    polls = fake.polls(result.preupload_id)
    assert len(polls) == 3
    assert all(b.time - a.time >= 1.0 for a, b in itertools.pairwise(polls))
    assert fake.file_bytes(result.file_id) == data


@TIMING_ONLY
def test_slices_go_concurrently_within_the_bound(kind: Kind, tmp_path: Path, shape: dict[str, Any]) -> None:
    fake = FakePan123(slice_size=SLICE, pending_polls=0, **shape)
    fake.script("put", *[Fault.slow(0.2)] * 8)
    path, _ = write(tmp_path, 8 * SLICE)
    upload_to(fake, kind, path, concurrency=3)
    assert fake.max_puts_in_flight == 3


def test_progress_reaches_the_total(client: Both, tmp_path: Path) -> None:
    path, _ = write(tmp_path, 3 * SLICE + 5)
    seen: list[tuple[int, int]] = []
    upload(client, path, on_progress=lambda sent, total: seen.append((sent, total)))
    assert seen[-1] == (3005, 3005)
    assert all(total == 3005 for _, total in seen)


@pytest.mark.parametrize(
    "fault",
    [Fault.http(500), Fault.http(503), Fault.drop(), Fault.expire_tokens()],
    ids=["500", "503", "drop", "expired"],
)
def test_failed_slice_puts_are_retried_with_a_fresh_url(
    client: Both, oss: FakePan123, tmp_path: Path, fault: Fault
) -> None:
    oss.script("put", fault, fault)
    path, data = write(tmp_path, 2500)
    result = upload(client, path, concurrency=1)
    assert oss.file_bytes(result.file_id) == data
    assert puts(oss) == 5
    urls = [r for r in oss.requests if r.path.endswith("get_upload_url")]
    assert len(urls) == 5  # one fresh URL per try


def test_a_binary_file_object_uploads_from_its_position(client: Both, oss: FakePan123) -> None:
    data = os.urandom(2200)
    stream = io.BytesIO(b"skip" + data)
    stream.seek(4)
    result = upload(client, stream, filename="from-stream.bin")
    assert oss.file_bytes(result.file_id) == data
    assert result.size == 2200


def test_a_real_file_object_keeps_its_name(client: Both, oss: FakePan123, tmp_path: Path) -> None:
    path, data = write(tmp_path, 1200, "photo.jpg")
    with path.open("rb") as fh:
        result = upload(client, fh)
    assert (result.filename, oss.file_bytes(result.file_id)) == ("photo.jpg", data)


class ChangingFile(io.BytesIO):
    """Bytes that change after the first full read: the MD5 declared at create no longer matches."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reads = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.reads += len(chunk)
        if self.reads > len(self.getbuffer()):
            return bytes(b ^ 0xFF for b in chunk)
        return chunk


def test_md5_mismatch_is_a_terminal_error_carrying_the_preupload_id(client: Both, oss: FakePan123) -> None:
    with pytest.raises(pan123_oss.ApiError) as caught:
        upload(client, ChangingFile(os.urandom(2500)), filename="changing.bin")
    err = caught.value
    assert "MD5" in err.message
    assert err.preupload_id is not None and err.preupload_id.startswith("fake/")
    assert err.trace_id is not None
    assert oss.oss.files == {}


def test_interrupted_upload_resumes_without_resending_held_slices(
    client: Both, oss: FakePan123, tmp_path: Path
) -> None:
    path, data = write(tmp_path, 4 * SLICE + 300)
    # Slice 1 and 2 go through; slice 3 fails three times (the whole retry budget).
    oss.script("put", Fault.slow(0), Fault.slow(0), Fault.http(502), Fault.http(502), Fault.http(502))
    with pytest.raises(pan123_oss.TransportError) as caught:
        upload(client, path, concurrency=1)
    pid = caught.value.preupload_id
    assert pid is not None and pid in str(caught.value)
    assert caught.value.http_status == 502
    sent_before = puts(oss)
    result = resume(client, pid, path)
    assert puts(oss) - sent_before == 3  # slices 3, 4 and 5 only
    assert result.preupload_id == pid
    assert oss.file_bytes(result.file_id) == data


def test_resume_sends_again_a_held_slice_whose_md5_is_not_the_files(
    client: Both, oss: FakePan123, tmp_path: Path
) -> None:
    path, data = write(tmp_path, 4 * SLICE + 300)
    # Slice 1 is kept with a byte changed (right size), slice 2 intact, slice 3 fails the whole retry budget.
    oss.script("put", Fault.damage(), Fault.slow(0), Fault.http(502), Fault.http(502), Fault.http(502))
    with pytest.raises(pan123_oss.TransportError) as caught:
        upload(client, path, concurrency=1)
    assert caught.value.preupload_id is not None
    sent_before, listed_before = puts(oss), parts_lists(oss)
    result = resume(client, caught.value.preupload_id, path, concurrency=1)
    assert puts(oss) - sent_before == 4  # slices 1, 3, 4 and 5: slice 2 alone was held intact
    assert parts_lists(oss) - listed_before == 2  # what is held, then the check: slice 1 was not taken as held
    assert oss.file_bytes(result.file_id) == data


def test_resume_from_a_new_client_learns_the_slice_size(
    kind: Kind, oss: FakePan123, oss_url: str, oss_clock: FakeClock | None, client: Both, tmp_path: Path
) -> None:
    path, data = write(tmp_path, 3 * SLICE)
    oss.script("put", Fault.slow(0), *[Fault.http(500)] * 3)
    with pytest.raises(pan123_oss.TransportError) as caught:
        upload(client, path, concurrency=1)
    assert caught.value.preupload_id is not None
    other = Both(
        kind, client_id=oss.client_id, client_secret=oss.client_secret, base_url=oss_url, **waiting_on(kind, oss_clock)
    )
    try:
        result = resume(other, caught.value.preupload_id, path)
    finally:
        other.close()
    assert oss.file_bytes(result.file_id) == data


def test_complete_being_verified_is_asked_again(
    kind: Kind, tmp_path: Path, shape: dict[str, Any], clock: FakeClock
) -> None:
    oss = FakePan123(clock=clock, slice_size=SLICE, pending_polls=0, **shape)
    oss.script("upload_complete", Fault.code_reply(20103, "file is being verified"))
    path, data = write(tmp_path, 1500)
    with on_the_clock(kind, oss, clock) as client:
        result = upload(client, path)
    completes = [r for r in oss.requests if r.path.endswith("upload_complete")]
    assert [r.code for r in completes] == [20103, 0]
    assert completes[1].time - completes[0].time >= 1.0
    assert oss.file_bytes(result.file_id) == data


def test_errors_from_create_are_reported_without_a_preupload_id(client: Both, oss: FakePan123, tmp_path: Path) -> None:
    oss.script("create", Fault.code_reply(5113, "traffic quota exceeded"))
    path, _ = write(tmp_path, 10)
    with pytest.raises(pan123_oss.ApiError) as caught:
        upload(client, path)
    assert (caught.value.code, caught.value.preupload_id) == (5113, None)


@TIMING_ONLY
@REAL_CLOCK
def test_deadline_bounds_the_upload(client: Both, oss: FakePan123, tmp_path: Path) -> None:
    oss.script("put", Fault.slow(3))
    path, _ = write(tmp_path, 2 * SLICE)
    with pytest.raises(pan123_oss.UploadTimeoutError) as caught:
        upload(client, path, timeout=0.6, concurrency=1)
    assert isinstance(caught.value, TimeoutError)
    assert caught.value.preupload_id is not None
    assert caught.value.preupload_id in str(caught.value)


@pytest.mark.parametrize(
    ("make", "kwargs", "error", "match"),
    [
        (lambda p: p / "missing.bin", {}, FileNotFoundError, "no such file"),
        (lambda p: p, {}, IsADirectoryError, "directory"),
        (lambda p: io.StringIO("text"), {"filename": "a.txt"}, TypeError, "binary"),
        (lambda p: io.BytesIO(b"x"), {}, ValueError, "filename"),
        (lambda p: io.BytesIO(b"x"), {"filename": ""}, ValueError, "filename"),
        (lambda p: io.BytesIO(b"x"), {"filename": "   "}, ValueError, "filename"),
        (lambda p: io.BytesIO(b"x"), {"filename": "a" * 255}, ValueError, "at most 254"),
        (lambda p: io.BytesIO(b"x"), {"filename": "a/b.jpg"}, ValueError, "must not contain"),
        (lambda p: io.BytesIO(b"x"), {"filename": 'say "hi".jpg'}, ValueError, "must not contain"),
        (lambda p: io.BytesIO(b"x"), {"filename": "a.jpg", "parent_id": 0}, ValueError, "parent_id"),
        (lambda p: io.BytesIO(b"x"), {"filename": "a.jpg", "concurrency": 0}, ValueError, "concurrency"),
        (lambda p: io.BytesIO(b"x"), {"filename": "a.jpg", "timeout": -1}, ValueError, "timeout"),
    ],
)
def test_bad_input_fails_before_any_request(
    client: Both, oss: FakePan123, tmp_path: Path, make: Any, kwargs: dict[str, Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        upload(client, make(tmp_path), **kwargs)
    assert oss.requests == []


def test_non_seekable_stream_is_refused(client: Both, oss: FakePan123) -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, b"abc")
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe, pytest.raises(ValueError, match="seekable"):
        upload(client, pipe, filename="pipe.bin")
    assert oss.requests == []


def test_resume_needs_a_valid_preupload_id(client: Both, oss: FakePan123, tmp_path: Path) -> None:
    path, _ = write(tmp_path, 10)
    with pytest.raises(ValueError, match="preupload_id"):
        resume(client, "  ", path)
    assert oss.requests == []


_RSS_CHILD = """
import os, re, sys, tempfile, pan123_oss
from pan123_oss.testing import FakePan123
size = int(sys.argv[1])
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "big.bin")
    with open(path, "wb") as fh:
        for _ in range(size >> 20):
            fh.write(os.urandom(1 << 20))
    fake = FakePan123(slice_size=16 << 20, pending_polls=0, storage_dir=tmp)
    with fake.serve() as url, pan123_oss.Client(client_id=fake.client_id, client_secret=fake.client_secret,
                                                base_url=url) as client:
        result = client.upload_file(path)
    assert result.size == size
# VmHWM, not ru_maxrss: after fork and exec the kernel keeps the parent's peak in ru_maxrss.
with open("/proc/self/status") as status:
    print(int(re.search(r"VmHWM:\\s+(\\d+) kB", status.read()).group(1)) // 1024)
"""


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads the peak RSS from Linux's /proc")
@pytest.mark.skipif("MUTANT_UNDER_TEST" in os.environ, reason="mutmut's tracing alone takes more memory than the bound")
def test_memory_stays_bounded_for_a_large_file() -> None:
    # Client and fake share the process here, so this bounds both: slices are streamed, never held whole.
    # Here the child peaks near 40 MiB for a 1 MiB file and 50 MiB for this one; held whole it would pass 100.
    size = 64 << 20
    done = subprocess.run(
        [sys.executable, "-c", _RSS_CHILD, str(size)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) < 80, f"peak RSS {done.stdout.strip()} MiB"


# Found by the soak: the end of an upload keeps its deadline and survives a lost reply.


def in_process(fake: FakePan123, clock: Any, **kwargs: Any) -> pan123_oss.Client:
    return pan123_oss.Client(
        client_id=fake.client_id, client_secret=fake.client_secret, transport=fake.transport(),
        clock=clock, sleep=clock.sleep, **kwargs,
    )  # fmt: skip


@pytest.mark.parametrize("complete_async", [True, False])
def test_a_complete_whose_reply_was_lost_is_asked_again(complete_async: bool, shape: dict[str, Any]) -> None:
    from pan123_oss.testing import FakeClock

    clock = FakeClock()
    fake = FakePan123(clock=clock, slice_size=4096, pending_polls=0, complete_async=complete_async, **shape)
    fake.script("upload_complete", Fault.slow(31.0))  # longer than the 30 s request timeout
    with in_process(fake, clock) as client:
        result = client.upload_file(io.BytesIO(b"hello"), filename="a.bin", timeout=120)
    assert fake.file_bytes(result.file_id) == b"hello"
    assert sum(r.path.endswith("upload_complete") for r in fake.requests) == 2


def test_being_verified_near_the_deadline_does_not_overrun_it(shape: dict[str, Any]) -> None:
    from pan123_oss.testing import FakeClock

    clock = FakeClock()
    fake = FakePan123(clock=clock, slice_size=4096, pending_polls=0, **shape)
    fake.script("list_upload_parts", Fault.slow(9.5))
    fake.script("upload_complete", Fault.code_reply(20103))
    start = clock.monotonic()
    with in_process(fake, clock) as client, pytest.raises(pan123_oss.UploadTimeoutError) as caught:
        # Two slices: a file smaller than one slice skips the parts list, and this one must be slow.
        client.upload_file(io.BytesIO(b"x" * 5000), filename="a.bin", timeout=10)
    assert clock.monotonic() - start <= 10.0
    assert caught.value.preupload_id is not None


def test_a_file_smaller_than_one_slice_skips_the_parts_list(client: Both, oss: FakePan123, tmp_path: Path) -> None:
    # The docs: listing the parts of a file smaller than sliceSize returns nothing, so the call is skipped.
    path, _data = write(tmp_path, SLICE - 1)
    upload(client, path)
    assert not any(r.path.endswith("list_upload_parts") for r in oss.requests)


def parts_lists(fake: FakePan123) -> int:
    return sum(1 for r in fake.requests if r.path.endswith("list_upload_parts"))


def test_a_first_upload_hashes_the_file_once_and_later_ones_hash_slices_in_that_same_read(
    client: Both, oss: FakePan123, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pan123_oss._source import Source

    hashed: list[tuple[Any, ...]] = []
    md5, digests = Source.md5, Source.digests

    def spy_md5(self: Source, offset: int = 0, length: int | None = None) -> str:
        hashed.append(("md5", offset, length))
        return md5(self, offset, length)

    def spy_digests(self: Source, slice_size: int) -> tuple[str, list[str]]:
        hashed.append(("digests", slice_size))
        return digests(self, slice_size)

    monkeypatch.setattr(Source, "md5", spy_md5)
    monkeypatch.setattr(Source, "digests", spy_digests)
    first, data = write(tmp_path, SLICE * 3 + 10, name="first.bin")
    assert oss.file_bytes(upload(client, first).file_id) == data
    assert hashed == [("md5", 0, None)]  # no guess at a slice size the service has not named yet
    hashed.clear()
    second, data = write(tmp_path, SLICE * 3 + 10, name="second.bin")
    assert oss.file_bytes(upload(client, second).file_id) == data
    assert hashed == [("digests", SLICE)]  # the whole file and its slices, from one read


def test_once_the_slice_size_is_known_a_damaged_slice_is_found_by_its_md5_and_sent_again(
    client: Both, oss: FakePan123, tmp_path: Path
) -> None:
    first, _ = write(tmp_path, SLICE * 2 + 5, name="first.bin")
    upload(client, first)  # learns the service's sliceSize: the next upload hashes its slices in the first read
    before = puts(oss), parts_lists(oss)
    oss.script("put", Fault.damage())  # 200 OK, same size, one byte changed
    path, data = write(tmp_path, SLICE * 3 + 10)
    result = upload(client, path, concurrency=1)
    assert oss.file_bytes(result.file_id) == data
    assert (puts(oss) - before[0], parts_lists(oss) - before[1]) == (4 + 1, 2)  # slice 1 again, listed twice


def test_a_slice_damaged_on_every_try_fails_before_complete_with_the_preupload_id(
    client: Both, oss: FakePan123, tmp_path: Path
) -> None:
    upload(client, write(tmp_path, SLICE * 2, name="first.bin")[0])
    oss.script("put", *[Fault.damage()] * 5)  # slices 1-3, then the two listed as damaged again
    path, _ = write(tmp_path, SLICE * 3)
    with pytest.raises(pan123_oss.Pan123Error, match="slice 1 is stored with the wrong size or MD5") as caught:
        upload(client, path, concurrency=1)
    assert caught.value.preupload_id is not None
    completes = [r for r in oss.requests if r.path.endswith("upload_complete")]
    assert len(completes) == 1  # the first file's only: a damaged file is never handed to complete


def test_a_first_upload_finds_a_short_slice_by_its_size_and_sends_it_again(
    client: Both, oss: FakePan123, tmp_path: Path
) -> None:
    oss.script("put", Fault.short())
    path, data = write(tmp_path, SLICE * 3 + 10)
    result = upload(client, path, concurrency=1)
    assert oss.file_bytes(result.file_id) == data
    assert (puts(oss), parts_lists(oss)) == (4 + 1, 2)


def test_a_first_upload_leaves_a_same_size_damaged_slice_to_the_services_md5_check(
    client: Both, oss: FakePan123, tmp_path: Path
) -> None:
    # Before the service has named its sliceSize, the slices' MD5s are unknown, and hashing each slice while
    # sending it would only re-check what TCP already guards: the service's check of the whole file's MD5
    # at complete is what catches this, and it is a terminal error that names the upload.
    oss.script("put", Fault.damage())
    path, _ = write(tmp_path, SLICE * 3 + 10)
    with pytest.raises(pan123_oss.ApiError, match="MD5") as caught:
        upload(client, path, concurrency=1)
    assert caught.value.preupload_id is not None and caught.value.trace_id is not None
    assert (puts(oss), oss.oss.files) == (4, {})


class HeldFile(io.BytesIO):
    """Bytes whose first read waits until released: stands for a long hash pass over a large file."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.release = threading.Event()
        self.waiting = False

    def read(self, size: int | None = -1) -> bytes:
        if size != 0 and not self.release.is_set():
            self.waiting = True
            self.release.wait(10.0)
            self.waiting = False
        return super().read(size)


def test_wrong_credentials_are_reported_during_the_hash_pass_not_after_it(
    kind: Kind, oss: FakePan123, oss_url: str
) -> None:
    both = Both(kind, client_id=oss.client_id, client_secret="not-the-secret", base_url=oss_url)
    held = HeldFile(os.urandom(3 * SLICE))
    try:
        with pytest.raises(pan123_oss.AuthError):
            upload(both, held, filename="held.bin")
        assert held.waiting  # the token was asked for while the file was still being read
        assert [r.path for r in oss.requests] == ["/api/v1/access_token"]
    finally:
        held.release.set()
        both.close()
