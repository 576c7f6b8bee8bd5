"""A bounded HTTP/1.1 server: idle and half-sent connections cost a socket and a small buffer, never a thread.

`http.server`'s threading server gives every connection a thread that waits on it forever, and listens with a
backlog of 5: a few hundred idle sockets hold a few hundred threads, and a burst of clients is dropped. Here one
thread accepts connections and reads each request head without blocking (a head must be complete within
`ServeLimits.head_timeout` and `max_head` bytes, or the connection is closed); only a complete head is handed to
one of `workers` daemon threads, which reads the body and answers with a timeout on every read and write. Past
`max_connections` open connections a new one is answered 503 at once. One request per connection
(`Connection: close`), so no connection waits for a second request while holding a worker.
"""

from __future__ import annotations

import contextlib
import io
import queue
import selectors
import socket
import socketserver
import threading
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

from .._policy import ServeLimits

CHUNK = 64 * 1024
"""Bytes read from a socket at a time."""
ACCEPTS_PER_WAKE = 64
"""Connections accepted in one go before the head reads get their turn again."""

Pending = tuple[socket.socket, Any, bytes]
"""A connection whose request head has arrived: the socket, the peer's address, the bytes read so far."""
Heads = dict[socket.socket, tuple[Any, bytearray, float]]
"""Connections whose head is still arriving: the peer's address, the bytes so far, the deadline for the rest."""


def canned(status: int, reason: str, body: bytes) -> bytes:
    """A whole JSON reply, for the accepting thread to send without a handler."""
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


BUSY = canned(503, "Service Unavailable", b'{"success": false, "message": "too many connections; try again"}')
HEAD_TOO_LARGE = canned(431, "Request Header Fields Too Large", b'{"success": false, "message": "headers too large"}')


class _Connection(io.RawIOBase):
    """The socket, with the head bytes the accepting thread already read put back in front."""

    def __init__(self, prefix: bytes, sock: socket.socket) -> None:
        super().__init__()
        self._prefix = memoryview(prefix)
        self._sock = sock

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._prefix:
            count = min(len(buffer), len(self._prefix))
            buffer[:count] = self._prefix[:count]
            self._prefix = self._prefix[count:]
            return count
        return self._sock.recv_into(buffer)

    def write(self, data: Any) -> int:
        self._sock.sendall(data)
        return len(data)


class BoundedHandler(BaseHTTPRequestHandler):
    """A request handler for `BoundedServer`: one request, reads and writes bounded by `read_timeout`."""

    server: BoundedServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # a reply is a few small writes: don't hold the last one back 40 ms

    def __init__(self, request: socket.socket, client_address: Any, server: BoundedServer, head: bytes) -> None:
        self._head = head
        super().__init__(request, client_address, server)

    def setup(self) -> None:
        # Not StreamRequestHandler.setup: its socket files would keep the socket open after it is closed.
        self.connection = self.request
        self.connection.settimeout(self.server.limits.read_timeout)
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, True)
        raw = _Connection(self._head, self.connection)
        self.rfile = io.BufferedReader(raw, CHUNK)
        self.wfile = io.BufferedWriter(raw, CHUNK)

    def handle(self) -> None:
        self.close_connection = True
        self.handle_one_request()

    def finish(self) -> None:
        with contextlib.suppress(OSError):  # the client is gone; there is no one left to tell
            self.wfile.flush()
        for stream in (self.wfile, self.rfile):
            with contextlib.suppress(OSError):
                stream.close()


