"""What `serve` answers on the wire, status by status and header by header, with a recording uploader in
place of 123pan (so no upload waits on anything): routes, methods, the key in each of its places, Host and
Origin checks, CORS replies, every refusal of a body, and what it logs. Over loopback, since a reply's bytes are
the behaviour; the decisions that need no socket (`host_allowed`, `check_host`, `uploader`) are called directly.
"""

from __future__ import annotations

import io
import json
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import StartPicGo

from pan123_oss import FileInfo, Pan123Error
from pan123_oss._cli._formats import accepted
from pan123_oss._cli._serve import uploader
from pan123_oss._policy import ServeLimits
from pan123_oss._serve import PicGoServer, check_host
from pan123_oss._serve._picgo import CLIPBOARD, ROUTES

KEY = "k" * 16
ORIGIN = "app://obsidian.md"


class Recorder:
    """The server's `upload`: keeps what it was handed (and whether each file was open), answers links."""

    def __init__(self) -> None:
        self.calls: list[list[tuple[str, Any]]] = []
        self.contents: list[list[bytes]] = []
        self.error: Exception | None = None

    def __call__(self, files: list[tuple[str, Any]]) -> list[str]:
        self.calls.append(list(files))
        self.contents.append([s.read_bytes() if isinstance(s, Path) else s.read() for _, s in files])
        if self.error is not None:
            raise self.error
        return [f"https://x.test/{Path(label).name}" for label, _ in files]


Start = Callable[..., PicGoServer]


@pytest.fixture
def start(start_picgo: StartPicGo) -> Start:
    def make(
        *,
        key: str | None = None,
        origins: tuple[str, ...] = (ORIGIN,),
        upload: Any = None,
        limits: ServeLimits | None = None,
        log: io.StringIO | None = None,
    ) -> PicGoServer:
        return start_picgo(upload or Recorder(), key=key, origins=origins, limits=limits, log=log)

    return make


def exchange(
    server: PicGoServer,
    method: str,
    target: str,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    *,
    host: str | None = "HOST",
    cut: bool = False,
) -> tuple[int, dict[str, str], bytes]:
    """One request as raw bytes (`host` "HOST" stands for the server's own address; None sends no Host): the
    status, the headers (lower-case names) and the body of the reply."""
    address, port = server.server_address[:2]
    lines = [f"{method} {target} HTTP/1.1"]
    if host is not None:
        lines.append(f"Host: {host.replace('HOST', f'{address!s}:{port}')}")
    headers = dict(headers or {})
    if body and "Content-Length" not in headers and "Transfer-Encoding" not in headers:
        headers["Content-Length"] = str(len(body))
    lines += [f"{name}: {value}" for name, value in headers.items()]
    raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
    with socket.create_connection((str(address), port), timeout=10) as sock:
        sock.sendall(raw)
        if cut:
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, content = b"".join(chunks).partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    got = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        got[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), got, content


def json_reply(
    server: PicGoServer,
    method: str,
    target: str,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    **options: Any,
) -> tuple[int, Any]:
    status, got, content = exchange(server, method, target, headers, body, **options)
    assert got["content-type"] == "application/json; charset=utf-8"
    assert got["content-length"] == str(len(content))
    assert got["connection"] == "close"
    return status, json.loads(content)


def failure(message: str) -> dict[str, Any]:
    return {"success": False, "message": message, "msg": message}


JSON = {"Content-Type": "application/json"}


def paths_body(*paths: Path | str) -> bytes:
    return json.dumps({"list": [str(p) for p in paths]}).encode()


# Routes and methods.


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("target", ["/heartbeat", "/heartbeat/", "/heartbeat?x=1"])
def test_the_heartbeat_answers_alive_without_the_key(start: Start, method: str, target: str) -> None:
    server = start(key=KEY)
    assert json_reply(server, method, target) == (200, {"success": True, "result": "alive"})


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_other_paths_are_not_found(start: Start, method: str) -> None:
    assert json_reply(start(), method, "/uploads", JSON, b"{}") == (404, failure(f"not found: {ROUTES}"))


