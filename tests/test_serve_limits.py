"""`serve` against the real clients' request shapes and against hostile ones, over real sockets.

The shapes are those of PicGo-Core's server (`POST /heartbeat` without the secret, answered
`{success: true, result: "alive"}`; the secret as `Authorization: Bearer`, `X-PicGo-Secret` or `?secret=`; a JSON
body read whatever its content type), PicList's (`?key=`) and the Obsidian image auto upload plugin's remote server
mode (one multipart part named `list` per picture, its filename the picture's full path, a Windows one unescaped).
Each test failed before the change it guards; its first comment says what was seen.
"""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import StartPicGo, random_files

import loopback
import pan123_oss
from pan123_oss._cli._formats import render
from pan123_oss._cli._serve import uploader
from pan123_oss._policy import ServeLimits
from pan123_oss._serve import PicGoServer
from pan123_oss.testing import FakePan123

KEY = "a-key-long-enough-for-any-host"
Serve = Callable[..., PicGoServer]


@pytest.fixture
def serve(real_fake: FakePan123, served: str, start_picgo: StartPicGo) -> Iterator[Serve]:
    real_fake.pending_polls = 0
    clients: list[pan123_oss.Client] = []

    def start(
        *, key: str | None = KEY, limits: ServeLimits | None = None, upload: Any = None, log: io.StringIO | None = None
    ) -> PicGoServer:
        client = pan123_oss.Client(access_token=real_fake.issue_token(), base_url=served)
        clients.append(client)
        upload = upload or uploader(client, folder=None, render=lambda r: render(r, "url"), jobs=4)
        return start_picgo(upload, key=key, log=log, limits=limits)

    yield start
    for client in clients:
        client.close()


def stored(fake: FakePan123) -> list[str]:
    return sorted(f.filename for f in fake.oss.files.values())


def multipart(parts: list[tuple[str, bytes]], boundary: str = "----picgo1700000000000", *, close: bool = True) -> bytes:
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="list"; filename="{name}"\r\n'.encode()
        + b"Content-Type: application/octet-stream\r\n\r\n"
        + data
        + b"\r\n"
        for name, data in parts
    )
    return body + (f"--{boundary}--\r\n".encode() if close else b"")


FORM = {"Content-Type": "multipart/form-data; boundary=----picgo1700000000000"}


def raw_exchange(server: PicGoServer, request: bytes, *, shut: bool = False, timeout: float = 10.0) -> bytes:
    """Send `request` bytes as they are (HOST standing for this server's address) and read the whole reply (the
    server closes after one)."""
    host, port = server.server_address[:2]
    request = request.replace(b"HOST", f"{host!s}:{port}".encode())
    with socket.create_connection((str(host), port), timeout=timeout) as sock:
        sock.sendall(request)
        if shut:
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def reply_of(raw: bytes) -> tuple[int, dict[str, Any]]:
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


# Real clients.


def test_picgo_heartbeat_is_a_post_without_the_key(serve: Serve, real_fake: FakePan123) -> None:
    # PicGo-based tools sent POST /heartbeat, got 404 and reported the server as down.
    server = serve()
    for method in ("POST", "GET"):
        reply = loopback.request(method, f"{server.url}/heartbeat")
        assert (reply.status_code, reply.json()) == (200, {"success": True, "result": "alive"})
    # Exempt from the key is the heartbeat alone.
    assert loopback.post(f"{server.url}/upload", json={"list": ["/etc/hostname"]}).status_code == 401
    sneaked = loopback.post(f"{server.url}/heartbeat/../upload", json={"list": ["/etc/hostname"]})
    assert sneaked.status_code in (401, 404)
    assert stored(real_fake) == []


@pytest.mark.parametrize("content_type", ["text/plain", "text/plain;charset=UTF-8", None])
def test_json_is_read_by_content_when_the_key_is_there(
    serve: Serve, real_fake: FakePan123, tmp_path: Path, content_type: str | None
) -> None:
    # 415 for JSON sent as text/plain or with no type, which PicGo-Server itself reads.
    server = serve()
    (path,) = random_files(tmp_path, 1, "plain {n}.png", 100)
    headers = {"Authorization": f"Bearer {KEY}"} | ({"Content-Type": content_type} if content_type else {})
    content = json.dumps({"list": [str(path)]}).encode()
    reply = loopback.post(f"{server.url}/upload", content=content, headers=headers)
    assert reply.json()["success"] is True, reply.text
    assert stored(real_fake) == ["plain 0.png"]


