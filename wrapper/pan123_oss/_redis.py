"""`RedisTokenStore`: one token shared by a fleet of workers on many machines.

123pan allows three live tokens per client ID, and a fourth logs another session out, so workers on
several machines must share one token and one fetch. The token lives in Redis (expiring with itself),
and the fetch lock is a Redis lock that expires on its own, so a worker that dies while fetching cannot
block the others for longer than `lock_ttl`. Needs the `redis` package: `pip install 'pan123-oss[redis]'`.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from typing import Any

from ._tokens import token_from_entry
from ._types import Token


class RedisTokenStore:
    """Tokens and the fetch lock in Redis, shared by every process on every machine that points at it.

    `redis` is a URL (`redis://host:6379/0`) or a ready `redis.Redis` client. Keys start with `prefix`.
    """

    def __init__(self, redis: Any, *, prefix: str = "pan123-oss:", lock_ttl: float = 30.0) -> None:
        if isinstance(redis, str):
            try:
                import redis as redis_py
            except ImportError:
                raise ImportError("RedisTokenStore needs the redis package: pip install 'pan123-oss[redis]'") from None
            redis = redis_py.Redis.from_url(redis)
        self._redis = redis
        self._prefix = prefix
        self._lock_ttl = lock_ttl

    def _key(self, kind: str, client_id: str) -> str:
        return f"{self._prefix}{kind}:{client_id}"

    def load(self, client_id: str) -> Token | None:
        raw = self._redis.get(self._key("token", client_id))
        if raw is None:
            return None
        try:
            return token_from_entry(json.loads(raw))
        except ValueError:
            return None

    def save(self, client_id: str, token: Token) -> None:
        entry = json.dumps({"accessToken": token.access_token, "expiresAt": token.expires_at})
        ttl = token.expires_at - time.time()
        if ttl > 0:  # an expired token is not worth sharing
            self._redis.set(self._key("token", client_id), entry, px=max(1, int(ttl * 1000)))

    @contextlib.contextmanager
    def lock(self, client_id: str, timeout: float | None = None) -> Iterator[None]:
        lock = self._redis.lock(self._key("lock", client_id), timeout=self._lock_ttl, blocking_timeout=timeout)
        if not lock.acquire():
            raise TimeoutError("another worker held the token lock in Redis")
        try:
            yield
        finally:
            # It may have expired meanwhile (and someone else may hold it now): nothing to release then.
            with contextlib.suppress(Exception):
                lock.release()

    def __repr__(self) -> str:
        return f"RedisTokenStore(prefix={self._prefix!r})"
