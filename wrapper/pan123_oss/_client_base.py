"""What both clients share: settings, the operations they build, and the bearer auth of `client.raw`.

The drivers are `_async._client.AsyncClient`, written by hand, and `_sync._client.Client`, generated from it
by `tools/unasync.py` (drift-checked by `nox -s generated`), so the two cannot differ except in how they
wait, lock and run work in parallel (`_backend.py`).
"""

from __future__ import annotations

import datetime
import functools
import math
import time
from collections.abc import AsyncGenerator, Callable, Generator, Mapping
from typing import Any, Protocol, TypedDict, TypeVar

import httpx

from pan123_oss_api import AuthenticatedClient
from pan123_oss_api.models import AccessTokenBody, AsyncResultBody

from ._config import Settings, check_preupload_id, check_seconds, check_whole, resolve
from ._flows import _call, _effects, _files, _migration, _upload
from ._flows._governor import Governor, SharedRates, check_qps
from ._flows._replies import BEING_VERIFIED, parse_async_result, parse_token
from ._flows._schema import path_of
from ._policy import (
    MAX_CONNECTIONS,
    MAX_CONNECTIONS_LIMIT,
    MAX_UPLOAD_CONCURRENCY,
    REFRESH_MARGIN,
    REQUEST_TIMEOUT,
    UPLOAD_CONCURRENCY,
    PollPolicy,
    RatePolicy,
    RetryPolicy,
)
from ._source import Source, check_filename
from ._stores._tokens import MemoryTokenStore, Tokens, TokenStore
from ._types import AsyncResult, FileInfo, OnPoll, OnProgress, Token, UploadResult

T = TypeVar("T")

TOKEN_PATH = path_of("getAccessToken")


class Clock(Protocol):
    """Where the client reads time: `monotonic` for waits and deadlines, `time` for token expiry."""

    def monotonic(self) -> float: ...

    def time(self) -> float: ...


class _SystemClock:
    monotonic = staticmethod(time.monotonic)
    time = staticmethod(time.time)


class _BearerAuth(httpx.Auth):
    """Adds the managed token to requests made through `client.raw`, the generated-client escape hatch."""

    def __init__(self, get: Callable[[], Any]) -> None:
        self._get = get  # returns the token (Client) or an awaitable of it (AsyncClient)

    @staticmethod
    def _wants_token(request: httpx.Request) -> bool:
        return "Authorization" not in request.headers and not request.url.path.endswith(TOKEN_PATH)

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._wants_token(request):
            request.headers["Authorization"] = f"Bearer {self._get()}"
        yield request

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self._wants_token(request):
            request.headers["Authorization"] = f"Bearer {await self._get()}"
        yield request


class Options(TypedDict, total=False):
    """Keyword arguments both clients accept (besides `transport` and `sleep`, which differ by kind)."""

    client_id: str | None
    client_secret: str | None
    base_url: str | None
    timeout: float
    token_store: TokenStore | None
    poll_policy: PollPolicy | None
    retry_policy: RetryPolicy | None
    refresh_margin: float
    clock: Clock | None
    max_connections: int
    qps: Mapping[str, float] | None
    rate_policy: RatePolicy | None
    shared_rates: SharedRates | None


