"""Imports as I/O-free flows: offline migration of a URL (离线迁移) and copies from the cloud drive.

Each starts a task, polls its progress at least 1 s apart with the poll policy's backoff until it ends or the
deadline comes, and then finds the new files by listing the target folder (no task reply names them), asking
`detail` for the link of any the listing shows without one yet.
"""

from __future__ import annotations

import posixpath
import urllib.parse
from collections.abc import Callable
from typing import TypeVar

from pan123_oss_api.models import (
    DriveCopyBody,
    DriveCopyFailuresReply,
    DriveCopyProcessReply,
    DriveCopyReply,
    OfflineDownloadBody,
    OfflineDownloadProcessReply,
    OfflineDownloadReply,
)

from .._errors import DeadlineError, Pan123Error, TaskFailedError, TaskTimeoutError
from .._policy import MAX_FAILURE_PAGES, MIN_POLL_INTERVAL, PAGE_SIZE, fit_before_deadline
from .._types import FileInfo
from . import _files
from ._call import Context, Operation, call
from ._effects import Steps, request_for, sleep
from ._replies import Envelope, payload_of
from ._schema import path_of

S = TypeVar("S")
OFFLINE_PROCESS_PATH = path_of("getOfflineDownloadProcess")
COPY_FAILURES_PATH = path_of("listDriveCopyFailures")
OFFLINE_FOLDER = "来自:离线下载"
"""Where an offline download lands when no folder is given [doc]."""
OFFLINE_FAILED, OFFLINE_DONE = 1, 2
"""Offline task states: 0 running, 1 failed, 2 done, 3 retrying [doc]."""
COPY_DONE, COPY_FAILED = 2, 3
"""Drive copy task states: 1 running, 2 finished, 3 failed, 4 waiting [doc]."""


def _parse_offline_task(env: Envelope) -> int:
    return payload_of(OfflineDownloadReply, "startOfflineDownload", env).task_id


def _parse_offline_state(env: Envelope) -> tuple[int, int]:
    data = payload_of(OfflineDownloadProcessReply, "getOfflineDownloadProcess", env)
    return data.status, data.process


def _parse_copy_task(env: Envelope) -> str:
    return payload_of(DriveCopyReply, "startDriveCopy", env).task_id


def _parse_copy_state(env: Envelope) -> tuple[int, str]:
    data = payload_of(DriveCopyProcessReply, "getDriveCopyProcess", env)
    return data.status, data.fail_msg


def _parse_copy_failures(env: Envelope) -> tuple[int, list[tuple[str, str]]]:
    data = payload_of(DriveCopyFailuresReply, "listDriveCopyFailures", env)
    return data.total, [(str(item.file_id), item.filename) for item in data.list_ or []]


class MigrationCalls:
    """Builds each offline-migration and drive-copy call from the generated client's request models."""

    @staticmethod
    def offline(url: str, filename: str | None, folder_id: str | None) -> Operation[int]:
        body = OfflineDownloadBody(url=url, type_=1)
        if filename is not None:
            body.file_name = filename
        if folder_id:
            body.business_dir_id = folder_id
        return Operation(request_for("startOfflineDownload", body), _parse_offline_task)

    @staticmethod
    def offline_state(task_id: int) -> Operation[tuple[int, int]]:
        request = request_for("getOfflineDownloadProcess", None, {"taskID": task_id})
        return Operation(request, _parse_offline_state)

    @staticmethod
    def copy(file_ids: list[str], folder_id: str) -> Operation[str]:
        body = DriveCopyBody(file_i_ds=file_ids, to_parent_file_id=folder_id, source_type="1", type_=1)
        return Operation(request_for("startDriveCopy", body), _parse_copy_task)

    @staticmethod
    def copy_state(task_id: str) -> Operation[tuple[int, str]]:
        request = request_for("getDriveCopyProcess", None, {"taskID": task_id})
        return Operation(request, _parse_copy_state)

    @staticmethod
    def copy_failures(task_id: str, page: int) -> Operation[tuple[int, list[tuple[str, str]]]]:
        params: dict[str, str | int] = {"taskID": task_id, "limit": PAGE_SIZE, "page": page}
        request = request_for("listDriveCopyFailures", None, params)
        return Operation(request, _parse_copy_failures)


def check_url(url: object) -> str:
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        raise ValueError(f"url must be an http or https URL, got {url!r}")
    return url


