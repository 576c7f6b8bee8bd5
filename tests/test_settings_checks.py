"""A client's settings, checked before anything touches the network: which credentials win, what each
refusal says, and which numbers are accepted. A secret never shows in a repr or an error."""

from __future__ import annotations

import pytest

from pan123_oss._config import (
    DEFAULT_BASE_URL,
    Secret,
    check_preupload_id,
    check_seconds,
    check_whole,
    header_safe,
    resolve,
)
from pan123_oss._policy import MAX_SECONDS


def settings(environ: dict[str, str] | None = None, **kwargs: object) -> object:
    args: dict[str, object] = {
        "access_token": None, "client_id": None, "client_secret": None, "base_url": None, "timeout": 30.0,
    }  # fmt: skip
    args.update(kwargs)
    return resolve(environ={} if environ is None else environ, **args)  # type: ignore[arg-type]


def test_explicit_credentials_win_over_the_environment() -> None:
    env = {"PAN123_CLIENT_ID": "env-id", "PAN123_CLIENT_SECRET": "env-secret", "PAN123_ACCESS_TOKEN": "envtoken"}
    got = resolve(access_token=None, client_id=" cid ", client_secret=" sec ", base_url=None, timeout=5, environ=env)
    assert (got.client_id, got.client_secret and got.client_secret.reveal(), got.access_token) == ("cid", "sec", None)
    assert got.timeout == 5.0 and isinstance(got.timeout, float)
    assert got.base_url == DEFAULT_BASE_URL == "https://open-api.123pan.com"


def test_environment_credentials_come_before_an_environment_token() -> None:
    env = {"PAN123_CLIENT_ID": "env-id", "PAN123_CLIENT_SECRET": "env-secret", "PAN123_ACCESS_TOKEN": "envtoken"}
    got = resolve(access_token=None, client_id=None, client_secret=None, base_url=None, timeout=1, environ=env)
    assert (got.client_id, got.client_secret and got.client_secret.reveal(), got.access_token) == (
        "env-id", "env-secret", None,
    )  # fmt: skip


def test_an_environment_token_is_used_when_no_credentials_are_given() -> None:
    env = {"PAN123_ACCESS_TOKEN": "envtoken", "PAN123_BASE_URL": "http://127.0.0.1:9/prefix/"}
    got = resolve(access_token=None, client_id=None, client_secret=None, base_url=None, timeout=1, environ=env)
    assert got.access_token is not None and got.access_token.reveal() == "envtoken"
    assert (got.client_id, got.client_secret) == (None, None)
    assert got.base_url == "http://127.0.0.1:9/prefix"  # the environment's URL, without its trailing slash


def test_an_explicit_base_url_wins_over_the_environment() -> None:
    env = {"PAN123_BASE_URL": "http://127.0.0.1:9"}
    got = resolve(access_token="tok", client_id=None, client_secret=None, base_url="https://h.example", timeout=1,
                  environ=env)  # fmt: skip
    assert got.base_url == "https://h.example"


def test_only_trailing_slashes_are_taken_off_the_base_url() -> None:
    got = resolve(access_token="tok", client_id=None, client_secret=None, base_url="https://h.example/X/", timeout=1,
                  environ={})  # fmt: skip
    assert got.base_url == "https://h.example/X"


EITHER = "pass either access_token or client_id and client_secret, not both$"
TOGETHER = "client_id and client_secret must be given together$"
NONE_GIVEN = (
    r"no credentials: pass access_token, or client_id and client_secret \(or set PAN123_ACCESS_TOKEN, "
    r"or PAN123_CLIENT_ID and PAN123_CLIENT_SECRET\)$"
)
UNSAFE = r"access_token holds characters an HTTP header cannot carry \(spaces, newlines, non-ASCII\)$"
EMPTY_ENV_URL = "PAN123_BASE_URL is set but empty: unset it to use https://open-api.123pan.com, or give a URL$"
NOT_HTTP = "base_url must be an http:// or https:// URL with a host, got "
QUERY = r"base_url must not have a query or fragment \(a path prefix is fine\), got "


