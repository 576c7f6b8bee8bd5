"""`Client`: generated from `_async/_client.py` by `tools/unasync.py`; do not edit."""

from __future__ import annotations

import contextlib
import datetime
import math
import os
import time
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Any, BinaryIO, Self, TypeVar, Unpack

import httpx

from .._backend import Stopper, SyncBackend
from .._client_base import (
    Options,
    _Base,
    _BearerAuth,
    failed,
    http_client,
    put_args,
    request_args,
    retry_after,
)
from .._errors import DeadlineError
from .._flows import _call, _effects
from .._policy import MAX_REPLY_BYTES, TASK_WAIT, UPLOAD_CONCURRENCY, UPLOAD_WAIT
from .._types import AsyncResult, FileInfo, OnPoll, OnProgress, Token, UploadResult

T = TypeVar("T")


class Client(_Base):
    """A client of the 123pan OSS API: one token and one connection pool, shared by every call made with it.

    Arguments: a static `access_token`, or `client_id` and `client_secret` (default: the `PAN123_*`
    environment variables); `base_url`; `timeout` per request; `token_store` to share the token across
    processes; `poll_policy` and `retry_policy`; `max_connections` (100: requests in flight at once, more
    wait their turn); `qps` (requests a second per endpoint, e.g. `{"upload_async_result": 3}`: paced from
    the first request, never faster), `rate_policy` and `shared_rates` (`RedisRates`: pace with every worker
    of the same client ID); `transport` (an httpx transport, for tests) and `sleep`.
    """

    def __init__(
        self,
        access_token: str | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
        **options: Unpack[Options],
    ) -> None:
        super().__init__(access_token, **options)
        self._backend = SyncBackend(sleep, self._max_connections)
        self._token_lock = self._backend.new_lock()
        self._folder_lock = self._backend.new_lock()
        self._http = http_client(
            httpx.Client,
            base_url=self.base_url,
            timeout=self._settings.timeout,
            transport=transport,
            auth=_BearerAuth(self.access_token),
            limits=httpx.Limits(max_connections=self._max_connections, max_keepalive_connections=self._max_connections),
        )
        self.raw.set_httpx_client(self._http)
        # Slice PUTs go to presigned URLs on other hosts and must carry no token: a separate, bare client.
        self._put_http = http_client(httpx.Client, timeout=self._settings.timeout, transport=transport)

    # The driver: one loop that performs effects and sends their results back into the flow.

    def _run(self, steps: _effects.Steps[T], stopper: Stopper | None = None) -> T:
        try:
            effect = next(steps)
            while True:
                if stopper is not None:
                    stopper.check()  # a sibling flow failed: stop here, before the next effect
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

    def _perform(self, effect: _effects.Effect) -> object:
        if isinstance(effect, _effects.Send):
            return self._request(self._http, request_args(effect))
        if isinstance(effect, _effects.Pace):  # two per request: checked early
            return self._pace(effect)
        if isinstance(effect, _effects.Report):
            self._report(effect)
            return None
        if isinstance(effect, _effects.GetToken):
            return self._token(effect.stale, effect.deadline)
        if isinstance(effect, _effects.Sleep):
            self._backend.sleep(effect.seconds)
            return None
        if isinstance(effect, _effects.Hash):
            if effect.slice_size is not None:
                return self._backend.run_blocking(effect.source.digests, effect.slice_size)
            return self._backend.run_blocking(effect.source.md5, effect.offset, effect.length)
        if isinstance(effect, _effects.Put):
            return self._request(self._put_http, put_args(effect, self._chunks(effect.body)))
        if isinstance(effect, _effects.Exclusive):
            return self._exclusive(effect)
        return self._parallel(effect)

    def _pace(self, effect: _effects.Pace) -> float | None:
        governor = self._governor
        args = (effect.endpoint, effect.now, effect.max_wait, effect.after)
        if governor.shared is None:
            wait = governor.reserve(*args)
        else:  # Redis: a network call
            wait = self._backend.run_blocking(governor.reserve, *args)
        if wait is not None and wait > effect.after:
            governor.parked(effect.endpoint, effect.now, wait)
        return wait

    def _report(self, effect: _effects.Report) -> None:
        governor = self._governor
        args = (effect.endpoint, effect.now, effect.throttled, effect.age, effect.retry_after)
        if effect.throttled and governor.shared is not None:
            self._backend.run_blocking(governor.report, *args)  # Redis: a network call
        else:
            governor.report(*args)

    def _exclusive(self, effect: _effects.Exclusive) -> object:
        if not self._backend.acquire(self._folder_lock, self._time_left(effect.deadline)):
            effect.flow.close()
            raise DeadlineError("deadline reached waiting for another caller to make its folders")
        try:
            return self._run(effect.flow)
        finally:
            self._folder_lock.release()

    def _request(self, http: httpx.Client, args: dict[str, Any]) -> _effects.Reply | _effects.Failed:
        # httpx's timeouts restart with every byte, so a server that trickles its reply would never time
        # out: the reply is read as a stream, bounded in time as a whole and in size (API replies are tiny;
        # counting decoded bytes also stops a gzip bomb).
        ends = time.monotonic() + args["timeout"]
        body = bytearray()
        try:
            with self._backend.limited(), http.stream(**args) as response:
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > MAX_REPLY_BYTES:
                        return _effects.Failed(f"reply body over {MAX_REPLY_BYTES} bytes (HTTP {response.status_code})")
                    if time.monotonic() > ends:
                        return _effects.Failed(f"reply still arriving after {args['timeout']:.1f} s")
        except httpx.RequestError as exc:
            return failed(exc)
        except httpx.InvalidURL as exc:  # a presigned URL the service got wrong
            return _effects.Failed(f"invalid URL: {exc}")
        return _effects.Reply(response.status_code, bytes(body), retry_after(response.headers))

    def _chunks(self, body: _effects.Body) -> Iterator[bytes]:
        for offset, length in body.chunks():
            yield body.account(self._backend.run_blocking(body.source.read_at, offset, length))

    def _parallel(self, effect: _effects.Parallel) -> list[Any]:
        def job(flow: _effects.Steps[Any]) -> Callable[[Stopper], Any]:
            return lambda stopper: self._run(flow, stopper)

        try:
            return self._backend.run_all([job(flow) for flow in effect.flows], effect.limit)
        finally:
            for flow in effect.flows:
                with contextlib.suppress(ValueError):  # a flow still running in another thread closes itself
                    flow.close()

    def _token(self, stale: str | None, deadline: float = math.inf) -> str:
        """A usable token; callers that find none queue behind one fetch, for at most the time they have left."""
        ready = self._tokens.ready(stale)
        if ready is not None:
            return ready
        if not self._backend.acquire(self._token_lock, self._time_left(deadline)):
            raise DeadlineError("deadline reached waiting for another caller's token fetch")
        try:
            # Whoever held the lock before us most likely fetched: no thread hop, no store, for the many
            # callers of a wave that queued behind one fetch.
            ready = self._tokens.ready(stale)
            if ready is not None:
                return ready
            assert self._tokens.key is not None
            held = self._tokens.store.lock(self._tokens.key, self._time_left(deadline))
            try:
                self._backend.run_blocking(held.__enter__)  # may wait for another process
            except TimeoutError:
                raise DeadlineError("deadline reached waiting for another process's token fetch") from None
            try:
                token = self._backend.run_blocking(self._tokens.from_store, stale)
                if token is None:
                    fetched = self._fetch_token(deadline)
                    token = self._backend.run_blocking(self._tokens.keep, fetched)
                return token
            finally:
                self._backend.run_blocking(held.__exit__, None, None, None)  # Redis: a network call
        finally:
            self._token_lock.release()

    def _fetch_token(self, deadline: float = math.inf) -> Token:
        return self._run(_call.call(self._ctx, self._token_op(), deadline))

    # The public methods.

    def access_token(self) -> str:
        """A valid access token: the static one, or the cached one, fetched or refreshed as needed."""
        return self._token(None)

    def token_info(self) -> Token:
        """The token `access_token()` returns, with its expiry (infinite for a static token)."""
        return self._tokens.describe(self.access_token())

    def upload_async_result(self, preupload_id: str) -> AsyncResult:
        """Ask once whether the upload is merged and checked (retrying transport trouble within budget)."""
        return self._run(_call.call(self._ctx, self._poll_op(preupload_id)))

    def wait_for_upload(self, preupload_id: str, *, timeout: float = UPLOAD_WAIT, on_poll: OnPoll | None = None) -> str:
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
        concurrency: int = UPLOAD_CONCURRENCY,
        folder: str | None = None,
        link: bool = True,
    ) -> UploadResult:
        """Upload a file (a path, or a binary file object from its current position) and return its link.

        `folder` is a path such as "blog/2026/11", made as needed (as `make_folders` does); or pass the
        folder's ID as `parent_id` (default: the root). The MD5 is computed by streaming; an instant upload
        sends no bytes. Slices of the service's `sliceSize` are read on demand, `concurrency` at a time, so
        memory does not grow with the file. With `link` (the default) the result carries the file's `url`,
        `self_url` and review `status`, asked of `detail` again at least 1 s apart until the link is ready.
        `timeout` bounds the whole upload, link included (default: no bound on sending; 300 s for the final
        wait; 60 s for the link). Errors after `create` carry `preupload_id`: pass it to `resume_upload` to
        continue; a link that never came raises LinkTimeoutError with the stored file's `file_id`.
        """
        return self._run(
            self._upload_steps(
                source, parent_id=parent_id, filename=filename, timeout=timeout, on_progress=on_progress,
                concurrency=concurrency, folder=folder, link=link,
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
        concurrency: int = UPLOAD_CONCURRENCY,
        link: bool = True,
    ) -> UploadResult:
        """Continue an interrupted upload of the same bytes, skipping the slices the service already holds."""
        return self._run(
            self._upload_steps(
                source, preupload_id=preupload_id, filename=filename, slice_size=slice_size, timeout=timeout,
                on_progress=on_progress, concurrency=concurrency, link=link,
            )
        )  # fmt: skip

    def file_info(self, file_id: str) -> FileInfo:
        """What the service knows of one file or folder: name, folder, size, MD5, review status and links.

        `url` may be empty for a file just uploaded, while the service prepares its link."""
        return self._run(self._file_info_steps(file_id))

    def make_folders(self, path: str) -> str:
        """The folder ID of `path` ("blog/2026/11"), making each missing folder in turn, like `mkdir -p`.

        Existing folders are found by listing their parent, never made twice; the IDs are remembered by
        this client, and concurrent callers on one client make a new path once."""
        return self._run(self._make_folders_steps(path))

    def import_url(
        self, url: str, *, folder: str | None = None, filename: str | None = None, timeout: float = TASK_WAIT
    ) -> FileInfo:
        """Have the service fetch `url` into the image host (offline migration, 离线迁移) and return the new file.

        `folder` is a path made as needed (default: the service's own "来自:离线下载" folder); `filename`
        defaults to the URL's. The task is polled at least 1 s apart for at most `timeout` seconds, all told:
        TaskFailedError if the service could not fetch it, TaskTimeoutError (with `task_id`) if time ran out.
        The file is found by listing the folder, as no task reply names it."""
        return self._run(self._import_url_steps(url, folder, filename, timeout))

    def copy_from_drive(
        self, drive_file_ids: Iterable[str], *, folder: str | None = None, timeout: float = TASK_WAIT
    ) -> list[FileInfo]:
        """Copy files from your 123pan cloud drive into the image host (default: its root); return the copies.

        `folder` is a path made as needed. One task per 100 files, each polled at least 1 s apart, all within
        `timeout` seconds. A file that could not be copied raises TaskFailedError, whose `failures` lists
        (drive file ID, filename) of each."""
        return self._run(self._copy_steps(drive_file_ids, folder, timeout))

    def find_folder(self, path: str) -> str | None:
        """The folder ID of `path` ("blog/2026/11") if all its folders exist, else None; makes no folder."""
        return self._run(self._find_folder_steps(path))

    def list_files(
        self,
        folder_id: str = "",
        *,
        since: datetime.datetime | float | None = None,
        until: datetime.datetime | float | None = None,
    ) -> Iterator[FileInfo]:
        """Every file and folder in a folder (default: the root), 100 per request, fetched as you iterate.

        `since` and `until` (datetimes or unix seconds) keep only entries created in that range."""
        pages = self._pages(folder_id, since, until)
        while not pages.done:
            page = self._run(pages.next(self._ctx))
            page.reverse()  # handed out by pop(): a `for`-`yield` loop would become `yield from` in the sync twin
            while page:
                yield page.pop()

    def move_files(self, file_ids: Iterable[str], folder_id: str) -> None:
        """Move files or folders into the folder `folder_id` ("" is the root); any number, 100 per request."""
        self._run(self._move_steps(file_ids, folder_id))

    def delete_files(self, file_ids: Iterable[str]) -> None:
        """Delete files or folders (a folder with what it holds); any number, 100 per request."""
        self._run(self._delete_steps(file_ids))

    def close(self) -> None:
        self._http.close()
        self._put_http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
