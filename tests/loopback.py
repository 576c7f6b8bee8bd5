"""Requests from a test to its own servers on 127.0.0.1, made as `httpx.get`, `httpx.post`... make them (a new
client and connection for each), but with the TLS context the package's clients share.

httpx builds a TLS context for every client it makes, loading the system's certificates (~20 ms of CPU), even
for a plain-HTTP URL: the suite's hundred-odd such requests spent 2.4 s of CPU on contexts never used.
"""

from __future__ import annotations

from typing import Any

import httpx

from pan123_oss._client_base import _ssl_context

TLS = _ssl_context()


def request(method: str, url: str, **kwargs: Any) -> httpx.Response:
    return httpx.request(method, url, verify=TLS, **kwargs)


def get(url: str, **kwargs: Any) -> httpx.Response:
    return request("GET", url, **kwargs)


def post(url: str, **kwargs: Any) -> httpx.Response:
    return request("POST", url, **kwargs)


def options(url: str, **kwargs: Any) -> httpx.Response:
    return request("OPTIONS", url, **kwargs)


def client(base_url: str, **kwargs: Any) -> httpx.Client:
    """A client for several requests to one server."""
    return httpx.Client(base_url=base_url, verify=TLS, **kwargs)
