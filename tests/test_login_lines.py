"""`login`, `logout` and `doctor`, line by line: what each prints and which exit code, for each place a setting
can come from; a damaged settings file; piped input that ends. In process, against the fake on loopback."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import keyring
import pytest
from conftest import run_cli
from keyring.backends import fail

from pan123_oss import _platform
from pan123_oss.testing import FakePan123

CREDENTIAL_VARS = ("PAN123_ACCESS_TOKEN", "PAN123_CLIENT_ID", "PAN123_CLIENT_SECRET", "PAN123_BASE_URL")


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, real_fake: FakePan123, served: str) -> FakePan123:
    for name in CREDENTIAL_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PAN123_BASE_URL", served)
    monkeypatch.setenv("PAN123_TOKEN_CACHE", str(tmp_path / "cache" / "tokens.json"))
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]  # no credential store: the file is used
    return real_fake


def piped(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def login(monkeypatch: pytest.MonkeyPatch, fake: FakePan123, *extra: str) -> tuple[int, str, str]:
    piped(monkeypatch, f"{fake.client_id}\r\n{fake.client_secret}\n")
    return run_cli("login", *extra)


def rows(out: str) -> dict[str, str]:
    found = {}
    for line in out.splitlines():
        name, _, value = line.partition(":")
        found[name] = value.strip()
    return found


def settings(record: object) -> Path:
    path = _platform.config_path()
    _platform.write_private(path, json.dumps(record))
    return path


def test_login_to_the_file_says_where_everything_went(
    monkeypatch: pytest.MonkeyPatch, home: FakePan123, served: str
) -> None:
    code, out, err = login(monkeypatch, home)
    assert code == 0, err
    path = _platform.config_path()
    lines = out.splitlines()
    assert lines[0].startswith(f"Logged in: client ID {home.client_id} got a token from {served} (expires 20")
    assert lines[0].endswith("+00:00).")
    assert lines[1] == (
        f"The secret is kept in {path}: not in a keyring, because keyring found no credential store on this system."
    )
    assert (
        lines[2]
        == f"Settings: {path} (mode 0600: only you can read it). Token cache: {os.environ['PAN123_TOKEN_CACHE']}."
    )
    assert lines[3] == (
        "Commands now need no environment variables; PAN123_CLIENT_ID and PAN123_CLIENT_SECRET still override these."
    )
    assert json.loads(path.read_text()) == {
        "client_id": home.client_id,
        "secret_in": "file",
        "base_url": served,
        "client_secret": home.client_secret,
    }
    assert home.tokens_issued == 1


def test_login_asks_on_stderr_and_fails_clearly_when_input_ends(
    monkeypatch: pytest.MonkeyPatch, home: FakePan123
) -> None:
    piped(monkeypatch, "")
    assert run_cli("login") == (2, "", "pan123-oss: bad input: no input for 123pan client ID (stdin ended)\n")
    piped(monkeypatch, "only-the-id\n")
    assert run_cli("login") == (
        2,
        "",
        "pan123-oss: bad input: no input for 123pan client secret (not shown) (stdin ended)\n",
    )
    piped(monkeypatch, f"{home.client_secret}\n")
    assert run_cli("login", "--client-id", home.client_id)[0] == 0
    monkeypatch.setattr(sys, "stdin", None)
    assert run_cli("login", "--client-id", home.client_id)[0] == 2


def test_at_a_terminal_the_id_is_asked_on_stderr(monkeypatch: pytest.MonkeyPatch, home: FakePan123) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr("builtins.input", lambda: home.client_id)
    asked: list[tuple[str, object]] = []

    def getpass(prompt: str, stream: object) -> str:
        asked.append((prompt, stream))
        return home.client_secret

    monkeypatch.setattr("getpass.getpass", getpass)
    err = io.StringIO()
    from pan123_oss._cli import main

    assert main(["login"], stdout=io.StringIO(), stderr=err) == 0
    assert err.getvalue() == "123pan client ID: "
    assert asked == [("123pan client secret (not shown): ", err)]  # not echoed, and asked where the ID was


def test_a_damaged_settings_file_is_named(monkeypatch: pytest.MonkeyPatch, home: FakePan123, tmp_path: Path) -> None:
    image = tmp_path / "a.png"
    image.write_bytes(b"png")
    records: list[object] = [
        "{not json",
        [],
        {"client_id": 5, "secret_in": "file", "client_secret": "s"},
        {"client_id": "c", "secret_in": "elsewhere"},
        {"client_id": "c", "secret_in": "file"},
        {"client_id": "c", "secret_in": "file", "client_secret": 7},
    ]
    for record in records:
        path = _platform.config_path()
        _platform.write_private(path, record if isinstance(record, str) else json.dumps(record))
        code, out, err = run_cli("upload", str(image))
        assert (code, out) == (5, "")
        assert err.startswith(f"pan123-oss: failed: {path} is damaged: run `pan123-oss login` again"), (record, err)
    assert run_cli("logout")[1] == f"Removed: {_platform.config_path()}.\n"  # removed all the same


def test_what_login_stored_is_used_unless_the_environment_says_otherwise(
    monkeypatch: pytest.MonkeyPatch, home: FakePan123, served: str, tmp_path: Path
) -> None:
    settings(
        {"client_id": home.client_id, "secret_in": "file", "client_secret": home.client_secret, "base_url": served}
    )
    monkeypatch.delenv("PAN123_BASE_URL")
    runs = iter(range(100))

    def token(*extra: str) -> None:
        assert run_cli("token", "--token-cache", str(tmp_path / f"{next(runs)}.json"), *extra)[0] == 0

    with FakePan123() as other, other.serve() as elsewhere:
        token()
        assert (home.tokens_issued, other.tokens_issued) == (1, 0)  # the stored base URL
        monkeypatch.setenv("PAN123_BASE_URL", elsewhere)
        token()
        assert (home.tokens_issued, other.tokens_issued) == (1, 1)
        token("--base-url", served)
        assert (home.tokens_issued, other.tokens_issued) == (2, 1)
        monkeypatch.delenv("PAN123_BASE_URL")
        token("--base-url", elsewhere)
        assert (home.tokens_issued, other.tokens_issued) == (2, 2)
    settings({"client_id": home.client_id, "secret_in": "file", "client_secret": home.client_secret, "base_url": 5})
    monkeypatch.setenv("PAN123_ACCESS_TOKEN", home.issue_token())  # so that doctor sends nothing to the default
    assert "base URL:       https://open-api.123pan.com (the default)" in run_cli("doctor")[1]


@pytest.mark.parametrize("variable", ["PAN123_CLIENT_ID", "PAN123_CLIENT_SECRET", "PAN123_ACCESS_TOKEN"])
def test_any_credential_in_the_environment_overrides_the_login(
    monkeypatch: pytest.MonkeyPatch, home: FakePan123, variable: str, tmp_path: Path
) -> None:
    settings({"client_id": home.client_id, "secret_in": "file", "client_secret": home.client_secret})
    monkeypatch.setenv(variable, "from-env")
    image = tmp_path / "a.png"
    image.write_bytes(b"png")
    code, _, err = run_cli("upload", str(image))
    assert code in (2, 3), err  # the stored secret is not used to fill in what the environment lacks


def test_logout_of_a_file_login_says_the_secret_went_with_it(monkeypatch: pytest.MonkeyPatch, home: FakePan123) -> None:
    assert login(monkeypatch, home)[0] == 0
    cache = os.environ["PAN123_TOKEN_CACHE"]
    assert run_cli("logout") == (
        0,
        f"Removed: {_platform.config_path()} (with the secret in it); 1 cached token from {cache}.\n",
        "",
    )


def test_logout_with_the_keyring_gone_says_the_secret_may_remain(
    monkeypatch: pytest.MonkeyPatch, home: FakePan123
) -> None:
    settings({"client_id": "c", "secret_in": "keyring"})
    code, out, err = run_cli("logout")
    assert code == 0
    assert (
        err == "pan123-oss: the secret may still be in the system keyring (keyring found no credential store on "
        "this system)\n"
    )
    assert out == f"Removed: {_platform.config_path()}.\n"


def test_doctor_rows_for_each_source(
    monkeypatch: pytest.MonkeyPatch, home: FakePan123, served: str, tmp_path: Path
) -> None:
    monkeypatch.setenv("PAN123_ACCESS_TOKEN", home.issue_token())
    code, out, _ = run_cli("doctor")
    got = rows(out)
    assert code == 0
    assert got["credentials"] == "a fixed access token from $PAN123_ACCESS_TOKEN (set, not shown)"
    assert got["base URL"] == f"{served} from $PAN123_BASE_URL"
    assert got["config file"] == f"{_platform.config_path()} (absent)"
    assert got["token cache"] == f"{os.environ['PAN123_TOKEN_CACHE']} ($PAN123_TOKEN_CACHE)"
    assert got["serve key file"] == str(_platform.serve_key_path())
    assert got["keyring"] == "keyring found no credential store on this system"
    assert got["token"] == "works (cached, no expiry known)"
    assert got["pan123-oss"].startswith(f"{__import__('pan123_oss').__version__} on Python ")
    width = max(len(name) for name in got) + 2
    assert all(line[width - 1] == " " and line[width] != " " for line in out.splitlines())
    assert any(line[width - 2] == ":" for line in out.splitlines())

    monkeypatch.delenv("PAN123_ACCESS_TOKEN")
    monkeypatch.setenv("PAN123_CLIENT_ID", home.client_id)
    monkeypatch.delenv("PAN123_TOKEN_CACHE")
    code, out, _ = run_cli("doctor", "--token-cache", str(tmp_path / "t.json"))
    got = rows(out)
    assert code == 2
    assert got["client ID"] == f"{home.client_id} from $PAN123_CLIENT_ID"
    assert got["client secret"] == "NOT set in $PAN123_CLIENT_SECRET"
    assert got["token cache"] == f"{tmp_path / 't.json'} (--token-cache)"
    assert got["token"].startswith("does NOT work: ")

    monkeypatch.delenv("PAN123_CLIENT_ID")
    monkeypatch.setenv("PAN123_CLIENT_SECRET", home.client_secret)
    code, out, _ = run_cli("doctor")
    got = rows(out)
    assert got["client ID"] == "(not set) from $PAN123_CLIENT_ID"
    assert got["client secret"] == "set in $PAN123_CLIENT_SECRET"
    assert got["token cache"].endswith("(the default)")


def test_doctor_with_a_login_in_the_keyring_that_is_gone(monkeypatch: pytest.MonkeyPatch, home: FakePan123) -> None:
    settings({"client_id": "c", "secret_in": "keyring"})
    code, out, _ = run_cli("doctor")
    got = rows(out)
    assert code == 3
    assert got["client ID"] == f"c from {_platform.config_path()}"
    assert got["client secret"] == "in the keyring, NOT usable: keyring found no credential store on this system"
    assert got["config file"] == f"{_platform.config_path()} (present)"
    assert got["token"].startswith("does NOT work: the secret was kept in the system keyring, which is not usable now")


def test_doctor_with_a_damaged_file_or_a_service_that_fails(monkeypatch: pytest.MonkeyPatch, home: FakePan123) -> None:
    settings([])
    code, out, _ = run_cli("doctor")
    assert code == 3
    assert rows(out)["token"].startswith(
        f"does NOT work: {_platform.config_path()} is damaged: run `pan123-oss login` again"
    )
    assert rows(out)["credentials"].startswith("none: run `pan123-oss login`")
    monkeypatch.setenv("PAN123_CLIENT_ID", home.client_id)
    monkeypatch.setenv("PAN123_CLIENT_SECRET", home.client_secret)
    settings({"client_id": "c", "secret_in": "file", "client_secret": "s"})
    from pan123_oss.testing import Fault

    home.script("access_token", Fault.code_reply(9, "down"))
    code, out, _ = run_cli("doctor")
    assert code == 5 and rows(out)["token"].startswith("does NOT work: ")
    code, out, _ = run_cli("doctor")
    assert code == 0 and rows(out)["token"].startswith("works (fetched now, expires 20")


def test_a_secret_gone_from_the_keyring_says_to_log_in_again(monkeypatch: pytest.MonkeyPatch, home: FakePan123,
                                                            tmp_path: Path) -> None:  # fmt: skip
    from keyring.backend import KeyringBackend

    class Empty(KeyringBackend):
        priority = 10

        def get_password(self, service: str, username: str) -> None:
            return None

        def set_password(self, service: str, username: str, password: str) -> None:
            raise AssertionError("nothing is stored here")

        def delete_password(self, service: str, username: str) -> None:
            pass

    keyring.set_keyring(Empty())  # type: ignore[no-untyped-call]
    settings({"client_id": "c-1", "secret_in": "keyring"})
    image = tmp_path / "a.png"
    image.write_bytes(b"png")
    code, out, err = run_cli("upload", str(image))
    assert (code, out) == (5, "")
    assert err.startswith(
        "pan123-oss: failed: the system keyring holds no secret for client ID c-1 (was it removed?): run "
        "`pan123-oss login` again"
    )
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]


def test_logout_counts_the_tokens_it_drops_for_every_service(
    monkeypatch: pytest.MonkeyPatch, home: FakePan123, served: str
) -> None:
    assert login(monkeypatch, home)[0] == 0  # one token, from the fake it logged in to
    with FakePan123() as other, other.serve() as elsewhere:
        monkeypatch.setenv("PAN123_CLIENT_ID", home.client_id)
        monkeypatch.setenv("PAN123_CLIENT_SECRET", home.client_secret)
        assert run_cli("token", "--base-url", elsewhere)[0] == 0  # a second one, for another service
    monkeypatch.delenv("PAN123_CLIENT_ID")
    monkeypatch.delenv("PAN123_CLIENT_SECRET")
    cache = os.environ["PAN123_TOKEN_CACHE"]
    code, out, _ = run_cli("logout")
    assert (code, out) == (
        0,
        f"Removed: {_platform.config_path()} (with the secret in it); 2 cached tokens from {cache}.\n",
    )
