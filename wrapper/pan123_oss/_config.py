"""Checking and resolving a client's settings before anything touches the network."""

from __future__ import annotations

import dataclasses
import math
import os
import re
from collections.abc import Mapping

import httpx

from ._policy import MAX_SECONDS

DEFAULT_BASE_URL = "https://open-api.123pan.com"
ENV_ACCESS_TOKEN = "PAN123_ACCESS_TOKEN"
ENV_CLIENT_ID = "PAN123_CLIENT_ID"
ENV_CLIENT_SECRET = "PAN123_CLIENT_SECRET"
ENV_BASE_URL = "PAN123_BASE_URL"


class Secret:
    """A string that never shows itself in a repr, str or log line."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


@dataclasses.dataclass(frozen=True, slots=True)
class Settings:
    base_url: str
    timeout: float
    access_token: Secret | None
    client_id: str | None
    client_secret: Secret | None


def _text(name: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string")
    return value.strip()


HEADER_SAFE = re.compile(r"[\x21-\x7e]+")
"""What a bearer token may be: visible ASCII, so it cannot break or inject into an HTTP header."""


def check_seconds(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite, positive number of seconds, got {value!r}")
    if value > MAX_SECONDS:
        raise ValueError(f"{name} must be at most {MAX_SECONDS} seconds (30 days), got {value!r}")
    return float(value)


def check_whole(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value!r}")
    return value


def header_safe(token: str) -> bool:
    return HEADER_SAFE.fullmatch(token) is not None


def check_preupload_id(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"preupload_id must be a string, got {type(value).__name__}")
    if not value.strip():
        raise ValueError("preupload_id must not be empty or blank")
    return value


def resolve(
    *,
    access_token: str | None,
    client_id: str | None,
    client_secret: str | None,
    base_url: str | None,
    timeout: float,
    environ: Mapping[str, str] = os.environ,
) -> Settings:
    """Explicit arguments win over the environment; a token or both credentials are required."""
    token = _text("access_token", access_token)
    cid = _text("client_id", client_id)
    secret = _text("client_secret", client_secret)
    if token is not None and (cid or secret):
        raise ValueError("pass either access_token or client_id and client_secret, not both")
    if token is None and cid is None and secret is None:
        cid = _text(ENV_CLIENT_ID, environ.get(ENV_CLIENT_ID) or None)
        secret = _text(ENV_CLIENT_SECRET, environ.get(ENV_CLIENT_SECRET) or None)
        if cid is None and secret is None:
            token = _text(ENV_ACCESS_TOKEN, environ.get(ENV_ACCESS_TOKEN) or None)
    if token is None and (cid is None or secret is None):
        if cid is not None or secret is not None:
            raise ValueError("client_id and client_secret must be given together")
        raise ValueError(
            "no credentials: pass access_token, or client_id and client_secret "
            f"(or set {ENV_ACCESS_TOKEN}, or {ENV_CLIENT_ID} and {ENV_CLIENT_SECRET})"
        )
    if token is not None and not header_safe(token):
        # Never echo it: a token is a secret, and this one may hold a newline that would break the line.
        raise ValueError("access_token holds characters an HTTP header cannot carry (spaces, newlines, non-ASCII)")
    if base_url is None and ENV_BASE_URL in environ and not environ[ENV_BASE_URL].strip():
        raise ValueError(f"{ENV_BASE_URL} is set but empty: unset it to use {DEFAULT_BASE_URL}, or give a URL")
    url = _text("base_url", base_url) or _text(ENV_BASE_URL, environ.get(ENV_BASE_URL) or None) or DEFAULT_BASE_URL
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ValueError(f"base_url is not a valid URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValueError(f"base_url must be an http:// or https:// URL with a host, got {url!r}")
    if parsed.query or parsed.fragment:
        raise ValueError(f"base_url must not have a query or fragment (a path prefix is fine), got {url!r}")
    return Settings(
        base_url=url.rstrip("/"),
        timeout=check_seconds("timeout", timeout),
        access_token=Secret(token) if token is not None else None,
        client_id=cid,
        client_secret=Secret(secret) if secret is not None else None,
    )
