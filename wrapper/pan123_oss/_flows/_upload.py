"""The whole OSS upload as I/O-free flows: create, slices, parts check, complete, then the polling loop."""

from __future__ import annotations

import collections
import dataclasses
import math
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

from pan123_oss_api.models import (
    CreateUploadReply,
    NewUploadBody,
    PreuploadBody,
    UploadCompletePayload,
    UploadCompleteReply,
    UploadPartsReply,
    UploadUrlBody,
    UploadUrlPayload,
    UploadUrlReply,
)
from pan123_oss_api.types import Unset

from .._errors import ApiError, DeadlineError, Pan123Error, TransportError, UploadTimeoutError
from .._policy import MIN_POLL_INTERVAL, PIPELINE_AFTER, READ_CHUNK, UPLOAD_WAIT
from .._source import Source
from .._types import AsyncResult, OnProgress, UploadResult
from . import _effects
from ._call import Context, Operation, call, wait
from ._effects import Steps, digests, md5, parallel, put, request_for, sleep
from ._replies import BEING_VERIFIED, Envelope, Malformed, payload_of
from ._schema import path_of

PARTS_PATH = path_of("listUploadParts")
PUT_ENDPOINT = "PUT presigned URL"
T = TypeVar("T")


@dataclasses.dataclass(frozen=True, slots=True)
class Slice:
    number: int
    offset: int
    length: int


def plan(size: int, slice_size: int) -> list[Slice]:
    """Slices of exactly `slice_size` bytes, the last one shorter; one empty slice for an empty file."""
    count = max(1, math.ceil(size / slice_size))
    return [Slice(n + 1, n * slice_size, min(slice_size, size - n * slice_size)) for n in range(count)]


class Progress:
    """Bytes sent so far, reported to `on_progress`; a failed slice's bytes are taken back."""

    def __init__(self, total: int, callback: OnProgress | None) -> None:
        self.total = total
        self.sent = 0
        self._callback = callback
        self._lock = threading.Lock()

    def add(self, n: int) -> None:
        with self._lock:
            self.sent += n
            sent = self.sent
        if self._callback is not None and n:
            self._callback(sent, self.total)


class SliceBody:
    """One slice as the driver streams it: which chunks to read, and the progress of what was sent."""

    def __init__(self, source: Source, piece: Slice, progress: Progress) -> None:
        self.source = source
        self.length = piece.length
        self._piece = piece
        self._progress = progress
        self.sent = 0

    def chunks(self) -> Iterator[tuple[int, int]]:
        start, end = self._piece.offset, self._piece.offset + self._piece.length
        return ((at, min(READ_CHUNK, end - at)) for at in range(start, end, READ_CHUNK))

    def account(self, data: bytes) -> bytes:
        self.sent += len(data)
        self._progress.add(len(data))
        return data

    def rollback(self) -> None:
        self._progress.add(-self.sent)


@dataclasses.dataclass(frozen=True, slots=True)
class Part:
    size: int
    etag: str


@dataclasses.dataclass(frozen=True, slots=True)
class Created:
    """What `create` said: an instant upload (`reuse`, with `file_id`), or where to send the slices."""

    reuse: bool
    file_id: str
    preupload_id: str
    slice_size: int


def _text(value: str | Unset) -> str:
    return value if isinstance(value, str) else ""


def _number(value: int | Unset) -> int:
    return value if isinstance(value, int) else 0


def _parse_create(env: Envelope) -> Created:
    # The docs make preuploadID absent on an instant upload, and a peer saw sliceSize absent then too:
    # only what the branch taken needs is required.
    data = payload_of(CreateUploadReply, "createUpload", env)
    file_id, preupload_id = _text(data.file_id), _text(data.preupload_id)
    if data.reuse:
        if not file_id:
            raise Malformed("reuse is true but fileID is missing or empty")
        return Created(True, file_id, preupload_id, 0)
    slice_size = _number(data.slice_size)
    if not preupload_id or slice_size <= 0:
        raise Malformed("an upload needs a preuploadID and a positive sliceSize")
    return Created(False, file_id, preupload_id, slice_size)


def _parse_url(env: Envelope) -> UploadUrlPayload:
    data = payload_of(UploadUrlReply, "getUploadUrl", env)
    if not data.presigned_url.startswith(("https://", "http://")):
        raise Malformed("presignedURL is not an http(s) URL")
    return data