def name_from_url(url: str) -> str:
    """The name a download of `url` is expected under when no filename is given: its last path segment [guess]."""
    return posixpath.basename(urllib.parse.unquote(urllib.parse.urlsplit(url).path))


def poll_task(
    ctx: Context,
    op: Operation[S],
    task_id: str,
    outcome: Callable[[S], bool | str],
    deadline: float,
) -> Steps[S]:
    """Ask for a task's state until `outcome` says True (done) or a string (why it failed), at least 1 s apart."""
    interval = max(MIN_POLL_INTERVAL, ctx.poll.initial)
    started, polls = ctx.clock(), 0
    while True:
        try:
            state = yield from call(ctx, op, deadline)
        except DeadlineError:
            raise _timed_out(task_id, op.endpoint, polls, ctx.clock() - started) from None
        polls += 1
        verdict = outcome(state)
        if isinstance(verdict, str):
            raise TaskFailedError(f"task {task_id} failed: {verdict}", task_id=task_id, endpoint=op.endpoint)
        if verdict:
            return state
        pause = fit_before_deadline(ctx.poll.jittered(interval, ctx.rng), now=ctx.clock(), deadline=deadline)
        if pause is None:
            raise _timed_out(task_id, op.endpoint, polls, ctx.clock() - started)
        interval = ctx.poll.grow(interval)
        yield from sleep(pause)


def _timed_out(task_id: str, endpoint: str, polls: int, elapsed: float) -> TaskTimeoutError:
    return TaskTimeoutError(
        f"task {task_id} not finished after {polls} polls in {elapsed:.1f} s", task_id=task_id, endpoint=endpoint
    )


def snapshot(ctx: Context, folder_id: str, deadline: float) -> Steps[dict[str, str]]:
    """file ID -> updateAt of every entry in a folder, to tell what a task added or overwrote."""
    pages = _files.Pages(folder_id, None, None)
    seen: dict[str, str] = {}
    while not pages.done:
        seen.update({f.file_id: f.updated_at for f in (yield from pages.next(ctx, deadline))})
    return seen


def changed(ctx: Context, folder_id: str, before: dict[str, str], deadline: float) -> Steps[list[FileInfo]]:
    """The files of a folder that are new since `before`, or were overwritten (their updateAt moved)."""
    pages = _files.Pages(folder_id, None, None)
    found: list[FileInfo] = []
    while not pages.done:
        for info in (yield from pages.next(ctx, deadline)):
            if not info.is_folder and before.get(info.file_id) != info.updated_at:
                found.append(info)
    return found


def _timed(steps: Steps[S], what: str) -> Steps[S]:
    """A deadline reached outside a task's polling (folders, listings) is a TaskTimeoutError too."""
    try:
        return (yield from steps)
    except DeadlineError as exc:
        raise TaskTimeoutError(f"deadline reached {what}: {exc}", task_id="", endpoint=exc.endpoint) from None


def import_url(
    ctx: Context,
    folders: _files.Folders,
    url: str,
    names: tuple[str, ...] | None,
    filename: str | None,
    deadline: float,
) -> Steps[FileInfo]:
    """Offline migration of one URL into a folder path (None: the service's default folder)."""
    folder_id: str | None = None
    if names:
        folder_id = yield from _timed(_files.folder_of(folders, names, deadline, ctx), "making the folders")
    target = folder_id
    if target is None:
        target = yield from _timed(_files.find_path(ctx, folders, (OFFLINE_FOLDER,), deadline), "finding the folder")
    before: dict[str, str] = {}
    if target is not None:
        before = yield from _timed(snapshot(ctx, target, deadline), "listing the folder")
    task_id = yield from _timed(
        call(ctx, MigrationCalls.offline(url, filename, folder_id), deadline), "starting the import"
    )

    def outcome(state: tuple[int, int]) -> bool | str:
        if state[0] == OFFLINE_FAILED:
            return f"the service could not fetch {url}"
        return state[0] == OFFLINE_DONE

    yield from poll_task(ctx, MigrationCalls.offline_state(task_id), str(task_id), outcome, deadline)
    if target is None:
        target = yield from _timed(_files.find_path(ctx, folders, (OFFLINE_FOLDER,), deadline), "finding the folder")
    new = [] if target is None else (yield from _timed(changed(ctx, target, before, deadline), "listing the folder"))
    own = _own_import(new, filename or name_from_url(url), task_id)
    return (yield from _linked(ctx, own, deadline))


