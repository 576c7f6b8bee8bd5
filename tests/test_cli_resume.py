"""Resuming from the command line: the hint is a command that continues the same upload, on the same service,
and printing the same thing; and resuming an upload that was completed already stores nothing twice."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli

from pan123_oss.testing import FakePan123, Fault


@pytest.fixture
def env(cli_env: FakePan123, monkeypatch: pytest.MonkeyPatch) -> FakePan123:
    cli_env.pending_polls = 0
    return cli_env


@pytest.mark.slow
@pytest.mark.real_clock  # it runs the printed command in another process
def test_the_resume_hint_keeps_the_service_the_token_cache_and_the_format(
    env: FakePan123, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The hint named neither --base-url nor --token-cache nor --format: run as printed, it went to the real
    # service with another token cache, or printed a file ID where the upload printed a link.
    base_url = os.environ["PAN123_BASE_URL"]
    monkeypatch.delenv("PAN123_BASE_URL")
    env.oss.slice_size = 1000
    path = tmp_path / "photo.jpg"
    data = os.urandom(3500)
    path.write_bytes(data)
    env.script("get_upload_url", Fault.code_reply(1, "upload address unavailable"))
    cache = tmp_path / "elsewhere" / "tokens.json"
    code, out, err = run_cli(
        "upload", str(path), "--format", "url", "--base-url", base_url, "--token-cache", str(cache)
    )
    assert code == 5 and out == ""
    found = re.search(r"continue it with: (pan123-oss resume .*)$", err, re.M)
    assert found is not None, err
    argv = shlex.split(found[1])
    assert argv[argv.index("--base-url") + 1] == base_url
    assert argv[argv.index("--token-cache") + 1] == str(cache)
    assert argv[argv.index("--format") + 1] == "url"
    done = subprocess.run(
        [sys.executable, "-m", "pan123_oss", *argv[1:]], capture_output=True, text=True, timeout=120,
        env={k: v for k, v in os.environ.items() if k != "PAN123_BASE_URL"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("http")  # a link, as the upload would have printed
    assert env.tokens_issued == 1  # the resume found the token the upload cached
    (stored,) = env.oss.files.values()
    assert env.file_bytes(stored.file_id) == data


def test_resuming_a_completed_upload_stores_nothing_twice(env: FakePan123, tmp_path: Path) -> None:
    # It sent the slices again and completed the upload a second time: two copies of the file.
    path = tmp_path / "done.png"
    path.write_bytes(os.urandom(2000))
    code, out, err = run_cli("upload", str(path), "--format", "json")
    assert code == 0, err
    first = json.loads(out)
    code, out, err = run_cli("resume", first["preupload_id"], str(path), "--format", "id")
    assert code == 0, err
    assert out.strip() == first["fileID"]
    assert len(env.oss.files) == 1
    assert sum(1 for r in env.requests if r.method == "PUT") == 1