def test_without_a_key_json_must_say_so(serve: Serve, real_fake: FakePan123, tmp_path: Path) -> None:
    # What a web page can send without a preflight stays refused when no key proves who is asking.
    server = serve(key=None)
    (path,) = random_files(tmp_path, 1, "nokey {n}.png", 100)
    content = json.dumps({"list": [str(path)]}).encode()
    for headers in ({"Content-Type": "text/plain"}, {}, {"Content-Type": "application/x-www-form-urlencoded"}):
        assert loopback.post(f"{server.url}/upload", content=content, headers=headers).status_code == 415
    assert stored(real_fake) == []
    assert loopback.post(f"{server.url}/upload", json={"list": [str(path)]}).json()["success"] is True


@pytest.mark.parametrize(
    ("where", "fit"),
    [
        ("?key=", lambda v: ({}, f"?key={v}")),  # PicList
        ("?secret=", lambda v: ({}, f"?secret={v}")),  # PicGo-Core
        ("X-PicGo-Secret", lambda v: ({"X-PicGo-Secret": v}, "")),  # PicGo-Core
        ("bearer", lambda v: ({"Authorization": f"bearer {v}"}, "")),  # PicGo-Core matches the scheme in any case
    ],
)
def test_the_key_is_taken_where_picgo_and_piclist_put_it(
    serve: Serve, real_fake: FakePan123, tmp_path: Path, where: str, fit: Callable[[str], tuple[dict[str, str], str]]
) -> None:
    # X-PicGo-Secret and ?secret= got 401 with the right key.
    server = serve()
    (path,) = random_files(tmp_path, 1, "keyed {n}.png", 100)
    headers, query = fit("wrong-" + KEY)
    refused = loopback.post(f"{server.url}/upload{query}", json={"list": [str(path)]}, headers=headers)
    assert refused.status_code == 401
    headers, query = fit(KEY)
    reply = loopback.post(f"{server.url}/upload{query}", json={"list": [str(path)]}, headers=headers)
    assert reply.json()["success"] is True, (where, reply.text)
    assert stored(real_fake) == ["keyed 0.png"]


def test_a_windows_path_as_the_part_filename_keeps_its_last_component(serve: Serve, real_fake: FakePan123) -> None:
    # The plugin writes the dropped file's full path, unescaped: `C:\Users\me\Pictures\a.png` was mangled and refused.
    server = serve()
    parts = [("C:\\Users\\me\\Pictures\\a.png", b"first"), ("D:\\笔记\\图 片.png", b"second"), ("/home/me/c.png", b"3")]
    reply = loopback.post(f"{server.url}/upload?key={KEY}", content=multipart(parts), headers=FORM).json()
    assert reply["success"] is True, reply
    assert [loopback.get(link).content for link in reply["result"]] == [b"first", b"second", b"3"]
    assert stored(real_fake) == ["a.png", "c.png", "图 片.png"]


# Hostile input.


@pytest.mark.slow
def test_idle_and_half_sent_connections_hold_no_thread_and_block_no_one(
    serve: Serve, real_fake: FakePan123, tmp_path: Path
) -> None:
    # 208 idle or half-sent connections held 209 threads forever, and a legitimate request waited behind them.
    server = serve(limits=ServeLimits(workers=2, head_timeout=2.0))
    host, port = server.server_address[:2]
    assert loopback.get(f"{server.url}/heartbeat").status_code == 200  # its workers are up
    threads = threading.active_count()
    hanging = []
    for n in range(200):
        sock = socket.create_connection((str(host), port), timeout=10)
        if n % 2:
            sock.sendall(b"POST /upload HTTP/1.1\r\nHost: HOST\r\nContent-")  # a head that never ends
        hanging.append(sock)
    try:
        deadline = time.monotonic() + 10
        while server.open_connections < 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.open_connections == 200
        assert threading.active_count() <= threads  # a socket each, not a thread each (others may have ended)
        (path,) = random_files(tmp_path, 1, "served {n}.png", 100)
        reply = loopback.post(f"{server.url}/upload?key={KEY}", json={"list": [str(path)]}, timeout=30)
        assert reply.json()["success"] is True
        # Each is dropped once its head is overdue.
        deadline = time.monotonic() + 20
        while server.open_connections and time.monotonic() < deadline:
            time.sleep(0.1)
        assert server.open_connections == 0
        assert all(sock.recv(1) == b"" for sock in hanging)
    finally:
        for sock in hanging:
            sock.close()


