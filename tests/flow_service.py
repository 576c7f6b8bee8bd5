"""A scripted 123pan for driving the upload flows directly: answers each effect on a fake clock, no sockets.

Tests give each endpoint a list of replies (used in order, the last one repeated) and read back what the
flow sent, when, and with which timeout.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import math
import random
from collections.abc import Callable
from typing import Any

import pan123_oss
from pan123_oss._flows import _call, _effects, _upload
from pan123_oss._flows._governor import Governor
from pan123_oss._flows._replies import parse_async_result
from pan123_oss._source import Source
from pan123_oss.testing import FakeClock

PID = "pid-flow-1"
CREATE = "/upload/v1/oss/file/create"
URL = "/upload/v1/oss/file/get_upload_url"
PARTS = "/upload/v1/oss/file/list_upload_parts"
COMPLETE = "/upload/v1/oss/file/upload_complete"
POLL = "/upload/v1/oss/file/upload_async_result"
PRESIGNED = "https://slices.example/put"


def envelope(data: Any, code: int = 0, trace: str = "trace-1", status: int = 200) -> _effects.Reply:
    body = {"code": code, "message": "ok" if code == 0 else "refused", "data": data, "x-traceID": trace}
    return _effects.Reply(status, json.dumps(body).encode())


def md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


Answer = _effects.Reply | _effects.Failed | Callable[[], "_effects.Reply | _effects.Failed"]


@dataclasses.dataclass
class Sent:
    path: str
    json: Any
    params: Any
    timeout: float
    at: float


@dataclasses.dataclass
class Service:
    """Replies per path; PUT answers in `puts` (a status, or a reason the connection failed; 200 once they run
    out); `put_seconds` is each PUT's duration. `put_bodies` records (URL, bytes) of every PUT."""

    replies: dict[str, list[Answer]] = dataclasses.field(default_factory=dict)
    puts: list[int | str] = dataclasses.field(default_factory=list)
    put_seconds: float = 0.0
    clock: FakeClock = dataclasses.field(default_factory=FakeClock)
    sent: list[Sent] = dataclasses.field(default_factory=list)
    put_log: list[tuple[int | str, float]] = dataclasses.field(default_factory=list)
    put_bodies: list[tuple[str, bytes]] = dataclasses.field(default_factory=list)
    token_deadlines: list[float] = dataclasses.field(default_factory=list)
    max_requests: int = 2000
    governor: Governor = dataclasses.field(default_factory=Governor)

    def paths(self) -> list[str]:
        return [s.path for s in self.sent]

    def answer(self, effect: _effects.Effect) -> object:
        # The rate governor's effects, answered by a real (pure) governor on the service's clock, as the drivers do.
        if isinstance(effect, _effects.Pace):
            return self.governor.reserve(effect.endpoint, effect.now, effect.max_wait, effect.after)
        if isinstance(effect, _effects.Report):
            self.governor.report(effect.endpoint, effect.now, effect.throttled, effect.age, effect.retry_after)
            return None
        if isinstance(effect, _effects.GetToken):
            self.token_deadlines.append(effect.deadline)
            return "token-1"
        if isinstance(effect, _effects.Sleep):
            self.clock.sleep(effect.seconds)
            return None
        if isinstance(effect, _effects.Hash):
            if effect.slice_size is not None:
                return effect.source.digests(effect.slice_size)
            return effect.source.md5(effect.offset, effect.length)
        if isinstance(effect, _effects.Exclusive):
            return drive(effect.flow, self.answer)
        if isinstance(effect, _effects.Parallel):
            return [drive(flow, self.answer) for flow in effect.flows]
        if isinstance(effect, _effects.Put):
            body = b"".join(
                effect.body.account(effect.body.source.read_at(offset, length))
                for offset, length in effect.body.chunks()
            )
            self.put_bodies.append((effect.url, body))
            status = self.puts.pop(0) if self.puts else 200
            self.put_log.append((status, effect.timeout))
            self.clock.advance(self.put_seconds)
            return _effects.Failed(status) if isinstance(status, str) else _effects.Reply(status, b"")
        assert isinstance(effect, _effects.Send), effect
        if len(self.sent) >= self.max_requests:
            raise AssertionError("the flow does not stop")  # a mutant that loops forever fails instead of hanging
        self.sent.append(
            Sent(
                effect.request.path, effect.request.json, effect.request.params, effect.timeout, self.clock.monotonic()
            )
        )
        queue = self.replies[effect.request.path]
        reply = queue.pop(0) if len(queue) > 1 else queue[0]
        return reply() if callable(reply) else reply


