"""`RedisRates`: one pacing book per client ID for a fleet of workers on many machines.

The service limits each endpoint per client ID, however many processes share it, so workers must take
their turns from one book. Each endpoint's state (when pacing began, the last cut and the rate it cut
from, the end of the last turn given out) is a Redis hash, read and written by one Lua script per
decision, so that taking a turn is atomic; the time is the Redis server's own (`TIME`), so the workers'
clocks need not agree. The scripts carry out the same rules as `Governor` (`_flows/_governor.py`) with the numbers
of the caller's `RatePolicy`, with one difference: a cut starts from the paced rate, as no worker sees how
fast the whole fleet really sent. The state expires after `ttl` seconds unused.

Why not `limits` or `pyrate-limiter`: both answer "allowed now or not" (a moving window, or GCRA that
admits within a burst), so a waiting worker must ask again and race the others for the next free moment,
and neither keeps a learned rate. Here a worker books the next turn outright and sleeps until it, so turns
go first come, first served across the fleet, and the rate learned from a `429` is shared at once.
Needs the `redis` package: `pip install 'pan123-oss[redis]'`.
"""

from __future__ import annotations

from typing import Any

from .._policy import RATES_TTL, RatePolicy

_RATE = """
local function rate(ceiling, beta, scale, min_rate, w_max, last_cut, now)
  if not last_cut then return ceiling end
  local k = (w_max * (1 - beta) / scale) ^ (1 / 3)
  local grown = scale * (now - last_cut - k) ^ 3 + w_max
  return math.max(min_rate, math.min(ceiling, grown))
end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local h = redis.call('HMGET', KEYS[1], 'paced_since', 'w_max', 'last_cut', 'next_free', 'ceiling')
local paced_since, w_max, last_cut, next_free = tonumber(h[1]), tonumber(h[2]), tonumber(h[3]), tonumber(h[4])
local ceiling, beta, scale, min_rate, margin = tonumber(h[5]) or tonumber(ARGV[1]), tonumber(ARGV[2]),
  tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local ttl, cut_interval = tonumber(ARGV[6]), tonumber(ARGV[7])
"""

_RESERVE = (
    _RATE
    + """
local paced, max_wait, after = ARGV[8], tonumber(ARGV[9]), tonumber(ARGV[10])
if not paced_since then
  if paced ~= '1' then
    if after > max_wait then return '-1' end
    return tostring(after)
  end
  paced_since = now
  redis.call('HSET', KEYS[1], 'paced_since', tostring(now), 'ceiling', tostring(ceiling))
end
local start = math.max(next_free or now, now + after)
local wait = start - now
if wait > max_wait then return '-1' end
local r = rate(ceiling, beta, scale, min_rate, w_max, last_cut, now)
redis.call('HSET', KEYS[1], 'next_free', tostring(start + 1 / (r * (1 - margin))))
redis.call('PEXPIRE', KEYS[1], ttl)
return tostring(wait)
"""
)

_THROTTLED = (
    _RATE
    + """
local age, retry_after, measured = tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
next_free = next_free or now
if not paced_since then
  ceiling = math.max(ceiling, beta * measured)
  redis.call('HSET', KEYS[1], 'paced_since', tostring(now), 'ceiling', tostring(ceiling))
  next_free = math.max(next_free, now)
elseif now - age > paced_since and (not last_cut or (now - age > last_cut and now - last_cut >= cut_interval)) then
  local refused = rate(ceiling, beta, scale, min_rate, w_max, last_cut, now)
  redis.call('HSET', KEYS[1], 'w_max', tostring(refused), 'last_cut', tostring(now))
  local cut = math.max(min_rate, refused * beta)
  next_free = math.max(next_free, now + 1 / (cut * (1 - margin)))
end
if retry_after >= 0 then next_free = math.max(next_free, now + retry_after) end
redis.call('HSET', KEYS[1], 'next_free', tostring(next_free))
redis.call('PEXPIRE', KEYS[1], ttl)
return 1
"""
)

NEVER = 1e12
"""Stands for an unbounded wait in a script's arguments (Lua's tonumber does not read "inf")."""


class RedisRates:
    """Pacing state in Redis, shared by every client that points at it with the same client ID.

    `redis` is a URL (`redis://host:6379/0`) or a ready `redis.Redis` client. Keys start with `prefix`;
    `ttl` is how long an endpoint's learned state outlives its last request. Pass it as a client's
    `shared_rates`, next to a `RedisTokenStore` for the token.
    """

    def __init__(self, redis: Any, *, prefix: str = "pan123-oss:", ttl: float = RATES_TTL) -> None:
        if isinstance(redis, str):
            try:
                import redis as redis_py
            except ImportError:
                raise ImportError("RedisRates needs the redis package: pip install 'pan123-oss[redis]'") from None
            redis = redis_py.Redis.from_url(redis)
        self._redis = redis
        self._prefix = prefix
        self._ttl_ms = max(1, int(ttl * 1000))
        self._reserve = redis.register_script(_RESERVE)
        self._throttled = redis.register_script(_THROTTLED)

    def _key(self, endpoint: str) -> str:
        return f"{self._prefix}rate:{endpoint}"

    def _policy_args(self, ceiling: float, policy: RatePolicy) -> list[Any]:
        return [ceiling, policy.beta, policy.scale, policy.min_rate, policy.margin, self._ttl_ms, policy.cut_interval]

    def reserve(
        self, endpoint: str, ceiling: float, paced: bool, policy: RatePolicy, max_wait: float, after: float = 0.0
    ) -> float | None:
        args = [*self._policy_args(ceiling, policy), "1" if paced else "0", min(max_wait, NEVER), after]
        wait = float(self._reserve(keys=[self._key(endpoint)], args=args))
        return None if wait < 0 else wait

    def throttled(
        self,
        endpoint: str,
        ceiling: float,
        policy: RatePolicy,
        age: float,
        retry_after: float | None,
        measured: float = 0.0,
    ) -> None:
        args = [*self._policy_args(ceiling, policy), age, -1 if retry_after is None else retry_after, measured]
        self._throttled(keys=[self._key(endpoint)], args=args)

    def __repr__(self) -> str:
        return f"RedisRates(prefix={self._prefix!r})"
