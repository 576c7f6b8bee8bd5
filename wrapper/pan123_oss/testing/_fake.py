"""The fake service: its state and rules as plain code, served in process or on a loopback socket."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime
import itertools
import json
import secrets
import socket
import threading
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from .._client import POLL_PATH, TOKEN_PATH, Clock, _SystemClock
from ._clock import FakeClock

ENDPOINTS = {TOKEN_PATH: "access_token", POLL_PATH: "upload_async_result"}
CHINA = datetime.timezone(datetime.timedelta(hours=8))  # the service writes expiredAt with +08:00


@dataclasses.dataclass(frozen=True, slots=True)
class Fault:
    """One scripted misbehaviour, used by the next request to its endpoint (see `FakePan123.script`)."""

    kind: str
    code: int = 0
    message: str = ""
    status: int = 200
    body: bytes = b""
    seconds: float = 0.0

    @classmethod
    def code_reply(cls, code: int, message: str = "") -> Fault:
        """An error envelope with this code (429, 20103, 5066, ...) and HTTP 200, as the service does."""
        return cls("code", code=code, message=message or f"fake error {code}")

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


class FakePan123:
    """A fake of the 123pan Open Platform's token and OSS polling endpoints, as API-FACTS describe them.

    It checks the `Platform` header, the JSON body and the bearer token on every call; issues tokens
    that expire; keeps each upload pending for `pending_polls` polls and `pending_seconds` seconds;
    records every request with its arrival time; and plays scripted faults.
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
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_lifetime = token_lifetime
        self.pending_polls = pending_polls
        self.pending_seconds = pending_seconds
        self.auto_uploads = auto_uploads
        self.clock: Clock = clock or _SystemClock()
        self.requests: list[RecordedRequest] = []
        self.uploads: dict[str, FakeUpload] = {}
        self.tokens_issued = 0
        self._tokens: dict[str, float] = {}
        self._faults: defaultdict[str, deque[Fault]] = defaultdict(deque)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

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

    def script(self, endpoint: str, *faults: Fault) -> None:
        """Queue faults for `endpoint` ("access_token" or "upload_async_result"), one per request."""
        if endpoint not in ENDPOINTS.values():
            raise ValueError(f"endpoint must be one of {sorted(ENDPOINTS.values())}")
        with self._lock:
            self._faults[endpoint].extend(faults)

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
    def handle(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> FakeReply:
        """Answer one request. Thread-safe; delays are returned in the reply, never slept here."""
        now = self.clock.monotonic()
        try:
            parsed: Any = json.loads(body) if body else None
        except ValueError:
            parsed = None
        lowered = {k.lower(): v for k, v in headers.items()}
        with self._lock:
            reply = self._answer(method, path, lowered, parsed)
            self.requests.append(RecordedRequest(now, method, path, lowered, parsed, reply.code))
        return reply

    def transport(self) -> FakeTransport:
        """An in-process httpx transport (sync and async) backed by this fake."""
        return FakeTransport(self)

    @contextlib.contextmanager
    def serve(self, host: str = "127.0.0.1") -> Iterator[str]:
        """Serve on a free loopback port; yields the base URL, stops the server on exit."""
        server = _Server((host, 0), _Handler)
        server.fake = self
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            yield f"http://{host}:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)

    # The rules.
    def _answer(self, method: str, path: str, headers: Mapping[str, str], body: Any) -> FakeReply:
        endpoint = ENDPOINTS.get(path)
        if endpoint is None or method != "POST":
            return _envelope(404, f"no such endpoint: {method} {path}", status=404)
        fault = self._faults[endpoint].popleft() if self._faults[endpoint] else None
        delay = 0.0
        if fault is not None:
            if fault.kind == "code":
                return _envelope(fault.code, fault.message)
            if fault.kind == "http":
                return FakeReply(fault.status, fault.body, content_type="text/html")
            if fault.kind == "drop":
                return FakeReply(0, b"", content_type="", drop=True)
            if fault.kind == "expire":
                self._tokens.clear()
            delay = fault.seconds
        reply = self._check_common(headers, body) or (
            self._token(body) if endpoint == "access_token" else self._poll(headers, body)
        )
        return dataclasses.replace(reply, delay=delay) if delay else reply

    def _check_common(self, headers: Mapping[str, str], body: Any) -> FakeReply | None:
        if headers.get("platform") != "open_platform":
            return _envelope(400, "Platform header must be open_platform")  # [guess] the real code is unknown
        if headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return _envelope(400, "Content-Type must be application/json")
        if not isinstance(body, dict):
            return _envelope(400, "body must be a JSON object")
        return None

    def _issue(self, lifetime: float | None) -> tuple[str, float]:
        token = "fake." + secrets.token_urlsafe(24)
        expires = self.clock.time() + (self.token_lifetime if lifetime is None else lifetime)
        self._tokens[token] = expires
        self.tokens_issued += 1
        return token, expires

    def _token(self, body: dict[str, Any]) -> FakeReply:
        if body.get("clientID") != self.client_id or body.get("clientSecret") != self.client_secret:
            return _envelope(401, "clientID or clientSecret is invalid")
        token, expires = self._issue(None)
        expired_at = datetime.datetime.fromtimestamp(expires, CHINA).isoformat(timespec="seconds")
        return _envelope(0, "ok", {"accessToken": token, "expiredAt": expired_at})

    def _poll(self, headers: Mapping[str, str], body: dict[str, Any]) -> FakeReply:
        auth = headers.get("authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None
        if token is None or self._tokens.get(token, -1.0) <= self.clock.time():
            return _envelope(401, "access token is invalid or expired")
        pid = body.get("preuploadID")
        if not isinstance(pid, str) or not pid:
            return _envelope(400, "preuploadID is required")
        upload = self.uploads.get(pid)
        if upload is None:
            if not self.auto_uploads:
                return _envelope(5066, "file does not exist")
            self.uploads[pid] = upload = FakeUpload(
                pid, f"fake-file-{next(self._ids)}", self.pending_polls, self.pending_seconds, None, "",
                self.clock.monotonic(),
            )  # fmt: skip
        upload.polls += 1
        if upload.fail_code is not None and upload.polls > upload.pending_polls:
            return _envelope(upload.fail_code, upload.fail_message)
        done = upload.polls > upload.pending_polls and self.clock.monotonic() - upload.created >= upload.pending_seconds
        return _envelope(0, "ok", {"completed": done, "fileID": upload.file_id if done else ""})


def _envelope(code: int, message: str, data: Any = None, *, status: int = 200) -> FakeReply:
    trace = f"{uuid.uuid4()}_fake-123pan"
    body = json.dumps({"code": code, "message": message, "data": data, "x-traceID": trace})
    return FakeReply(status, body.encode(), code=code)


class FakeTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Routes httpx requests straight into a FakePan123: no sockets, same rules and faults."""

    def __init__(self, fake: FakePan123) -> None:
        self.fake = fake

    def _reply(self, request: httpx.Request) -> tuple[FakeReply, float | None]:
        reply = self.fake.handle(request.method, request.url.path, request.headers, request.content)
        if reply.drop:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        read_timeout = request.extensions.get("timeout", {}).get("read")
        return reply, read_timeout if isinstance(read_timeout, int | float) else None

    @staticmethod
    def _response(reply: FakeReply, request: httpx.Request) -> httpx.Response:
        return httpx.Response(reply.status, headers={"Content-Type": reply.content_type}, content=reply.body)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        reply, limit = self._reply(request)
        if reply.delay:
            clock = self.fake.clock
            (clock.sleep if isinstance(clock, FakeClock) else time.sleep)(min(reply.delay, limit or reply.delay))
            if limit is not None and reply.delay > limit:
                raise httpx.ReadTimeout("timed out", request=request)
        return self._response(reply, request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        reply, limit = self._reply(request)
        if reply.delay:
            clock = self.fake.clock
            pause = min(reply.delay, limit or reply.delay)
            await (clock.async_sleep(pause) if isinstance(clock, FakeClock) else asyncio.sleep(pause))
            if limit is not None and reply.delay > limit:
                raise httpx.ReadTimeout("timed out", request=request)
        return self._response(reply, request)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 1024
    fake: FakePan123

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, addr = super().get_request()
        # http.server writes headers and body separately; without this, Nagle's algorithm and delayed
        # ACKs add ~40 ms to every reply and hide what the client itself costs.
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn, addr


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        reply = self.server.fake.handle(self.command, self.path.split("?")[0], dict(self.headers.items()), body)
        if reply.delay:
            time.sleep(reply.delay)
        if reply.drop:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    do_POST = do_GET = do_PUT = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass  # request records live in FakePan123.requests; stderr noise helps nobody
