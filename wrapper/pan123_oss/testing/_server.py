"""Serving the fake: an in-process httpx transport, or a loopback HTTP server.

Both hand each request to the fake's `handle` (API calls), `handle_put` (slice PUTs to presigned URLs) or
`handle_download` (GETs of `downloadURL`s), which decide the reply and never sleep; this module carries out the
reply's timing: a scripted delay, and on a socket the fake's `latency`, its `bandwidth` cap and trickled bytes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import selectors
import socket
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

import httpx

from ._clock import Clock, async_sleep, sleep
from ._messages import FakeReply
from ._oss import DOWNLOAD_PREFIX, PUT_PREFIX

PACED_CHUNK = 64 << 10
"""The piece size in which a bandwidth-capped body is read or written, so that the pace stays even."""


class Service(Protocol):
    """What the transport and the server serve (`FakePan123`)."""

    clock: Clock
    latency: float
    bandwidth: float | None

    def handle(
        self, method: str, path: str, headers: Mapping[str, str], body: bytes, *, query: str = "", origin: str = ...
    ) -> FakeReply: ...

    def handle_put(self, path: str, query: str, headers: Mapping[str, str], chunks: Iterable[bytes]) -> FakeReply: ...

    def handle_download(self, method: str, path: str, headers: Mapping[str, str]) -> FakeReply: ...


class FakeTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Routes httpx requests straight into a FakePan123: no sockets, same rules and faults."""

    def __init__(self, fake: Service) -> None:
        self.fake = fake

    def _reply(self, request: httpx.Request) -> tuple[FakeReply, float, bool]:
        """The reply, how long to wait before it (its delay, cut short by the request's read timeout), and whether
        that timeout runs out first."""
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
        limit = request.extensions.get("timeout", {}).get("read")
        if not reply.delay or not isinstance(limit, int | float):
            return reply, reply.delay, False
        return reply, min(reply.delay, limit or reply.delay), reply.delay > limit

    @staticmethod
    def _response(request: httpx.Request, reply: FakeReply, timed_out: bool) -> httpx.Response:
        if timed_out:
            raise httpx.ReadTimeout("timed out", request=request)
        headers = [("Content-Type", reply.content_type), *reply.headers]
        return httpx.Response(reply.status, headers=headers, content=reply.body)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        reply, wait, timed_out = self._reply(request)
        if wait:
            sleep(self.fake.clock, wait)
        return self._response(request, reply, timed_out)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        reply, wait, timed_out = self._reply(request)
        if wait:
            await async_sleep(self.fake.clock, wait)
        return self._response(request, reply, timed_out)


@contextlib.contextmanager
def serving(fake: Service, host: str, port: int) -> Iterator[str]:
    """Serve `fake` on host:port (0: a free one); yields the base URL, stops the server on exit."""
    server = _Server((host, port), _Handler)
    server.fake = fake
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


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
    fake: Service

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

            reply = fake.handle_put(path, query, dict(self.headers.items()), chunks())
            if left[0]:
                self.close_connection = True  # the body was refused unread: this connection cannot be reused
        elif path.startswith(DOWNLOAD_PREFIX):
            if length:
                self.rfile.read(length)
            reply = fake.handle_download(self.command, path, dict(self.headers.items()))
        else:
            body = self.rfile.read(length) if length else b""
            host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
            reply = fake.handle(
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