class _Base:
    """Settings, operations and repr shared by both clients; no I/O here."""

    def __init__(
        self,
        access_token: str | None = None,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        base_url: str | None = None,
        timeout: float = REQUEST_TIMEOUT,
        token_store: TokenStore | None = None,
        poll_policy: PollPolicy | None = None,
        retry_policy: RetryPolicy | None = None,
        refresh_margin: float = REFRESH_MARGIN,
        clock: Clock | None = None,
        max_connections: int = MAX_CONNECTIONS,
        qps: Mapping[str, float] | None = None,
        rate_policy: RatePolicy | None = None,
        shared_rates: SharedRates | None = None,
    ) -> None:
        if rate_policy is not None and not isinstance(rate_policy, RatePolicy):
            raise TypeError("rate_policy must be a RatePolicy")
        if shared_rates is not None and not isinstance(shared_rates, SharedRates):
            raise TypeError("shared_rates must have reserve() and throttled() methods (e.g. RedisRates)")
        rate_policy = rate_policy or RatePolicy()
        overrides = check_qps(qps)
        self._max_connections = check_whole("max_connections", max_connections, 1, MAX_CONNECTIONS_LIMIT)
        self._settings: Settings = resolve(
            access_token=access_token,
            client_id=client_id,
            client_secret=client_secret,
            base_url=base_url,
            timeout=timeout,
        )
        if token_store is not None and not isinstance(token_store, TokenStore):
            raise TypeError("token_store must have load(), save() and lock() methods")
        check_seconds("refresh_margin", refresh_margin)
        clock = clock or _SystemClock()
        static = self._settings.access_token
        self._tokens = Tokens(
            static=static.reveal() if static is not None else None,
            client_id=self._settings.client_id,
            store=token_store or MemoryTokenStore(),
            wall_clock=clock.time,
            refresh_margin=refresh_margin,
            scope=self._settings.base_url,
        )
        scope = self._tokens.key or f"static-token {self._settings.base_url}"
        self._governor = Governor(overrides=overrides, policy=rate_policy, shared=shared_rates, scope=scope)
        self._ctx = _call.Context(
            clock=clock.monotonic,
            request_timeout=self._settings.timeout,
            can_refresh=self._tokens.can_refresh,
            poll=poll_policy or PollPolicy(),
            retry=retry_policy or RetryPolicy(),
            rate=rate_policy,
        )
        self._slice_sizes: dict[str, int] = {}
        self._unfinished: dict[str, str] = {}
        self._folders = _files.Folders()
        self.raw = AuthenticatedClient(base_url=self._settings.base_url, token="")
        """The generated client (`pan123_oss_api`), sharing this client's connections and token."""

    def _time_left(self, deadline: float) -> float | None:
        return None if math.isinf(deadline) else deadline - self._ctx.clock()

    @property
    def base_url(self) -> str:
        return self._settings.base_url

    def slice_size_of(self, preupload_id: str) -> int | None:
        """The `sliceSize` the service gave an upload this client created, if it did."""
        return self._slice_sizes.get(preupload_id)

    def unfinished_uploads(self) -> dict[str, str]:
        """Uploads this client started that have not finished (interrupted, failed or still running):
        preupload ID -> file name. Pass one to `resume_upload` with the same file to continue it."""
        return dict(self._unfinished)

    @property
    def throttled_requests(self) -> int:
        """How many requests the service refused as too many (`429`); each was sent again at its next turn."""
        return self._governor.throttled

    @property
    def api_requests(self) -> int:
        """How many API replies this client has had (throttled ones included; slice PUTs not)."""
        return self._governor.requests

    def rate_limit_waits(self) -> dict[str, float]:
        """Endpoints whose requests are waiting for their turn under the rate limit right now: path -> seconds
        until the last turn handed out. Empty while nothing waits."""
        return self._governor.waiting(self._ctx.clock())

    @property
    def token_fetches(self) -> int:
        """How many tokens this client has fetched from the token endpoint."""
        return self._tokens.fetches

    def __repr__(self) -> str:
        auth = "static token" if self._settings.access_token else f"client_id={self._settings.client_id!r}"
        return f"{type(self).__name__}(base_url={self.base_url!r}, {auth})"

    def _token_op(self) -> _call.Operation[Token]:
        creds = self._settings
        assert creds.client_id is not None and creds.client_secret is not None
        body = AccessTokenBody(client_id=creds.client_id, client_secret=creds.client_secret.reveal())
        return _call.Operation(_effects.request_for("getAccessToken", body), parse_token, authenticated=False)

    def _poll_op(self, preupload_id: object) -> _call.Operation[AsyncResult]:
        pid = check_preupload_id(preupload_id)
        request = _effects.request_for("uploadAsyncResult", AsyncResultBody(preupload_id=pid))
        return _call.Operation(
            request,
            parse_async_result,
            preupload_id=pid,
            gated=True,
            accepted_codes=frozenset({BEING_VERIFIED}),
        )

    def _upload_steps(
        self,
        source: object,
        *,
        preupload_id: object = None,
        parent_id: object = "",
        filename: object = None,
        slice_size: object = None,
        timeout: object = None,
        on_progress: OnProgress | None = None,
        concurrency: object = UPLOAD_CONCURRENCY,
        folder: object = None,
        link: object = True,
    ) -> _effects.Steps[UploadResult]:
        """Check every argument, open the source, and build the flow; nothing is sent yet."""
        if not isinstance(parent_id, str):
            raise ValueError('parent_id must be a string (folder IDs are strings; the root is "")')
        if folder is not None and parent_id:
            raise ValueError("pass folder (a path) or parent_id (a folder ID), not both")
        names = _files.split_path(folder) if folder is not None else None
        if not isinstance(link, bool):
            raise ValueError(f"link must be True or False, got {link!r}")
        lanes = check_whole("concurrency", concurrency, 1, MAX_UPLOAD_CONCURRENCY)
        if slice_size is not None and (
            isinstance(slice_size, bool) or not isinstance(slice_size, int) or slice_size < 1
        ):
            raise ValueError(f"slice_size must be a positive whole number of bytes, got {slice_size!r}")
        if on_progress is not None and not callable(on_progress):
            raise TypeError("on_progress must be callable")
        pid = check_preupload_id(preupload_id) if preupload_id is not None else None
        deadline = math.inf if timeout is None else self._ctx.clock() + check_seconds("timeout", timeout)
        opened = Source(source)  # type: ignore[arg-type]  # Source checks the type itself
        try:
            if filename is None and opened.name is None:
                raise ValueError("pass filename: the file object has no name to use")
            job = _upload.Job(
                ctx=self._ctx,
                source=opened,
                filename=check_filename(filename if filename is not None else opened.name),
                deadline=deadline,
                concurrency=lanes,
                progress=_upload.Progress(opened.size, on_progress),
                make_poll=self._poll_op,
                slice_sizes=self._slice_sizes,
                unfinished=self._unfinished,
            )
        except BaseException:
            opened.close()
            raise
        flow: _effects.Steps[UploadResult]
        if pid is not None:
            flow = _upload.resume(job, pid, slice_size)
        elif names:
            flow = _files.into_folder(
                self._ctx, self._folders, names, deadline, lambda parent: _upload.upload(job, parent)
            )
        else:
            flow = _upload.upload(job, parent_id)
        if link:
            flow = _files.with_link(self._ctx, flow, deadline)
        return closing(flow, opened)

    def _wait_steps(self, preupload_id: object, timeout: float, on_poll: OnPoll | None) -> _effects.Steps[str]:
        op = self._poll_op(preupload_id)
        timeout = check_seconds("timeout", timeout)
        if on_poll is not None and not callable(on_poll):
            raise TypeError("on_poll must be callable")
        return _call.wait(self._ctx, op, timeout=timeout, on_poll=on_poll)

    def _file_info_steps(self, file_id: object) -> _effects.Steps[FileInfo]:
        return _call.call(self._ctx, _files.FileCalls.detail(_files.check_file_id(file_id)))

    def _make_folders_steps(self, path: object) -> _effects.Steps[str]:
        return _files.folder_of(self._folders, _files.split_path(path), math.inf, self._ctx)

    def _import_url_steps(
        self, url: object, folder: object, filename: object, timeout: object
    ) -> _effects.Steps[FileInfo]:
        checked = _migration.check_url(url)
        names = _files.split_path(folder) if folder is not None else None
        name = check_filename(filename) if filename is not None else None
        deadline = self._ctx.clock() + check_seconds("timeout", timeout)
        return _migration.import_url(self._ctx, self._folders, checked, names, name, deadline)

    def _copy_steps(self, drive_file_ids: object, folder: object, timeout: object) -> _effects.Steps[list[FileInfo]]:
        ids = _files.check_ids(drive_file_ids)
        if not ids:
            raise ValueError("drive_file_ids must hold at least one drive file ID")
        names = _files.split_path(folder) if folder is not None else ()
        deadline = self._ctx.clock() + check_seconds("timeout", timeout)
        return _migration.copy_from_drive(self._ctx, self._folders, ids, names, deadline)

    def _find_folder_steps(self, path: object) -> _effects.Steps[str | None]:
        return _files.find_path(self._ctx, self._folders, _files.split_path(path))

    def _pages(self, folder_id: object, since: object, until: object) -> _files.Pages:
        return _files.Pages(_files.check_folder_id(folder_id), _unix("since", since), _unix("until", until))

    def _move_steps(self, file_ids: object, folder_id: object) -> _effects.Steps[None]:
        ids, target = _files.check_ids(file_ids), _files.check_folder_id(folder_id)
        self._folders.forget(ids)
        return _files.in_batches(self._ctx, ids, lambda batch: _files.FileCalls.move(batch, target))

    def _delete_steps(self, file_ids: object) -> _effects.Steps[None]:
        ids = _files.check_ids(file_ids)
        self._folders.forget(ids)
        return _files.in_batches(self._ctx, ids, _files.FileCalls.delete)


