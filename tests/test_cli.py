"""The `pan123-oss` command line: output, live status, exit codes and error lines."""

from __future__ import annotations

import io
import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli

import loopback
from pan123_oss._cli import main
from pan123_oss._cli._client import default_token_cache
from pan123_oss.testing import FakeClock, FakePan123, Fault


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def env(cli_env: FakePan123) -> FakePan123:
    return cli_env


def run(*argv: str, tty: bool = False) -> tuple[int, str, str]:
    return run_cli(*argv, stderr=Terminal() if tty else None)


def test_wait_prints_the_file_id_and_is_quiet_off_a_terminal(env: FakePan123) -> None:
    pid = env.add_upload(pending_polls=1, file_id="f-cli")
    assert run("wait", pid) == (0, "f-cli\n", "")


def test_wait_json(env: FakePan123) -> None:
    pid = env.add_upload(pending_polls=1, file_id="f-json")
    code, out, _ = run("wait", pid, "--json")
    record = json.loads(out)
    assert code == 0
    assert (record["fileID"], record["preuploadID"], record["polls"]) == ("f-json", pid, 2)
    assert 1.0 <= record["seconds"] < 10
    assert record["traceID"].endswith("_fake-123pan")


def test_wait_shows_live_status_on_a_terminal(env: FakePan123) -> None:
    pid = env.add_upload(pending_polls=1)
    code, _, err = run("wait", pid, tty=True)
    assert code == 0
    assert "poll 1, " in err and "poll 2, " in err and "done" in err
    assert err.endswith("\r")  # the status line is wiped before the result is printed


def test_token_is_fetched_once_then_cached_across_runs(env: FakePan123, tmp_path: Path) -> None:
    code, out, _ = run("token")
    assert code == 0
    assert out.startswith("token fetched now; expires ")
    code, out, _ = run("token", "--json")
    record = json.loads(out)
    assert record["fetched"] is False
    assert record["expiresIn"] > 29 * 86400
    assert "accessToken" not in record
    assert env.tokens_issued == 1
    assert stat.S_IMODE((tmp_path / "tokens.json").stat().st_mode) == 0o600


def test_token_is_printed_only_with_show(env: FakePan123) -> None:
    _, out, _ = run("token")
    token = json.loads(run("token", "--json", "--show")[1])["accessToken"]
    assert token not in out
    assert run("token", "--show")[1].splitlines()[1] == token


def test_static_token_from_the_environment(monkeypatch: pytest.MonkeyPatch, env: FakePan123) -> None:
    monkeypatch.delenv("PAN123_CLIENT_ID")
    monkeypatch.delenv("PAN123_CLIENT_SECRET")
    monkeypatch.setenv("PAN123_ACCESS_TOKEN", env.issue_token())
    assert run("token") == (0, "token static, from the environment; expiry unknown\n", "")


def test_no_credentials_is_a_usage_error(monkeypatch: pytest.MonkeyPatch, env: FakePan123) -> None:
    monkeypatch.delenv("PAN123_CLIENT_ID")
    monkeypatch.delenv("PAN123_CLIENT_SECRET")
    code, out, err = run("wait", "abc")
    assert (code, out) == (2, "")
    assert err.startswith("pan123-oss: bad input: no credentials")
    assert env.requests == []


def test_blank_preupload_id_is_a_usage_error(env: FakePan123) -> None:
    code, _, err = run("wait", "  ")
    assert code == 2
    assert "preupload_id" in err
    assert env.requests == []


def test_bad_credentials_exit_3(monkeypatch: pytest.MonkeyPatch, env: FakePan123) -> None:
    monkeypatch.setenv("PAN123_CLIENT_SECRET", "wrong")
    code, _, err = run("wait", env.add_upload())
    assert code == 3
    assert err.count("\n") == 1 and "code 401" in err and "trace ID " in err
    assert "wrong" not in err and "Traceback" not in err


def test_timeout_exits_4_with_the_preupload_id(env: FakePan123) -> None:
    pid = env.add_upload(pending_polls=100)
    code, _, err = run("wait", pid, "--timeout", "2")
    assert code == 4
    assert pid in err and "timed out" in err


def test_api_failure_exits_5_with_code_message_and_trace(env: FakePan123) -> None:
    pid = env.add_upload(pending_polls=0)
    env.script("upload_async_result", Fault.code_reply(5113, "traffic quota exceeded"))
    code, _, err = run("wait", pid)
    assert code == 5
    (line,) = err.splitlines()
    assert "traffic quota exceeded" in line and "code 5113" in line and "_fake-123pan" in line


def test_debug_shows_the_traceback_and_request_log(env: FakePan123) -> None:
    pid = env.add_upload(pending_polls=0)
    env.script("upload_async_result", Fault.code_reply(5066))
    code, _, err = run("wait", pid, "--debug")
    assert code == 5
    assert "Traceback" in err
    assert "pan123_oss: POST /upload/v1/oss/file/upload_async_result" in err


