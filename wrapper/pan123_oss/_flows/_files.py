"""Files and folders of the image host as I/O-free flows: details and links, folder paths, listing, batches.

Like `_upload`, nothing here sends or sleeps: the flows yield `_effects` for a driver to carry out.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable
from typing import TypeVar

from pan123_oss_api.models import (
    CreateFolderReply,
    EmptyReply,
    FileDeleteBody,
    FileDetailPayload,
    FileDetailReply,
    FileListBody,
    FileMoveBody,
    ListFilesReply,
    NewFolderBody,
    OssFile,
)

from .._errors import (
    ApiError,
    DeadlineError,
    LinkTimeoutError,
    MalformedResponseError,
    Pan123Error,
    PartialBatchError,
    UploadTimeoutError,
)
from .._policy import LAST_POLL_SLACK, LINK_WAIT, MAX_PAGES, MIN_POLL_INTERVAL, PAGE_SIZE
from .._source import check_filename
from .._types import FileInfo, UploadResult
from ._call import Context, Operation, call
from ._effects import Steps, exclusive, request_for, sleep
from ._replies import Envelope, Malformed, payload_of, reply_of
from ._schema import path_of

T = TypeVar("T")
DETAIL_PATH = path_of("getFileDetail")
LIST_PATH = path_of("listFiles")
LAST_PAGE = "-1"
NAME_TAKEN = "重名"
"""In mkdir's message when the folder exists already ("不能重名") [seen]."""


def file_info(data: OssFile | FileDetailPayload) -> FileInfo:
    """One entry of `list`, or the payload of `detail` (the same fields), as a FileInfo."""
    return FileInfo(
        file_id=data.file_id,
        filename=data.filename,
        parent_id=data.parent_file_id,
        is_folder=data.type_ == 1,
        size=data.size,
        etag=data.etag,
        status=data.status,
        url=data.download_url,
        self_url=data.user_self_url,
        created_at=data.create_at,
        updated_at=data.update_at,
    )


def _parse_detail(env: Envelope) -> FileInfo:
    info = file_info(payload_of(FileDetailReply, "getFileDetail", env))
    if not info.file_id:
        raise Malformed("fileId is empty")
    return info


@dataclasses.dataclass(frozen=True, slots=True)
class Page:
    files: list[FileInfo]
    last_file_id: str


def _parse_page(env: Envelope) -> Page:
    data = payload_of(ListFilesReply, "listFiles", env)
    return Page([file_info(entry) for entry in data.file_list], data.last_file_id)


def _parse_mkdir(env: Envelope) -> str:
    made = payload_of(CreateFolderReply, "createFolder", env).list_
    if len(made) != 1 or not made[0].dir_id:
        raise Malformed("mkdir of one folder did not answer exactly one dirID")
    return str(made[0].dir_id)


def _parse_moved(env: Envelope) -> None:
    reply_of(EmptyReply, "moveFiles", env)  # payload-less: data must be null


def _parse_deleted(env: Envelope) -> None:
    reply_of(EmptyReply, "deleteFiles", env)


class FileCalls:
    """Builds each file call from the generated client's request models."""

    @staticmethod
    def detail(file_id: str) -> Operation[FileInfo]:
        return Operation(request_for("getFileDetail", None, {"fileID": file_id}), _parse_detail)

    @staticmethod
    def page(folder_id: str, last: str, since: int | None, until: int | None) -> Operation[Page]:
        body = FileListBody(limit=PAGE_SIZE, type_=1, parent_file_id=folder_id)
        if last:
            body.last_file_id = last
        if since is not None:
            body.start_time = since
        if until is not None:
            body.end_time = until
        return Operation(request_for("listFiles", body), _parse_page)

    @staticmethod
    def mkdir(parent_id: str, name: str) -> Operation[str]:
        body = NewFolderBody(name=[name], parent_id=parent_id, type_=1)
        return Operation(request_for("createFolder", body), _parse_mkdir)

    @staticmethod
    def move(file_ids: list[str], folder_id: str) -> Operation[None]:
        body = FileMoveBody(file_i_ds=file_ids, to_parent_file_id=folder_id)
        return Operation(request_for("moveFiles", body), _parse_moved)

    @staticmethod
    def delete(file_ids: list[str]) -> Operation[None]:
        body = FileDeleteBody(file_i_ds=file_ids)
        return Operation(request_for("deleteFiles", body), _parse_deleted)


