"""The `Client` every command that talks to the service uses, and where its settings come from: credentials from
the environment, else from what `login` stored (the secret in the OS credential store or a user-only file); the
token cache that separate runs share; `--base-url` and `--qps`."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import time
from pathlib import Path
from typing import Any, Protocol

from .. import _platform
from .._client_base import Clock
from .._config import ENV_ACCESS_TOKEN, ENV_BASE_URL, ENV_CLIENT_ID, ENV_CLIENT_SECRET
from .._errors import Pan123Error
from .._private import read_private
from .._stores._tokens import FileTokenStore
from .._sync._client import Client
from ._rates import qps_option

KEYRING_SERVICE = "pan123-oss"
"""The service name under which the secret is kept in the OS credential store (the user name is the client ID)."""

IN_KEYRING, IN_FILE = "keyring", "file"


class CommandClock(Clock, Protocol):
    """What a command reads the time from and waits on: the system's, or the one given to `main` (a test's
    `FakeClock`, shared with the fake it runs against, so that a command's one-second polls take no time)."""

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock: what commands run on unless `main` is given another."""

    monotonic = staticmethod(time.monotonic)
    sleep = staticmethod(time.sleep)
    time = staticmethod(time.time)  # last: from here on `time` in this body is this attribute


def client_for(args: argparse.Namespace) -> Client:
    """The client for a command, with its token cache, `--qps`, credentials and clock."""
    return Client(
        token_store=token_store(args), qps=qps_option(args), **clock_options(args), **client_options(args.base_url)
    )


def clock_options(args: argparse.Namespace) -> dict[str, Any]:
    """The `Client` arguments that make it read the time from, and wait on, the command's clock."""
    clock: CommandClock = args.clock
    return {"clock": clock, "sleep": clock.sleep}


def default_token_cache() -> Path:
    """Where the CLI keeps its token, so that separate runs share one instead of fetching one each."""
    return _platform.token_cache_path()


def token_store(args: argparse.Namespace) -> FileTokenStore:
    return FileTokenStore(args.token_cache or default_token_cache())


class LoginError(Pan123Error):
    """What `login` stored cannot be used (the secret is gone from the credential store, the file is damaged)."""


@dataclasses.dataclass(frozen=True)
class Stored:
    """What `login` left in the config file."""

    client_id: str
    base_url: str | None
    secret_in: str
    file_secret: str | None = dataclasses.field(default=None, repr=False)
    path: Path = dataclasses.field(default_factory=_platform.config_path)

    def secret(self) -> str:
        if self.secret_in == IN_FILE:
            assert self.file_secret is not None
            return self.file_secret
        backend, why = _platform.keyring_backend()
        if backend is None:
            raise LoginError(f"the secret was kept in the system keyring, which is not usable now ({why}): "
                             "run `pan123-oss login` again")  # fmt: skip
        value = backend.get_password(KEYRING_SERVICE, self.client_id)
        if not value:
            raise LoginError(f"the system keyring holds no secret for client ID {self.client_id} (was it removed?): "
                             "run `pan123-oss login` again")  # fmt: skip
        return str(value)


def load() -> Stored | None:
    """What `login` stored, or None if it never ran (or `logout` undid it)."""
    path = _platform.config_path()
    try:
        # It may hold the secret: a planted or shared file is refused, as the token cache and serve key are.
        text = read_private(path)
        if text is None:
            return None
        raw = json.loads(text)
    except ValueError:
        raise LoginError(f"{path} is damaged: run `pan123-oss login` again") from None
    client_id, secret_in = raw.get("client_id") if isinstance(raw, dict) else None, None
    if isinstance(raw, dict):
        secret_in = raw.get("secret_in")
    if not isinstance(client_id, str) or secret_in not in (IN_KEYRING, IN_FILE):
        raise LoginError(f"{path} is damaged: run `pan123-oss login` again")
    base_url = raw.get("base_url")
    file_secret = raw.get("client_secret")
    if secret_in == IN_FILE and not isinstance(file_secret, str):
        raise LoginError(f"{path} is damaged: run `pan123-oss login` again")
    return Stored(
        client_id=client_id,
        base_url=base_url if isinstance(base_url, str) else None,
        secret_in=secret_in,
        file_secret=file_secret if secret_in == IN_FILE else None,
        path=path,
    )


def _env_credentials() -> bool:
    return any(os.environ.get(name) for name in (ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_ACCESS_TOKEN))


def client_options(base_url: str | None) -> dict[str, Any]:
    """The `Client` arguments for a command: environment variables win; else what `login` stored."""
    options: dict[str, Any] = {"base_url": base_url}
    if _env_credentials():
        return options
    stored = load()
    if stored is None:
        return options
    options.update(client_id=stored.client_id, client_secret=stored.secret())
    if base_url is None and not os.environ.get(ENV_BASE_URL) and stored.base_url:
        options["base_url"] = stored.base_url
    return options
