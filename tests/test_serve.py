"""`pan123-oss serve` over real sockets: requests shaped like Obsidian's image auto upload plugin and PicGo's,
and the guards that keep web pages and strangers from uploading local files."""

from __future__ import annotations

import io
import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import StartPicGo, random_files

import loopback
import pan123_oss
from pan123_oss._cli import main
from pan123_oss._cli._formats import render
from pan123_oss._cli._serve import uploader
from pan123_oss._serve import PicGoServer, check_host
from pan123_oss.testing import FakePan123, Fault

Serve = Callable[..., PicGoServer]


@pytest.fixture
def serve(real_fake: FakePan123, served: str, start_picgo: StartPicGo) -> Iterator[Serve]:
    """serve's server wired as the command line wires it, to a client of the fake on a loopback socket."""
    real_fake.pending_polls = 0
    clients: list[pan123_oss.Client] = []

    def start(*, key: str | None = None, origins: tuple[str, ...] = (), folder: str | None = None) -> PicGoServer:
        client = pan123_oss.Client(
            client_id=real_fake.client_id, client_secret=real_fake.client_secret, base_url=served
        )
        clients.append(client)
        upload = uploader(client, folder=folder, render=lambda r: render(r, "url"), jobs=4)
        return start_picgo(upload, key=key, origins=origins)

    yield start
    for client in clients:
        client.close()


def pictures(tmp_path: Path, count: int) -> list[Path]:
    return random_files(tmp_path, count, "shot {n}.png", 1500)


def uploads(fake: FakePan123) -> int:
    return sum(1 for r in fake.requests if r.path.endswith("/file/create"))


def test_an_obsidian_style_json_list_gets_links_in_order(serve: Serve, tmp_path: Path) -> None:
    server = serve()
    paths = pictures(tmp_path, 3)
    # What the image auto upload plugin sends to a PicGo server.
    reply = loopback.post(f"{server.url}/upload", json={"list": [str(p) for p in paths]})
    assert reply.status_code == 200
    body = reply.json()
    assert body["success"] is True
    assert [loopback.get(link).content for link in body["result"]] == [p.read_bytes() for p in paths]


def test_multipart_uploads_like_picgo_clients(serve: Serve, real_fake: FakePan123, tmp_path: Path) -> None:
    server = serve(folder="shots")
    files = [("files", ("a.png", b"first", "image/png")), ("list", ("b.png", b"second", "image/png"))]
    body = loopback.post(f"{server.url}/upload", files=files, data={"note": "a plain field"}).json()
    assert body["success"] is True
    assert [loopback.get(link).content for link in body["result"]] == [b"first", b"second"]
    shots = real_fake.oss.folder_named("shots", "")
    assert sorted(f.filename for f in real_fake.oss.files.values() if f.parent_id == shots) == ["a.png", "b.png"]


def test_obsidian_remote_server_mode(serve: Serve, real_fake: FakePan123, tmp_path: Path) -> None:
    # With "remote server mode" on, the plugin sends the bytes: one multipart `list` part per image, named by the
    # vault file's full path, or by a timestamp for a paste.
    server = serve()
    boundary = "----obsidian1700000000000"
    parts = [("/home/me/vault/assets/cat.png", b"cat bytes"), ("1700000000000.png", b"pasted bytes")]
    body = (
        b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="list"; filename="{name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
            + data
            + b"\r\n"
            for name, data in parts
        )
        + f"--{boundary}--\r\n".encode()
    )
    reply = loopback.post(
        f"{server.url}/upload", content=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    ).json()
    assert reply["success"] is True
    assert [loopback.get(link).content for link in reply["result"]] == [b"cat bytes", b"pasted bytes"]
    assert sorted(f.filename for f in real_fake.oss.files.values()) == ["1700000000000.png", "cat.png"]


def test_a_clipboard_request_says_what_to_turn_on(serve: Serve, real_fake: FakePan123) -> None:
    # What the plugin sends for a paste outside remote server mode: a bare POST, for PicGo to read its clipboard.
    reply = loopback.post(f"{serve().url}/upload")
    assert reply.status_code == 200
    body = reply.json()
    assert body["success"] is False and "remote server mode" in body["message"] and body["msg"] == body["message"]
    assert uploads(real_fake) == 0


