"""`pan123-oss serve` and `pan123-oss resume` run in process (`main(argv)` on a thread for serve), so that what
they print, the key they keep and the options they apply are checked where a coverage-guided run sees them."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from conftest import run_cli

import loopback
from pan123_oss import _platform
from pan123_oss._cli import main
from pan123_oss._serve import PicGoServer
from pan123_oss.testing import FakePan123, Fault

KEY = "a-key-long-enough-for-any-host"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def env(cli_env: FakePan123, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakePan123:
    cli_env.pending_polls = 0
    monkeypatch.delenv("PAN123_SERVE_KEY", raising=False)
    monkeypatch.setenv("PAN123_SERVE_KEY_FILE", str(tmp_path / "keys" / "serve-key"))
    return cli_env


Serving = tuple[PicGoServer, io.StringIO]


@pytest.fixture
def serve_command(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Serving]]:
    """Runs `pan123-oss serve ARGV` on a thread until the test ends: the server it made, and its stderr."""
    started: list[PicGoServer] = []
    ready = threading.Event()
    real = PicGoServer.serve_forever

    def recorded(self: PicGoServer, poll_interval: float = 0.5) -> None:
        started.append(self)
        ready.set()
        real(self, poll_interval)

    monkeypatch.setattr(PicGoServer, "serve_forever", recorded)
    threads: list[threading.Thread] = []
    codes: list[int] = []

    def run(*argv: str) -> Serving:
        err = io.StringIO()
        thread = threading.Thread(
            target=lambda: codes.append(main(["serve", "--port", "0", *argv], stdout=io.StringIO(), stderr=err))
        )
        thread.start()
        threads.append(thread)
        assert ready.wait(30), err.getvalue()
        ready.clear()
        return started[-1], err

    yield run
    for server in started:
        server.shutdown()
    for thread in threads:
        thread.join(10)
    assert codes == [0] * len(threads)


def post(server: PicGoServer, paths: list[Path], *, key: str | None = None, **options: object) -> httpx.Response:
    target = f"{server.url}/upload" + (f"?key={key}" if key else "")
    return loopback.post(target, json={"list": [str(p) for p in paths]}, timeout=30, **options)


def picture(tmp_path: Path, name: str = "a.png", size: int = 100) -> Path:
    path = tmp_path / name
    path.write_bytes(os.urandom(size))
    return path


def test_serve_with_a_key_uploads_into_the_folder_in_the_format(
    env: FakePan123, serve_command: Callable[..., Serving], tmp_path: Path
) -> None:
    server, err = serve_command("--key", KEY, "--format", "{filename}|{file_id}", "--folder", "shots", "--jobs", "2")
    assert (
        err.getvalue()
        == f"pan123-oss: serving PicGo-compatible uploads at {server.url}/upload?key=KEY (Ctrl-C stops)\n"
    )
    assert server.key == KEY and server.limits.max_body == 200 << 20
    assert server.origins == frozenset({"app://obsidian.md"})
    assert post(server, [picture(tmp_path)]).status_code == 401
    reply = post(server, [picture(tmp_path), picture(tmp_path, "b.png")], key=KEY).json()
    assert reply["success"] is True
    shots = env.oss.folder_named("shots", "")
    stored = {f.file_id: f for f in env.oss.files.values()}
    assert [line.split("|")[0] for line in reply["result"]] == ["a.png", "b.png"]
    assert all(stored[line.split("|")[1]].parent_id == shots for line in reply["result"])


def test_serve_without_a_key_makes_one_once_and_keeps_it_private(
    env: FakePan123, serve_command: Callable[..., Serving], tmp_path: Path
) -> None:
    server, err = serve_command()
    key_file = tmp_path / "keys" / "serve-key"
    assert err.getvalue().startswith(f"pan123-oss: requests must carry the key kept in {key_file}\n")
    key = key_file.read_text().strip()
    assert len(key) >= 32 and server.key == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert post(server, [picture(tmp_path)], key=key).json()["success"] is True
    again, _ = serve_command()
    assert again.key == key  # the same key across restarts


def test_serve_with_no_key_warns_and_takes_origins(
    env: FakePan123, serve_command: Callable[..., Serving], tmp_path: Path
) -> None:
    server, err = serve_command("--no-key", "--allow-origin", "https://notes.test", "--max-size", "1")
    assert err.getvalue() == (
        "pan123-oss: warning: no key: any program on this machine can upload through this server\n"
        f"pan123-oss: serving PicGo-compatible uploads at {server.url}/upload (Ctrl-C stops)\n"
    )
    assert server.key is None and server.limits.max_body == 1 << 20
    assert server.origins == frozenset({"app://obsidian.md", "https://notes.test"})
    reply = post(server, [picture(tmp_path)], headers={"Origin": "https://notes.test"})
    assert reply.json()["success"] is True
    assert reply.headers["access-control-allow-origin"] == "https://notes.test"
    big = loopback.post(f"{server.url}/upload", files={"list": ("big.png", b"x" * ((1 << 20) + 1))}, timeout=30)
    assert big.status_code == 413


def test_serve_takes_its_key_from_the_environment(
    env: FakePan123, serve_command: Callable[..., Serving], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAN123_SERVE_KEY", KEY)
    server, err = serve_command()
    assert server.key == KEY and "requests must carry the key kept in" not in err.getvalue()
    assert not (Path(os.environ["PAN123_SERVE_KEY_FILE"])).exists()


def test_serve_refuses_a_key_file_others_can_read(env: FakePan123, tmp_path: Path) -> None:
    key_file = tmp_path / "keys" / "serve-key"
    _platform.write_private(key_file, "k" * 40)
    key_file.chmod(0o644)
    code, out, err = run_cli("serve", "--port", "0")
    assert (code, out) == (2, "")
    assert err.startswith(f"pan123-oss: not allowed: {key_file} can be read or changed by other users (mode 0644)")


# Resume, in process.


def _interrupted(env: FakePan123, tmp_path: Path) -> tuple[Path, str, bytes]:
    """An upload whose slice URLs were refused after create: the file, its preupload ID, its bytes."""
    env.oss.slice_size = 1000
    path = tmp_path / "photo.jpg"
    data = os.urandom(3500)
    path.write_bytes(data)
    env.script("get_upload_url", Fault.code_reply(1, "upload address unavailable"))
    code, _, err = run_cli("upload", str(path))
    assert code == 5
    found = re.search(r"continue it with: pan123-oss resume (\S+) ", err)
    assert found is not None, err
    return path, found[1], data


def test_resume_prints_the_file_id_without_asking_for_the_link(env: FakePan123, tmp_path: Path) -> None:
    path, pid, data = _interrupted(env, tmp_path)
    before = len(env.requests)
    term = Terminal()
    out = io.StringIO()
    assert (
        main(
            ["resume", pid, str(path), "--format", "id", "--slice-size", "1000"],
            stdout=out,
            stderr=term,
        )
        == 0
    )
    (stored,) = env.oss.files.values()
    assert out.getvalue() == f"{stored.file_id}\n"
    assert env.file_bytes(stored.file_id) == data
    assert not [r for r in env.requests[before:] if r.path.endswith("/file/detail")]
    assert term.getvalue().startswith("\rresuming photo.jpg [")
    assert term.getvalue().endswith("\r")


def test_resume_prints_the_link_by_default(env: FakePan123, tmp_path: Path) -> None:
    path, pid, data = _interrupted(env, tmp_path)
    code, out, err = run_cli("resume", pid, str(path), "--slice-size", "1000")
    assert (code, err) == (0, "")
    assert loopback.get(out.strip()).content == data


def test_a_resume_that_fails_says_how_to_continue(env: FakePan123, tmp_path: Path, served: str) -> None:
    path, pid, _ = _interrupted(env, tmp_path)
    env.script("get_upload_url", Fault.code_reply(1, "still unavailable"))
    code, out, err = run_cli(
        "resume", pid, str(path), "--format", "markdown", "--base-url", served, "--slice-size", "1000"
    )
    assert (code, out) == (5, "")
    first, second = err.splitlines()
    assert first.startswith(f"pan123-oss: failed: {path}: ") and "still unavailable" in first
    assert second == (
        f"pan123-oss: continue it with: pan123-oss resume {pid} {path} --format markdown --base-url {served} "
        "--slice-size 1000"
    )


def test_upload_progress_is_one_bar_for_many_files(env: FakePan123, tmp_path: Path) -> None:
    paths = [picture(tmp_path, f"{n}.png", 3000) for n in range(3)]
    term = Terminal()
    out = io.StringIO()
    assert main(["upload", *map(str, paths), "--format", "id", "--jobs", "3"], stdout=out, stderr=term) == 0
    assert len(out.getvalue().split()) == 3
    shown = [part for part in term.getvalue().split("\r") if part.strip()]
    assert shown and all(part.startswith("uploading 3 files [") for part in shown)
    assert "100% 8.8 KiB/8.8 KiB" in shown[-1]
    one = Terminal()
    assert main(["upload", str(paths[0]), "--format", "id"], stdout=io.StringIO(), stderr=one) == 0
    assert one.getvalue().startswith("\ruploading 0.png [")


@pytest.mark.slow
@pytest.mark.real_clock  # the bar is redrawn on real time
def test_the_rate_limit_note_follows_the_bar(env: FakePan123, tmp_path: Path) -> None:
    paths = [picture(tmp_path, f"{n}.png", 50) for n in range(2)]
    env.set_qps("create", 1)
    term = Terminal()
    code = main(
        ["upload", *map(str, paths), "--format", "id", "--qps", "create=1"],
        stdout=io.StringIO(),
        stderr=term,
    )
    assert code == 0
    # The second create waits its turn, a second, while the bar is redrawn twice a second.
    assert re.search(r"uploading 2 files \[.*\] +\d+% .*, waiting for the rate limit \(create, \d s\)", term.getvalue())
    assert json.dumps(env.throttled) == "{}"  # paced from the start: never over the service's limit