def test_get_upload_is_not_found(start: Start) -> None:
    assert json_reply(start(), "GET", "/upload") == (404, failure(f"not found: {ROUTES}"))


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_not_allowed(start: Start, method: str) -> None:
    assert json_reply(start(), method, "/upload") == (405, failure(f"{method} is not served here: {ROUTES}"))


def test_a_bad_request_line_is_a_json_400(start: Start) -> None:
    server = start()
    address, port = server.server_address[:2]
    with socket.create_connection((str(address), port), timeout=10) as sock:
        sock.sendall(b"GET /a b HTTP/1.1\r\n\r\n")
        raw = b"".join(iter(lambda: sock.recv(65536), b""))
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.split()[1] == b"400"
    reply = json.loads(body)
    assert reply["success"] is False and reply["message"] == reply["msg"] and reply["message"]


def test_an_unknown_method_is_a_json_501(start: Start) -> None:
    status, body = json_reply(start(), "BREW", "/upload")
    assert status == 501
    assert body["success"] is False and "BREW" in body["message"]


# The key.


@pytest.mark.parametrize(
    ("target", "headers"),
    [
        (f"/upload?key={KEY}", {}),
        (f"/upload?secret={KEY}", {}),
        (f"/upload?key=wrong&key={KEY}", {}),
        ("/upload", {"X-PicGo-Secret": KEY}),
        ("/upload", {"Authorization": f"Bearer {KEY}"}),
        ("/upload", {"Authorization": f"  bearer   {KEY}  "}),
    ],
)
def test_the_key_is_taken_in_each_place_clients_put_it(
    start: Start, tmp_path: Path, target: str, headers: dict[str, str]
) -> None:
    recorder = Recorder()
    server = start(key=KEY, upload=recorder)
    path = tmp_path / "a.png"
    path.write_bytes(b"png")
    status, body = json_reply(server, "POST", target, {**JSON, **headers}, paths_body(path))
    assert (status, body) == (200, {"success": True, "result": ["https://x.test/a.png"]})
    assert recorder.contents == [[b"png"]]


@pytest.mark.parametrize(
    ("target", "headers"),
    [
        ("/upload", {}),
        ("/upload?key=", {}),
        ("/upload?key=" + KEY[:-1], {}),
        ("/upload?keys=" + KEY, {}),
        ("/upload", {"Authorization": f"Basic {KEY}"}),
        ("/upload", {"Authorization": KEY}),
        ("/upload", {"X-PicGo-Secret": KEY + "x"}),
    ],
)
def test_without_the_key_nothing_is_uploaded(
    start: Start, tmp_path: Path, target: str, headers: dict[str, str]
) -> None:
    recorder = Recorder()
    server = start(key=KEY, upload=recorder)
    path = tmp_path / "a.png"
    path.write_bytes(b"png")
    status, body = json_reply(server, "POST", target, {**JSON, **headers}, paths_body(path))
    assert (status, body) == (
        401,
        failure("a key is required: add ?key=... to the URL, or send Authorization: Bearer ..."),
    )
    assert recorder.calls == []


# Host and Origin.


def test_a_foreign_host_is_refused_with_the_servers_own_url(start: Start) -> None:
    server = start()
    status, body = json_reply(server, "GET", "/heartbeat", host="evil.test:1234")
    assert (status, body) == (421, failure(f"this server is not evil.test:1234: use {server.url}"))


@pytest.mark.parametrize("host", ["HOST", "localhost:PORT", "LocalHost:PORT", "127.0.0.1:PORT", "[::1]:PORT", None])
def test_the_names_of_loopback_are_this_server(start: Start, host: str | None) -> None:
    server = start()
    port = str(server.server_address[1])
    named = None if host is None else host.replace("PORT", port)
    assert json_reply(server, "GET", "/heartbeat", host=named)[0] == 200


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:1", "127.0.0.2:PORT", "localhost.evil.test:PORT"])
def test_loopback_names_with_another_port_are_not(start: Start, host: str) -> None:
    server = start()
    named = host.replace("PORT", str(server.server_address[1]))
    assert json_reply(server, "GET", "/heartbeat", host=named)[0] == 421


