"""A batch that fails its checks stores nothing: every file and the output template are checked before the first
request, by the command line (in a subprocess, as a user runs it) and by `serve` alike; and the options that
would make a server weaker than it says are refused."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import random_files, run_cli

from pan123_oss.testing import FakePan123


@pytest.fixture
def env(cli_env: FakePan123) -> FakePan123:
    return cli_env


def cli(*argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pan123_oss", *argv], capture_output=True, text=True, timeout=timeout, env=os.environ
    )


def creates(fake: FakePan123) -> int:
    return sum(1 for r in fake.requests if r.path.endswith("/file/create"))


def test_a_missing_file_in_a_batch_stores_none_of_it(env: FakePan123, tmp_path: Path) -> None:
    # `upload good.png missing.png` uploaded good.png, then exited 2.
    good = random_files(tmp_path, 2, "good {n}.png", 100)
    done = cli("upload", *map(str, good), str(tmp_path / "missing.png"), str(tmp_path))
    assert done.returncode == 2 and done.stdout == ""
    assert "missing.png: no such file" in done.stderr and "a directory" in done.stderr
    assert "2 files cannot be uploaded, nothing was" in done.stderr
    assert env.requests == [] and env.oss.files == {}


def test_a_name_the_host_cannot_store_stops_the_batch_before_any_upload(env: FakePan123, tmp_path: Path) -> None:
    (good,) = random_files(tmp_path, 1, "good {n}.png", 100)
    bad = tmp_path / "what?.png"  # `?` is one of the characters the host refuses in a name
    bad.write_bytes(b"data")
    done = cli("upload", str(good), str(bad))
    assert done.returncode == 2 and "what?.png" in done.stderr and "must not contain" in done.stderr
    assert env.requests == []


@pytest.mark.parametrize(
    ("template", "said"),
    [
        ("{file_id:>999999999}", "over 1000"),  # hung, building a gigabyte line per file, after the uploads
        ("{url:.999999999}", "over 1000"),
        ("{url:{file_id}}", "inside a format spec"),
        ("{url:d}", "cannot be rendered"),
        ("{url!z}", "cannot be rendered"),
    ],
)
def test_a_template_that_cannot_render_fast_is_refused_before_any_request(
    env: FakePan123, tmp_path: Path, template: str, said: str
) -> None:
    (good,) = random_files(tmp_path, 1, "good {n}.png", 100)
    started = time.monotonic()
    code, out, err = run_cli("upload", str(good), "--format", template)
    assert (code, out) == (2, "") and said in err, err
    assert time.monotonic() - started < 30  # not the minutes a gigabyte-wide field took; no clock is asserted finer
    assert env.requests == []


def test_a_bounded_template_still_works(env: FakePan123, tmp_path: Path) -> None:
    env.pending_polls = 0
    (good,) = random_files(tmp_path, 1, "good {n}.png", 100)
    code, out, err = run_cli("upload", str(good), "--format", "[{file_id:>40}] {filename!r}")
    assert code == 0, err
    (line,) = out.splitlines()
    assert line.startswith("[") and line.endswith("] 'good 0.png'") and len(line.split("]")[0]) == 41


def test_escape_sequences_in_a_file_name_do_not_reach_the_terminal(env: FakePan123, tmp_path: Path) -> None:
    # A file named with an escape sequence set the terminal's title from the error line.
    code, _out, err = run_cli("upload", str(tmp_path / "\x1b]0;pwned\x07.png"))
    assert code == 2 and "no such file" in err
    assert "\x1b" not in err and "\x07" not in err
    assert env.requests == []


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--jobs", "-5"], "--jobs must be from 1 to 32"),  # was accepted
        (["--jobs", "0"], "--jobs must be from 1 to 32"),
        (["--host", "0.0.0.0", "--key", "short"], "at least 16 characters"),  # noqa: S104 - refused, never bound
        (["--max-size", "0"], "--max-size must be from 1"),
        (["--format", "{url:>999999999}"], "over 1000"),
    ],
)
def test_serve_refuses_options_that_break_its_promises(env: FakePan123, argv: list[str], said: str) -> None:
    code, _out, err = run_cli("serve", "--port", "0", *argv)
    assert code == 2 and said in err, err
    assert env.requests == []