def _parse_parts(env: Envelope) -> dict[int, Part]:
    parts = payload_of(UploadPartsReply, "listUploadParts", env).parts
    # partNumber is a number, or a string of digits as in the drive's example: the spec allows both.
    return {int(p.part_number): Part(p.size, p.etag.lower()) for p in parts}


def _parse_complete(env: Envelope) -> UploadCompletePayload | None:
    if env.code == BEING_VERIFIED:
        return None  # still verifying: ask again after a second
    return payload_of(UploadCompleteReply, "completeUpload", env)


class UploadCalls:
    """Builds each upload call from the generated client's request builders."""

    @staticmethod
    def create(parent_id: str, filename: str, etag: str, size: int) -> Operation[Created]:
        body = NewUploadBody(parent_file_id=parent_id, filename=filename, etag=etag, size=size, type_=1)
        return Operation(request_for("createUpload", body), _parse_create)

    @staticmethod
    def upload_url(pid: str, number: int) -> Operation[UploadUrlPayload]:
        request = request_for("getUploadUrl", UploadUrlBody(preupload_id=pid, slice_no=number))
        return Operation(request, _parse_url, preupload_id=pid)

    @staticmethod
    def parts(pid: str) -> Operation[dict[int, Part]]:
        request = request_for("listUploadParts", PreuploadBody(preupload_id=pid))
        return Operation(request, _parse_parts, preupload_id=pid)

    @staticmethod
    def complete(pid: str) -> Operation[UploadCompletePayload | None]:
        request = request_for("completeUpload", PreuploadBody(preupload_id=pid))
        return Operation(request, _parse_complete, preupload_id=pid, accepted_codes=frozenset({BEING_VERIFIED}))


@dataclasses.dataclass(slots=True)
class Job:
    """One upload's inputs and the knobs of its flow."""

    ctx: Context
    source: Source
    filename: str
    deadline: float
    concurrency: int
    progress: Progress
    make_poll: Callable[[str], Operation[AsyncResult]]
    slice_sizes: dict[str, int]
    """The client's memory of `sliceSize` per upload it created, so `resume_upload` needs no argument."""
    unfinished: dict[str, str]
    """Uploads this client created (or resumed) that have not finished: preupload ID -> file name."""


def upload(job: Job, parent_id: str) -> Steps[UploadResult]:
    """From bytes to file ID."""
    # The slice size is known only after create, which needs the file's MD5 first. Once this client has seen
    # one, the same read also hashes slices of that size, for the parts check; before that nothing is hashed
    # on a guess, so a first upload costs one MD5 pass, as the API requires. The token is fetched meanwhile:
    # a new client's first upload saves a round trip, and wrong credentials fail before a long hash pass.
    seen = next(reversed(job.slice_sizes.values()), None)
    hashed, _ = yield from parallel([_hashes(job.source, seen), _token(job.deadline)], 2)
    assert hashed is not None
    etag, seen_md5s = hashed
    slice_md5s: list[str] | None = seen_md5s
    created = yield from _timed(
        call(job.ctx, UploadCalls.create(parent_id, job.filename, etag, job.source.size), job.deadline), None
    )
    if created.reuse:
        job.progress.add(job.source.size)
        return UploadResult(created.file_id, job.filename, job.source.size, etag, True, created.preupload_id)
    pid = created.preupload_id
    job.slice_sizes[pid] = created.slice_size
    job.unfinished[pid] = job.filename
    if created.slice_size != seen:
        slice_md5s = [etag] if job.source.size <= created.slice_size else None  # one slice: the file's MD5
    file_id = yield from _with_context(_send_and_finish(job, pid, created.slice_size, {}, slice_md5s), pid)
    job.unfinished.pop(pid, None)
    return UploadResult(file_id, job.filename, job.source.size, etag, False, pid)


def _hashes(source: Source, slice_size: int | None) -> Steps[tuple[str, list[str]] | None]:
    if slice_size is None:
        return (yield from md5(source)), []
    return (yield from digests(source, slice_size))


def _token(deadline: float) -> Steps[tuple[str, list[str]] | None]:
    yield from _effects.get_token(None, deadline)
    return None