def test_the_default_port_80_is_assumed_without_one(start: Start) -> None:
    server = start()
    server.server_address = ("127.0.0.1", 80)  # as if it listened there
    assert server.host_allowed("localhost")
    assert server.host_allowed("127.0.0.1")
    assert server.host_allowed("[::1]")
    assert not server.host_allowed("localhost:8080")


def test_a_server_bound_to_every_address_takes_any_ip_with_its_port_but_no_name(start: Start) -> None:
    server = start(key=KEY)
    port = server.server_address[1]
    for wildcard in ("0.0.0.0", "::"):  # noqa: S104 - only compared, nothing listens there
        server.server_address = (wildcard, port)
        assert server.host_allowed(f"192.168.1.9:{port}")
        assert server.host_allowed(f"[fe80::1]:{port}")
        assert not server.host_allowed(f"192.168.1.9:{port + 1}")
        assert not server.host_allowed(f"rebound.evil.test:{port}")
    server.server_address = ("10.0.0.1", port)
    assert server.host_allowed(f"10.0.0.1:{port}")
    assert not server.host_allowed(f"192.168.1.9:{port}")
    assert not server.host_allowed(f"localhost:{port}")  # not on loopback: its names are not this server


def test_the_url_brackets_an_ipv6_host(start: Start) -> None:
    server = start()
    port = server.server_address[1]
    assert server.url == f"http://127.0.0.1:{port}"
    server.server_address = ("::1", port, 0, 0)
    assert server.url == f"http://[::1]:{port}"
    assert f"[::1]:{port}" in server.hosts() and f"localhost:{port}" in server.hosts()


def test_a_page_from_another_origin_is_refused(start: Start) -> None:
    status, got, content = exchange(start(), "GET", "/heartbeat", {"Origin": "https://evil.test"})
    assert (status, json.loads(content)) == (
        403,
        failure("origin https://evil.test is not allowed (start serve with --allow-origin ORIGIN)"),
    )
    assert "access-control-allow-origin" not in got


@pytest.mark.parametrize("origin", [ORIGIN, ORIGIN + "/"])
def test_an_allowed_origin_is_answered_with_cors_headers(start: Start, origin: str) -> None:
    status, got, _ = exchange(start(origins=(ORIGIN + "/",)), "GET", "/heartbeat", {"Origin": origin})
    assert status == 200
    assert got["access-control-allow-origin"] == origin
    assert got["vary"] == "Origin"


def test_no_origin_no_cors_headers(start: Start) -> None:
    status, got, _ = exchange(start(), "GET", "/heartbeat")
    assert status == 200 and "access-control-allow-origin" not in got and "vary" not in got


def test_a_preflight_from_an_allowed_origin(start: Start) -> None:
    status, got, content = exchange(start(key=KEY), "OPTIONS", "/upload", {"Origin": ORIGIN})
    assert (status, content) == (204, b"")
    assert got["access-control-allow-origin"] == ORIGIN
    assert got["access-control-allow-methods"] == "POST, GET"
    assert got["access-control-allow-headers"] == "Content-Type, Authorization, X-PicGo-Secret"
    assert got["content-length"] == "0" and got["connection"] == "close"


def test_a_preflight_without_an_origin_gets_no_cors_headers(start: Start) -> None:
    status, got, _ = exchange(start(), "OPTIONS", "/upload")
    assert status == 204 and "access-control-allow-origin" not in got and "access-control-allow-methods" not in got


def test_a_preflight_from_another_origin_is_refused(start: Start) -> None:
    status, got, content = exchange(start(), "OPTIONS", "/upload", {"Origin": "https://evil.test"})
    assert status == 403 and json.loads(content)["success"] is False
    assert "access-control-allow-methods" not in got


def test_a_preflight_to_a_foreign_host_is_refused(start: Start) -> None:
    assert exchange(start(), "OPTIONS", "/upload", {"Origin": ORIGIN}, host="evil.test")[0] == 421


# The body.