class BoundedServer(socketserver.TCPServer):
    """Listens on `address` and runs `handler` (a `BoundedHandler`) for each request, within `limits`."""

    allow_reuse_address = True  # as http.server: a restart may bind the port its predecessor just left

    def __init__(self, address: tuple[str, int], handler: type[BoundedHandler], limits: ServeLimits) -> None:
        self.limits = limits
        self.request_queue_size = limits.backlog
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self._pending: queue.Queue[Pending | None] = queue.Queue()
        self._open = 0
        self._open_lock = threading.Lock()
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()
        self._wake_read, self._wake_write = socket.socketpair()
        self._handler = handler  # built with the head its connection sent, in `_work`
        super().__init__(address, handler)

    @property
    def open_connections(self) -> int:
        with self._open_lock:
            return self._open

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self._stop.clear()
        self._stopped.clear()
        workers = [
            threading.Thread(target=self._work, name="pan123-oss-serve", daemon=True)
            for _ in range(self.limits.workers)
        ]  # fmt: skip
        for worker in workers:
            worker.start()
        heads: Heads = {}
        selector = selectors.DefaultSelector()
        try:
            self.socket.setblocking(False)
            selector.register(self.socket, selectors.EVENT_READ)
            selector.register(self._wake_read, selectors.EVENT_READ)
            while not self._stop.is_set():
                now = time.monotonic()
                first = min((deadline for _, _, deadline in heads.values()), default=now + poll_interval)
                for key, _ in selector.select(max(0.0, min(poll_interval, first - now))):
                    if key.fileobj is self.socket:
                        self._accept(selector, heads)
                    elif key.fileobj is self._wake_read:
                        self._wake_read.recv(CHUNK)
                    else:
                        self._read_head(selector, heads, key.fileobj)  # type: ignore[arg-type]
                now = time.monotonic()
                for sock in [s for s, (_, _, deadline) in heads.items() if deadline <= now]:
                    self._drop(selector, heads, sock)  # its head did not arrive in time
        finally:
            for sock in list(heads):
                self._drop(selector, heads, sock)
            selector.close()
            for _ in workers:
                self._pending.put(None)
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop `serve_forever` (from another thread) and wait until it has; requests under way finish."""
        self._stop.set()
        with contextlib.suppress(OSError):
            self._wake_write.send(b"x")
        self._stopped.wait()

    def server_close(self) -> None:
        super().server_close()
        self._wake_read.close()
        self._wake_write.close()

    def _accept(self, selector: selectors.BaseSelector, heads: Heads) -> None:
        for _ in range(ACCEPTS_PER_WAKE):
            try:
                sock, address = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return  # e.g. out of file descriptors: the backlog keeps the rest for the next turn
            sock.setblocking(False)
            with self._open_lock:
                full = self._open >= self.limits.max_connections
                if not full:
                    self._open += 1
            if full:
                _say_and_close(sock, BUSY)
                continue
            heads[sock] = (address, bytearray(), time.monotonic() + self.limits.head_timeout)
            selector.register(sock, selectors.EVENT_READ)

    def _read_head(
        self, selector: selectors.BaseSelector, heads: Heads,
        sock: socket.socket,
    ) -> None:  # fmt: skip
        address, buffer, _ = heads[sock]
        try:
            data = sock.recv(CHUNK)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._drop(selector, heads, sock)
            return
        searched = max(0, len(buffer) - 3)
        buffer += data
        if buffer.find(b"\r\n\r\n", searched) >= 0 or buffer.find(b"\n\n", searched) >= 0:
            selector.unregister(sock)
            del heads[sock]
            sock.setblocking(True)
            self._pending.put((sock, address, bytes(buffer)))
        elif len(buffer) > self.limits.max_head:
            selector.unregister(sock)
            del heads[sock]
            _say_and_close(sock, HEAD_TOO_LARGE)
            self._release()

    def _drop(
        self, selector: selectors.BaseSelector, heads: Heads,
        sock: socket.socket,
    ) -> None:  # fmt: skip
        selector.unregister(sock)
        del heads[sock]
        sock.close()
        self._release()

    def _release(self) -> None:
        with self._open_lock:
            self._open -= 1

    def _work(self) -> None:
        while (item := self._pending.get()) is not None:
            sock, address, head = item
            try:
                self._handler(sock, address, self, head)
            except Exception as exc:  # a handler must not take its worker down with it
                self.handle_failure(exc)
            finally:
                self.shutdown_request(sock)
                self._release()

    def handle_failure(self, exc: Exception) -> None:
        """A handler raised: the connection is closed; say so where the server logs."""


def _say_and_close(sock: socket.socket, reply: bytes) -> None:
    """Best effort, without blocking: a client that does not read its refusal just loses it. What it sent is read
    first (as much as has arrived), since closing on unread bytes resets the connection, reply and all."""
    with contextlib.suppress(OSError):
        sock.recv(CHUNK)
    with contextlib.suppress(OSError):
        sock.send(reply)
        sock.shutdown(socket.SHUT_WR)
    sock.close()