def test_heartbeat(serve: Serve) -> None:
    assert loopback.get(f"{serve().url}/heartbeat").json() == {"success": True, "result": "alive"}


def test_a_key_is_required_once_set(serve: Serve, real_fake: FakePan123, tmp_path: Path) -> None:
    server = serve(key="s3cret")
    (path,) = pictures(tmp_path, 1)
    payload = {"list": [str(path)]}
    for url, headers in [
        (f"{server.url}/upload", {}),
        (f"{server.url}/upload?key=wrong", {}),
        (f"{server.url}/upload", {"Authorization": "Bearer wrong"}),
    ]:
        reply = loopback.post(url, json=payload, headers=headers)
        assert reply.status_code == 401 and reply.json()["success"] is False
    assert uploads(real_fake) == 0
    assert loopback.post(f"{server.url}/upload?key=s3cret", json=payload).json()["success"] is True
    bearer = loopback.post(f"{server.url}/upload", json=payload, headers={"Authorization": "Bearer s3cret"})
    assert bearer.json()["success"] is True


def test_web_pages_are_refused(serve: Serve, real_fake: FakePan123, tmp_path: Path) -> None:
    server = serve(origins=("https://notes.example",))
    (path,) = pictures(tmp_path, 1)
    payload = {"list": [str(path)]}
    evil = loopback.post(f"{server.url}/upload", json=payload, headers={"Origin": "https://evil.example"})
    assert evil.status_code == 403 and "not allowed" in evil.json()["message"]
    preflight = loopback.options(f"{server.url}/upload", headers={"Origin": "https://evil.example"})
    assert preflight.status_code == 403
    # A "simple" request a page could send without a preflight: refused whatever its origin.
    simple = loopback.post(f"{server.url}/upload", content=b'{"list": []}', headers={"Content-Type": "text/plain"})
    assert simple.status_code == 415
    assert uploads(real_fake) == 0
    preflight = loopback.options(f"{server.url}/upload", headers={"Origin": "https://notes.example"})
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "https://notes.example"
    allowed = loopback.post(f"{server.url}/upload", json=payload, headers={"Origin": "https://notes.example"})
    assert allowed.json()["success"] is True
    assert allowed.headers["access-control-allow-origin"] == "https://notes.example"


def test_failures_answer_success_false_naming_the_file(serve: Serve, real_fake: FakePan123, tmp_path: Path) -> None:
    server = serve()
    paths = pictures(tmp_path, 1)
    missing = loopback.post(f"{server.url}/upload", json={"list": [str(paths[0]), str(tmp_path / "gone.png")]}).json()
    assert missing["success"] is False and "gone.png" in missing["message"]
    assert uploads(real_fake) == 0
    assert loopback.post(f"{server.url}/upload", json={}).json()["success"] is False  # PicGo's clipboard request
    real_fake.script("create", Fault.code_reply(5113, "traffic quota exceeded"))
    failed = loopback.post(f"{server.url}/upload", json={"list": [str(paths[0])]}).json()
    assert failed["success"] is False
    assert str(paths[0]) in failed["message"] and "traffic quota exceeded" in failed["message"]


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "::"])  # noqa: S104 - checked, never bound
def test_other_hosts_need_a_key(host: str) -> None:
    with pytest.raises(ValueError, match="--key"):
        check_host(host, None)
    with pytest.raises(ValueError, match="at least 16 characters"):
        check_host(host, "k")  # a short key on a reachable port is found by trying
    check_host(host, "k" * 16)
    check_host("::1", None)
    check_host("localhost", None)


def test_serve_command_refuses_an_open_host_without_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAN123_SERVE_KEY", raising=False)
    monkeypatch.setenv("PAN123_ACCESS_TOKEN", "t")
    out, err = io.StringIO(), io.StringIO()
    assert main(["serve", "--host", "0.0.0.0"], stdout=out, stderr=err) == 2  # noqa: S104 - refused, never bound
    assert "--key" in err.getvalue()