def test_past_the_connection_cap_a_new_connection_gets_a_json_503(serve: Serve) -> None:
    server = serve(limits=ServeLimits(max_connections=5))
    host, port = server.server_address[:2]
    idle = [socket.create_connection((str(host), port), timeout=10) for _ in range(5)]
    try:
        deadline = time.monotonic() + 10
        while server.open_connections < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        status, body = reply_of(raw_exchange(server, b""))  # answered at once, before any request
        assert status == 503 and body["success"] is False
    finally:
        for sock in idle:
            sock.close()
    deadline = time.monotonic() + 10
    while server.open_connections and time.monotonic() < deadline:
        time.sleep(0.05)
    assert loopback.get(f"{server.url}/heartbeat").status_code == 200


def test_a_body_over_the_cap_is_a_json_413_before_it_is_read(serve: Serve, real_fake: FakePan123) -> None:
    # The 200 MiB cap was undocumented and fixed; bodies under it were held whole in memory, ~12 times over.
    server = serve(limits=ServeLimits(max_body=1 << 20))
    head = (
        f"POST /upload?key={KEY} HTTP/1.1\r\nHost: HOST\r\nContent-Type: {FORM['Content-Type']}\r\n"
        f"Content-Length: {(1 << 20) + 1}\r\n\r\n"
    ).encode()
    status, body = reply_of(raw_exchange(server, head))
    assert status == 413 and body["success"] is False and str(1 << 20) in body["message"]
    assert stored(real_fake) == []


def test_too_many_parts_are_refused(serve: Serve, real_fake: FakePan123) -> None:
    # 100,000 parts took 36 s to read.
    server = serve(limits=ServeLimits(max_parts=10))
    parts = [(f"p{n}.png", b"x") for n in range(11)]
    reply = loopback.post(f"{server.url}/upload?key={KEY}", content=multipart(parts), headers=FORM).json()
    assert reply["success"] is False and "more than 10 parts" in reply["message"]
    assert stored(real_fake) == []


def test_a_multipart_body_cut_short_stores_nothing(serve: Serve, real_fake: FakePan123) -> None:
    # A body without its closing boundary was taken as complete, and its last part stored cut short.
    server = serve()
    cut = multipart([("a.png", b"whole"), ("b.png", b"cut sh")], close=False)
    reply = loopback.post(f"{server.url}/upload?key={KEY}", content=cut, headers=FORM).json()
    assert reply["success"] is False and "cut short" in reply["message"]
    # A body shorter than its Content-Length, the sender gone.
    whole = multipart([("a.png", b"whole")])
    head = (
        f"POST /upload?key={KEY} HTTP/1.1\r\nHost: HOST\r\nContent-Type: {FORM['Content-Type']}\r\n"
        f"Content-Length: {len(whole) + 100}\r\n\r\n"
    ).encode()
    status, body = reply_of(raw_exchange(server, head + whole, shut=True))
    assert status == 400 and "ended after" in body["message"]
    assert stored(real_fake) == []


def _dangling(tmp_path: Path) -> Path:
    link = tmp_path / "dangling.png"
    link.symlink_to(tmp_path / "gone.png")
    return link


def _locked(tmp_path: Path) -> Path:
    path = tmp_path / "locked.png"
    path.write_bytes(b"secret")
    path.chmod(0)
    return path


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda tmp: tmp / ("x" * 300 + ".png"), "cannot be read"),
        (lambda tmp: tmp, "a directory"),
        pytest.param(_dangling, "symbolic link to nothing", marks=pytest.mark.skipif(sys.platform == "win32",
                                                                                     reason="symlinks need rights")),
        pytest.param(_locked, "not readable", marks=pytest.mark.skipif(
            sys.platform == "win32" or os.geteuid() == 0, reason="root reads any file; Windows has no mode 000")),
    ],
)  # fmt: skip
def test_a_bad_path_is_a_json_failure_naming_it_and_stores_nothing_of_the_list(
    serve: Serve, real_fake: FakePan123, tmp_path: Path, make: Callable[[Path], Path], said: str
) -> None:
    # Each of these dropped the connection with a traceback on stderr, after the good file before it was stored.
    log = io.StringIO()
    server = serve(log=log)
    (good,) = random_files(tmp_path, 1, "good {n}.png", 100)
    bad = make(tmp_path)
    reply = loopback.post(f"{server.url}/upload?key={KEY}", json={"list": [str(good), str(bad)]})
    assert reply.status_code == 200
    body = reply.json()
    assert body["success"] is False and said in body["message"] and str(bad)[:50] in body["message"]
    assert stored(real_fake) == []
    assert "Traceback" not in log.getvalue()


