"""The fake service: its state and rules as plain code, served in process or on a loopback socket."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime
import itertools
import json
import os
import re
import secrets
import selectors
import socket
import sys
import threading
import time
import urllib.parse
import uuid
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from .._governor import endpoint_of
from .._schema import path_of, problems, resolve
from .._spec import OPERATIONS
from ._clock import Clock, FakeClock, SystemClock
from ._contract import checker_for
from ._imports import DriveFile, Imports
from ._oss import BAD_REQUEST, CHINA, DOWNLOAD_PREFIX, PUT_PREFIX, Answer, OssStore, Slot, xml_error
from ._shape import EXTRA_FIELDS, REPLIES, Replies, payload

TOKEN_PATH = path_of("getAccessToken")
POLL_PATH = path_of("uploadAsyncResult")
LEGACY_NAMES = {
    "access_token": "getAccessToken",
    "upload_async_result": "uploadAsyncResult",
    "create": "createUpload",
    "get_upload_url": "getUploadUrl",
    "list_upload_parts": "listUploadParts",
    "upload_complete": "completeUpload",
    "file_detail": "getFileDetail",
}
"""The endpoint names `script` took before the fake was routed from the spec; operation IDs work as well."""
PUT = "put"
"""The `script` name of the slice PUTs to presigned URLs."""
TOO_MANY = 429
"""The code of a reply over an endpoint's `qps` limit (with HTTP 200, as the service answers)."""
BUSY = "操作频繁\uff0c请稍后再试"
"""The message of that reply ("too frequent, try again later"), with the service's full-width comma."""
NOT_IMPLEMENTED = 501
"""The code with which the fake answers an operation of the spec it has no rules for yet."""
INT64 = range(-(2**63), 2**63)
DIGITS = re.compile(r"-?[0-9]+")
Handler = Callable[[Any, Mapping[str, Any], str], Answer]
"""An operation's rules: (JSON body, query parameters, origin) -> (code, message, data)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Fault:
    """One scripted misbehaviour, used by the next request to its endpoint (see `FakePan123.script`)."""

    kind: str
    code: int = 0
    message: str = ""
    status: int = 200
    body: bytes = b""
    seconds: float = 0.0
    retry_after: float | None = None

    @classmethod
    def code_reply(cls, code: int, message: str = "", *, retry_after: float | None = None) -> Fault:
        """An error envelope with this code (429, 20103, 5066, ...) and HTTP 200, as the service does;
        `retry_after` adds a `Retry-After` header (whole seconds)."""
        return cls("code", code=code, message=message or f"fake error {code}", retry_after=retry_after)

    @classmethod
    def huge(cls, size: int = 4 << 20) -> Fault:
        """HTTP 200 with a JSON body of about `size` bytes: what a broken gateway or a hostile server sends."""
        return cls("huge", status=200, body=b'{"code": 0, "message": "' + b"x" * size + b'", "data": null}')

    @classmethod
    def trickle(cls, per_byte: float = 0.2) -> Fault:
        """Answer normally, but send the body one byte every `per_byte` seconds (on a socket; in process the
        reply is just late by the whole time)."""
        return cls("trickle", seconds=per_byte)

    @classmethod
    def http(cls, status: int = 502, body: bytes = b"<html><body>502 Bad Gateway</body></html>") -> Fault:
        return cls("http", status=status, body=body)

    @classmethod
    def html(cls) -> Fault:
        """HTTP 200 with an HTML page instead of JSON (a captive portal or misrouted proxy)."""
        return cls("http", status=200, body=b"<!doctype html><title>maintenance</title>")

    @classmethod
    def malformed(cls, body: bytes = b'{"code": 0, "message": "ok", "data": {"completed": "yes"}}') -> Fault:
        """HTTP 200 with JSON that breaks the spec."""
        return cls("http", status=200, body=body)

    @classmethod
    def slow(cls, seconds: float) -> Fault:
        """Answer normally, but only after `seconds`."""
        return cls("slow", seconds=seconds)

    @classmethod
    def drop(cls) -> Fault:
        """Close the connection without answering."""
        return cls("drop")

    @classmethod
    def damage(cls) -> Fault:
        """For a slice PUT: answer 200 but keep the slice with its first byte changed, the same size, as a
        faulty store would; only the MD5s of the parts list show it."""
        return cls("damage")

    @classmethod
    def short(cls) -> Fault:
        """For a slice PUT: answer 200 but keep the slice one byte short; the sizes of the parts list show it."""
        return cls("short")

    @classmethod
    def expire_tokens(cls) -> Fault:
        """Every live token expires now, so this request (if it needs one) gets code 401."""
        return cls("expire")


@dataclasses.dataclass(frozen=True, slots=True)
class RecordedRequest:
    time: float
    """When the request arrived, on the fake's clock (`time.monotonic` unless a FakeClock was given)."""
    method: str
    path: str
    headers: Mapping[str, str]
    body: Any
    """The JSON body, or None when it was not JSON."""
    code: int | None = None
    """The `code` of the fake's reply, or None for a non-envelope reply."""
    limited: bool = False
    """Refused as over the endpoint's `qps` limit (code 429), before any scripted fault was played."""

    @property
    def preupload_id(self) -> str | None:
        value = self.body.get("preuploadID") if isinstance(self.body, dict) else None
        return value if isinstance(value, str) else None