def test_the_serve_command_end_to_end(real_fake: FakePan123, served: str, tmp_path: Path) -> None:
    real_fake.pending_polls = 0
    env = {
        **os.environ, "PAN123_CLIENT_ID": real_fake.client_id, "PAN123_CLIENT_SECRET": real_fake.client_secret,
        "PAN123_BASE_URL": served, "PAN123_TOKEN_CACHE": str(tmp_path / "tokens.json"), "PAN123_SERVE_KEY": "k3y",
    }  # fmt: skip
    env.pop("PAN123_ACCESS_TOKEN", None)
    command = [sys.executable, "-m", "pan123_oss", "serve", "--port", "0", "--format", "markdown", "--folder", "o"]
    with subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True) as server:
        try:
            _post_to(server, tmp_path)
        finally:
            server.terminate()
            server.wait(10)


def _post_to(server: subprocess.Popen[str], tmp_path: Path) -> None:
    """Upload through a running `pan123-oss serve` that prints its URL on stderr, with and without its key."""
    assert server.stderr is not None
    found = re.search(r"(http://127\.0\.0\.1:\d+)/upload", server.stderr.readline())
    assert found is not None
    (path,) = pictures(tmp_path, 1)
    reply = loopback.post(f"{found[1]}/upload?key=k3y", json={"list": [str(path)]}, timeout=30).json()
    assert reply["success"] is True
    (line,) = reply["result"]
    assert line.startswith("![shot 0.png](http") and line.endswith(".png)")
    assert loopback.post(f"{found[1]}/upload", json={"list": [str(path)]}).status_code == 401


def _serve_process(env: dict[str, str], *extra: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "pan123_oss", "serve", "--port", "0", "--format", "url", *extra]
    return subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)


def _address(server: subprocess.Popen[str]) -> str:
    assert server.stderr is not None
    for _ in range(3):
        found = re.search(r"(http://127\.0\.0\.1:\d+)/upload", server.stderr.readline())
        if found:
            return found[1]
    raise AssertionError("serve printed no address")


def test_without_a_key_serve_makes_one_keeps_it_and_requires_it(
    real_fake: FakePan123, served: str, tmp_path: Path
) -> None:
    # Anything that listens refuses unauthenticated requests: the default is a key, made once and kept.
    real_fake.pending_polls = 0
    key_file = tmp_path / "config" / "serve-key"
    env = {
        **os.environ, "PAN123_ACCESS_TOKEN": real_fake.issue_token(), "PAN123_BASE_URL": served,
        "PAN123_SERVE_KEY_FILE": str(key_file),
    }  # fmt: skip
    for name in ("PAN123_CLIENT_ID", "PAN123_CLIENT_SECRET", "PAN123_SERVE_KEY"):
        env.pop(name, None)
    (path,) = pictures(tmp_path, 1)
    for run in range(2):
        with _serve_process(env) as server:
            try:
                url = _address(server)
                key = key_file.read_text().strip()
                assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
                assert loopback.post(f"{url}/upload", json={"list": [str(path)]}).status_code == 401
                reply = loopback.post(f"{url}/upload?key={key}", json={"list": [str(path)]}, timeout=30).json()
                assert reply["success"] is True, reply
                if run == 0:
                    first_key = key
                else:
                    assert key == first_key  # the URL configured in a plugin stays valid
            finally:
                server.terminate()
                server.wait(10)
                assert server.stderr is not None
                assert key not in server.stderr.read()  # the key itself is never printed


def test_no_key_is_an_explicit_loopback_only_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAN123_SERVE_KEY", raising=False)
    monkeypatch.setenv("PAN123_ACCESS_TOKEN", "t")
    err = io.StringIO()
    assert main(["serve", "--no-key", "--host", "0.0.0.0"], stdout=io.StringIO(), stderr=err) == 2  # noqa: S104
    assert "--key" in err.getvalue()