def test_deep_json_and_a_failing_upload_are_json_replies(serve: Serve, real_fake: FakePan123) -> None:
    # Deep nesting raised RecursionError out of the handler; any unexpected error dropped the connection.
    server = serve()
    deep = b"[" * 100_000 + b"]" * 100_000
    reply = loopback.post(f"{server.url}/upload?key={KEY}", content=deep, headers={"Content-Type": "application/json"})
    assert reply.json() == {"success": False, "message": "the body is not JSON", "msg": "the body is not JSON"}

    def broken(files: list[tuple[str, Any]]) -> list[str]:
        raise RuntimeError("a bug")

    log = io.StringIO()
    failing = serve(upload=broken, log=log)
    reply = loopback.post(f"{failing.url}/upload?key={KEY}", json={"list": ["/etc/hostname"]})
    assert reply.status_code == 500 and "RuntimeError: a bug" in reply.json()["message"]
    assert "internal error" in log.getvalue() and "Traceback" not in log.getvalue()
    # A request line http.server refuses is answered in JSON too.
    status, body = reply_of(raw_exchange(server, b"BREW /pot HTTP/1.1\r\nHost: HOST\r\n\r\n"))
    assert status == 501 and body["success"] is False


def test_a_host_that_is_not_this_server_is_refused(serve: Serve, real_fake: FakePan123, tmp_path: Path) -> None:
    # With --no-key, a web page could read local files through DNS rebinding: its requests name its own host.
    server = serve(key=None)
    (path,) = random_files(tmp_path, 1, "host {n}.png", 100)
    port = server.server_address[1]
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1:{port + 1}", f"localhost.evil.example:{port}"):
        reply = loopback.post(f"{server.url}/upload", json={"list": [str(path)]}, headers={"Host": host})
        assert reply.status_code == 421, host
        assert loopback.get(f"{server.url}/heartbeat", headers={"Host": host}).status_code == 421
    assert stored(real_fake) == []
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"LOCALHOST:{port}"):
        reply = loopback.post(f"{server.url}/upload", json={"list": [str(path)]}, headers={"Host": host})
        assert reply.json()["success"] is True, host


def test_the_serve_command_applies_max_size(real_fake: FakePan123, served: str, tmp_path: Path) -> None:
    # The cap was fixed at 200 MiB and written nowhere; --max-size sets it, and the refusal says it.
    env = {
        **os.environ, "PAN123_ACCESS_TOKEN": real_fake.issue_token(), "PAN123_BASE_URL": served,
        "PAN123_SERVE_KEY": KEY, "PAN123_TOKEN_CACHE": str(tmp_path / "tokens.json"),
    }  # fmt: skip
    command = [sys.executable, "-m", "pan123_oss", "serve", "--port", "0", "--max-size", "1"]
    with subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True) as server:
        try:
            assert server.stderr is not None
            found = None
            while found is None:
                line = server.stderr.readline()
                assert line, "serve exited before it listened"
                found = re.search(r"http://(127\.0\.0\.1):(\d+)/upload", line)
            head = (
                f"POST /upload?key={KEY} HTTP/1.1\r\nHost: {found[1]}:{found[2]}\r\n"
                f"Content-Type: {FORM['Content-Type']}\r\nContent-Length: {(1 << 20) + 1}\r\n\r\n"
            ).encode()
            with socket.create_connection((found[1], int(found[2])), timeout=30) as sock:
                sock.sendall(head)
                raw = b"".join(iter(lambda: sock.recv(65536), b""))
            status, body = reply_of(raw)
            assert status == 413 and "--max-size" in body["message"]
        finally:
            server.terminate()
            server.wait(10)
    assert real_fake.requests == []
