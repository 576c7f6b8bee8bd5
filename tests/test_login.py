"""`pan123-oss login`, `logout` and `doctor`: with a keyring backend (a fake one), with none, and without the
keyring package; against the fake 123pan on a loopback socket."""

from __future__ import annotations

import getpass
import io
import json
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from conftest import run_cli
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import PasswordDeleteError

from pan123_oss import _platform
from pan123_oss.testing import FakePan123

CREDENTIAL_VARS = ("PAN123_ACCESS_TOKEN", "PAN123_CLIENT_ID", "PAN123_CLIENT_SECRET", "PAN123_BASE_URL")


class FakeKeyring(KeyringBackend):
    """An OS credential store in a dict."""

    priority = 10

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("no such entry")


@pytest.fixture
def vault() -> Iterator[FakeKeyring]:
    backend = FakeKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]


@pytest.fixture
def no_backend() -> None:
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]  # keyring's choice with no store


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, real_fake: FakePan123, served: str) -> FakePan123:
    """No credentials in the environment; the fake's URL and a token cache of the test's own."""
    for name in CREDENTIAL_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PAN123_BASE_URL", served)
    monkeypatch.setenv("PAN123_TOKEN_CACHE", str(tmp_path / "cache" / "tokens.json"))
    return real_fake


def piped(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def login(monkeypatch: pytest.MonkeyPatch, fake: FakePan123, *extra: str, secret: str | None = None):  # type: ignore[no-untyped-def]
    piped(monkeypatch, f"{fake.client_id}\n{secret or fake.client_secret}\n")
    return run_cli("login", *extra)


def upload_without_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[int, str, str]:
    """`pan123-oss upload a.png` as Typora runs it: no credentials and no base URL in the environment."""
    monkeypatch.delenv("PAN123_BASE_URL", raising=False)
    image = tmp_path / "a.png"
    image.write_bytes(os.urandom(3000))
    return run_cli("upload", str(image))


def test_login_keeps_the_secret_in_the_keyring_and_upload_then_needs_no_environment(
    monkeypatch: pytest.MonkeyPatch, home: FakePan123, served: str, vault: FakeKeyring, tmp_path: Path
) -> None:
    code, out, err = login(monkeypatch, home)
    assert code == 0, err
    assert home.tokens_issued == 1  # checked with one token request
    assert vault.entries == {("pan123-oss", home.client_id): home.client_secret}
    assert "The secret is kept in the system keyring (" in out
    config = _platform.config_path()
    stored = json.loads(config.read_text())
    assert stored == {"client_id": home.client_id, "secret_in": "keyring", "base_url": served}
    assert home.client_secret not in config.read_text() and home.client_secret not in out + err

    code, out, err = upload_without_env(monkeypatch, tmp_path)
    assert code == 0, err
    (file_id,) = home.oss.files
    assert out == f"{served}/fake-files/{file_id}.png\n"
    assert home.tokens_issued == 1  # the token login fetched was cached and used


def test_login_without_a_credential_store_uses_a_user_only_file_and_says_so(
    monkeypatch: pytest.MonkeyPatch, home: FakePan123, served: str, no_backend: None, tmp_path: Path
) -> None:
    code, out, err = login(monkeypatch, home)
    assert code == 0, err
    config = _platform.config_path()
    assert f"The secret is kept in {config}: not in a keyring, because keyring found no credential store" in out
    assert json.loads(config.read_text())["client_secret"] == home.client_secret
    if _platform.HAS_FILE_MODES:
        assert stat.S_IMODE(config.stat().st_mode) == 0o600 and "mode 0600" in out
    code, out, err = upload_without_env(monkeypatch, tmp_path)
    assert (code, err) == (0, "")
    assert out.startswith(f"{served}/fake-files/")


@pytest.mark.skipif(not _platform.HAS_FILE_MODES, reason="POSIX file modes")
def test_a_settings_file_others_can_read_is_refused_before_its_secret_is_sent(
    monkeypatch: pytest.MonkeyPatch, home: FakePan123, served: str, no_backend: None, tmp_path: Path
) -> None:
    code, _, err = login(monkeypatch, home)
    assert code == 0, err
    config = _platform.config_path()
    config.chmod(0o644)  # a file others can read: its secret is no longer only the user's
    issued = home.tokens_issued
    code, out, err = upload_without_env(monkeypatch, tmp_path)
    assert code != 0 and out == ""
    assert str(config) in err and "chmod 600" in err
    assert home.tokens_issued == issued  # nothing was sent with the exposed secret


def test_login_without_the_keyring_package_uses_the_file(
    monkeypatch: pytest.MonkeyPatch, home: FakePan123, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # `import keyring` fails, as on Linux without the extra
    code, out, err = login(monkeypatch, home)
    assert code == 0, err
    assert "not in a keyring, because the keyring package is not installed (pip install 'pan123-oss[keyring]')" in out
    assert upload_without_env(monkeypatch, tmp_path)[0] == 0
    code, out, _ = run_cli("doctor")
    assert code == 0 and "keyring:" in out and "not installed" in out


def test_store_keyring_fails_rather_than_fall_back(monkeypatch: pytest.MonkeyPatch, home: FakePan123,
                                                   no_backend: None) -> None:  # fmt: skip
    code, out, err = login(monkeypatch, home, "--store", "keyring")
    assert code != 0 and out == ""
    assert "--store keyring: keyring found no credential store" in err
    assert not _platform.config_path().exists()


def test_a_wrong_secret_is_refused_and_nothing_is_kept(
    monkeypatch: pytest.MonkeyPatch, home: FakePan123, vault: FakeKeyring
) -> None:
    code, out, err = login(monkeypatch, home, secret="not-the-secret")
    assert code == 3 and out == ""
    assert "authentication failed" in err and "not-the-secret" not in err
    assert vault.entries == {} and not _platform.config_path().exists()


def test_at_a_terminal_the_secret_is_asked_without_echo(
    monkeypatch: pytest.MonkeyPatch, home: FakePan123, vault: FakeKeyring
) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    asked: list[str] = []

    def no_echo(prompt: str = "", stream: object = None) -> str:
        asked.append(prompt)
        return home.client_secret

    monkeypatch.setattr(sys, "stdin", Tty(f"{home.client_id}\n"))
    monkeypatch.setattr(getpass, "getpass", no_echo)
    code, _, err = run_cli("login")
    assert code == 0, err
    assert asked == ["123pan client secret (not shown): "]
    assert "123pan client ID: " in err  # the visible question, on stderr
    assert vault.entries[("pan123-oss", home.client_id)] == home.client_secret


def test_environment_variables_override_the_login(
    monkeypatch: pytest.MonkeyPatch, home: FakePan123, vault: FakeKeyring, tmp_path: Path
) -> None:
    assert login(monkeypatch, home)[0] == 0
    monkeypatch.setenv("PAN123_CLIENT_ID", home.client_id)
    monkeypatch.setenv("PAN123_CLIENT_SECRET", "from-the-environment")
    image = tmp_path / "b.png"
    image.write_bytes(b"png")
    code, _, err = run_cli("upload", str(image), "--token-cache", str(tmp_path / "fresh.json"))
    assert code == 3 and "authentication failed" in err  # the environment's (wrong) secret was used


def test_logout_removes_the_secret_the_settings_and_the_token(
    monkeypatch: pytest.MonkeyPatch, home: FakePan123, vault: FakeKeyring, tmp_path: Path
) -> None:
    assert login(monkeypatch, home)[0] == 0
    cache = Path(os.environ["PAN123_TOKEN_CACHE"])
    assert home.client_id in cache.read_text()
    code, out, _ = run_cli("logout")
    assert code == 0 and out.startswith("Removed: the secret from the system keyring")
    assert vault.entries == {} and not _platform.config_path().exists()
    assert home.client_id not in cache.read_text()
    code, _, err = upload_without_env(monkeypatch, tmp_path)
    assert code == 2 and "no credentials" in err
    assert run_cli("logout")[1] == "Not logged in: nothing to remove.\n"


def test_doctor_says_where_each_setting_comes_from_and_never_the_secret(
    monkeypatch: pytest.MonkeyPatch, home: FakePan123, served: str, vault: FakeKeyring, tmp_path: Path
) -> None:
    code, out, err = run_cli("doctor")
    assert code == 2 and "credentials:" in out and "run `pan123-oss login`" in out
    assert login(monkeypatch, home)[0] == 0
    monkeypatch.delenv("PAN123_BASE_URL")
    code, out, err = run_cli("doctor")
    assert code == 0, out + err
    config = _platform.config_path()
    lines = dict(line.split(":", 1) for line in out.splitlines())
    assert lines["client ID"].strip() == f"{home.client_id} from {config}"
    assert lines["client secret"].strip().startswith("in the system keyring (")
    assert lines["base URL"].strip() == f"{served} from {config}"
    assert lines["token"].strip().startswith("works (cached, expires ")
    assert lines["token cache"].strip() == f"{os.environ['PAN123_TOKEN_CACHE']} ($PAN123_TOKEN_CACHE)"
    assert home.client_secret not in out + err

    # From the environment, with a secret that does not work: said, and still never shown.
    monkeypatch.setenv("PAN123_CLIENT_ID", home.client_id)
    monkeypatch.setenv("PAN123_CLIENT_SECRET", "wrong-but-still-secret")
    code, out, err = run_cli("doctor", "--base-url", served, "--token-cache", str(tmp_path / "other.json"))
    assert code == 3
    assert "client secret:" in out and "set in $PAN123_CLIENT_SECRET" in out
    assert f"base URL:       {served} from --base-url" in out
    assert "token:          does NOT work: " in out
    assert "wrong-but-still-secret" not in out + err and home.client_secret not in out + err


def test_a_secret_removed_from_the_keyring_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, home: FakePan123, vault: FakeKeyring, tmp_path: Path
) -> None:
    assert login(monkeypatch, home)[0] == 0
    vault.entries.clear()
    code, _, err = upload_without_env(monkeypatch, tmp_path)
    assert code == 5 and "holds no secret for client ID" in err and "login" in err


def test_store_file_keeps_the_secret_out_of_a_working_keyring(
    monkeypatch: pytest.MonkeyPatch, home: FakePan123, vault: FakeKeyring, tmp_path: Path
) -> None:
    code, out, err = login(monkeypatch, home, "--store", "file")
    assert code == 0, err
    assert "not in a keyring, as --store file asked" in out and vault.entries == {}
    assert upload_without_env(monkeypatch, tmp_path)[0] == 0
    code, out, _ = run_cli("doctor")
    assert code == 0 and f"client secret:  set, in {_platform.config_path()}\n" in out
