"""`FakePan123`: the fake 123pan as one object. It holds the settings and the records, takes the one lock, and
hands each request to the parts in turn (see the package's docstring for what each part does)."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import threading
import urllib.parse
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ._clock import Clock, SystemClock, sleep
from ._contract import checker_for
from ._faults import PUT, REPLACING, REPLACING_PUT, Fault, Script, Throttle, busy, kept, played, replacement
from ._messages import FakeReply, RecordedRequest, lowered
from ._migration import DriveFile, Imports
from ._oss import OssStore, Slot, xml_error
from ._routes import POLL_PATH, Router
from ._server import FakeTransport, serving
from ._shape import REPLIES, Replies
from ._state import FakeUpload, Merges, Tokens


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
        self.violations: list[str] = []
        """Where requests and replies broke the spec; always empty without `spec`."""
        self._checker = checker_for(spec) if spec is not None else None
        self.max_puts_in_flight = 0
        """The most slice PUTs the fake was receiving at one time."""
        self._puts_in_flight = 0
        self._lock = threading.Lock()
        """Held by every request and every setup call, for all the parts at once: they keep no locks of their own."""
        self._tokens = Tokens(self)
        self._merges = Merges(self)
        self.oss = OssStore(
            slice_size=slice_size,
            url_lifetime=url_lifetime,
            complete_async=complete_async,
            storage_dir=storage_dir,
            now=self.clock.monotonic,
            wall=self.clock.time,
            on_async=self._merges.merge_later,
            link_delay_polls=link_delay_polls,
            user_self_url=user_self_url,
        )
        """The image host: upload sessions, stored slices, files and folders (`oss.files`, `oss.folders`)."""
        self.imports = Imports(self.oss, task_polls=task_polls, task_seconds=task_seconds, now=self.clock.monotonic)
        """The cloud drive, the URLs the fake knows, and the import tasks (`imports.copies`, `imports.offline`)."""
        self._router = Router(self, self._tokens, self._merges, self.oss, self.imports)
        self._script = Script(self._router.operations)
        self._throttle = Throttle()
        for name, limit in (qps or {}).items():
            self.set_qps(name, limit)

    @property
    def uploads(self) -> dict[str, FakeUpload]:
        """The uploads waiting to be merged (or merged), by preupload ID."""
        return self._merges.uploads

    @property
    def tokens_issued(self) -> int:
        """How many tokens the fake handed out, by the token call or `issue_token`."""
        return self._tokens.issued

    @property
    def qps(self) -> dict[str, float]:
        """Requests a second each endpoint path accepts (`set_qps`); an endpoint not here has no limit."""
        return self._throttle.qps

    @property
    def throttled(self) -> Counter[str]:
        """Requests answered 429 because of `qps`, per endpoint path."""
        return self._throttle.throttled

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
            return self._merges.add(
                preupload_id,
                file_id=file_id,
                pending_polls=pending_polls,
                pending_seconds=pending_seconds,
                fail_code=fail_code,
                fail_message=fail_message,
            )

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
        with self._lock:
            self._script.add(endpoint, faults)

    def set_qps(self, endpoint: str, limit: float | None) -> None:
        """Accept at most `limit` requests to `endpoint` in any second (None: no limit), as the service limits
        each endpoint per client ID; more are answered HTTP 200 with code 429 and the message `BUSY`.

        `endpoint` is an operation ID ("uploadAsyncResult"), a path, or the path's last segment when that is
        unique ("upload_async_result", "create", "list"). The second slides: a request is refused while
        `limit` requests were accepted in the second before it; refused ones do not count [guess]."""
        with self._lock:
            self._throttle.set(endpoint, limit)

    def implemented(self) -> frozenset[str]:
        """The operation IDs of the spec the fake has rules for; any other answers code 501 (not implemented)."""
        return self._router.implemented()

    def issue_token(self, lifetime: float | None = None) -> str:
        """A live token, as if fetched: for tests of a client given a static token."""
        with self._lock:
            return self._tokens.issue(lifetime)[0]

    def expire_tokens(self) -> None:
        """Every token issued so far stops working: the next request that needs one gets code 401."""
        with self._lock:
            self._tokens.expire()

    def polls(self, preupload_id: str) -> list[RecordedRequest]:
        """Every poll the fake received for this upload, in order of arrival."""
        with self._lock:
            return [r for r in self.requests if r.path == POLL_PATH and r.preupload_id == preupload_id]

    # Answering requests (the transport and the server call these), and serving.
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
        headers = lowered(headers)
        params = urllib.parse.parse_qs(query, keep_blank_values=True)
        with self._lock:
            reply = self._answer(method, path, headers, parsed, params, origin)
            self.requests.append(RecordedRequest(now, method, path, headers, parsed, reply.code, reply.limited))
        if self._checker is not None:
            self._check(method, path, headers, body, reply)
        return reply

    def handle_download(self, method: str, path: str, headers: Mapping[str, str]) -> FakeReply:
        """A GET (or HEAD) of a file's `downloadURL`: its bytes; no token needed, as with a public link."""
        now = self.clock.monotonic()
        with self._lock:
            self.requests.append(RecordedRequest(now, method, path, lowered(headers), None, None))
            if method not in ("GET", "HEAD"):
                return FakeReply(405, b"", "text/plain", scripted=True, headers=(("Allow", "GET, HEAD"),))
            status, data = self.oss.download(path)
        return FakeReply(status, data, "application/octet-stream" if status == 200 else "text/plain", scripted=True)

    def handle_put(self, path: str, query: str, headers: Mapping[str, str], chunks: Iterable[bytes]) -> FakeReply:
        """Take one slice PUT to a presigned URL, streaming its bytes into storage."""
        now = self.clock.monotonic()
        headers = lowered(headers)
        params = {k: v[0] for k, v in urllib.parse.parse_qs(query).items()}
        with self._lock:
            fault = self._script.next(PUT)
            self.requests.append(RecordedRequest(now, "PUT", path, headers, None, None))
            instead = replacement(fault, REPLACING_PUT, extra_fields=self.extra_fields)
            if instead is not None:
                return instead
            check = self.oss.check_put(path, params, headers)
            if fault is not None and fault.kind == "expire":
                check = (403, "Request has expired")
            self.max_puts_in_flight = max(self.max_puts_in_flight, self._puts_in_flight + 1)
            self._puts_in_flight += 1
        try:
            return self._receive(check, chunks, headers, fault)
        finally:
            with self._lock:
                self._puts_in_flight -= 1

    def transport(self) -> FakeTransport:
        """An in-process httpx transport (sync and async) backed by this fake."""
        return FakeTransport(self)

    def serve(self, host: str = "127.0.0.1", *, port: int = 0) -> contextlib.AbstractContextManager[str]:
        """Serve on a loopback port (0: a free one); yields the base URL, stops the server on exit."""
        return serving(self, host, port)

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

    # A request's way through the parts.
    def _answer(
        self, method: str, path: str, headers: Mapping[str, str], body: Any, query: dict[str, list[str]], origin: str
    ) -> FakeReply:
        """Under the lock: the route, the rate limit, the scripted fault, the checks every request passes, and
        the operation's rules, in that order."""
        operation_id = self._router.operation(method, path)
        if isinstance(operation_id, FakeReply):
            return operation_id
        if self._throttle.over_limit(path, self.clock.monotonic()):
            return busy(extra_fields=self.extra_fields)
        fault = self._script.next(operation_id)
        instead = replacement(fault, REPLACING, extra_fields=self.extra_fields)
        if instead is not None:
            return instead
        if fault is not None and fault.kind == "expire":
            self._tokens.expire()
        reply = self._router.refusal(operation_id, headers, body) or self._route(operation_id, body, query, origin)
        return played(reply, fault)

    def _route(self, operation_id: str, body: Any, query: dict[str, list[str]], origin: str) -> FakeReply:
        """A request that passed the common checks, checked against the spec and answered by its operation's
        rules; under the lock. A subclass may wrap it to change a rule for one call."""
        return self._router.answer(operation_id, body, query, origin)

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

        blob, size, md5 = self.oss.receive(kept(counted(), fault))
        if str(received) != headers["content-length"]:
            return FakeReply(400, xml_error("IncompleteBody"), content_type="application/xml", scripted=True)
        if fault is not None and fault.seconds:
            sleep(self.clock, fault.seconds)  # slow while still receiving: the PUT is in flight for the whole delay
        with self._lock:
            self.oss.store(check, blob, size, md5)
        return FakeReply(200, b"", content_type="text/plain", scripted=True)

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