def _unix(name: str, value: object) -> int | None:
    """A time bound for listings: None, a datetime (naive is local time), or unix seconds."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return math.floor(value.timestamp())
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} must be a datetime or unix seconds, got {value!r}")
    return math.floor(value)


def request_args(effect: _effects.Send) -> dict[str, Any]:
    """httpx keyword arguments for one API request."""
    request = effect.request
    headers = {"Platform": "open_platform"}
    if request.json is not None:
        headers["Content-Type"] = "application/json"
    if effect.token is not None:
        headers["Authorization"] = f"Bearer {effect.token}"
    # auth=None: our own requests carry their token already; the escape hatch's auth is for `raw` only.
    args: dict[str, Any] = {
        "method": request.method, "url": request.path, "headers": headers, "timeout": effect.timeout, "auth": None,
    }  # fmt: skip
    if request.json is not None:
        args["json"] = request.json
    if request.params is not None:
        args["params"] = dict(request.params)
    return args


def put_args(effect: _effects.Put, content: Any) -> dict[str, Any]:
    # An explicit Content-Length makes httpx stream the chunks as one sized body, not chunked encoding,
    # which presigned-URL object stores refuse.
    return {
        "method": "PUT",
        "url": effect.url,
        "content": content,
        "headers": {"Content-Length": str(effect.body.length)},
        "timeout": effect.timeout,
    }


H = TypeVar("H")


@functools.cache
def _ssl_context() -> Any:
    """One TLS context per process: building one costs ~20 ms, and every client needs two (API and PUTs)."""
    make = getattr(httpx, "create_ssl_context", None)  # public since httpx 0.28
    return make() if make is not None else True


def http_client(factory: Callable[..., H], **kwargs: Any) -> H:
    """An httpx client, with a usable error when the environment asks for a SOCKS proxy httpx cannot use."""
    if kwargs.get("transport") is None:
        kwargs["verify"] = _ssl_context()
    try:
        return factory(**kwargs)
    except ImportError as exc:
        raise ValueError(
            f"the environment sets a SOCKS proxy (ALL_PROXY or similar), which needs an extra package: "
            f"pip install 'httpx[socks]' ({exc})"
        ) from None


def retry_after(headers: httpx.Headers) -> float | None:
    """Seconds from a `Retry-After` header (a number or an HTTP date), or None."""
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        import email.utils

        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - time.time()
    return max(0.0, seconds) if math.isfinite(seconds) else None


def failed(exc: httpx.RequestError) -> _effects.Failed:
    return _effects.Failed(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)


def closing(flow: _effects.Steps[T], source: Source) -> _effects.Steps[T]:
    try:
        return (yield from flow)
    finally:
        source.close()
