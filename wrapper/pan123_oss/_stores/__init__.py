"""State that outlives one call: where access tokens are kept and shared, and the shared book of rates.

`_tokens` hands out one valid token per client without fetching twice (in memory or in a locked file that
processes share); `_redis_tokens` and `_redis_rates` share the token and the pacing of every endpoint with
workers on other machines (the `redis` extra).
"""