@pytest.mark.parametrize(
    ("headers", "body", "status", "message"),
    [
        (
            {**JSON, "Transfer-Encoding": "chunked"},
            b"0\r\n\r\n",
            411,
            "send the body with a Content-Length, not chunked",
        ),
        ({**JSON, "Content-Length": "ten"}, b"", 400, "Content-Length is not a number"),
        ({**JSON, "Content-Length": "-1"}, b"", 400, "Content-Length is negative"),
        (
            {"Content-Type": "text/plain"},
            b'{"list": ["a"]}',
            415,
            'send JSON {"list": [paths]} as application/json, or multipart/form-data files',
        ),
        ({}, b'{"list": ["a"]}', 415, 'send JSON {"list": [paths]} as application/json, or multipart/form-data files'),
    ],
)
def test_bodies_refused_by_status(
    start: Start, headers: dict[str, str], body: bytes, status: int, message: str
) -> None:
    recorder = Recorder()
    assert json_reply(start(upload=recorder), "POST", "/upload", headers, body) == (status, failure(message))
    assert recorder.calls == []


@pytest.mark.parametrize("kind", ["text/plain", "text/plain; charset=utf-8", ""])
def test_with_a_key_json_is_read_whatever_the_type_says(start: Start, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(b"png")
    server = start(key=KEY)
    headers = {"Authorization": f"Bearer {KEY}", **({"Content-Type": kind} if kind else {})}
    assert json_reply(server, "POST", "/upload", headers, paths_body(path))[1]["success"] is True


def test_with_a_key_other_types_are_still_refused(start: Start, tmp_path: Path) -> None:
    headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/xml"}
    assert json_reply(start(key=KEY), "POST", "/upload", headers, paths_body(tmp_path))[0] == 415


def test_json_type_is_matched_without_its_parameters_or_case(start: Start, tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(b"png")
    headers = {"Content-Type": " Application/JSON ; charset=utf-8"}
    assert json_reply(start(), "POST", "/upload", headers, paths_body(path))[1]["success"] is True


def test_a_json_body_over_its_limit_is_refused_unread(start: Start) -> None:
    server = start(limits=ServeLimits(max_json=10))
    body = b'{"list": ["abc"]}'
    assert json_reply(server, "POST", "/upload", JSON, body) == (
        413,
        failure(f"a JSON body is at most 10 bytes (a list of paths), got {len(body)}"),
    )
    assert json_reply(server, "POST", "/upload", JSON, b'{"list":[]}'[:10])[0] == 200  # at the limit: read


def test_a_form_over_the_body_limit_is_refused_unread(start: Start) -> None:
    server = start(limits=ServeLimits(max_body=50))
    headers = {"Content-Type": "multipart/form-data; boundary=b", "Content-Length": "51"}
    assert json_reply(server, "POST", "/upload", headers, b"x" * 51) == (
        413,
        failure("the body is 51 bytes, over the limit of 50 (--max-size)"),
    )


def test_a_body_that_ends_early_is_refused(start: Start) -> None:
    recorder = Recorder()
    headers = {**JSON, "Content-Length": "100"}
    reply = json_reply(start(upload=recorder), "POST", "/upload", headers, b'{"list": ', cut=True)
    assert reply == (400, failure("the body ended after 9 of 100 bytes"))
    assert recorder.calls == []


def test_a_body_that_stops_arriving_is_refused(start: Start) -> None:
    headers = {**JSON, "Content-Length": "100"}
    server = start(limits=ServeLimits(read_timeout=0.2))
    assert json_reply(server, "POST", "/upload", headers, b'{"list": ') == (
        408,
        failure("the body stopped arriving (9 of 100 bytes)"),
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "the body is not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "the body is not JSON"),
        (b"   ", CLIPBOARD),
        (b"[]", CLIPBOARD),
        (b'["a.png"]', CLIPBOARD),
        (b'{"list": []}', CLIPBOARD),
        (b'{"other": ["a.png"]}', CLIPBOARD),
        (b'{"list": "a.png"}', '"list" must be a list of file paths'),
        (b'{"list": ["a.png", ""]}', '"list" must be a list of file paths'),
        (b'{"list": ["a.png", 3]}', '"list" must be a list of file paths'),
    ],
)
def test_json_that_is_not_a_list_of_paths_is_a_failure(start: Start, body: bytes, message: str) -> None:
    recorder = Recorder()
    limits = ServeLimits(max_json=1 << 20)
    assert json_reply(start(upload=recorder, limits=limits), "POST", "/upload", JSON, body) == (200, failure(message))
    assert recorder.calls == []


def test_an_empty_post_is_the_clipboard_request(start: Start) -> None:
    headers = {"Content-Length": "0"}
    assert json_reply(start(), "POST", "/upload", headers) == (200, failure(CLIPBOARD))


def test_a_list_with_a_missing_file_names_it_and_uploads_nothing(start: Start, tmp_path: Path) -> None:
    # serve's uploader checks every path of the list before the first upload.
    client = _Client()
    upload = uploader(client, folder=None, render=str, jobs=2)  # type: ignore[arg-type]
    good = tmp_path / "a.png"
    good.write_bytes(b"png")
    status, body = json_reply(start(upload=upload), "POST", "/upload", JSON, paths_body(good, tmp_path / "no.png"))
    assert (status, body) == (200, failure(f"{tmp_path / 'no.png'}: no such file"))
    assert client.calls == []


def test_paths_are_handed_over_in_order_and_logged(start: Start, tmp_path: Path) -> None:
    recorder, log = Recorder(), io.StringIO()
    paths = [tmp_path / f"{n}.png" for n in range(3)]
    for n, path in enumerate(paths):
        path.write_bytes(bytes([n]))
    status, body = json_reply(start(upload=recorder, log=log), "POST", "/upload", JSON, paths_body(*paths))
    assert (status, body["result"]) == (200, [f"https://x.test/{n}.png" for n in range(3)])
    assert recorder.calls == [[(str(p), p) for p in paths]]
    json_reply(start(upload=recorder, log=log), "POST", "/upload", JSON, paths_body(paths[0]))
    assert log.getvalue() == "pan123-oss serve: uploaded 3 files\npan123-oss serve: uploaded 1 file\n"


def _form(*parts: tuple[str, bytes]) -> tuple[dict[str, str], bytes]:
    body = b"".join(
        b'--b\r\nContent-Disposition: form-data; name="list"; filename="'
        + name.encode()
        + b'"\r\n\r\n'
        + data
        + b"\r\n"
        for name, data in parts
    )
    return {"Content-Type": "multipart/form-data; boundary=b"}, body + b"--b--\r\n"


def test_form_files_are_handed_over_by_name_and_closed_after(start: Start) -> None:
    recorder = Recorder()
    headers, body = _form(("C:\\pics\\a.png", b"first"), ("b.png", b"second"))
    status, reply = json_reply(start(upload=recorder), "POST", "/upload", headers, body)
    assert (status, reply) == (200, {"success": True, "result": ["https://x.test/a.png", "https://x.test/b.png"]})
    (files,) = recorder.calls
    assert [name for name, _ in files] == ["a.png", "b.png"]
    assert recorder.contents == [[b"first", b"second"]]
    assert all(fh.closed for _, fh in files)


def test_a_bad_form_is_a_failure(start: Start) -> None:
    recorder = Recorder()
    headers = {"Content-Type": "multipart/form-data; boundary=b"}
    status, reply = json_reply(start(upload=recorder), "POST", "/upload", headers, b"--b\r\n")
    assert (status, reply) == (200, failure("the multipart body is cut short: its closing boundary never came"))
    assert recorder.calls == []


def test_an_upload_that_fails_is_a_failure_and_logged(start: Start, tmp_path: Path) -> None:
    recorder, log = Recorder(), io.StringIO()
    recorder.error = ValueError("the service said no")
    path = tmp_path / "a.png"
    path.write_bytes(b"png")
    assert json_reply(start(upload=recorder, log=log), "POST", "/upload", JSON, paths_body(path)) == (
        200,
        failure("the service said no"),
    )
    assert log.getvalue() == "pan123-oss serve: upload failed: the service said no\n"


def test_a_form_upload_that_fails_still_closes_its_files(start: Start) -> None:
    recorder = Recorder()
    recorder.error = OSError("disk full")
    headers, body = _form(("a.png", b"first"))
    assert json_reply(start(upload=recorder), "POST", "/upload", headers, body) == (200, failure("disk full"))
    assert all(fh.closed for _, fh in recorder.calls[0])


def test_an_unexpected_error_is_a_json_500_and_logged(start: Start, tmp_path: Path) -> None:
    recorder, log = Recorder(), io.StringIO()
    recorder.error = RuntimeError("boom\x1b[2J")
    path = tmp_path / "a.png"
    path.write_bytes(b"png")
    status, body = json_reply(start(upload=recorder, log=log), "POST", "/upload", JSON, paths_body(path))
    assert status == 500
    assert body["success"] is False and body["message"].startswith("internal error: RuntimeError: boom")
    assert "\x1b" not in body["message"]
    assert log.getvalue().startswith("pan123-oss serve: internal error: RuntimeError: boom")
    assert "\x1b" not in log.getvalue()


# Decisions without a socket.


@pytest.mark.parametrize("host", ["127.0.0.1", "127.9.9.9", "::1", "localhost"])
def test_loopback_needs_no_key(host: str) -> None:
    check_host(host, None)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.2", "example.test", "::"])  # noqa: S104
def test_any_other_host_needs_a_key_of_16_characters(host: str) -> None:
    with pytest.raises(
        ValueError, match=rf"^serving on {host} hands your files to anyone who can reach it: pass --key"
    ):
        check_host(host, None)
    with pytest.raises(
        ValueError, match=rf"^serving on {host} needs a key of at least 16 characters \(this one has 15\)"
    ):
        check_host(host, "k" * 15)
    check_host(host, "k" * 16)


class _Client:
    """`uploader`'s client: records each call, answers a result per file."""

    def __init__(self, status: int = 0, fail: str | None = None) -> None:
        self.calls: list[tuple[Any, dict[str, Any]]] = []
        self.status, self.fail = status, fail
        self.lock = threading.Lock()

    def upload_file(self, source: Any, **options: Any) -> FileInfo:
        with self.lock:
            self.calls.append((source, options))
        name = options.get("filename") or Path(source).name
        if name == self.fail:
            raise Pan123Error("refused")
        return FileInfo(
            file_id=f"id-{name}",
            filename=name,
            parent_id="",
            is_folder=False,
            size=1,
            etag="",
            status=self.status,
            url=f"https://x.test/{name}",
            self_url="",
            created_at="",
            updated_at="",
        )


def test_the_uploader_sends_paths_as_files_and_parts_by_their_names(tmp_path: Path) -> None:
    client = _Client()
    upload = uploader(client, folder="shots", render=lambda r: f"<{r.url}>", jobs=2)  # type: ignore[arg-type]
    part = io.BytesIO(b"x")
    (tmp_path / "a.png").write_bytes(b"png")
    links = upload([(str(tmp_path / "a.png"), tmp_path / "a.png"), ("b.png", part)])
    assert links == ["<https://x.test/a.png>", "<https://x.test/b.png>"]
    assert sorted(client.calls, key=lambda call: str(call[0])) == sorted(
        [(tmp_path / "a.png", {"folder": "shots"}), (part, {"filename": "b.png", "folder": "shots"})],
        key=lambda call: str(call[0]),
    )


def test_the_uploader_names_the_file_that_failed(tmp_path: Path) -> None:
    upload = uploader(_Client(fail="b.png"), folder=None, render=str, jobs=4)  # type: ignore[arg-type]
    with pytest.raises(Pan123Error, match=r"^b\.png: refused"):
        upload([("a.png", io.BytesIO()), ("b.png", io.BytesIO()), ("c.png", io.BytesIO())])


def test_a_file_rejected_by_review_is_no_link() -> None:
    upload = uploader(_Client(status=101), folder=None, render=str, jobs=1)  # type: ignore[arg-type]
    with pytest.raises(Pan123Error, match=r"^a\.png: rejected by review \(status 101\); file ID id-a\.png"):
        upload([("a.png", io.BytesIO())])
    kept = _Client(status=100).upload_file(io.BytesIO(), filename="ok.png")
    assert accepted(kept) is kept
