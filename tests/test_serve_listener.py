"""The bounded listener under `serve`, over loopback: the exact refusals it sends without a handler, heads that
arrive in pieces or with bare newlines, heads too large or too slow, the connection count, and bodies whose
first bytes came with the head."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import StartPicGo

from pan123_oss._policy import ServeLimits
from pan123_oss._serve import PicGoServer

Start = Callable[..., PicGoServer]


@pytest.fixture
def start(start_picgo: StartPicGo) -> Start:
    def make(limits: ServeLimits | None = None, upload: Any = None, host: str = "127.0.0.1") -> PicGoServer:
        return start_picgo(upload or (lambda files: [f"https://x.test/{len(files)}"]), host=host, limits=limits)

    return make


def connect(server: PicGoServer) -> socket.socket:
    address, port = server.server_address[:2]
    return socket.create_connection((str(address), port), timeout=10)


def read_all(sock: socket.socket) -> bytes:
    return b"".join(iter(lambda: sock.recv(65536), b""))


def head_of(
    server: PicGoServer, target: str = "/heartbeat", method: str = "GET", newline: str = "\r\n", extra: str = ""
) -> bytes:
    address, port = server.server_address[:2]
    host = f"[{address!s}]" if ":" in str(address) else str(address)
    return f"{method} {target} HTTP/1.1{newline}Host: {host}:{port}{newline}{extra}{newline}".encode()


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_a_head_that_arrives_in_pieces_is_answered(start: Start) -> None:
    server = start()
    head = head_of(server)
    with connect(server) as sock:
        for piece in (head[:5], head[5:-3], head[-3:-1], head[-1:]):  # the blank line itself split
            sock.sendall(piece)
            time.sleep(0.02)
        reply = read_all(sock)
    assert reply.startswith(b"HTTP/1.1 200 ")
    assert reply.endswith(b'{"success": true, "result": "alive"}')


def test_a_head_with_bare_newlines_is_answered(start: Start) -> None:
    server = start()
    with connect(server) as sock:
        sock.sendall(head_of(server, newline="\n"))
        assert read_all(sock).startswith(b"HTTP/1.1 200 ")


def test_a_head_too_large_is_refused_with_a_json_431(start: Start) -> None:
    server = start(ServeLimits(max_head=200))
    with connect(server) as sock:
        sock.sendall(b"GET /heartbeat HTTP/1.1\r\nX-Filler: " + b"a" * 300)
        reply = read_all(sock)
    body = b'{"success": false, "message": "headers too large"}'
    assert reply == (
        b"HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: application/json; charset=utf-8\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body
    )
    wait_until(lambda: server.open_connections == 0)


def test_a_head_of_the_largest_size_is_still_read(start: Start) -> None:
    server = start(ServeLimits(max_head=200))
    head = head_of(server)
    padded = head[:-2] + b"X-Filler: " + b"a" * (200 - len(head) - 14) + b"\r\n\r\n"
    assert len(padded) <= 200
    with connect(server) as sock:
        sock.sendall(padded[:-4])
        time.sleep(0.05)
        sock.sendall(padded[-4:])
        assert read_all(sock).startswith(b"HTTP/1.1 200 ")


def test_past_the_cap_a_connection_gets_the_busy_reply_and_a_slot_frees_when_one_closes(start: Start) -> None:
    server = start(ServeLimits(max_connections=1))
    idle = connect(server)
    wait_until(lambda: server.open_connections == 1)
    with connect(server) as second:
        second.sendall(head_of(server))
        reply = read_all(second)
    body = b'{"success": false, "message": "too many connections; try again"}'
    assert reply == (
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\nConnection: close\r\n\r\n"
        + body
    )
    assert server.open_connections == 1
    idle.close()
    wait_until(lambda: server.open_connections == 0)
    with connect(server) as third:
        third.sendall(head_of(server))
        assert read_all(third).startswith(b"HTTP/1.1 200 ")
    wait_until(lambda: server.open_connections == 0)


def test_a_head_that_does_not_arrive_in_time_is_dropped(start: Start) -> None:
    server = start(ServeLimits(head_timeout=0.2))
    with connect(server) as sock:
        sock.sendall(b"GET /heartbeat HTTP/1.1\r\n")
        wait_until(lambda: server.open_connections == 1)
        started = time.monotonic()
        assert read_all(sock) == b""  # closed without a word
        assert time.monotonic() - started < 5
    wait_until(lambda: server.open_connections == 0)


def test_a_client_that_leaves_before_its_head_frees_its_slot(start: Start) -> None:
    server = start(ServeLimits(max_connections=2))
    for _ in range(5):
        sock = connect(server)
        sock.sendall(b"GET /")
        wait_until(lambda: server.open_connections >= 1)
        sock.close()
        wait_until(lambda: server.open_connections == 0)


def test_many_connections_at_once_are_all_answered(start: Start) -> None:
    server = start(ServeLimits(max_connections=200, workers=2))
    socks = [connect(server) for _ in range(70)]  # more than one wake's worth of accepts
    try:
        for sock in socks:
            sock.sendall(head_of(server))
        assert all(read_all(sock).startswith(b"HTTP/1.1 200 ") for sock in socks)
    finally:
        for sock in socks:
            sock.close()
    wait_until(lambda: server.open_connections == 0)


def test_a_body_that_starts_in_the_heads_packet_is_read_whole(start: Start, tmp_path: Path) -> None:
    seen: list[list[tuple[str, Any]]] = []

    def upload(files: list[tuple[str, Any]]) -> list[str]:
        seen.append(files)
        return ["ok"] * len(files)

    server = start(upload=upload)
    paths = [tmp_path / f"{n}.png" for n in range(2)]
    for path in paths:
        path.write_bytes(b"x")
    body = json.dumps({"list": [str(p) for p in paths]}).encode()
    head = head_of(
        server, "/upload", "POST", extra=f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    )
    with connect(server) as sock:
        sock.sendall(head + body[:7])
        time.sleep(0.05)
        sock.sendall(body[7:])
        reply = read_all(sock)
    assert reply.endswith(b'{"success": true, "result": ["ok", "ok"]}')
    assert [[label for label, _ in files] for files in seen] == [[str(p) for p in paths]]


def test_shutdown_stops_serving_and_frees_waiting_heads(start: Start) -> None:
    server = start()
    idle = connect(server)
    idle.sendall(b"GET /")
    wait_until(lambda: server.open_connections == 1)
    started = time.monotonic()
    server.shutdown()
    assert time.monotonic() - started < 5
    assert server.open_connections == 0
    assert read_all(idle) == b""
    idle.close()


def test_ipv6_loopback_is_served_when_the_host_has_it(start: Start) -> None:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    server = start(host="::1")
    assert server.address_family == socket.AF_INET6
    assert server.url.startswith("http://[::1]:")
    with connect(server) as sock:
        sock.sendall(head_of(server))
        assert read_all(sock).startswith(b"HTTP/1.1 200 ")


def test_an_idle_server_sleeps_in_select(start: Start, monkeypatch: pytest.MonkeyPatch) -> None:
    import selectors

    waits: list[float | None] = []
    real = selectors.DefaultSelector

    class Counting(real):  # type: ignore[misc, valid-type]
        def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
            waits.append(timeout)
            return super().select(timeout)  # type: ignore[no-any-return]

    monkeypatch.setattr("pan123_oss._serve._listener.selectors.DefaultSelector", Counting)
    start()
    time.sleep(0.3)
    assert 0 < len(waits) < 30  # a wait of poll_interval (0.05 s) each time, not a spin
    assert waits[1:] == pytest.approx([0.05] * (len(waits) - 1))


def test_a_body_past_a_large_head_is_read_whole(start: Start, tmp_path: Path) -> None:
    seen: list[str] = []

    def upload(files: list[tuple[str, Any]]) -> list[str]:
        seen.extend(label for label, _ in files)
        return ["ok"]

    server = start(ServeLimits(read_timeout=2), upload=upload)
    path = tmp_path / "a.png"
    path.write_bytes(b"x")
    body = json.dumps({"list": [str(path)], "padding": "p" * 100_000}).encode()
    filler = "X-Filler: " + "f" * 60_000 + "\r\n"
    head = head_of(server, "/upload", "POST", extra=f"{filler}Content-Type: application/json\r\n"
                   f"Content-Length: {len(body)}\r\n")  # fmt: skip
    with connect(server) as sock:
        sock.sendall(head[:50_000])
        time.sleep(0.1)  # the first part of the head is read on its own
        sock.sendall(head[50_000:] + body)  # the rest of it and the body arrive together: more than one buffer
        reply = read_all(sock)
    assert reply.endswith(b'{"success": true, "result": ["ok"]}'), reply[:200]
    assert seen == [str(path)]
