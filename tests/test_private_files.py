"""Files that hold a secret (the token cache, serve's key) are used only when they are the user's own and private.

A planted token file was sent to the service as the user's token, whoever owned it and whatever its mode, links
followed. Windows has no owner and mode bits to check: these tests are POSIX-only, and so is the protection.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli

import pan123_oss
from pan123_oss.testing import FakePan123

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX owner and mode bits")


def planted_token(path: Path, fake: FakePan123, token: str) -> None:
    entry = {"accessToken": token, "expiresAt": time.time() + 86400}
    path.write_text(json.dumps({f"{fake.client_id} http://fake.test": entry}))
    path.chmod(0o600)


def loose(path: Path) -> None:
    path.chmod(0o644)


def foreign(path: Path) -> None:
    os.chown(path, 4242, 4242)


def linked(path: Path) -> None:
    real = path.with_name("elsewhere.json")
    path.rename(real)
    path.symlink_to(real)


@pytest.mark.parametrize(
    ("spoil", "said"),
    [
        (loose, "chmod 600"),
        pytest.param(foreign, "belongs to user ID 4242", marks=pytest.mark.skipif(
            getattr(os, "geteuid", lambda: -1)() != 0, reason="giving a file away needs root")),
        (linked, "symbolic link"),
    ],
)  # fmt: skip
def test_a_token_file_that_is_not_privately_yours_is_refused_and_never_sent(
    tmp_path: Path, spoil: Callable[[Path], None], said: str
) -> None:
    fake = FakePan123()
    path = tmp_path / "tokens.json"
    planted_token(path, fake, "planted-token")
    spoil(path)
    options: dict[str, Any] = {"base_url": "http://fake.test", "token_store": pan123_oss.FileTokenStore(path)}
    with (
        pan123_oss.Client(
            client_id=fake.client_id, client_secret=fake.client_secret, transport=fake.transport(), **options
        ) as client,
        pytest.raises(PermissionError, match=said) as caught,
    ):
        client.upload_async_result(fake.add_upload(pending_polls=0))
    assert str(path) in str(caught.value)
    assert all("planted-token" not in r.headers.get("authorization", "") for r in fake.requests)


def test_a_private_token_file_of_your_own_is_used(tmp_path: Path) -> None:
    fake = FakePan123()
    path = tmp_path / "tokens.json"
    planted_token(path, fake, fake.issue_token())
    options: dict[str, Any] = {"base_url": "http://fake.test", "token_store": pan123_oss.FileTokenStore(path)}
    with pan123_oss.Client(
        client_id=fake.client_id, client_secret=fake.client_secret, transport=fake.transport(), **options
    ) as client:
        assert client.upload_async_result(fake.add_upload(pending_polls=0)).completed
    assert fake.tokens_issued == 1  # the one issued above, not a second


def test_serve_refuses_a_key_file_others_can_read(
    cli_env: FakePan123, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_file = tmp_path / "serve-key"
    key_file.write_text("a-key-that-others-could-read\n")
    key_file.chmod(0o644)
    monkeypatch.setenv("PAN123_SERVE_KEY_FILE", str(key_file))
    monkeypatch.delenv("PAN123_SERVE_KEY", raising=False)
    code, _out, err = run_cli("serve", "--port", "0")
    assert code == 2 and f"chmod 600 {key_file}" in err and "a-key-that-others-could-read" not in err
    assert cli_env.requests == []


def test_the_cli_says_what_is_wrong_with_a_token_cache(cli_env: FakePan123, tmp_path: Path) -> None:
    cache = tmp_path / "tokens.json"
    cache.write_text("{}")
    cache.chmod(0o640)
    code, out, err = run_cli("token", "--token-cache", str(cache))
    assert code == 2 and out == ""
    assert f"{cache} can be read or changed by other users (mode 0640)" in err and "chmod 600" in err
    assert cli_env.tokens_issued == 0