@dataclasses.dataclass(slots=True)
class FakeUpload:
    preupload_id: str
    file_id: str
    pending_polls: int
    pending_seconds: float
    fail_code: int | None
    fail_message: str
    created: float
    polls: int = 0


@dataclasses.dataclass(frozen=True, slots=True)
class FakeReply:
    status: int
    body: bytes
    content_type: str = "application/json"
    delay: float = 0.0
    drop: bool = False
    code: int | None = None
    """The envelope's `code`, for the request record; None when the body is no envelope."""
    scripted: bool = False
    """Deliberately broken by a scripted `http` or `drop` fault, so exempt from the spec check."""
    headers: tuple[tuple[str, str], ...] = ()
    """Headers besides Content-Type, such as `Allow` on a 405."""
    trickle: float = 0.0
    """Seconds between the bytes of the body, on a socket (a scripted `trickle` fault)."""
    limited: bool = False
    """Refused as over the endpoint's `qps` limit."""


class FakePan123:
    """A fake of the 123pan Open Platform's image-hosting (OSS) API and token call, as API-FACTS describe them.

    Every operation of openapi.yaml is routed from the spec's tables (`pan123_oss._spec`): the token call; the
    upload flow (create, slice URLs, slice PUTs, parts, complete, and the async-result poll); the image host's
    folder tree (mkdir, list, detail, move, delete; `downloadURL`s the fake serves with GET); and imports from a
    cloud drive the fake keeps (`add_drive_file`) and from URLs it was told about (`add_remote_file`; nothing is
    fetched from the network). An operation the spec gains before the fake learns its rules answers code 501
    ("not implemented") in a well-formed failure envelope with HTTP 200.

    It checks the `Platform` header, the JSON body (types, required fields and ranges from the spec's tables)
    and the bearer token on every call; issues tokens that expire; keeps each upload pending for
    `pending_polls` polls and `pending_seconds` seconds, and each import task for `task_polls` and
    `task_seconds`; records every request with its arrival time; and plays scripted faults (`script`).

    How it answers:

    - `replies="full"` (the default) sends every field it knows, optional and undocumented ones too (the
      `preuploadID: ""` and `sliceSize: 0` of an instant upload, `isMultipart`, `s3KeyFlag`...).
      `replies="minimal"` sends only what the spec requires, at every depth, plus the optional fields the docs
      promise for that kind of reply (the `fileID` of an instant upload or of a complete that is done at once;
      the `preuploadID` and `sliceSize` of an upload that needs slices): an instant upload answers
      `{"reuse": true, "fileID": ...}`, an async complete `{"async": true, "completed": false}`, a slice URL
      `{"presignedURL": ...}`.
    - `extra_fields=True` adds fields no spec knows (`EXTRA_FIELDS`) to every envelope and to every object in
      `data`, as a newer service would.
    - `link_delay_polls=N`: a new file's detail answers `downloadURL: ""` N times before the link (per file:
      `set_link_delay`). `user_self_url` is the custom domain `userSelfURL`s start with ("" = none set up).
    - Served on a socket (`serve`), it can act like a far-away service: `latency` seconds are added before
      every reply (API calls, slice PUTs and downloads alike; slept in the handler's own thread, so concurrent
      requests wait side by side), and `bandwidth` (bytes a second, per connection) paces how fast a slice
      PUT's body is read and a download's body is written. The in-process `transport` ignores both.
    - `qps={"create": 5, "upload_async_result": 5, ...}` (or `set_qps`) limits requests per endpoint per
      sliding second, as the service does: over it, HTTP 200 with code 429 and `BUSY`; `throttled`
      counts those per endpoint.

    Given `spec` (the path of openapi.yaml), it also checks every request it gets and every reply it gives
    against the spec, and appends each violation, as a readable line, to `violations`. Deliberately broken
    replies (scripted `Fault.http`, `html`, `malformed` and `drop`) are not checked; bad requests always are.
    """

    def __init__(
        self,
        *,
        client_id: str = "fake-client-id",
        client_secret: str = "fake-client-secret",  # noqa: S107 - a fixture credential, not a secret
        token_lifetime: float = 30 * 86400.0,
        pending_polls: int = 2,
        pending_seconds: float = 0.0,
        auto_uploads: bool = False,
        clock: Clock | None = None,
        spec: str | os.PathLike[str] | None = None,
        slice_size: int = 4 * 1024 * 1024,
        complete_async: bool = True,
        url_lifetime: float = 600.0,
        storage_dir: str | os.PathLike[str] | None = None,
        replies: Replies = "full",
        extra_fields: bool = False,
        link_delay_polls: int = 0,
        user_self_url: str = "",
        task_polls: int = 1,
        task_seconds: float = 0.0,
        latency: float = 0.0,
        bandwidth: float | None = None,
        qps: Mapping[str, float] | None = None,
    ) -> None:
        if replies not in REPLIES:
            raise ValueError(f"replies must be one of {REPLIES}")
        if not latency >= 0:
            raise ValueError(f"latency must be 0 or more seconds, got {latency!r}")
        if bandwidth is not None and not bandwidth > 0:
            raise ValueError(f"bandwidth must be a positive number of bytes a second, or None, got {bandwidth!r}")
        self.latency = latency
        """Seconds added before every reply served on a socket (an emulated wide-area round trip)."""
        self.bandwidth = bandwidth
        """Bytes a second, per connection, at which slice PUT bodies are read and downloads written (None: no cap)."""
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_lifetime = token_lifetime
        self.pending_polls = pending_polls
        self.pending_seconds = pending_seconds
        self.auto_uploads = auto_uploads
        self.replies: Replies = replies
        self.extra_fields = extra_fields
        self.clock: Clock = clock or SystemClock()
        self.requests: list[RecordedRequest] = []
        self.uploads: dict[str, FakeUpload] = {}
        self.tokens_issued = 0
        self._tokens: dict[str, float] = {}
        self._faults: defaultdict[str, deque[Fault]] = defaultdict(deque)
        self.qps: dict[str, float] = {}
        """Requests a second each endpoint path accepts (`set_qps`); an endpoint not here has no limit."""
        self._accepted: defaultdict[str, deque[float]] = defaultdict(deque)
        self.throttled: Counter[str] = Counter()
        """Requests answered 429 because of `qps`, per endpoint path."""
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        for name, limit in (qps or {}).items():
            self.set_qps(name, limit)
        self.violations: list[str] = []
        """Where requests and replies broke the spec; always empty without `spec`."""
        self._checker = checker_for(spec) if spec is not None else None
        self.max_puts_in_flight = 0
        """The most slice PUTs the fake was receiving at one time."""
        self._puts_in_flight = 0
        self.oss = OssStore(
            slice_size=slice_size,
            url_lifetime=url_lifetime,
            complete_async=complete_async,
            storage_dir=storage_dir,
            now=self.clock.monotonic,
            wall=self.clock.time,
            on_async=self._merge_later,
            link_delay_polls=link_delay_polls,
            user_self_url=user_self_url,
        )
        """The image host: upload sessions, stored slices, files and folders (`oss.files`, `oss.folders`)."""
        self.imports = Imports(self.oss, task_polls=task_polls, task_seconds=task_seconds, now=self.clock.monotonic)
        """The cloud drive, the URLs the fake knows, and the import tasks (`imports.copies`, `imports.offline`)."""
        # The routes, read when the fake is made: an operation added to the spec is routed with no edit here.
        self._operations: dict[str, dict[str, Any]] = dict(OPERATIONS)
        self._routes: dict[str, dict[str, str]] = {}
        for operation_id, operation in self._operations.items():
            self._routes.setdefault(operation["path"], {})[operation["method"]] = operation_id
        oss, imports = self.oss, self.imports
        self._handlers: dict[str, Handler] = {
            "getAccessToken": lambda body, query, origin: self._token(body),
            "uploadAsyncResult": lambda body, query, origin: self._poll(body),
            "createUpload": lambda body, query, origin: oss.create(body),
            "getUploadUrl": lambda body, query, origin: oss.upload_url(body, origin),
            "listUploadParts": lambda body, query, origin: oss.parts(body),
            "completeUpload": lambda body, query, origin: oss.complete(body),
            "createFolder": lambda body, query, origin: oss.mkdir(body),
            "listFiles": lambda body, query, origin: oss.listing(body, origin),
            "getFileDetail": lambda body, query, origin: oss.detail(query["fileID"], origin),
            "moveFiles": lambda body, query, origin: oss.move(body),
            "deleteFiles": lambda body, query, origin: oss.delete(body),
            "startDriveCopy": lambda body, query, origin: imports.start_copy(body),
            "getDriveCopyProcess": lambda body, query, origin: imports.copy_process(query["taskID"]),
            "listDriveCopyFailures": lambda body, query, origin: imports.copy_failures(
                query["taskID"], query["limit"], query["page"]
            ),
            "startOfflineDownload": lambda body, query, origin: imports.start_offline(body),
            "getOfflineDownloadProcess": lambda body, query, origin: imports.offline_process(query["taskID"]),
        }

    # Setting up.
    def add_upload(
        self,
        preupload_id: str | None = None,
        *,
        file_id: str | None = None,
        pending_polls: int | None = None,
        pending_seconds: float | None = None,
        fail_code: int | None = None,
        fail_message: str = "file check failed: MD5 does not match",
    ) -> str:
        """Register an upload waiting to be merged; returns its preupload ID."""
        with self._lock:
            n = next(self._ids)
            pid = preupload_id or f"fake-preupload-{n}-{secrets.token_hex(8)}"
            self.uploads[pid] = FakeUpload(
                preupload_id=pid,
                file_id=file_id or f"fake-file-{n}-{secrets.token_hex(6)}",
                pending_polls=self.pending_polls if pending_polls is None else pending_polls,
                pending_seconds=self.pending_seconds if pending_seconds is None else pending_seconds,
                fail_code=fail_code,
                fail_message=fail_message,
                created=self.clock.monotonic(),
            )
            return pid

    def add_folder(self, name: str, parent_id: str = "", *, folder_id: str | None = None) -> str:
        """A folder on the image host, as if made by mkdir (without its checks); returns its ID."""
        with self._lock:
            return self.oss.add_folder(name, parent_id, folder_id)

    def add_file(self, name: str, data: bytes, parent_id: str = "", *, file_id: str | None = None) -> str:
        """A file on the image host, as if uploaded (its bytes make later uploads of them instant); returns its ID."""
        with self._lock:
            return self.oss.land(name, parent_id, data, file_id or f"fake-oss-{secrets.token_hex(10)}")

    def set_review_status(self, file_id: str, status: int) -> None:
        """Set a file's review `status` (0 by default; above 100 means rejected [doc]: its link then answers 403)."""
        with self._lock:
            self.oss.files[file_id].status = status

    def set_link_delay(self, file_id: str, polls: int) -> None:
        """Make the next `polls` detail calls for this file answer `downloadURL: ""`."""
        with self._lock:
            self.oss.files[file_id].link_polls = polls

    def add_drive_file(self, drive_id: str, name: str, data: bytes) -> None:
        """A file on the cloud drive, for `startDriveCopy`. Drive IDs are numbers written as strings [doc]."""
        if not drive_id.isdigit():
            raise ValueError("a drive file ID is a string of digits, such as '14802190'")
        with self._lock:
            self.imports.drive[drive_id] = DriveFile(drive_id, name, data)

    def fail_copy(self, drive_id: str, reason: str = "图片格式不支持") -> None:
        """Make copying this drive file fail: it is listed by `listDriveCopyFailures`, and a task whose files
        all fail ends in status 3 with `reason` as its `failMsg`."""
        with self._lock:
            self.imports.drive[drive_id].failure = reason

    def add_remote_file(self, url: str, data: bytes) -> None:
        """What `url` holds, for `startOfflineDownload`; a URL never added makes the task fail (status 1)."""
        with self._lock:
            self.imports.remote[url] = data

    def script(self, endpoint: str, *faults: Fault) -> None:
        """Queue faults for an endpoint, one per request to it: an operation ID of the spec ("createFolder"),
        one of the older names ("access_token", "upload_async_result", "create", "get_upload_url",
        "list_upload_parts", "upload_complete", "file_detail"), or "put" for the slice PUTs.
        `Fault.expire_tokens()` on "put" makes that PUT's URL expired."""
        name = LEGACY_NAMES.get(endpoint, endpoint)
        if name != PUT and name not in self._operations:
            known = sorted({*LEGACY_NAMES, *self._operations, PUT})
            raise ValueError(f"endpoint must be one of {known}")
        with self._lock:
            self._faults[name].extend(faults)

    def set_qps(self, endpoint: str, limit: float | None) -> None:
        """Accept at most `limit` requests to `endpoint` in any second (None: no limit), as the service limits
        each endpoint per client ID; more are answered HTTP 200 with code 429 and the message `BUSY`.

        `endpoint` is an operation ID ("uploadAsyncResult"), a path, or the path's last segment when that is
        unique ("upload_async_result", "create", "list"). The second slides: a request is refused while
        `limit` requests were accepted in the second before it; refused ones do not count [guess]."""
        path = endpoint_of(LEGACY_NAMES.get(endpoint, endpoint))
        if limit is None:
            with self._lock:
                self.qps.pop(path, None)
            return
        if isinstance(limit, bool) or not isinstance(limit, int | float) or not limit > 0:
            raise ValueError(f"qps for {endpoint!r} must be a positive number of requests a second, got {limit!r}")
        with self._lock:
            self.qps[path] = float(limit)

    def _over_limit(self, path: str, now: float) -> bool:
        """Whether a request to `path` at `now` is over its `qps` (if not, it is counted). Under the lock."""
        limit = self.qps.get(path)
        if limit is None:
            return False
        accepted = self._accepted[path]
        while accepted and accepted[0] <= now - 1.0:
            accepted.popleft()
        if len(accepted) >= limit:
            self.throttled[path] += 1
            return True
        accepted.append(now)
        return False

    def implemented(self) -> frozenset[str]:
        """The operation IDs of the spec the fake has rules for; any other answers code 501 (not implemented)."""
        return frozenset(self._handlers.keys() & self._operations.keys())

    def issue_token(self, lifetime: float | None = None) -> str:
        """A live token, as if fetched: for tests of a client given a static token."""
        with self._lock:
            return self._issue(lifetime)[0]

    def expire_tokens(self) -> None:
        with self._lock:
            self._tokens.clear()

    def polls(self, preupload_id: str) -> list[RecordedRequest]:
        """Every poll the fake received for this upload, in order of arrival."""
        with self._lock:
            return [r for r in self.requests if r.path == POLL_PATH and r.preupload_id == preupload_id]

    # Serving.
    def handle(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str],
        body: bytes,
        *,
        query: str = "",
        origin: str = "http://fake-123pan.invalid",
    ) -> FakeReply:
        """Answer one API request. Thread-safe; delays are returned in the reply, never slept here.

        `origin` (scheme and host the client used) is where presigned URLs and download URLs point.
        """
        now = self.clock.monotonic()
        try:
            parsed: Any = json.loads(body) if body else None
        except ValueError:
            parsed = None
        lowered = {k.lower(): v for k, v in headers.items()}
        params = urllib.parse.parse_qs(query, keep_blank_values=True)
        with self._lock:
            reply = self._answer(method, path, lowered, parsed, params, origin)
            self.requests.append(RecordedRequest(now, method, path, lowered, parsed, reply.code, reply.limited))
        if self._checker is not None:
            self._check(method, path, lowered, body, reply)
        return reply

    def handle_download(self, method: str, path: str, headers: Mapping[str, str]) -> FakeReply:
        """A GET (or HEAD) of a file's `downloadURL`: its bytes; no token needed, as with a public link."""
        now = self.clock.monotonic()
        lowered = {k.lower(): v for k, v in headers.items()}
        with self._lock:
            self.requests.append(RecordedRequest(now, method, path, lowered, None, None))
            if method not in ("GET", "HEAD"):
                return FakeReply(405, b"", "text/plain", scripted=True, headers=(("Allow", "GET, HEAD"),))
            status, data = self.oss.download(path)
        return FakeReply(status, data, "application/octet-stream" if status == 200 else "text/plain", scripted=True)

    def _check(self, method: str, path: str, headers: Mapping[str, str], body: bytes, reply: FakeReply) -> None:
        assert self._checker is not None
        try:
            problems = self._checker.check_request(method, path, headers, body)
            if not reply.scripted:
                problems += self._checker.check_reply(method, path, reply.status, reply.content_type, reply.body)
        except Exception as exc:  # never raise in the server thread: a broken check is a violation too
            problems = [f"spec check of {method} {path} failed: {exc!r}"]
        with self._lock:
            self.violations += problems

    def transport(self) -> FakeTransport:
        """An in-process httpx transport (sync and async) backed by this fake."""
        return FakeTransport(self)

    @contextlib.contextmanager
    def serve(self, host: str = "127.0.0.1", *, port: int = 0) -> Iterator[str]:
        """Serve on a loopback port (0: a free one); yields the base URL, stops the server on exit."""
        server = _Server((host, port), _Handler)
        server.fake = self
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://{host}:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)

    # The rules.
    def handle_put(self, path: str, query: str, headers: Mapping[str, str], chunks: Iterable[bytes]) -> FakeReply:
        """Take one slice PUT to a presigned URL, streaming its bytes into storage."""
        now = self.clock.monotonic()
        lowered = {k.lower(): v for k, v in headers.items()}
        params = {k: v[0] for k, v in urllib.parse.parse_qs(query).items()}
        with self._lock:
            fault = self._faults[PUT].popleft() if self._faults[PUT] else None
            self.requests.append(RecordedRequest(now, "PUT", path, lowered, None, None))
            if fault is not None and fault.kind in ("code", "http", "drop"):
                return self._fault_reply(fault)
            check = self.oss.check_put(path, params, lowered)
            if fault is not None and fault.kind == "expire":
                check = (403, "Request has expired")
            self.max_puts_in_flight = max(self.max_puts_in_flight, self._puts_in_flight + 1)
            self._puts_in_flight += 1
        try:
            return self._receive(check, chunks, lowered, fault)
        finally:
            with self._lock:
                self._puts_in_flight -= 1

    def _receive(
        self, check: Slot | tuple[int, str], chunks: Iterable[bytes], headers: Mapping[str, str], fault: Fault | None
    ) -> FakeReply:
        if not isinstance(check, Slot):
            status, why = check
            return FakeReply(status, xml_error(why), content_type="application/xml", scripted=True)
        received = 0

        def counted() -> Iterator[bytes]:
            nonlocal received
            for chunk in chunks:
                received += len(chunk)
                yield chunk

        kept = counted()
        if fault is not None and fault.kind == "damage":
            kept = _first_byte_changed(kept)
        elif fault is not None and fault.kind == "short":
            kept = _last_byte_dropped(kept)
        blob, size, md5 = self.oss.receive(kept)
        if str(received) != headers["content-length"]:
            return FakeReply(400, xml_error("IncompleteBody"), content_type="application/xml", scripted=True)
        if fault is not None and fault.seconds:
            # Slow while still receiving, so that the PUT counts as in flight for the whole delay.
            (self.clock.sleep if isinstance(self.clock, FakeClock) else time.sleep)(fault.seconds)
        with self._lock:
            self.oss.store(check, blob, size, md5)
        return FakeReply(200, b"", content_type="text/plain", scripted=True)

    def close(self) -> None:
        """Drop stored uploads and close their temporary files; the fake stays usable for new ones."""
        with self._lock:
            self.oss.close()

    def __enter__(self) -> FakePan123:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def file_bytes(self, file_id: str) -> bytes:
        """The bytes of an uploaded file, as the fake stored them."""
        with self._lock:
            return self.oss.file_bytes(file_id)

    def _merge_later(self, preupload_id: str, file_id: str | None, failure: str) -> None:
        # Called under the lock by an async upload_complete: the poll answers once merged, or fails.
        self.uploads[preupload_id] = FakeUpload(
            preupload_id, file_id or "", self.pending_polls, self.pending_seconds,
            None if file_id else 1, failure, self.clock.monotonic(),
        )  # fmt: skip

    def _envelope(self, code: int, message: str, data: Any = None, *, status: int = 200) -> FakeReply:
        return _envelope(code, message, data, status=status, extra_fields=self.extra_fields)

    def _fault_reply(self, fault: Fault) -> FakeReply:
        if fault.kind == "code":
            reply = self._envelope(fault.code, fault.message)
            if fault.retry_after is not None:
                return dataclasses.replace(reply, headers=(("Retry-After", str(round(fault.retry_after))),))
            return reply
        if fault.kind == "huge":
            return FakeReply(200, fault.body, scripted=True)
        if fault.kind == "http":
            return FakeReply(fault.status, fault.body, content_type="text/html", scripted=True)
        return FakeReply(0, b"", content_type="", drop=True, scripted=True)

    def _answer(
        self, method: str, path: str, headers: Mapping[str, str], body: Any, query: dict[str, list[str]], origin: str
    ) -> FakeReply:
        methods = self._routes.get(path)
        if methods is None:
            return self._envelope(404, f"no such endpoint: {method} {path}", status=404)
        operation_id = methods.get(method)
        if operation_id is None:
            refused = self._envelope(405, f"method not allowed: {method} {path}", status=405)
            return dataclasses.replace(refused, headers=(("Allow", ", ".join(sorted(methods))),))
        if self._over_limit(path, self.clock.monotonic()):
            return dataclasses.replace(self._envelope(TOO_MANY, BUSY), limited=True)
        queue = self._faults[operation_id]
        fault = queue.popleft() if queue else None
        delay = 0.0
        if fault is not None:
            if fault.kind in ("code", "http", "drop", "huge"):
                return self._fault_reply(fault)
            if fault.kind == "expire":
                self._tokens.clear()
            delay = fault.seconds if fault.kind == "slow" else 0.0
        operation = self._operations[operation_id]
        refusal = self._check_common(headers, body, json_body=operation["body"] is not None)
        if refusal is None and operation["authenticated"]:
            refusal = self._authorized(headers)
        reply = refusal or self._route(operation_id, body, query, origin)
        if fault is not None and fault.kind == "trickle":
            return dataclasses.replace(reply, trickle=fault.seconds)
        return dataclasses.replace(reply, delay=delay) if delay else reply

    def _route(self, operation_id: str, body: Any, query: dict[str, list[str]], origin: str) -> FakeReply:
        """Validate the request against the spec's tables, then apply the operation's rules."""
        operation = self._operations[operation_id]
        found: list[str] = []
        if operation["body"] is not None:
            body = _lenient(operation_id, body)
            found += _request_problems({"ref": operation["body"]}, body, "body")
        params, bad = _query(operation, query)
        found += bad
        if found:
            return self._envelope(BAD_REQUEST, "; ".join(found[:3]))
        handler = self._handlers.get(operation_id)
        if handler is None:
            return self._envelope(NOT_IMPLEMENTED, f"not implemented by the fake: {operation_id}")
        code, message, data = handler(body, params, origin)
        if code == 0:
            data = payload(operation_id, data, replies=self.replies, extra_fields=self.extra_fields)
        return self._envelope(code, message, data)

    def _authorized(self, headers: Mapping[str, str]) -> FakeReply | None:
        auth = headers.get("authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None
        if token is None or self._tokens.get(token, -1.0) <= self.clock.time():
            return self._envelope(401, "access token is invalid or expired")
        return None

    def _check_common(self, headers: Mapping[str, str], body: Any, *, json_body: bool) -> FakeReply | None:
        if headers.get("platform") != "open_platform":
            return self._envelope(400, "Platform header must be open_platform")  # [guess] the real code is unknown
        kind = headers.get("content-type", "").split(";")[0].strip()
        if (json_body or kind) and kind != "application/json":
            # JSON is the only media type this API speaks; a body-less GET may say so, or nothing [guess].
            return self._envelope(400, "Content-Type must be application/json")
        if not json_body:
            return None
        if not isinstance(body, dict):
            return self._envelope(400, "body must be a JSON object")
        return None

    def _issue(self, lifetime: float | None) -> tuple[str, float]:
        token = "fake." + secrets.token_urlsafe(24)
        expires = self.clock.time() + (self.token_lifetime if lifetime is None else lifetime)
        self._tokens[token] = expires
        self.tokens_issued += 1
        return token, expires

    def _token(self, body: Mapping[str, Any]) -> Answer:
        if body.get("clientID") != self.client_id or body.get("clientSecret") != self.client_secret:
            return 401, "clientID or clientSecret is invalid", None
        token, expires = self._issue(None)
        expired_at = datetime.datetime.fromtimestamp(expires, CHINA).isoformat(timespec="seconds")
        return 0, "ok", {"accessToken": token, "expiredAt": expired_at}

    def _poll(self, body: Mapping[str, Any]) -> Answer:
        pid = body["preuploadID"]
        upload = self.uploads.get(pid)
        if upload is None:
            if not self.auto_uploads:
                return 5066, "file does not exist", None
            self.uploads[pid] = upload = FakeUpload(
                pid, f"fake-file-{next(self._ids)}", self.pending_polls, self.pending_seconds, None, "",
                self.clock.monotonic(),
            )  # fmt: skip
        upload.polls += 1
        if upload.fail_code is not None and upload.polls > upload.pending_polls:
            return upload.fail_code, upload.fail_message, None
        done = upload.polls > upload.pending_polls and self.clock.monotonic() - upload.created >= upload.pending_seconds
        return 0, "ok", {"completed": done, "fileID": upload.file_id if done else ""}


def _envelope(code: int, message: str, data: Any = None, *, status: int = 200, extra_fields: bool = False) -> FakeReply:
    trace = f"{uuid.uuid4()}_fake-123pan"
    envelope = {"code": code, "message": message, "data": data, "x-traceID": trace}
    body = json.dumps({**envelope, **EXTRA_FIELDS} if extra_fields else envelope, ensure_ascii=False)
    return FakeReply(status, body.encode(), code=code)


def _lenient(operation_id: str, body: Any) -> Any:
    """Shapes the docs show besides the spec's: mkdir's `name` as a plain string, as the docs' example sends it."""
    if operation_id == "createFolder" and isinstance(body.get("name"), str) and body["name"]:
        return {**body, "name": [body["name"]]}
    return body


def _request_problems(schema: Mapping[str, Any], value: Any, where: str) -> list[str]:
    """How a request value breaks the spec: `pan123_oss._schema.problems` (types, required fields, enums), then
    the ranges and lengths that module leaves to the code using a value; every integer must fit 64 bits."""
    return problems(dict(schema), value, where) or _bounds(schema, value, where)


def _bounds(schema: Mapping[str, Any], value: Any, where: str) -> list[str]:
    schema = resolve(schema)
    found: list[str] = []
    if isinstance(value, int) and not isinstance(value, bool):
        if value not in INT64:
            found.append(f"{where} does not fit 64 bits")
        if "minimum" in schema and value < schema["minimum"]:
            found.append(f"{where} is below {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            found.append(f"{where} is above {schema['maximum']}")
    elif isinstance(value, str) and len(value) < schema.get("minLength", 0):
        found.append(f"{where} is shorter than {schema['minLength']}")
    elif isinstance(value, str) and "maxLength" in schema and len(value) > schema["maxLength"]:
        found.append(f"{where} is longer than {schema['maxLength']}")
    elif isinstance(value, dict):
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                found += _bounds(sub, value[name], f"{where}.{name}")
    elif isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += _bounds(schema["items"], item, f"{where}[{index}]")
    return found


def _query(operation: Mapping[str, Any], query: Mapping[str, list[str]]) -> tuple[dict[str, Any], list[str]]:
    """The operation's query parameters, integers parsed, and how they break the spec."""
    values: dict[str, Any] = {}
    found: list[str] = []
    for name, schema in operation["query"].items():
        if name not in query:
            if name in operation["query_required"]:
                found.append(f"query parameter {name} is required")
            continue
        text = query[name][0]
        value: Any = text
        if schema.get("type") == "integer":
            if not DIGITS.fullmatch(text):
                found.append(f"query parameter {name} is not an integer")
                continue
            value = int(text)
        found += _request_problems(schema, value, f"query parameter {name}")
        values[name] = value
    return values, found


class FakeTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Routes httpx requests straight into a FakePan123: no sockets, same rules and faults."""

    def __init__(self, fake: FakePan123) -> None:
        self.fake = fake

    def _reply(self, request: httpx.Request) -> tuple[FakeReply, float | None]:
        url = request.url
        if request.method == "PUT" and url.path.startswith(PUT_PREFIX):
            reply = self.fake.handle_put(url.path, url.query.decode(), request.headers, [request.content])
        elif url.path.startswith(DOWNLOAD_PREFIX):
            reply = self.fake.handle_download(request.method, url.path, request.headers)
        else:
            origin = f"{url.scheme}://{url.netloc.decode()}"
            query = url.query.decode()
            reply = self.fake.handle(
                request.method, url.path, request.headers, request.content, query=query, origin=origin
            )
        if reply.drop:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        if reply.trickle:  # no socket to trickle on: the reply is as late as the trickle would make it
            reply = dataclasses.replace(reply, delay=reply.trickle * len(reply.body), trickle=0.0)
        read_timeout = request.extensions.get("timeout", {}).get("read")
        return reply, read_timeout if isinstance(read_timeout, int | float) else None

    @staticmethod
    def _response(reply: FakeReply) -> httpx.Response:
        headers = [("Content-Type", reply.content_type), *reply.headers]
        return httpx.Response(reply.status, headers=headers, content=reply.body)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        reply, limit = self._reply(request)
        if reply.delay:
            clock = self.fake.clock
            (clock.sleep if isinstance(clock, FakeClock) else time.sleep)(min(reply.delay, limit or reply.delay))
            if limit is not None and reply.delay > limit:
                raise httpx.ReadTimeout("timed out", request=request)
        return self._response(reply)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        reply, limit = self._reply(request)
        if reply.delay:
            clock = self.fake.clock
            pause = min(reply.delay, limit or reply.delay)
            await (clock.async_sleep(pause) if isinstance(clock, FakeClock) else asyncio.sleep(pause))
            if limit is not None and reply.delay > limit:
                raise httpx.ReadTimeout("timed out", request=request)
        return self._response(reply)


PACED_CHUNK = 64 << 10
"""The piece size in which a bandwidth-capped body is read or written, so that the pace stays even."""


def _pace(started: float, done: int, bandwidth: float | None) -> None:
    """Sleep until `done` bytes since `started` are no faster than `bandwidth` bytes a second."""
    if bandwidth is not None:
        ahead = started + done / bandwidth - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 1024
    fake: FakePan123

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._wake_read, self._wake_write = socket.socketpair()

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """socketserver's loop, but `shutdown` wakes it at once rather than at its next poll: a test that
        serves a fake ends when its work does, not up to `poll_interval` later."""
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(self, selectors.EVENT_READ)
                selector.register(self._wake_read, selectors.EVENT_READ)
                while True:
                    ready = [key.fileobj for key, _ in selector.select(poll_interval)]
                    if self._stop.is_set():  # `shutdown` wrote to the wake-up socket after setting it
                        break
                    if self in ready:
                        # What socketserver's loop calls here; typeshed leaves this private step out.
                        self._handle_request_noblock()  # type: ignore[attr-defined]
                    self.service_actions()
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        self._stop.set()
        self._wake_write.send(b"x")
        self._stopped.wait()

    def server_close(self) -> None:
        super().server_close()
        self._wake_read.close()
        self._wake_write.close()

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, addr = super().get_request()
        # http.server writes headers and body separately; without this, Nagle's algorithm and delayed
        # ACKs add ~40 ms to every reply and hide what the client itself costs.
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn, addr

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up before a slow reply was written is not the fake's error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def _serve(self) -> None:
        fake = self.server.fake
        length = int(self.headers.get("Content-Length") or 0)
        path, _, query = self.path.partition("?")
        if self.command == "PUT" and path.startswith(PUT_PREFIX):
            left = [length]
            read_size = 1 << 20 if fake.bandwidth is None else PACED_CHUNK

            def chunks() -> Iterator[bytes]:
                started = time.monotonic()
                while left[0] > 0:
                    chunk = self.rfile.read(min(read_size, left[0]))
                    if not chunk:
                        return
                    left[0] -= len(chunk)
                    _pace(started, length - left[0], fake.bandwidth)
                    yield chunk

            reply = self.server.fake.handle_put(path, query, dict(self.headers.items()), chunks())
            if left[0]:
                self.close_connection = True  # the body was refused unread: this connection cannot be reused
        elif path.startswith(DOWNLOAD_PREFIX):
            if length:
                self.rfile.read(length)
            reply = self.server.fake.handle_download(self.command, path, dict(self.headers.items()))
        else:
            body = self.rfile.read(length) if length else b""
            host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
            reply = self.server.fake.handle(
                self.command, path, dict(self.headers.items()), body, query=query, origin=f"http://{host}"
            )
        if reply.delay or fake.latency:
            time.sleep(reply.delay + fake.latency)
        if reply.drop:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers:
            self.send_header(name, value)
        if self.close_connection:
            # Said, as HTTP/1.1 asks: a client that is not told may send its next request on this connection
            # before it sees it close, and read that as the server hanging up on the request.
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            return
        if reply.trickle:
            for byte in reply.body:  # the hostile server: every byte on time, the whole never
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(reply.trickle)
            return
        if fake.bandwidth is None or not path.startswith(DOWNLOAD_PREFIX):
            self.wfile.write(reply.body)
            return
        started = time.monotonic()
        for offset in range(0, len(reply.body), PACED_CHUNK):
            piece = reply.body[offset : offset + PACED_CHUNK]
            _pace(started, offset + len(piece), fake.bandwidth)  # each piece leaves when the link would have sent it
            self.wfile.write(piece)

    # Every method reaches the fake, which answers those a path does not take with 405 rather than 501.
    do_POST = do_GET = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_TRACE = do_QUERY = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass  # request records live in FakePan123.requests; stderr noise helps nobody


def _first_byte_changed(chunks: Iterator[bytes]) -> Iterator[bytes]:
    for chunk in chunks:
        if chunk:
            yield bytes([chunk[0] ^ 0xFF]) + chunk[1:]
            break
    yield from chunks


def _last_byte_dropped(chunks: Iterator[bytes]) -> Iterator[bytes]:
    held = b""
    for chunk in chunks:
        if held:
            yield held
        held = chunk
    yield held[:-1]