def resume(job: Job, pid: str, slice_size: int | None) -> Steps[UploadResult]:
    """Continue an upload: skip the slices the service already holds intact, send the rest, finish.

    An upload that was completed already is not sent again (completing it twice stores the file twice): its
    file ID is returned as it is."""
    done = yield from _already_completed(job, pid)
    if done is not None:
        job.unfinished.pop(pid, None)
        return UploadResult(done, job.filename, job.source.size, (yield from md5(job.source)), False, pid)
    job.unfinished[pid] = job.filename
    held = yield from _timed(call(job.ctx, UploadCalls.parts(pid), job.deadline), pid)
    slice_size = slice_size or job.slice_sizes.get(pid)
    if slice_size is None:
        # Every slice but the last is full, so slice 1 shows the size, unless the file is one slice.
        first = held.get(1)
        if first is not None and first.size > 0:
            slice_size = first.size
        elif job.source.size == 0:
            slice_size = 1
        else:
            raise ValueError(f"the slice size of {pid!r} is unknown: pass slice_size (create's sliceSize)")
    # One read gives the file's MD5 and its slices', to tell which held slices are intact.
    etag, slice_md5s = (yield from digests(job.source, slice_size)) if held else ((yield from md5(job.source)), [])
    intact = {
        piece.number: slice_md5s[piece.number - 1]
        for piece in plan(job.source.size, slice_size)
        if (part := held.get(piece.number)) is not None
        and part.size == piece.length
        and part.etag == slice_md5s[piece.number - 1]
    }
    file_id = yield from _with_context(_send_and_finish(job, pid, slice_size, intact), pid)
    job.unfinished.pop(pid, None)
    return UploadResult(file_id, job.filename, job.source.size, etag, False, pid)


def _already_completed(job: Job, pid: str) -> Steps[str | None]:
    """The file ID of an upload the service says is completed; None for one it does not (or not yet)."""
    try:
        result = yield from _timed(call(job.ctx, job.make_poll(pid), job.deadline), pid)
    except ApiError:
        return None  # not a finished upload as far as the poll can tell: continue it
    return result.file_id if result.completed and result.file_id else None


def _send_and_finish(
    job: Job, pid: str, slice_size: int, intact: dict[int, str], known: list[str] | None = None
) -> Steps[str]:
    """Send every slice but the `intact` ones the service holds (number -> MD5), check the parts, complete."""
    pieces = plan(job.source.size, slice_size)
    # A slice's MD5 is checked against the parts list when it is known without reading the slice again:
    # from the first pass, or from checking what the service held. Hashing the bytes as they are sent would
    # only catch what TCP already guards against, at the cost of a second hash pass on the upload's busiest
    # stretch; the service still checks the whole file against the etag given to create.
    local: dict[int, str] = dict(enumerate(known, 1)) if known is not None and len(known) == len(pieces) else {}
    local.update(intact)
    todo: list[Slice] = []
    for piece in pieces:
        if piece.number in intact:
            job.progress.add(piece.length)
        else:
            todo.append(piece)
    for attempt in range(2):
        yield from _send_slices(job, pid, todo)
        if job.source.size < slice_size:
            break  # the docs: the parts list of a file smaller than one slice is empty; nothing to compare
        stored = yield from _timed(call(job.ctx, UploadCalls.parts(pid), job.deadline), pid)
        # Only slices the service lists can be checked; an empty list is normal for a single slice.
        todo = [p for p in pieces if p.number in stored and not _intact(p, stored[p.number], local.get(p.number))]
        if not todo:
            break
        if attempt == 1:
            raise Pan123Error(
                f"slice {todo[0].number} is stored with the wrong size or MD5 after being sent twice",
                endpoint=PARTS_PATH, preupload_id=pid,
            )  # fmt: skip
        for piece in todo:
            job.progress.add(-piece.length)
    return (yield from _finish(job, pid))


def _intact(piece: Slice, part: Part, md5: str | None) -> bool:
    return part.size == piece.length and (md5 is None or part.etag == md5)


def _send_slices(job: Job, pid: str, todo: list[Slice]) -> Steps[None]:
    """PUT `todo`, `concurrency` slices at a time, each lane asking for its slices' URLs as it goes."""
    waiting = collections.deque(todo)
    lanes = min(job.concurrency, len(todo))
    if lanes:
        yield from parallel([_lane(job, pid, waiting) for _ in range(lanes)], lanes)


