"""Access tokens: where they are kept, and handing out one valid token without fetching twice.

The API allows three live tokens per client ID and fetching a fourth can log the others out, so a
token is fetched rarely, shared, refreshed a few minutes before `expiredAt`, and fetched by one caller
at a time: in-process by a lock, across processes by the store's own lock (`FileTokenStore`).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol, runtime_checkable

from .. import _platform
from .._config import header_safe
from .._policy import LOCAL_LOCK_TIMEOUT, SHORT_LIVED_MARGIN
from .._private import read_private
from .._types import Token


@runtime_checkable
class TokenStore(Protocol):
    """Where tokens live between calls, keyed by client ID. Implement it to share tokens your own way."""

    def load(self, client_id: str) -> Token | None: ...

    def save(self, client_id: str, token: Token) -> None: ...

    def lock(self, client_id: str, timeout: float | None = None) -> contextlib.AbstractContextManager[None]:
        """Held around check-then-fetch, so that sharers of the store fetch one token, not one each.

        Raise TimeoutError if it cannot be had within `timeout` seconds (None: wait as long as it takes).
        """
        ...


def token_from_entry(entry: object) -> Token | None:
    """A stored `{"accessToken", "expiresAt"}` entry as a Token, or None for anything damaged or planted:
    then a fresh token is fetched rather than this one sent."""
    if not isinstance(entry, dict):
        return None
    token, expires = entry.get("accessToken"), entry.get("expiresAt")
    if not isinstance(token, str) or not header_safe(token):
        return None
    if not isinstance(expires, int | float) or isinstance(expires, bool):
        return None
    return Token(access_token=token, expires_at=float(expires))


class MemoryTokenStore:
    """The default: tokens live in this process only."""

    def __init__(self) -> None:
        self._tokens: dict[str, Token] = {}

    def load(self, client_id: str) -> Token | None:
        return self._tokens.get(client_id)

    def save(self, client_id: str, token: Token) -> None:
        self._tokens[client_id] = token

    def lock(self, client_id: str, timeout: float | None = None) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()

    def __repr__(self) -> str:
        return f"MemoryTokenStore(client_ids={sorted(self._tokens)!r})"


class FileTokenStore:
    """Tokens in a JSON file, readable only by the user as far as the OS allows, shared by every process that
    points at it.

    Writes are atomic (a temporary file renamed over the old one), so a reader never sees half a file;
    `lock` takes an exclusive lock on a side file (flock on POSIX, LockFileEx on Windows), so processes that
    start together fetch once.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock_path = self.path.with_name(self.path.name + ".lock")

    def _make_folder(self) -> None:
        try:
            _platform.make_folder(self.path.parent)
        except OSError as exc:  # the same error type, saying which setting is wrong
            raise OSError(exc.errno, f"the token cache {self.path} cannot be used ({exc.strerror})") from None

    def _read(self) -> dict[str, dict[str, object]]:
        try:
            text = read_private(self.path)  # a planted or shared file is refused, not sent as our token
            raw = json.loads(text) if text is not None else {}
        except ValueError:
            return {}
        return raw if isinstance(raw, dict) else {}

    def load(self, client_id: str) -> Token | None:
        return token_from_entry(self._read().get(client_id))

    def save(self, client_id: str, token: Token) -> None:
        self._make_folder()
        entries = self._read()
        entries[client_id] = {"accessToken": token.access_token, "expiresAt": token.expires_at}
        _platform.write_private(self.path, json.dumps(entries))

    def forget(self, client_id: str) -> int:
        """Drop every token of `client_id` (for any service); how many were dropped."""
        with self.lock(client_id, timeout=LOCAL_LOCK_TIMEOUT):
            entries = self._read()
            kept = {key: entry for key, entry in entries.items() if key.split(" ")[0] != client_id}
            if len(kept) != len(entries):
                _platform.write_private(self.path, json.dumps(kept))
        return len(entries) - len(kept)

    @contextlib.contextmanager
    def lock(self, client_id: str, timeout: float | None = None) -> Iterator[None]:
        self._make_folder()
        with _platform.file_lock(self._lock_path, timeout):
            yield

    def __repr__(self) -> str:
        return f"FileTokenStore({str(self.path)!r})"


class Tokens:
    """The token state of one client: static, or fetched with client credentials, cached and refreshed.

    No I/O happens here besides the store's own: the drivers hold the in-process lock around
    check-store-then-fetch (`_async/_client.py`, written once), so callers that find no usable token
    queue behind one fetch and then find the token it got.
    """

    def __init__(
        self,
        *,
        static: str | None,
        client_id: str | None,
        store: TokenStore,
        wall_clock: Callable[[], float],
        refresh_margin: float,
        scope: str,
    ) -> None:
        self._static = static
        self.key = None if client_id is None else f"{client_id} {scope}"
        """The store key: a token is good only for the service (base URL) it came from."""
        self.store = store
        self._wall_clock = wall_clock
        self._margin = refresh_margin
        self._cached: Token | None = None
        self._short_lived: str | None = None
        self.fetches = 0

    @property
    def can_refresh(self) -> bool:
        return self._static is None

    def describe(self, access_token: str) -> Token:
        cached = self._cached
        if cached is not None and cached.access_token == access_token:
            return cached
        return Token(access_token=access_token, expires_at=math.inf)

    def ready(self, stale: str | None) -> str | None:
        """The static token, or the cached one while usable: the lock-free path of every call."""
        if self._static is not None:
            return self._static
        token = self._usable(self._cached, stale)
        return token.access_token if token is not None else None

    def _usable(self, token: Token | None, stale: str | None) -> Token | None:
        if token is None or token.access_token == stale:
            return None
        # A token that came with less life than the margin is kept until just before it expires: a fresh
        # one would be no better, and fetching before every call logs other sessions out (3 live tokens).
        margin = SHORT_LIVED_MARGIN if token.access_token == self._short_lived else self._margin
        return token if self._wall_clock() < token.expires_at - margin else None

    def from_store(self, stale: str | None) -> str | None:
        """A usable token another caller or process saved, made the cached one; None: fetch."""
        assert self.key is not None
        token = self._usable(self.store.load(self.key), stale)
        if token is not None:
            self._cached = token
        return token.access_token if token is not None else None

    def keep(self, token: Token) -> str:
        """Save a freshly fetched token (blocking: the file store fsyncs)."""
        assert self.key is not None
        self.fetches += 1
        if token.expires_at - self._wall_clock() <= self._margin:
            self._short_lived = token.access_token
        self.store.save(self.key, token)
        self._cached = token
        return token.access_token