@pytest.mark.parametrize(
    ("kwargs", "environ", "message"),
    [
        ({"access_token": "t", "client_id": "c"}, {}, EITHER),
        ({"access_token": "t", "client_secret": "s"}, {}, EITHER),
        ({"client_id": "c"}, {}, TOGETHER),
        ({"client_secret": "s"}, {}, TOGETHER),
        ({}, {"PAN123_CLIENT_ID": "c"}, TOGETHER),
        # One credential from the environment is not made whole by a token from it.
        ({}, {"PAN123_CLIENT_ID": "c", "PAN123_ACCESS_TOKEN": "t"}, TOGETHER),
        ({}, {}, NONE_GIVEN),
        ({"access_token": "   "}, {}, "access_token must be a non-empty string$"),
        ({"client_id": 5, "client_secret": "s"}, {}, "client_id must be a non-empty string$"),
        ({"client_id": "c", "client_secret": " "}, {}, "client_secret must be a non-empty string$"),
        ({"access_token": "t", "base_url": " "}, {}, "base_url must be a non-empty string$"),
        ({"access_token": "t", "timeout": 0}, {}, "timeout must be a finite, positive number of seconds, got 0$"),
        ({}, {"PAN123_CLIENT_ID": " ", "PAN123_CLIENT_SECRET": "s"}, "PAN123_CLIENT_ID must be a non-empty string$"),
        ({}, {"PAN123_CLIENT_ID": "c", "PAN123_CLIENT_SECRET": " "}, "PAN123_CLIENT_SECRET must be a non-empty"),
        ({}, {"PAN123_ACCESS_TOKEN": " "}, "PAN123_ACCESS_TOKEN must be a non-empty string$"),
        ({"access_token": "has space"}, {}, UNSAFE),
        ({"access_token": "t"}, {"PAN123_BASE_URL": " "}, EMPTY_ENV_URL),
        ({"access_token": "t", "base_url": "ftp://h.example"}, {}, NOT_HTTP + "'ftp://h.example'$"),
        ({"access_token": "t", "base_url": "https://"}, {}, NOT_HTTP + "'https://'$"),
        ({"access_token": "t", "base_url": "https://h.example/?a=1"}, {}, QUERY + r"'https://h.example/\?a=1'$"),
        ({"access_token": "t", "base_url": "https://h.example/#x"}, {}, QUERY + "'https://h.example/#x'$"),
        ({"access_token": "t", "base_url": "https://h.example:abc"}, {}, "base_url is not a valid URL: Invalid port"),
    ],
)
def test_bad_settings_are_refused_with_a_sentence_saying_why(
    kwargs: dict[str, object], environ: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError, match=f"^{message}"):
        settings(environ, **kwargs)


def test_a_refused_token_is_never_echoed() -> None:
    with pytest.raises(ValueError, match="HTTP header") as caught:
        settings(access_token="sekrit\nX-Injected: 1")
    assert "sekrit" not in str(caught.value)


def test_a_secret_never_shows_itself() -> None:
    secret = Secret("sekrit")
    assert repr(secret) == str(secret) == "Secret('***')"
    assert secret.reveal() == "sekrit"


@pytest.mark.parametrize("value", [0, -1, 0.0, float("inf"), float("nan"), True, "5", None])
def test_a_wait_must_be_a_finite_positive_number_of_seconds(value: object) -> None:
    with pytest.raises(ValueError, match=f"timeout must be a finite, positive number of seconds, got {value!r}"):
        check_seconds("timeout", value)


def test_a_wait_may_be_at_most_thirty_days() -> None:
    assert MAX_SECONDS == 30 * 86400
    assert check_seconds("timeout", MAX_SECONDS) == MAX_SECONDS
    assert check_seconds("timeout", 0.001) == 0.001
    with pytest.raises(ValueError, match="timeout must be at most 2592000 seconds \\(30 days\\), got 2592001"):
        check_seconds("timeout", MAX_SECONDS + 1)


@pytest.mark.parametrize(("value", "ok"), [(1, True), (32, True), (0, False), (33, False), (2.0, False), (True, False)])
def test_a_whole_number_must_be_in_its_range(value: object, ok: bool) -> None:
    if ok:
        assert check_whole("concurrency", value, 1, 32) == value
    else:
        with pytest.raises(ValueError, match=f"concurrency must be a whole number from 1 to 32, got {value!r}"):
            check_whole("concurrency", value, 1, 32)


@pytest.mark.parametrize(("token", "safe"), [("abc.DEF-123_~!", True), ("a b", False), ("a\n", False), ("é", False),
                                             ("", False), ("\x7f", False)])  # fmt: skip
def test_a_header_safe_token_is_visible_ascii_only(token: str, safe: bool) -> None:
    assert header_safe(token) is safe


def test_a_preupload_id_must_be_a_non_blank_string() -> None:
    assert check_preupload_id(" pid ") == " pid "  # passed through as the service gave it
    with pytest.raises(ValueError, match=r"^preupload_id must be a string, got int$"):
        check_preupload_id(5)
    with pytest.raises(ValueError, match=r"^preupload_id must not be empty or blank$"):
        check_preupload_id("  ")