def drive(steps: _effects.Steps[Any], answer: Callable[[_effects.Effect], object]) -> Any:
    """Run a flow as a driver does: each effect's answer is sent in, or what it raised is raised into the flow."""
    try:
        effect = next(steps)
        while True:
            try:
                result = answer(effect)
            except Exception as exc:
                effect = steps.throw(exc)
            else:
                effect = steps.send(result)
    except StopIteration as done:
        return done.value


def context(service: Service, request_timeout: float = 30.0) -> _call.Context:
    return _call.Context(
        clock=service.clock.monotonic, request_timeout=request_timeout, can_refresh=True, rng=random.Random(7)
    )


def poll_op(pid: str) -> _call.Operation[pan123_oss.AsyncResult]:
    request = _effects.Request("POST", POLL, {"preuploadID": pid})
    return _call.Operation(request, parse_async_result, preupload_id=pid, gated=True)


def job(
    service: Service,
    data: bytes,
    *,
    timeout: float | None = None,
    progress: list[tuple[int, int]] | None = None,
    slice_sizes: dict[str, int] | None = None,
    unfinished: dict[str, str] | None = None,
    request_timeout: float = 30.0,
    stream: io.BytesIO | None = None,
) -> _upload.Job:
    deadline = math.inf if timeout is None else service.clock.monotonic() + timeout
    on_progress = None if progress is None else (lambda sent, total: progress.append((sent, total)))
    return _upload.Job(
        context(service, request_timeout), Source(stream or io.BytesIO(data)), "a.bin", deadline, 1,
        _upload.Progress(len(data), on_progress), make_poll=poll_op,
        slice_sizes={} if slice_sizes is None else slice_sizes, unfinished={} if unfinished is None else unfinished,
    )  # fmt: skip


def created(slice_size: int, pid: str = PID) -> _effects.Reply:
    return envelope({"reuse": False, "fileID": "", "preuploadID": pid, "sliceSize": slice_size})


def url() -> _effects.Reply:
    return envelope({"presignedURL": PRESIGNED})


def after(service: Service, seconds: float, reply: _effects.Reply) -> Callable[[], _effects.Reply]:
    """`reply`, once `seconds` have passed on the service's clock (a slow answer)."""

    def slow() -> _effects.Reply:
        service.clock.advance(seconds)
        return reply

    return slow


def numbered_urls(service: Service, seconds: float = 0.0) -> Callable[[], _effects.Reply]:
    """Slice URLs as the service gives them: one per slice number, each taking `seconds` to get."""

    def reply() -> _effects.Reply:
        service.clock.advance(seconds)
        return envelope({"presignedURL": f"https://slices.example/{service.sent[-1].json['sliceNo']}"})

    return reply


def parts(*held: tuple[int | str, int, str]) -> _effects.Reply:
    return envelope({"parts": [{"partNumber": n, "size": size, "etag": etag} for n, size, etag in held]})


def completed(file_id: str | None, *, done: bool = True, background: bool = False) -> _effects.Reply:
    data: dict[str, Any] = {"async": background, "completed": done}
    if file_id is not None:
        data["fileID"] = file_id
    return envelope(data)


def polled(done: bool, file_id: str = "", trace: str = "trace-poll") -> _effects.Reply:
    return envelope({"completed": done, "fileID": file_id}, trace=trace)
