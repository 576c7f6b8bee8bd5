"""`pan123-oss login`, `logout` and `doctor`: credentials set up once, kept out of command lines.

`login` checks a client ID and secret with one token request, then keeps the secret in the OS credential
store through `keyring` (Windows Credential Manager, macOS Keychain, Secret Service) when one works, else in
a user-only config file, and says which. The config file (`config.json` in the user config folder) names the
client ID, the base URL if not the real service's, and where the secret is. Environment variables override
all of it, so CI and scripts keep working as before. Reading what `login` stored is `_client.py`'s, since every
command does it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import getpass
import json
import math
import os
import sys
from typing import Any, TextIO

from .. import _platform
from .._config import (
    DEFAULT_BASE_URL,
    ENV_ACCESS_TOKEN,
    ENV_BASE_URL,
    ENV_CLIENT_ID,
    ENV_CLIENT_SECRET,
    resolve,
)
from .._errors import AuthError, Pan123Error, printable
from .._sync._client import Client
from ._client import IN_FILE, IN_KEYRING, KEYRING_SERVICE, LoginError, client_options, clock_options, load, token_store
from ._output import EXIT_AUTH, EXIT_FAILURE, EXIT_OK, EXIT_USAGE


def add_parsers(sub: Any, common: argparse.ArgumentParser, service: argparse.ArgumentParser) -> None:
    cmd = sub.add_parser(
        "login", parents=[common, service], help="check a client ID and secret once and keep them for every command",
        description="Asks for the client ID and secret (the secret is not shown; piped input is read a line "
        "each), checks them with one token request, and keeps the secret in the system keyring, or, where "
        "there is none, in a config file only you can read. Says which.",
    )  # fmt: skip
    cmd.add_argument("--client-id", help="the client ID (default: asked)")
    cmd.add_argument(
        "--store", choices=["auto", IN_KEYRING, IN_FILE], default="auto",
        help="where the secret goes: the keyring if one works (auto, the default), the keyring or fail, or the file",
    )  # fmt: skip
    cmd.set_defaults(run=login_command)
    sub.add_parser(
        "logout", parents=[common, service], help="forget what login kept: the secret, settings, token"
    ).set_defaults(run=logout_command)
    sub.add_parser(
        "doctor", parents=[common, service], help="show where each setting comes from and test the token"
    ).set_defaults(run=doctor_command)


def login_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    client_id = args.client_id or _ask("123pan client ID: ", err, secret=False)
    secret = _ask("123pan client secret (not shown): ", err, secret=True)
    settings = resolve(access_token=None, client_id=client_id, client_secret=secret, base_url=args.base_url,
                       timeout=30.0)  # fmt: skip
    assert settings.client_id is not None
    client_id = settings.client_id
    cache = token_store(args)
    cache.forget(client_id)  # a token cached for an old secret would let a wrong new one pass the check
    with Client(client_id=client_id, client_secret=secret, base_url=settings.base_url, token_store=cache,
                **clock_options(args)) as client:  # fmt: skip
        token = client.token_info()  # one token request; it stays cached for the next command
    where, config = _store_secret(client_id, secret, args.store)
    record: dict[str, str] = {"client_id": client_id, "secret_in": IN_KEYRING if config is None else IN_FILE}
    if settings.base_url != DEFAULT_BASE_URL:
        record["base_url"] = settings.base_url
    if config is not None:
        record["client_secret"] = config
    path = _platform.config_path()
    protection = _platform.write_private(path, json.dumps(record, indent=2) + "\n")
    out.write(f"Logged in: client ID {printable(client_id)} got a token from {settings.base_url} "
              f"({_expiry(token.expires_at)}).\n")  # fmt: skip
    out.write(f"The secret is kept in {where}.\n" if config is None else f"The secret is kept in {path}: {where}.\n")
    out.write(f"Settings: {path} ({protection}). Token cache: {cache.path}.\n")
    out.write("Commands now need no environment variables; PAN123_CLIENT_ID and PAN123_CLIENT_SECRET still "
              "override these.\n")  # fmt: skip
    return EXIT_OK


def logout_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    path = _platform.config_path()
    try:
        stored = load()
    except LoginError:
        stored = None  # a damaged file is removed all the same
    done: list[str] = []
    if stored is not None and stored.secret_in == IN_KEYRING:
        backend, why = _platform.keyring_backend()
        if backend is None:
            err.write(f"pan123-oss: the secret may still be in the system keyring ({why})\n")
        else:
            with contextlib.suppress(Exception):  # already gone: nothing to remove
                backend.delete_password(KEYRING_SERVICE, stored.client_id)
                done.append(f"the secret from {why}")
    if path.exists():
        path.unlink()
        done.append(f"{path}" + (" (with the secret in it)" if stored and stored.secret_in == IN_FILE else ""))
    if stored is not None:
        dropped = token_store(args).forget(stored.client_id)
        if dropped:
            done.append(f"{dropped} cached token{'s' if dropped > 1 else ''} from {token_store(args).path}")
    out.write("Removed: " + "; ".join(done) + ".\n" if done else "Not logged in: nothing to remove.\n")
    return EXIT_OK


def doctor_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Where every setting comes from, whether a token can be had, and the paths in use; never a secret."""
    from .. import __version__

    rows: list[tuple[str, str]] = [("pan123-oss", f"{__version__} on Python {sys.version.split()[0]} ({sys.platform})")]
    problem: str | None = None
    try:
        stored = load()
    except LoginError as exc:
        stored, problem = None, str(exc)
    config = _platform.config_path()
    env = os.environ
    if env.get(ENV_ACCESS_TOKEN) and not (env.get(ENV_CLIENT_ID) or env.get(ENV_CLIENT_SECRET)):
        rows.append(("credentials", f"a fixed access token from ${ENV_ACCESS_TOKEN} (set, not shown)"))
    elif env.get(ENV_CLIENT_ID) or env.get(ENV_CLIENT_SECRET):
        rows.append(("client ID", f"{env.get(ENV_CLIENT_ID, '(not set)')} from ${ENV_CLIENT_ID}"))
        rows.append(("client secret", f"{'set' if env.get(ENV_CLIENT_SECRET) else 'NOT set'} in ${ENV_CLIENT_SECRET}"))
    elif stored is not None:
        rows.append(("client ID", f"{stored.client_id} from {config}"))
        if stored.secret_in == IN_FILE:
            rows.append(("client secret", f"set, in {config}"))
        else:
            backend, described = _platform.keyring_backend()
            rows.append(("client secret", f"in {described}" if backend else f"in the keyring, NOT usable: {described}"))
    else:
        rows.append(("credentials", "none: run `pan123-oss login`, or set PAN123_CLIENT_ID and PAN123_CLIENT_SECRET"))
    if args.base_url:
        base = f"{args.base_url} from --base-url"
    elif env.get(ENV_BASE_URL):
        base = f"{env[ENV_BASE_URL]} from ${ENV_BASE_URL}"
    elif stored is not None and stored.base_url:
        base = f"{stored.base_url} from {config}"
    else:
        base = f"{DEFAULT_BASE_URL} (the default)"
    rows.append(("base URL", base))
    rows.append(("config file", f"{config} ({'present' if config.exists() else 'absent'})"))
    cache = token_store(args).path
    cache_from = "--token-cache" if args.token_cache else (
        f"${_platform.ENV_TOKEN_CACHE}" if env.get(_platform.ENV_TOKEN_CACHE) else "the default"
    )  # fmt: skip
    rows.append(("token cache", f"{cache} ({cache_from})"))
    rows.append(("serve key file", str(_platform.serve_key_path())))
    rows.append(("keyring", _platform.keyring_backend()[1]))
    code = EXIT_OK
    if problem is None:
        try:
            options = {**clock_options(args), **client_options(args.base_url)}
            with Client(token_store=token_store(args), **options) as client:
                before = client.token_fetches
                token = client.token_info()
                how = "fetched now" if client.token_fetches > before else "cached"
            rows.append(("token", f"works ({how}, {_expiry(token.expires_at)})"))
        except (ValueError, OSError, Pan123Error) as exc:
            problem = str(exc)
            code = (
                EXIT_AUTH if isinstance(exc, AuthError | LoginError)
                else EXIT_USAGE if isinstance(exc, ValueError)
                else EXIT_FAILURE
            )  # fmt: skip
    if problem is not None:
        rows.append(("token", f"does NOT work: {problem}"))
        code = code or EXIT_AUTH
    width = max(len(name) for name, _ in rows) + 2
    out.write("".join(f"{name + ':':{width}}{printable(value, limit=None)}\n" for name, value in rows))
    return code