def check_file_id(value: object, what: str = "file_id") -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a non-empty string (file IDs are strings)")
    return value


def check_folder_id(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError('folder_id must be a string (folder IDs are strings; the root is "")')
    return value


def check_ids(file_ids: object) -> list[str]:
    """A list of file IDs from any iterable of strings (not one bare string)."""
    if isinstance(file_ids, str | bytes) or not isinstance(file_ids, Iterable):
        raise ValueError("file_ids must be a list of file ID strings")
    return [check_file_id(i, "every file ID") for i in file_ids]


def split_path(path: object) -> tuple[str, ...]:
    """A folder path ("blog/2026/11") as its names, each checked against the filename rules.

    Leading, trailing and doubled slashes are ignored; "" and "/" are the root (no names)."""
    if not isinstance(path, str):
        raise ValueError('a folder path must be a string such as "blog/2026/11"')
    return tuple(check_filename(name) for name in path.split("/") if name)


# Flows.


def wait_for_link(ctx: Context, file_id: str, deadline: float, preupload_id: str | None = None) -> Steps[FileInfo]:
    """Ask `detail` until it gives a link, at least 1 s apart; a file rejected by review is answered at once.
    `preupload_id`, after an upload, names it in a LinkTimeoutError as every error after create does."""
    interval = max(MIN_POLL_INTERVAL, ctx.poll.initial)
    while True:
        try:
            info = yield from call(ctx, FileCalls.detail(file_id), deadline)
        except DeadlineError:
            raise LinkTimeoutError(
                f"file {file_id} is stored but has no link yet: the deadline came first", file_id=file_id,
                endpoint=DETAIL_PATH, preupload_id=preupload_id,
            ) from None  # fmt: skip
        if info.url or info.rejected:
            return info
        pause = ctx.poll.jittered(interval, ctx.rng)
        interval = ctx.poll.grow(interval)
        if ctx.clock() + pause > deadline - LAST_POLL_SLACK:
            raise LinkTimeoutError(
                f"file {file_id} is stored but the service gave it no link before the deadline", file_id=file_id,
                endpoint=DETAIL_PATH, preupload_id=preupload_id,
            )  # fmt: skip
        yield from sleep(pause)


def with_link(ctx: Context, upload: Steps[UploadResult], deadline: float) -> Steps[UploadResult]:
    """An upload, then its link: `deadline` bounds both (LINK_WAIT for the link when it is infinite)."""
    result = yield from upload
    if math.isinf(deadline):
        deadline = ctx.clock() + LINK_WAIT
    info = yield from wait_for_link(ctx, result.file_id, deadline, result.preupload_id or None)
    return dataclasses.replace(result, url=info.url, self_url=info.self_url, status=info.status)


class Folders:
    """The client's memory of folder paths it has found or made: path -> folder ID."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, ...], str] = {}

    def known(self, names: tuple[str, ...]) -> str | None:
        return "" if not names else self.ids.get(names)

    def forget(self, folder_ids: Iterable[str]) -> None:
        """Drop paths through folders that were deleted or moved."""
        gone = set(folder_ids)
        if gone:
            self.ids = {path: fid for path, fid in self.ids.items() if not self._through(path, gone)}

    def _through(self, path: tuple[str, ...], gone: set[str]) -> bool:
        return any(self.ids.get(path[:n]) in gone for n in range(1, len(path) + 1))


def find_folder(ctx: Context, parent_id: str, name: str, deadline: float) -> Steps[str | None]:
    """The ID of the folder `name` in `parent_id`, by listing the parent; None if there is none."""
    pages = Pages(parent_id, None, None)
    while not pages.done:
        for entry in (yield from pages.next(ctx, deadline)):
            if entry.is_folder and entry.filename == name:
                return entry.file_id
    return None


def make_folders(ctx: Context, folders: Folders, names: tuple[str, ...], deadline: float) -> Steps[str]:
    """mkdir -p: find each folder of the path by listing its parent, make the missing ones; IDs are cached.

    Run it under `Exclusive` so that concurrent callers on one client make each folder once."""
    made = yield from _walk(ctx, folders, names, deadline, make=True)
    assert made is not None
    return made


def find_path(ctx: Context, folders: Folders, names: tuple[str, ...], deadline: float = math.inf) -> Steps[str | None]:
    """The folder ID of a path if every folder of it exists (listing each parent), else None; makes nothing."""
    return (yield from _walk(ctx, folders, names, deadline, make=False))


def _walk(ctx: Context, folders: Folders, names: tuple[str, ...], deadline: float, *, make: bool) -> Steps[str | None]:
    """Each folder of the path from the cache or its parent's listing; a missing one is made, or ends the walk."""
    parent = ""
    for depth in range(1, len(names) + 1):
        path, name = names[:depth], names[depth - 1]
        known = folders.known(path)
        if known is None:
            known = yield from find_folder(ctx, parent, name, deadline)
        if known is None:
            if not make:
                return None
            known = yield from _mkdir(ctx, parent, name, deadline)
        folders.ids[path] = parent = known
    return parent


def _mkdir(ctx: Context, parent: str, name: str, deadline: float) -> Steps[str]:
    try:
        return (yield from call(ctx, FileCalls.mkdir(parent, name), deadline))
    except ApiError as exc:
        if NAME_TAKEN not in exc.message:
            raise
        # Made meanwhile by someone else (another process, or a file of that name): look again.
        found = yield from find_folder(ctx, parent, name, deadline)
        if found is None:
            raise
        return found


def folder_of(folders: Folders, names: tuple[str, ...], deadline: float, ctx: Context) -> Steps[str]:
    """The folder ID of a path: from the cache, or found and made under the client's folder lock."""
    known = folders.known(names)
    if known is not None:
        return known
    return (yield from exclusive(make_folders(ctx, folders, names, deadline), deadline))


def into_folder(
    ctx: Context, folders: Folders, names: tuple[str, ...], deadline: float, upload: Callable[[str], Steps[T]]
) -> Steps[T]:
    """Find or make the folder path, then run `upload` into it; running out of time is an UploadTimeoutError."""
    try:
        parent = yield from folder_of(folders, names, deadline, ctx)
    except DeadlineError as exc:
        raise UploadTimeoutError(f"upload deadline reached making its folders: {exc}", endpoint=exc.endpoint) from None
    return (yield from upload(parent))


class Pages:
    """A listing, page by page, until `lastFileId` is "-1". The driver asks for `next` while not `done`."""

    def __init__(self, folder_id: str, since: int | None, until: int | None) -> None:
        self.folder_id = folder_id
        self.since = since
        self.until = until
        self.last = ""
        self.done = False
        self._seen: set[str] = set()
        self._pages: set[int] = set()

    def next(self, ctx: Context, deadline: float = math.inf) -> Steps[list[FileInfo]]:
        page = yield from call(ctx, FileCalls.page(self.folder_id, self.last, self.since, self.until), deadline)
        if page.last_file_id in (LAST_PAGE, "") or not page.files:
            self.done = True  # "-1" by the docs; an empty cursor or an empty page cannot lead further either
        elif page.last_file_id in self._seen:
            raise MalformedResponseError(
                f"listing of folder {self.folder_id!r} does not advance: lastFileId {page.last_file_id!r} again",
                endpoint=LIST_PATH,
            )
        else:
            # A cursor that is new every time can still lead nowhere: the same entries again, or no end at all.
            entries = hash(tuple(f.file_id for f in page.files))
            if entries in self._pages or len(self._seen) >= MAX_PAGES:
                what = (
                    "repeats a page under a new cursor"
                    if entries in self._pages
                    else f"has no end after {MAX_PAGES} pages"
                )
                raise MalformedResponseError(f"listing of folder {self.folder_id!r} {what}", endpoint=LIST_PATH)
            self._pages.add(entries)
            self._seen.add(page.last_file_id)
            self.last = page.last_file_id
        return page.files


def in_batches(
    ctx: Context, file_ids: list[str], make: Callable[[list[str]], Operation[None]], deadline: float = math.inf
) -> Steps[None]:
    """One call per 100 IDs (the most one call takes), in order. A failure after some calls succeeded is a
    PartialBatchError saying which IDs were done and which were not; a failure of the first is raised as it is."""
    for start in range(0, len(file_ids), PAGE_SIZE):
        try:
            yield from call(ctx, make(file_ids[start : start + PAGE_SIZE]), deadline)
        except Pan123Error as exc:
            if not start:
                raise
            raise PartialBatchError(
                f"{start} of {len(file_ids)} IDs were done, then a request failed: {exc.message}",
                done=file_ids[:start], not_done=file_ids[start:], cause=exc,
            ) from exc  # fmt: skip
