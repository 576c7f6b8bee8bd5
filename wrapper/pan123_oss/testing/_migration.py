"""The fake's migration into the image host: copy tasks from a cloud drive it keeps, and offline downloads of URLs
it was told about.

Nothing here touches the network: a URL "holds" what `FakePan123.add_remote_file` said, and `callBackUrl` is
never called. Tasks advance only when asked about, like the fake's uploads: one is done once it has been
asked about more than `task_polls` times and `task_seconds` have passed since it started.
"""

from __future__ import annotations

import dataclasses
import itertools
import posixpath
import re
import secrets
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any

from ._oss import BAD_REQUEST, MAX_IDS, NOT_FOUND, ROOT, Answer, OssStore, bad_name

OFFLINE_FOLDER = "来自:离线下载"
"""Where an offline download lands without `businessDirID` [doc]."""
HTTP_URL = re.compile(r"^https?://", re.IGNORECASE)

# Task states [doc].
COPY_RUNNING, COPY_DONE, COPY_FAILED = 1, 2, 3
OFFLINE_RUNNING, OFFLINE_FAILED, OFFLINE_DONE = 0, 1, 2


@dataclasses.dataclass(slots=True)
class DriveFile:
    drive_id: str
    name: str
    data: bytes
    failure: str | None = None
    """Why copying it fails (`FakePan123.fail_copy`), or None."""


@dataclasses.dataclass(slots=True)
class CopyTask:
    task_id: str
    drive_ids: list[str]
    target: str
    started: float
    polls: int = 0
    status: int = COPY_RUNNING
    fail_msg: str = ""
    failures: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    copied: list[str] = dataclasses.field(default_factory=list)
    """The image-host file IDs the task made."""


@dataclasses.dataclass(slots=True)
class OfflineTask:
    task_id: int
    url: str
    filename: str
    target: str | None
    """The folder to land in; None for the default folder."""
    started: float
    polls: int = 0
    status: int = OFFLINE_RUNNING
    file_id: str | None = None


class Imports:
    """State and rules of both kinds of import; called under the fake's lock."""

    def __init__(self, store: OssStore, *, task_polls: int, task_seconds: float, now: Callable[[], float]) -> None:
        self.store = store
        self.task_polls = task_polls
        self.task_seconds = task_seconds
        self._now = now
        self.drive: dict[str, DriveFile] = {}
        self.remote: dict[str, bytes] = {}
        self.copies: dict[str, CopyTask] = {}
        self.offline: dict[int, OfflineTask] = {}
        self._offline_ids = itertools.count(403_316)  # the docs' example task ID, then on

    def _due(self, polls: int, started: float) -> bool:
        return polls > self.task_polls and self._now() - started >= self.task_seconds

    # Drive copy.
    def start_copy(self, body: Mapping[str, Any]) -> Answer:
        ids, target = body["fileIDs"], body["toParentFileID"]
        if not 1 <= len(ids) <= MAX_IDS:
            return BAD_REQUEST, f"fileIDs must hold 1 to {MAX_IDS} IDs", None
        if not self.store.is_folder(target):
            return NOT_FOUND, f"目标目录不存在 (toParentFileID {target!r})", None
        unknown = [i for i in ids if i not in self.drive]
        if unknown:
            return NOT_FOUND, f"云盘文件不存在: {', '.join(unknown[:5])}", None
        task_id = secrets.token_hex(16)
        self.copies[task_id] = CopyTask(task_id, list(dict.fromkeys(ids)), target, self._now())
        return 0, "ok", {"taskID": task_id}

    def copy_process(self, task_id: str) -> Answer:
        task = self.copies.get(task_id)
        if task is None:
            return NOT_FOUND, "任务不存在", None
        task.polls += 1
        if task.status == COPY_RUNNING and self._due(task.polls, task.started):
            self._finish_copy(task)
        return 0, "ok", {"status": task.status, "failMsg": task.fail_msg}

    def _finish_copy(self, task: CopyTask) -> None:
        for drive_id in task.drive_ids:
            source = self.drive[drive_id]
            if source.failure is not None:
                task.failures.append((int(drive_id), source.name))
            else:
                task.copied.append(self.store.land(source.name, task.target, source.data))
        if task.copied or not task.failures:
            task.status = COPY_DONE
        else:
            task.status = COPY_FAILED
            task.fail_msg = "; ".join(dict.fromkeys(str(self.drive[str(i)].failure) for i, _ in task.failures))

    def copy_failures(self, task_id: str, limit: int, page: int) -> Answer:
        task = self.copies.get(task_id)
        if task is None:
            return NOT_FOUND, "任务不存在", None
        chunk = task.failures[(page - 1) * limit : page * limit]
        entries = [{"fileId": file_id, "filename": name} for file_id, name in chunk]
        return 0, "ok", {"total": len(task.failures), "list": entries or None}  # null when none [doc]

    # Offline download.
    def start_offline(self, body: Mapping[str, Any]) -> Answer:
        url, name, target = body["url"], body.get("fileName"), body.get("businessDirID") or None
        try:
            path = urllib.parse.urlsplit(url).path
        except ValueError:  # such as "http://[": a broken IPv6 host
            path = None
        if not HTTP_URL.match(url) or path is None:
            return BAD_REQUEST, "url must be an http or https URL", None
        if name is None:
            name = posixpath.basename(urllib.parse.unquote(path)) or "download"
        if bad_name(name):
            return BAD_REQUEST, 'fileName is 1 to 255 characters, none of "\\/:*?|><', None
        if target is not None and target not in self.store.folders:
            # The root is not allowed [doc]; "" counts as absent [guess].
            return NOT_FOUND, f"目录不存在 (businessDirID {target!r})", None
        task_id = next(self._offline_ids)
        self.offline[task_id] = OfflineTask(task_id, url, name, target, self._now())
        return 0, "ok", {"taskID": task_id}

    def offline_process(self, task_id: int) -> Answer:
        task = self.offline.get(task_id)
        if task is None:
            return NOT_FOUND, "任务不存在", None
        task.polls += 1
        if task.status == OFFLINE_RUNNING and self._due(task.polls, task.started):
            data = self.remote.get(task.url)
            if data is None:
                task.status = OFFLINE_FAILED  # nothing there: the fake fetches nothing from the network
            else:
                target = task.target if task.target is not None else self.store.folder_named(OFFLINE_FOLDER, ROOT)
                task.file_id = self.store.land(task.filename, target, data)
                task.status = OFFLINE_DONE
        if task.status == OFFLINE_RUNNING:
            process = min(99, 100 * (task.polls - 1) // (self.task_polls + 1))
        else:
            process = 100 if task.status == OFFLINE_DONE else 0
        return 0, "ok", {"status": task.status, "process": process}