def _ask(prompt: str, err: TextIO, *, secret: bool) -> str:
    """One answer: typed at a terminal (a secret is not echoed), or one line of piped input (for scripts)."""
    if sys.stdin is not None and sys.stdin.isatty():
        if secret:
            return getpass.getpass(prompt, stream=err)
        err.write(prompt)
        err.flush()
        return input()
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line:
        raise ValueError(f"no input for {prompt.strip().rstrip(':')} (stdin ended)")
    return line.rstrip("\r\n")


def _store_secret(client_id: str, secret: str, store: str) -> tuple[str, str | None]:
    """Keep the secret in the keyring if asked or possible: (where it went, the secret for the config file or
    None)."""
    if store in ("auto", IN_KEYRING):
        backend, described = _platform.keyring_backend()
        if backend is not None:
            try:
                backend.set_password(KEYRING_SERVICE, client_id, secret)
                return described, None
            except Exception as exc:  # keyring.errors.KeyringError, or a backend's own (a locked store)
                why = f"the system keyring refused it ({type(exc).__name__})"
        else:
            why = described
        if store == IN_KEYRING:
            raise LoginError(f"--store keyring: {why}")
        return f"not in a keyring, because {why}", secret
    return "not in a keyring, as --store file asked", secret


def _expiry(expires_at: float) -> str:
    if math.isinf(expires_at):
        return "no expiry known"
    return "expires " + datetime.datetime.fromtimestamp(expires_at, datetime.UTC).isoformat(timespec="seconds")
