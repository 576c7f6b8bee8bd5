"""The command line under interrupts, odd output streams and hostile text: clean lines, nothing lost."""

from __future__ import annotations

import io
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FOREGROUND, run_cli, stalled_fake

from pan123_oss._cli import main
from pan123_oss._cli._output import EXIT_FAILURE
from pan123_oss.testing import FakePan123, Fault


@pytest.fixture
def env(cli_env: FakePan123, monkeypatch: pytest.MonkeyPatch) -> FakePan123:
    """A static token: each test here brings in client credentials only where it needs them."""
    monkeypatch.delenv("PAN123_CLIENT_ID")
    monkeypatch.delenv("PAN123_CLIENT_SECRET")
    monkeypatch.setenv("PAN123_ACCESS_TOKEN", cli_env.issue_token())
    return cli_env


run = run_cli


def test_a_failed_upload_says_how_to_resume_and_resume_finishes_it(env: FakePan123, tmp_path: Path) -> None:
    env.oss.slice_size = 1000
    path = tmp_path / "photo.jpg"
    data = os.urandom(3500)
    path.write_bytes(data)
    env.script("get_upload_url", Fault.code_reply(1, "upload address unavailable"))  # final: no retry, no wait
    code, out, err = run("upload", str(path))
    assert code == 5 and out == ""
    command = re.search(r"continue it with: pan123-oss (resume .*)$", err, re.M)
    assert command is not None, err
    assert "--slice-size 1000" in command.group(1)  # a new process could not learn it: no slice was stored
    code, out, err = run(*shlex.split(command.group(1)), "--format", "id")
    assert code == 0, err
    assert env.file_bytes(out.strip()) == data


class ClosedStream(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_results_that_cannot_be_printed_go_to_stderr_with_a_failing_exit(env: FakePan123, tmp_path: Path) -> None:
    # The upload succeeded, but its ID went nowhere: that must not look like success.
    path = tmp_path / "a.png"
    path.write_bytes(b"png bytes")
    code, _, err = run("upload", str(path), "--format", "id", stdout=ClosedStream())
    assert code != 0
    file_id = err.strip().splitlines()[-1]
    assert env.file_bytes(file_id) == b"png bytes"


@pytest.mark.skipif(sys.platform == "win32", reason="compares the descriptor with the null device by POSIX stat")
def test_a_broken_stdout_is_pointed_at_the_null_device_so_that_the_exit_does_not_fail_again(
    env: FakePan123, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Python flushes sys.stdout once more at exit: on a pipe nobody reads, that fails after the report was made,
    # with a second message and exit code 120. The command points the descriptor at the null device first.
    path = tmp_path / "a.png"
    path.write_bytes(b"png bytes")
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody reads: a write fails with EPIPE (Python ignores SIGPIPE)
    with open(write_end, "w", encoding="utf-8") as stdout:
        monkeypatch.setattr(sys, "stdout", stdout)
        err = io.StringIO()
        code = main(["upload", str(path), "--format", "id"], stdout=stdout, stderr=err)
        assert code == EXIT_FAILURE
        assert err.getvalue().startswith("pan123-oss: the results could not be written to stdout")
        assert os.path.samestat(os.fstat(write_end), os.stat(os.devnull))
        stdout.write("the exit's flush\n")
        stdout.flush()  # no error now
        monkeypatch.undo()


def test_an_unusable_token_cache_is_a_one_line_error(env: FakePan123, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, out, err = run("wait", env.add_upload(pending_polls=0), "--token-cache", str(blocker / "tokens.json"))
    # A static token needs no cache; with client credentials the cache is written, and fails cleanly.
    assert code == 0 and out
    os.environ.pop("PAN123_ACCESS_TOKEN")
    os.environ["PAN123_CLIENT_ID"], os.environ["PAN123_CLIENT_SECRET"] = env.client_id, env.client_secret
    try:
        code, out, err = run("wait", env.add_upload(pending_polls=0), "--token-cache", str(blocker / "tokens.json"))
    finally:
        del os.environ["PAN123_CLIENT_ID"], os.environ["PAN123_CLIENT_SECRET"]
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err


def test_server_text_is_printed_terminal_safe(env: FakePan123) -> None:
    file_id = env.add_file("\x1b]0;pwned\x07name\r.png", b"data")
    code, out, _ = run("info", file_id)
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="signals")
@pytest.mark.skipif("MUTANT_UNDER_TEST" in os.environ, reason="wall-clock bounds mean nothing under mutmut's tracing")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_upload_prints_the_resume_command_and_exits_at_once(sig: signal.Signals, tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(os.urandom(5000))
    with stalled_fake() as stalled:
        url, token = stalled
        env = {**os.environ, "PAN123_BASE_URL": url, "PAN123_ACCESS_TOKEN": token}
        for name in ("PAN123_CLIENT_ID", "PAN123_CLIENT_SECRET"):
            env.pop(name, None)
        cli_args = ["upload", str(path), "--token-cache", str(tmp_path / "t")]
        command = [*FOREGROUND, sys.executable, "-m", "pan123_oss", *cli_args]
        with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as cli:
            stalled.wait()  # created, slices stalled on the wire
            sent = time.monotonic()
            cli.send_signal(sig)
            out, err = cli.communicate(timeout=10)
            assert time.monotonic() - sent < 2.0
    assert cli.returncode == 130 and out == ""
    assert re.search(rf"pan123-oss resume \S+ {re.escape(str(path))}", err), err
