"""`RedisTokenStore`: one token shared by a fleet of workers on many machines.

123pan allows three live tokens per client ID, and a fourth logs another session out, so workers on
several machines must share one token and one fetch. The token lives in Redis (expiring with itself),
and the fetch lock is a Redis lock that expires on its own, so a worker that dies while fetching cannot
block the others for longer than `lock_ttl`. Needs the `redis` package: `pip install 'pan123-oss[redis]'`.

Redis trouble is the client's trouble, in the client's terms: a failing or silent Redis is a `TransportError`
(each call bounded by `STORE_IO_TIMEOUT`, not retried), the lock is given up when the caller's time is (a
`TimeoutError`, which the client turns into its own deadline error), and a key of the wrong type in the token's
or the lock's place (which would fail every call, or hold the lock forever) is replaced.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from .._errors import TransportError
from .._policy import STORE_IO_TIMEOUT, STORE_LOCK_RETRY, TOKEN_LOCK_TTL
from .._types import Token
from ._tokens import token_from_entry

T = TypeVar("T")


class RedisTokenStore:
    """Tokens and the fetch lock in Redis, shared by every process on every machine that points at it.

    `redis` is a URL (`redis://host:6379/0`), connected with `io_timeout` and no retries; or a ready `redis.Redis`
    client, used with its own settings. Keys start with `prefix`.
    """

    def __init__(
        self,
        redis: Any,
        *,
        prefix: str = "pan123-oss:",
        lock_ttl: float = TOKEN_LOCK_TTL,
        io_timeout: float = STORE_IO_TIMEOUT,
    ) -> None:
        redis_py = _redis_module()
        if isinstance(redis, str):
            if redis_py is None:
                raise ImportError("RedisTokenStore needs the redis package: pip install 'pan123-oss[redis]'")
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            redis = redis_py.Redis.from_url(
                redis, socket_timeout=io_timeout, socket_connect_timeout=io_timeout, retry=Retry(NoBackoff(), 0)
            )
        self._redis = redis
        self._prefix = prefix
        self._lock_ttl = lock_ttl
        self._failures: tuple[type[BaseException], ...] = (redis_py.RedisError,) if redis_py else ()

    def _key(self, kind: str, client_id: str) -> str:
        return f"{self._prefix}{kind}:{client_id}"

    def _do(self, what: str, call: Callable[[], T]) -> T:
        try:
            return call()
        except self._failures as exc:
            raise TransportError(f"the token store in Redis failed {what}: {type(exc).__name__}: {exc}") from None

    def load(self, client_id: str) -> Token | None:
        key = self._key("token", client_id)
        try:
            raw = self._do("reading the token", lambda: self._redis.get(key))
        except TransportError as exc:
            if "WRONGTYPE" in str(exc):
                return None  # not a token of ours: fetch one, and `save` puts it in that key's place
            raise
        if raw is None:
            return None
        try:
            return token_from_entry(json.loads(raw))
        except ValueError:
            return None

    def save(self, client_id: str, token: Token) -> None:
        entry = json.dumps({"accessToken": token.access_token, "expiresAt": token.expires_at})
        ttl = token.expires_at - time.time()
        if ttl > 0:  # an expired token is not worth sharing; SET replaces a key of any type
            key = self._key("token", client_id)
            self._do("saving the token", lambda: self._redis.set(key, entry, px=max(1, int(ttl * 1000))))

    @contextlib.contextmanager
    def lock(self, client_id: str, timeout: float | None = None) -> Iterator[None]:
        name = self._key("lock", client_id)
        lock = self._redis.lock(name, timeout=self._lock_ttl)
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise TimeoutError("another worker held the token lock in Redis")
            if _within(left, lambda: self._do("taking the lock", lambda: lock.acquire(blocking=False))):
                break
            _within(left, lambda: self._do("checking the lock", lambda: self._clear_foreign(name)))
            time.sleep(STORE_LOCK_RETRY if deadline is None else max(0.0, min(STORE_LOCK_RETRY, left or 0.0)))
        try:
            yield
        finally:
            # It may have expired meanwhile (and someone else may hold it now): nothing to release then.
            with contextlib.suppress(Exception):
                lock.release()

    def _clear_foreign(self, name: str) -> None:
        """Delete what holds the lock's place if no lock of ours could be it: a key of another type, or one that
        never expires (ours always do). Left there, every worker would wait for it forever."""
        kind = self._redis.type(name)
        kind = kind.decode() if isinstance(kind, bytes) else str(kind)
        if kind == "none":
            return
        if kind != "string" or self._redis.pttl(name) == -1:
            self._redis.delete(name)

    def __repr__(self) -> str:
        return f"RedisTokenStore(prefix={self._prefix!r})"


def _redis_module() -> Any:
    """redis-py, or None where it is not installed (a ready client of another kind may still be given)."""
    try:
        import redis
    except ImportError:
        return None
    return redis


def _within(seconds: float | None, call: Callable[[], T]) -> T:
    """`call()`, but the caller gets control back after `seconds` (None: no bound) with a TimeoutError, however
    long the call blocks; the call itself ends on its own socket timeout, on a daemon thread."""
    if seconds is None:
        return call()
    outcome: list[tuple[bool, Any]] = []
    done = threading.Event()

    def run() -> None:
        try:
            outcome.append((True, call()))
        except BaseException as exc:  # handed to the caller below
            outcome.append((False, exc))
        finally:
            done.set()

    threading.Thread(target=run, name="pan123-oss-redis", daemon=True).start()
    if not done.wait(seconds):
        raise TimeoutError("the deadline came while waiting for Redis")
    ok, value = outcome[0]
    if ok:
        return value  # type: ignore[no-any-return]
    raise value