def _lane(job: Job, pid: str, waiting: collections.deque[Slice]) -> Steps[None]:
    # Over a link where a URL takes a round trip worth counting, the lane asks for the next slice's URL while
    # the current slice is being sent: over 80 ms that is a tenth of a 16 MiB slice's time at 20 MiB/s. Over a
    # fast one, running the two side by side costs more than it saves. Either way no URL is fetched more than
    # one PUT before it is used.
    piece = _take(waiting)
    if piece is None:
        return
    url, took = yield from _url(job, pid, piece)
    while (following := _take(waiting)) is not None:
        if took >= PIPELINE_AFTER:
            _, fetched = yield from parallel([_send_slice(job, pid, piece, url), _url(job, pid, following)], 2)
            assert fetched is not None
            url, took = fetched
        else:
            yield from _send_slice(job, pid, piece, url)
            url, took = yield from _url(job, pid, following)
        piece = following
    yield from _send_slice(job, pid, piece, url)


def _take(waiting: collections.deque[Slice]) -> Slice | None:
    try:
        return waiting.popleft()
    except IndexError:  # checking first would race: a blocking client's lanes run on threads of their own
        return None


def _url(job: Job, pid: str, piece: Slice) -> Steps[tuple[str, float]]:
    """A slice's presigned URL, and how long it took to get."""
    started = job.ctx.clock()
    answer = yield from _timed(call(job.ctx, UploadCalls.upload_url(pid, piece.number), job.deadline), pid)
    return answer.presigned_url, job.ctx.clock() - started


def _send_slice(job: Job, pid: str, piece: Slice, url: str) -> Steps[None]:
    """PUT one slice to `url`; retry a failed PUT with a new URL (an expired one too) within the budget."""
    failures = 0
    while True:
        if failures:
            url, _ = yield from _url(job, pid, piece)
        body = SliceBody(job.source, piece, job.progress)
        timeout = min(job.ctx.request_timeout, job.deadline - job.ctx.clock())
        if timeout <= 0:
            raise UploadTimeoutError("upload deadline reached while sending slices", preupload_id=pid)
        result = yield from put(url, body, timeout)
        if isinstance(result, _effects.Reply) and 200 <= result.status < 300:
            return
        body.rollback()
        failures += 1
        reason = f"HTTP {result.status}" if isinstance(result, _effects.Reply) else result.reason
        delay = job.ctx.retry.delay(failures, job.ctx.rng)
        if delay is not None and job.ctx.clock() + delay >= job.deadline:
            raise UploadTimeoutError(
                f"upload deadline reached retrying slice {piece.number}: {reason}", preupload_id=pid
            )
        if delay is None:
            raise TransportError(
                f"slice {piece.number} could not be sent: {reason}",
                http_status=result.status if isinstance(result, _effects.Reply) else None,
                endpoint=PUT_ENDPOINT, preupload_id=pid,
            )  # fmt: skip
        yield from sleep(delay)


def _finish(job: Job, pid: str) -> Steps[str]:
    """upload_complete (again after 20103 "being verified"), then poll if the service merges in the background."""
    while True:
        done = yield from _timed(call(job.ctx, UploadCalls.complete(pid), job.deadline), pid)
        if done is not None:
            break
        if job.ctx.clock() + MIN_POLL_INTERVAL >= job.deadline:
            raise UploadTimeoutError("upload deadline reached while the service was verifying", preupload_id=pid)
        yield from sleep(MIN_POLL_INTERVAL)
    if done.completed and _text(done.file_id):
        return _text(done.file_id)
    remaining = UPLOAD_WAIT if math.isinf(job.deadline) else job.deadline - job.ctx.clock()
    if remaining <= 0:
        raise UploadTimeoutError("upload deadline reached before the service finished merging", preupload_id=pid)
    file_id: str = yield from wait(job.ctx, job.make_poll(pid), timeout=remaining, on_poll=None)
    return file_id


def _timed(steps: Steps[T], pid: str | None) -> Steps[T]:
    """Run a flow; turn the flows' internal deadline signal into the public UploadTimeoutError."""
    try:
        return (yield from steps)
    except DeadlineError as exc:
        raise UploadTimeoutError(str(exc), endpoint=exc.endpoint, preupload_id=pid) from exc.__cause__


def _with_context(steps: Steps[str], pid: str) -> Steps[str]:
    """Local failures after `create` (the file changed or vanished) still name the upload to resume."""
    try:
        return (yield from steps)
    except Pan123Error:
        raise  # the timeout errors are OSErrors too (TimeoutError), and already say what happened
    except OSError as exc:
        raise Pan123Error(f"reading the file failed: {exc}", preupload_id=pid) from exc