def _own_import(new: list[FileInfo], wanted: str, task_id: int) -> FileInfo:
    """The task's file among what changed in its folder while it ran: the one new file named as expected; or,
    when only one file changed at all, that one (the service may name a download otherwise [guess]). Anything
    else cannot be told from files someone else put there meanwhile, and is said so rather than guessed."""
    named = [f for f in new if f.filename == wanted]
    if len(named) == 1:
        return named[0]
    if not named and len(new) == 1:
        return new[0]
    if not new:
        raise Pan123Error(f"task {task_id} finished, but no new file is in its folder", endpoint=OFFLINE_PROCESS_PATH)
    candidates = named or new
    raise Pan123Error(
        f"task {task_id} finished, but {len(candidates)} files {'named ' + repr(wanted) + ' ' if named else ''}"
        f"changed in its folder while it ran (someone else is adding files there), so which one is this "
        f"task's cannot be told: file IDs {', '.join(f.file_id for f in candidates[:10])}",
        endpoint=_files.LIST_PATH,
    )


def copy_from_drive(
    ctx: Context, folders: _files.Folders, file_ids: list[str], names: tuple[str, ...], deadline: float
) -> Steps[list[FileInfo]]:
    """Copy drive files into a folder path, 100 per task; the copies, found by listing the folder before and after
    each task. If more files changed than the task copied, someone else is adding files there and the copies
    cannot be told from theirs: that is an error saying so, not a list with their files in it."""
    folder_id = yield from _timed(_files.folder_of(folders, names, deadline, ctx), "making the folders")
    linked: list[FileInfo] = []
    for start in range(0, len(file_ids), PAGE_SIZE):
        batch = file_ids[start : start + PAGE_SIZE]
        before = yield from _timed(snapshot(ctx, folder_id, deadline), "listing the folder")
        task_id = yield from _timed(call(ctx, MigrationCalls.copy(batch, folder_id), deadline), "starting the copy")

        def outcome(state: tuple[int, str]) -> bool | str:
            if state[0] == COPY_FAILED:
                return state[1] or "no reason given"
            return state[0] == COPY_DONE

        try:
            yield from poll_task(ctx, MigrationCalls.copy_state(task_id), task_id, outcome, deadline)
        except TaskFailedError as exc:
            failures = yield from _failures(ctx, task_id, deadline)
            raise TaskFailedError(exc.message, task_id=task_id, failures=failures, endpoint=exc.endpoint) from None
        failures = yield from _failures(ctx, task_id, deadline)
        if failures:
            names_failed = ", ".join(name for _, name in failures[:5])
            raise TaskFailedError(
                f"task {task_id} copied some files but not {len(failures)}: {names_failed}",
                task_id=task_id, failures=failures, endpoint=COPY_FAILURES_PATH,
            )  # fmt: skip
        copies = yield from _timed(changed(ctx, folder_id, before, deadline), "listing the folder")
        if len(copies) > len(set(batch)):
            raise Pan123Error(
                f"task {task_id} copied {len(set(batch))} files, but {len(copies)} changed in the folder while it "
                "ran (someone else is adding files there), so which are the copies cannot be told: file IDs "
                f"{', '.join(f.file_id for f in copies[:10])}{' ...' if len(copies) > 10 else ''}",
                endpoint=_files.LIST_PATH,
            )
        for info in copies:
            linked.append((yield from _linked(ctx, info, deadline)))
    return linked


def _linked(ctx: Context, info: FileInfo, deadline: float) -> Steps[FileInfo]:
    """The file with its link: asked of `detail` again while the listing showed none yet."""
    if info.url or info.rejected:
        return info
    return (yield from _files.wait_for_link(ctx, info.file_id, deadline))


def _failures(ctx: Context, task_id: str, deadline: float) -> Steps[list[tuple[str, str]]]:
    """Every (drive file ID, filename) a copy task could not copy."""
    found: list[tuple[str, str]] = []
    for page in range(1, MAX_FAILURE_PAGES + 1):
        total, entries = yield from _timed(
            call(ctx, MigrationCalls.copy_failures(task_id, page), deadline), "listing failures"
        )
        found += entries
        if not entries or len(found) >= total:
            break
    return found
