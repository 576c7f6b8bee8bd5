"""`Client` and `AsyncClient`: the drivers that carry out what the core decides."""

from __future__ import annotations

import functools
import math
import os
import threading
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from types import TracebackType
from typing import Any, BinaryIO, Protocol, Self, TypedDict, TypeVar, Unpack

import httpx

from pan123_oss_api import AuthenticatedClient
from pan123_oss_api.api.auth import get_access_token
from pan123_oss_api.api.oss_upload import upload_async_result
from pan123_oss_api.models import AccessTokenBody, UploadAsyncResultBody

from . import _core, _upload
from ._config import Settings, check_preupload_id, check_seconds, resolve
from ._policy import PollPolicy, RetryPolicy
from ._replies import BEING_VERIFIED, parse_async_result, parse_token
from ._schema import path_of
from ._source import Source, check_filename
from ._tokens import MemoryTokenStore, Tokens, TokenStore
from ._types import AsyncResult, OnPoll, OnProgress, Token, UploadResult

T = TypeVar("T")

MAX_CONNECTIONS = 100
"""Requests one AsyncClient has in flight at most; more wait their turn in the client, not in httpcore."""
TOKEN_PATH = path_of("getAccessToken")
POLL_PATH = path_of("uploadAsyncResult")


class Clock(Protocol):
    """Where the client reads time: `monotonic` for waits and deadlines, `time` for token expiry."""

    def monotonic(self) -> float: ...

    def time(self) -> float: ...


class _SystemClock:
    monotonic = staticmethod(time.monotonic)
    time = staticmethod(time.time)


class _BearerAuth(httpx.Auth):
    """Adds the managed token to requests made through `client.raw`, the generated-client escape hatch."""

    def __init__(self, get: Callable[[], str] | None = None, aget: Callable[[], Awaitable[str]] | None = None) -> None:
        self._get = get
        self._aget = aget

    @staticmethod
    def _wants_token(request: httpx.Request) -> bool:
        return "Authorization" not in request.headers and request.url.path != TOKEN_PATH

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._get is not None and self._wants_token(request):
            request.headers["Authorization"] = f"Bearer {self._get()}"
        yield request

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self._aget is not None and self._wants_token(request):
            request.headers["Authorization"] = f"Bearer {await self._aget()}"
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


class _Base:
    """Settings, operations and repr shared by both clients; no I/O here."""

    def __init__(
        self,
        access_token: str | None = None,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        base_url: str | None = None,
        timeout: float = 30.0,
        token_store: TokenStore | None = None,
        poll_policy: PollPolicy | None = None,
        retry_policy: RetryPolicy | None = None,
        refresh_margin: float = 300.0,
        clock: Clock | None = None,
    ) -> None:
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
        )
        self._ctx = _core.Context(
            clock=clock.monotonic,
            request_timeout=self._settings.timeout,
            can_refresh=self._tokens.can_refresh,
            poll=poll_policy or PollPolicy(),
            retry=retry_policy or RetryPolicy(),
        )
        self._slice_sizes: dict[str, int] = {}
        self.raw = AuthenticatedClient(base_url=self._settings.base_url, token="")
        """The generated client (`pan123_oss_api`), sharing this client's connections and token."""

    def _time_left(self, deadline: float) -> float | None:
        return None if math.isinf(deadline) else deadline - self._ctx.clock()

    @property
    def base_url(self) -> str:
        return self._settings.base_url

    @property
    def token_fetches(self) -> int:
        """How many tokens this client has fetched from the token endpoint."""
        return self._tokens.fetches

    def __repr__(self) -> str:
        auth = "static token" if self._settings.access_token else f"client_id={self._settings.client_id!r}"
        return f"{type(self).__name__}(base_url={self.base_url!r}, {auth})"

    def _token_op(self) -> _core.Operation[Token]:
        creds = self._settings
        assert creds.client_id is not None and creds.client_secret is not None
        body = AccessTokenBody(client_id=creds.client_id, client_secret=creds.client_secret.reveal())
        return _core.Operation(TOKEN_PATH, get_access_token._get_kwargs(body=body), parse_token, authenticated=False)

    def _poll_op(self, preupload_id: object) -> _core.Operation[AsyncResult]:
        pid = check_preupload_id(preupload_id)
        request = upload_async_result._get_kwargs(body=UploadAsyncResultBody(preupload_id=pid))
        return _core.Operation(
            POLL_PATH,
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
        concurrency: object = 3,
    ) -> _core.Steps[UploadResult]:
        """Check every argument, open the source, and build the flow; nothing is sent yet."""
        if not isinstance(parent_id, str):
            raise ValueError('parent_id must be a string (folder IDs are strings; the root is "")')
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or not 1 <= concurrency <= 32:
            raise ValueError(f"concurrency must be a whole number from 1 to 32, got {concurrency!r}")
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
                concurrency=concurrency,
                progress=_upload.Progress(opened.size, on_progress),
                make_poll=self._poll_op,
                slice_sizes=self._slice_sizes,
            )
        except BaseException:
            opened.close()
            raise
        flow = _upload.upload(job, parent_id) if pid is None else _upload.resume(job, pid, slice_size)
        return _closing(flow, opened)

    def _wait_steps(self, preupload_id: object, timeout: float, on_poll: OnPoll | None) -> _core.Steps[str]:
        op = self._poll_op(preupload_id)
        timeout = check_seconds("timeout", timeout)
        if on_poll is not None and not callable(on_poll):
            raise TypeError("on_poll must be callable")
        return _core.wait(self._ctx, op, timeout=timeout, on_poll=on_poll)