def test_base_url_option_before_or_after_the_command(
    monkeypatch: pytest.MonkeyPatch, env: FakePan123, served: str
) -> None:
    monkeypatch.setenv("PAN123_BASE_URL", "http://127.0.0.1:9")  # the option must win over this
    pid = env.add_upload(pending_polls=0, file_id="f-url")
    assert run("--base-url", served, "wait", pid)[1] == "f-url\n"
    pid = env.add_upload(pending_polls=0, file_id="f-url2")
    assert run("wait", pid, "--base-url", served)[1] == "f-url2\n"


@pytest.mark.parametrize(("argv", "missing"), [(["wait"], "PREUPLOAD_ID"), ([], "COMMAND")])
def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str], argv: list[str], missing: str) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert f"the following arguments are required: {missing}" in capsys.readouterr().err


def test_demo_runs_end_to_end_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PAN123_ACCESS_TOKEN", "PAN123_CLIENT_ID", "PAN123_CLIENT_SECRET", "PAN123_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    # On a fake clock, which the demo's fake shares: its three polls, a second apart, take no time.
    clock = FakeClock()
    stdout = io.StringIO()
    code = main(["demo"], stdout=stdout, stderr=io.StringIO(), clock=clock)
    out = stdout.getvalue()
    assert code == 0
    assert "Token calls: 1. Slices sent: 6." in out
    gaps = ", ".join(f"{gap:.2f} s" for gap in clock.sleeps)
    assert f"Polls of upload_async_result: 3, gaps between them as the server saw them: {gaps}." in out
    assert len(clock.sleeps) == 2 and min(clock.sleeps) >= 1.0
    assert "Stored bytes match the file: yes." in out
    assert out.splitlines()[-2].startswith("File ID: fake-oss-")
    assert out.splitlines()[-1].startswith("Link (serves the same bytes: yes): http://127.0.0.1:")


def test_module_entry_point_and_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pan123_oss", "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0
    assert done.stdout.startswith("pan123-oss ")


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG folders are the Linux convention")
def test_default_token_cache_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PAN123_TOKEN_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_token_cache() == tmp_path / "pan123-oss" / "tokens.json"
    monkeypatch.setenv("PAN123_TOKEN_CACHE", str(tmp_path / "elsewhere.json"))
    assert default_token_cache() == tmp_path / "elsewhere.json"


def test_upload_prints_the_link_by_default_and_shows_progress(env: FakePan123, served: str, tmp_path: Path) -> None:
    image = tmp_path / "cat.jpg"
    image.write_bytes(b"\x89PNG" * 5000)
    code, out, err = run("upload", str(image), "--parent", "folder-1", tty=True)
    assert code == 0
    (file_id,) = env.oss.files
    assert out == f"{served}/fake-files/{file_id}.jpg\n"  # the link, as every image-hosting tool prints
    assert loopback.get(out.strip(), timeout=30).content == image.read_bytes()
    code, out, _ = run("upload", str(image), "--format", "id")
    assert code == 0 and env.file_bytes(out.strip()) == image.read_bytes()
    assert "uploading cat.jpg [" in err and "100%" in err
    create = next(r for r in env.requests if r.path.endswith("/create"))
    assert create.body["parentFileID"] == "folder-1"


def test_upload_json(env: FakePan123, tmp_path: Path) -> None:
    image = tmp_path / "dog.jpg"
    image.write_bytes(b"woof" * 100)
    code, out, _ = run("upload", str(image), "--filename", "renamed.jpg", "--json")
    record = json.loads(out)
    assert code == 0
    assert (record["filename"], record["size"], record["reused"]) == ("renamed.jpg", 400, False)
    assert record["fileID"] == record["file_id"]
    assert env.file_bytes(record["fileID"]) == image.read_bytes()


@pytest.mark.parametrize(("name", "extra"), [("missing.jpg", []), ("ok.jpg", ["--filename", "a/b.jpg"])])
def test_upload_bad_input_exits_2_before_any_request(
    env: FakePan123, tmp_path: Path, name: str, extra: list[str]
) -> None:
    if name == "ok.jpg":
        (tmp_path / name).write_bytes(b"x")
    code, out, err = run("upload", str(tmp_path / name), *extra)
    assert (code, out) == (2, "")
    assert err.startswith("pan123-oss: bad input: ")
    assert env.requests == []


def test_progress_line() -> None:
    from pan123_oss._cli._progress import progress_line

    assert progress_line(0, 0, 0.0) == "[########################] 100% 0 B/0 B 0 B/s"
    line = progress_line(4 << 20, 10 << 20, 2.0, width=10)
    assert line == "[####......]  40% 4.0 MiB/10.0 MiB 2.0 MiB/s ETA 3 s"