def _request_args(effect: _core.Send) -> dict[str, Any]:
    headers = dict(effect.request.get("headers", {}))
    if effect.token is not None:
        headers["Authorization"] = f"Bearer {effect.token}"
    return {**effect.request, "headers": headers, "timeout": effect.timeout}


class _Skipped(Exception):
    """A parallel flow not started because another one had already failed."""


def _closing(flow: _core.Steps[T], source: Source) -> _core.Steps[T]:
    try:
        return (yield from flow)
    finally:
        source.close()


def _put_args(effect: _core.Put, content: Any) -> dict[str, Any]:
    # An explicit Content-Length makes httpx stream the chunks as one sized body, not chunked encoding,
    # which presigned-URL object stores refuse.
    return {
        "method": "PUT",
        "url": effect.url,
        "content": content,
        "headers": {"Content-Length": str(effect.body.length)},
        "timeout": effect.timeout,
    }


def _failed(exc: httpx.RequestError) -> _core.Failed:
    return _core.Failed(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)


class Client(_Base):
    """A blocking client. Thread-safe: share one across threads (one token, one connection pool)."""

    def __init__(
        self,
        access_token: str | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
        **options: Unpack[Options],
    ) -> None:
        super().__init__(access_token, **options)
        self._sleep = sleep or time.sleep
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=self._settings.timeout,
            transport=transport,
            auth=_BearerAuth(get=self.access_token),
        )
        self.raw.set_httpx_client(self._http)
        # Slice PUTs go to presigned URLs on other hosts and must carry no token: a separate, bare client.
        self._put_http = httpx.Client(timeout=self._settings.timeout, transport=transport)

    def _run(self, steps: _core.Steps[T]) -> T:
        try:
            effect = next(steps)
            while True:
                try:
                    result = self._perform(effect)
                except Exception as exc:  # the flow decides: it may turn this into its own error
                    effect = steps.throw(exc)
                else:
                    effect = steps.send(result)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]
        finally:
            steps.close()

    def _perform(self, effect: _core.Effect) -> object:
        if isinstance(effect, _core.Send):
            return self._request(self._http, _request_args(effect))
        if isinstance(effect, _core.GetToken):
            fetch = functools.partial(self._fetch_token, effect.deadline)
            return self._tokens.get(effect.stale, fetch, self._time_left(effect.deadline))
        if isinstance(effect, _core.Sleep):
            return self._sleep(effect.seconds)
        if isinstance(effect, _core.Blocking):
            return effect.work()
        if isinstance(effect, _core.Put):
            return self._request(self._put_http, _put_args(effect, effect.body))
        return self._parallel(effect)

    def _request(self, http: httpx.Client, args: dict[str, Any]) -> _core.Reply | _core.Failed:
        try:
            response = http.request(**args)
        except httpx.RequestError as exc:
            return _failed(exc)
        return _core.Reply(response.status_code, response.content)

    def _parallel(self, effect: _core.Parallel) -> list[Any]:
        import concurrent.futures  # only uploads need a pool; keep it off the import path

        failed = threading.Event()

        def run(flow: _core.Steps[Any]) -> Any:
            if failed.is_set():
                raise _Skipped  # another flow failed: do not start this one
            try:
                return self._run(flow)
            except BaseException:
                failed.set()
                raise

        pool = concurrent.futures.ThreadPoolExecutor(max_workers=effect.limit)
        try:
            futures = [pool.submit(run, flow) for flow in effect.flows]
            concurrent.futures.wait(futures, return_when=concurrent.futures.FIRST_EXCEPTION)
            errors = [f.exception() for f in futures if f.done() and not f.cancelled() and f.exception()]
            first = next((e for e in errors if not isinstance(e, _Skipped)), None)
            if first is not None:
                raise first
            return [future.result() for future in futures]
        finally:
            # Wait for running flows before closing any: closing a generator another thread is still
            # running raises ValueError, which would hide the real error.
            pool.shutdown(wait=True, cancel_futures=True)
            for flow in effect.flows:
                flow.close()

    def _fetch_token(self, deadline: float = math.inf) -> Token:
        return self._run(_core.call(self._ctx, self._token_op(), deadline))

    def access_token(self) -> str:
        """A valid access token: the static one, or the cached one, fetched or refreshed as needed."""
        return self._tokens.get(None, self._fetch_token)

    def token_info(self) -> Token:
        """The token `access_token()` returns, with its expiry (infinite for a static token)."""
        return self._tokens.describe(self.access_token())

    def upload_async_result(self, preupload_id: str) -> AsyncResult:
        """Ask once whether the upload is merged and checked (retrying transport trouble within budget)."""
        return self._run(_core.call(self._ctx, self._poll_op(preupload_id)))

    def wait_for_upload(self, preupload_id: str, *, timeout: float = 300.0, on_poll: OnPoll | None = None) -> str:
        """Poll until the upload completes and return its file ID; at most `timeout` seconds in all."""
        return self._run(self._wait_steps(preupload_id, timeout, on_poll))

    def upload_file(
        self,
        source: str | os.PathLike[str] | BinaryIO,
        *,
        parent_id: str = "",
        filename: str | None = None,
        timeout: float | None = None,
        on_progress: OnProgress | None = None,
        concurrency: int = 3,
    ) -> UploadResult:
        """Upload a file (a path, or a binary file object from its current position) and return its file ID.

        The MD5 is computed by streaming; an instant upload sends no bytes. Slices of the service's
        `sliceSize` are read on demand, `concurrency` at a time, so memory does not grow with the file.
        `timeout` bounds the whole upload (default: no bound on sending; 300 s for the final wait).
        Errors after `create` carry `preupload_id`: pass it to `resume_upload` to continue.
        """
        return self._run(
            self._upload_steps(
                source, parent_id=parent_id, filename=filename, timeout=timeout, on_progress=on_progress,
                concurrency=concurrency,
            )
        )  # fmt: skip

    def resume_upload(
        self,
        preupload_id: str,
        source: str | os.PathLike[str] | BinaryIO,
        *,
        filename: str | None = None,
        slice_size: int | None = None,
        timeout: float | None = None,
        on_progress: OnProgress | None = None,
        concurrency: int = 3,
    ) -> UploadResult:
        """Continue an interrupted upload of the same bytes, skipping the slices the service already holds."""
        return self._run(
            self._upload_steps(
                source, preupload_id=preupload_id, filename=filename, slice_size=slice_size, timeout=timeout,
                on_progress=on_progress, concurrency=concurrency,
            )
        )  # fmt: skip

    def close(self) -> None:
        self._http.close()
        self._put_http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncClient(_Base):
    """The asyncio client: the same arguments and methods as `Client`, awaitable."""

    def __init__(
        self,
        access_token: str | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        **options: Unpack[Options],
    ) -> None:
        super().__init__(access_token, **options)
        import asyncio  # here, not at the top: sync-only users should not pay ~40 ms to import asyncio

        self._sleep = sleep or asyncio.sleep
        # httpcore's pool rescans every queued request on each event, so thousands of concurrent waits
        # queued inside it cost more CPU than the requests themselves; queue them here instead.
        self._in_flight = asyncio.Semaphore(MAX_CONNECTIONS)
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=self._settings.timeout,
            transport=transport,
            auth=_BearerAuth(aget=self.access_token),
            limits=httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_CONNECTIONS),
        )
        self.raw.set_async_httpx_client(self._http)
        self._put_http = httpx.AsyncClient(timeout=self._settings.timeout, transport=transport)

    async def _run(self, steps: _core.Steps[T]) -> T:
        try:
            effect = next(steps)
            while True:
                try:
                    result = await self._perform(effect)
                except Exception as exc:  # the flow decides: it may turn this into its own error
                    effect = steps.throw(exc)
                else:
                    effect = steps.send(result)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]
        finally:
            steps.close()

    async def _perform(self, effect: _core.Effect) -> object:
        if isinstance(effect, _core.Send):
            return await self._request(self._http, _request_args(effect))
        if isinstance(effect, _core.GetToken):
            fetch = functools.partial(self._fetch_token, effect.deadline)
            return await self._tokens.aget(effect.stale, fetch, self._time_left(effect.deadline))
        if isinstance(effect, _core.Sleep):
            await self._sleep(effect.seconds)
            return None
        if isinstance(effect, _core.Blocking):
            import asyncio

            return await asyncio.to_thread(effect.work)
        if isinstance(effect, _core.Put):
            return await self._request(self._put_http, _put_args(effect, effect.body.__aiter__()))
        return await self._parallel(effect)

    async def _request(self, http: httpx.AsyncClient, args: dict[str, Any]) -> _core.Reply | _core.Failed:
        try:
            async with self._in_flight:
                response = await http.request(**args)
        except httpx.RequestError as exc:
            return _failed(exc)
        return _core.Reply(response.status_code, response.content)

    async def _parallel(self, effect: _core.Parallel) -> list[Any]:
        import asyncio

        slots = asyncio.Semaphore(effect.limit)

        async def limited(flow: _core.Steps[Any]) -> Any:
            async with slots:
                return await self._run(flow)

        tasks = [asyncio.ensure_future(limited(flow)) for flow in effect.flows]
        try:
            return list(await asyncio.gather(*tasks))
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        finally:
            for flow in effect.flows:
                flow.close()

    async def _fetch_token(self, deadline: float = math.inf) -> Token:
        return await self._run(_core.call(self._ctx, self._token_op(), deadline))

    async def access_token(self) -> str:
        return await self._tokens.aget(None, self._fetch_token)

    async def token_info(self) -> Token:
        return self._tokens.describe(await self.access_token())

    async def upload_async_result(self, preupload_id: str) -> AsyncResult:
        return await self._run(_core.call(self._ctx, self._poll_op(preupload_id)))

    async def wait_for_upload(self, preupload_id: str, *, timeout: float = 300.0, on_poll: OnPoll | None = None) -> str:
        return await self._run(self._wait_steps(preupload_id, timeout, on_poll))

    async def upload_file(
        self,
        source: str | os.PathLike[str] | BinaryIO,
        *,
        parent_id: str = "",
        filename: str | None = None,
        timeout: float | None = None,
        on_progress: OnProgress | None = None,
        concurrency: int = 3,
    ) -> UploadResult:
        return await self._run(
            self._upload_steps(
                source, parent_id=parent_id, filename=filename, timeout=timeout, on_progress=on_progress,
                concurrency=concurrency,
            )
        )  # fmt: skip

    async def resume_upload(
        self,
        preupload_id: str,
        source: str | os.PathLike[str] | BinaryIO,
        *,
        filename: str | None = None,
        slice_size: int | None = None,
        timeout: float | None = None,
        on_progress: OnProgress | None = None,
        concurrency: int = 3,
    ) -> UploadResult:
        return await self._run(
            self._upload_steps(
                source, preupload_id=preupload_id, filename=filename, slice_size=slice_size, timeout=timeout,
                on_progress=on_progress, concurrency=concurrency,
            )
        )  # fmt: skip

    async def close(self) -> None:
        await self._http.aclose()
        await self._put_http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
