"""The fake's image host: upload sessions, presigned slice URLs, stored slices, and the folder tree of
finished files that the file calls (mkdir, list, detail, move, delete) work on."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import io
import itertools
import math
import os
import re
import secrets
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, BinaryIO

Answer = tuple[int, str, Any]
"""(code, message, data) for an envelope."""

HEX32 = re.compile(r"^[0-9a-fA-F]{32}$")
FORBIDDEN = set('"\\/:*?|><')
PUT_PREFIX = "/fake-oss/"
DOWNLOAD_PREFIX = "/fake-files/"
"""Where the `downloadURL`s of the fake's files point: a GET there answers the stored bytes."""
INT64_MAX = 2**63 - 1
ROOT = ""
MAX_IDS = 100
"""The most IDs one move, delete or drive copy takes [doc]."""
CHINA = datetime.timezone(datetime.timedelta(hours=8))
"""The service writes times in China time."""

# Codes of the fake's failures. The docs name few codes, so most of these are [guess]es: a client should act on
# "not zero", and tests on the message.
BAD_REQUEST = 400
"""A request that breaks the spec or the docs' rules (a missing field, 101 IDs, a bad file name) [guess]."""
FAILED = 1
"""A well-formed request the service refuses, such as a folder name taken ("不能重名"); as in the spec's examples."""
NOT_FOUND = 5066
"""No such file, folder, upload or task; 5066 is on the docs' third-party-app page, its meaning a [guess]."""


@dataclasses.dataclass(slots=True)
class StoredPart:
    size: int
    md5: str
    blob: BinaryIO
    """The slice's bytes: in memory, or in a temporary file under the fake's `storage_dir`."""


@dataclasses.dataclass(slots=True)
class Session:
    preupload_id: str
    parent_id: str
    filename: str
    etag: str
    size: int
    slice_size: int
    parts: dict[int, StoredPart] = dataclasses.field(default_factory=dict)
    finished: bool = False
    outcome: Answer | None = None
    """What `upload_complete` answered, answered again to a repeated complete."""


@dataclasses.dataclass(slots=True)
class StoredFile:
    file_id: str
    filename: str
    parent_id: str
    size: int
    etag: str
    parts: list[StoredPart]
    created: float = 0.0
    """Wall-clock seconds, on the fake's clock."""
    updated: float = 0.0
    order: int = 0
    """Position in listings: entries are listed in the order they were made."""
    status: int = 0
    """Review status; above 100 means rejected by review [doc]."""
    link_polls: int = 0
    """Detail calls still to answer `downloadURL: ""`, as while the service prepares the link [seen]."""
    traffic: int = 0
    """Bytes served through the download link."""


@dataclasses.dataclass(slots=True)
class Folder:
    folder_id: str
    name: str
    parent_id: str
    created: float
    updated: float
    order: int


@dataclasses.dataclass(slots=True)
class Slot:
    preupload_id: str
    number: int
    expires: float
    signature: str


class OssStore:
    """State and rules of the image host. Not thread-safe by itself: the fake calls it under its lock,
    except `receive`, which only streams bytes into a fresh blob and touches shared state under `lock`.

    Uploads may name any parent folder, known or not [guess: the fake does not check], so that a test can
    upload without making folders first; mkdir, move and the imports want the root or a folder they know.
    """

    def __init__(
        self,
        *,
        slice_size: int,
        url_lifetime: float,
        complete_async: bool,
        storage_dir: str | os.PathLike[str] | None,
        now: Callable[[], float],
        on_async: Callable[[str, str | None, str], None],
        wall: Callable[[], float] | None = None,
        link_delay_polls: int = 0,
        user_self_url: str = "",
    ) -> None:
        self.slice_size = slice_size
        self.url_lifetime = url_lifetime
        self.complete_async = complete_async
        self.storage_dir = storage_dir
        self.link_delay_polls = link_delay_polls
        self.user_self_url = user_self_url
        self._now = now
        self._wall = wall or now
        self._on_async = on_async
        self.sessions: dict[str, Session] = {}
        self.files: dict[str, StoredFile] = {}
        self.folders: dict[str, Folder] = {}
        self.by_md5: dict[str, str] = {}
        self.slots: dict[str, Slot] = {}
        self._order = itertools.count(1)
        self._orders: dict[str, int] = {}
        """The listing position of every ID ever made, deleted ones included: `lastFileId` may name one."""
        self._dropped: list[StoredPart] = []
        """Parts of deleted files, closed with the rest by `close`."""

    def _new_blob(self) -> BinaryIO:
        if self.storage_dir is None:
            return io.BytesIO()
        return tempfile.TemporaryFile(dir=self.storage_dir)

    # Endpoints (called with the fake's lock held).
    def create(self, body: Mapping[str, Any]) -> Answer:
        parent, name, etag, size, kind = (body.get(k) for k in ("parentFileID", "filename", "etag", "size", "type"))
        if not isinstance(parent, str):
            return 400, "parentFileID must be a string", None
        if not isinstance(name, str) or bad_name(name):
            return 400, "filename is invalid", None
        if not isinstance(etag, str) or not HEX32.match(etag):
            return 400, "etag must be the hex MD5 of the file", None
        if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= INT64_MAX:
            return 400, "size must be a non-negative 64-bit integer", None
        if kind != 1:
            return 400, "type must be 1", None
        etag = etag.lower()
        known = self.by_md5.get(etag)
        if known is not None:
            original = self.files[known]
            file_id = self._store_file(name, parent, original.size, etag, original.parts)
            return 0, "ok", {"fileID": file_id, "preuploadID": "", "reuse": True, "sliceSize": 0}
        pid = f"fake/{secrets.token_urlsafe(24)}"  # real IDs hold '/' too: clients must not put them in paths
        self.sessions[pid] = Session(pid, parent, name, etag, size, self.slice_size)
        return 0, "ok", {"fileID": "", "preuploadID": pid, "reuse": False, "sliceSize": self.slice_size}

    def _session(self, body: Mapping[str, Any]) -> Session | Answer:
        pid = body.get("preuploadID")
        if not isinstance(pid, str) or not pid:
            return 400, "preuploadID is required", None
        session = self.sessions.get(pid)
        if session is None:
            return 5066, "file does not exist", None
        return session

    def upload_url(self, body: Mapping[str, Any], origin: str) -> Answer:
        session = self._session(body)
        if not isinstance(session, Session):
            return session
        if session.finished:
            return 1, "upload already completed", None
        number = body.get("sliceNo")
        count = max(1, math.ceil(session.size / session.slice_size))
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= count:
            return 400, f"sliceNo must be from 1 to {count}", None
        slot_id, signature = secrets.token_urlsafe(16), secrets.token_hex(8)
        expires = self._now() + self.url_lifetime
        self.slots[slot_id] = Slot(session.preupload_id, number, expires, signature)
        url = f"{origin}{PUT_PREFIX}{slot_id}?expires={expires:.0f}&signature={signature}"
        return 0, "ok", {"presignedURL": url, "isMultipart": count > 1}

    def parts(self, body: Mapping[str, Any]) -> Answer:
        session = self._session(body)
        if not isinstance(session, Session):
            return session
        parts = [{"partNumber": n, "size": p.size, "etag": p.md5} for n, p in sorted(session.parts.items())]
        return 0, "ok", {"parts": parts}

    def complete(self, body: Mapping[str, Any]) -> Answer:
        session = self._session(body)
        if not isinstance(session, Session):
            return session
        if session.outcome is not None:
            # [guess] Completing again answers as the first time did: a client whose first complete timed out
            # after the service acted on it must still learn the file ID.
            return session.outcome
        count = max(1, math.ceil(session.size / session.slice_size))
        missing = [n for n in range(1, count + 1) if n not in session.parts]
        if missing:
            return 1, f"slices missing: {missing[:5]}", None
        parts = [session.parts[n] for n in range(1, count + 1)]
        digest = hashlib.md5(usedforsecurity=False)
        for part in parts:
            part.blob.seek(0)
            while chunk := part.blob.read(1 << 20):
                digest.update(chunk)
        good = digest.hexdigest() == session.etag and sum(p.size for p in parts) == session.size
        session.finished = True
        file_id = (
            self._store_file(session.filename, session.parent_id, session.size, session.etag, parts) if good else None
        )
        if self.complete_async:
            self._on_async(session.preupload_id, file_id, "file check failed: MD5 does not match the declared etag")
            session.outcome = (0, "ok", {"async": True, "completed": False, "fileID": ""})
        elif file_id is None:
            session.outcome = (1, "file check failed: MD5 does not match the declared etag", None)
        else:
            session.outcome = (0, "ok", {"async": False, "completed": True, "fileID": file_id})
        return session.outcome

    def _store_file(
        self, name: str, parent: str, size: int, etag: str, parts: list[StoredPart], file_id: str | None = None
    ) -> str:
        file_id = file_id or f"fake-oss-{secrets.token_hex(10)}"
        now, order = self._wall(), self._next_order(file_id)
        self.files[file_id] = StoredFile(
            file_id, name, parent, size, etag, parts, now, now, order, link_polls=self.link_delay_polls
        )
        self.by_md5.setdefault(etag, file_id)
        return file_id

    def _next_order(self, entry_id: str) -> int:
        self._orders[entry_id] = order = next(self._order)
        return order

    # The folder tree.
    def is_folder(self, folder_id: str) -> bool:
        return folder_id == ROOT or folder_id in self.folders

    def _children(self, parent: str) -> Iterator[StoredFile | Folder]:
        yield from (f for f in self.folders.values() if f.parent_id == parent)
        yield from (f for f in self.files.values() if f.parent_id == parent)

    def _name_taken(self, parent: str, name: str) -> bool:
        return any((c.name if isinstance(c, Folder) else c.filename) == name for c in self._children(parent))

    def add_folder(self, name: str, parent: str, folder_id: str | None = None) -> str:
        folder_id = folder_id or f"fake-dir-{secrets.token_hex(10)}"
        now = self._wall()
        self.folders[folder_id] = Folder(folder_id, name, parent, now, now, self._next_order(folder_id))
        return folder_id

    def folder_named(self, name: str, parent: str) -> str:
        """The ID of the folder `name` in `parent`, made if there is none."""
        found = next((f for f in self.folders.values() if f.parent_id == parent and f.name == name), None)
        return found.folder_id if found is not None else self.add_folder(name, parent)

    def land(self, name: str, parent: str, data: bytes, file_id: str | None = None) -> str:
        """Store `data` as a file, as an import does: a file with the same etag and size in that folder is
        overwritten, keeping its ID [doc]. `file_id` (for seeding) makes a new file with that ID."""
        etag = hashlib.md5(data, usedforsecurity=False).hexdigest()
        same = (f for f in self.files.values() if (f.parent_id, f.etag, f.size) == (parent, etag, len(data)))
        existing = next(same, None) if file_id is None else None
        if existing is not None:
            existing.filename, existing.updated = name, self._wall()
            return existing.file_id
        blob = self._new_blob()
        blob.write(data)
        return self._store_file(name, parent, len(data), etag, [StoredPart(len(data), etag, blob)], file_id)

    def mkdir(self, body: Mapping[str, Any]) -> Answer:
        names, parent = body["name"], body["parentID"]
        if not names:
            return BAD_REQUEST, "name must hold a folder name", None
        if any(bad_name(name) for name in names):
            return BAD_REQUEST, 'a folder name is 1 to 255 characters, none of "\\/:*?|><', None
        if not self.is_folder(parent):
            return NOT_FOUND, f"父目录不存在 (parentID {parent!r})", None
        if len(set(names)) < len(names) or any(self._name_taken(parent, name) for name in names):
            return FAILED, "目录名不能重名", None
        made = [(name, self.add_folder(name, parent)) for name in names]
        return 0, "ok", {"list": [{"filename": name, "dirID": folder_id} for name, folder_id in made]}

    def listing(self, body: Mapping[str, Any], origin: str) -> Answer:
        parent, limit = body.get("parentFileId") or ROOT, body["limit"]
        start, end, after = body.get("startTime"), body.get("endTime"), body.get("lastFileId") or ""
        entries = sorted(self._children(parent), key=lambda entry: entry.order)
        if start is not None:
            entries = [e for e in entries if int(e.created) >= start]
        if end is not None:
            entries = [e for e in entries if int(e.created) <= end]
        if after == "-1":
            entries = []  # past the last page
        elif after:
            if after not in self._orders:
                return BAD_REQUEST, f"lastFileId {after!r} is not from a listing", None
            entries = [e for e in entries if e.order > self._orders[after]]
        page = entries[:limit]
        last = (
            (page[-1].folder_id if isinstance(page[-1], Folder) else page[-1].file_id) if len(entries) > limit else "-1"
        )
        return 0, "ok", {"lastFileId": last, "fileList": [self._describe(e, origin, detail=False) for e in page]}

    def detail(self, file_id: str, origin: str) -> Answer:
        entry = self.files.get(file_id) or self.folders.get(file_id)
        if entry is None:
            return NOT_FOUND, "文件不存在", None
        return 0, "ok", self._describe(entry, origin, detail=True)

    def _describe(self, entry: StoredFile | Folder, origin: str, *, detail: bool) -> dict[str, Any]:
        """The 14 documented fields, and the three undocumented ones real replies carry [doc, in the example]."""
        parent = self.folders.get(entry.parent_id)
        common = {
            "createAt": _stamp(entry.created), "updateAt": _stamp(entry.updated), "parentFileId": entry.parent_id,
            "parentFilename": parent.name if parent is not None else "", "ossIndex": entry.order,
        }  # fmt: skip
        if isinstance(entry, Folder):
            return {
                "fileId": entry.folder_id, "filename": entry.name, "type": 1, "size": 0, "etag": "", "status": 0,
                "downloadURL": "", "userSelfURL": "", "totalTraffic": 0, "extension": "", "s3KeyFlag": "",
                "storageNode": "", **common,
            }  # fmt: skip
        ext = entry.filename.rsplit(".", 1)[-1] if "." in entry.filename else ""
        ready = entry.link_polls <= 0
        if detail and not ready:
            entry.link_polls -= 1
        name = entry.file_id + (f".{ext}" if ext else "")
        own = self.user_self_url.rstrip("/")
        return {
            "fileId": entry.file_id, "filename": entry.filename, "type": 0, "size": entry.size, "etag": entry.etag,
            "status": entry.status, "downloadURL": f"{origin}{DOWNLOAD_PREFIX}{name}" if ready else "",
            "userSelfURL": f"{own}/{name}" if ready and own else "", "totalTraffic": entry.traffic, "extension": ext,
            "s3KeyFlag": f"{entry.order}-0", "storageNode": "fake", **common,
        }  # fmt: skip

    def move(self, body: Mapping[str, Any]) -> Answer:
        ids, target = body["fileIDs"], body["toParentFileID"]
        if not 1 <= len(ids) <= MAX_IDS:
            return BAD_REQUEST, f"fileIDs must hold 1 to {MAX_IDS} IDs", None
        if not self.is_folder(target):
            return NOT_FOUND, f"目标目录不存在 (toParentFileID {target!r})", None
        unknown = [i for i in ids if i not in self.files and i not in self.folders]
        if unknown:
            return NOT_FOUND, f"文件不存在: {', '.join(unknown[:5])}", None
        for folder_id in (i for i in ids if i in self.folders):
            if folder_id in self._ancestry(target):
                return FAILED, "不能移动到自身或其子目录", None
        now = self._wall()
        for entry_id in ids:
            entry: StoredFile | Folder = self.files.get(entry_id) or self.folders[entry_id]
            entry.parent_id, entry.updated = target, now
        return 0, "ok", None

    def _ancestry(self, folder_id: str) -> list[str]:
        """`folder_id` and every folder above it."""
        chain: list[str] = []
        while folder_id in self.folders and folder_id not in chain:
            chain.append(folder_id)
            folder_id = self.folders[folder_id].parent_id
        return chain

    def delete(self, body: Mapping[str, Any]) -> Answer:
        ids = body["fileIDs"]
        if not 1 <= len(ids) <= MAX_IDS:
            return BAD_REQUEST, f"fileIDs must hold 1 to {MAX_IDS} IDs", None
        for entry_id in ids:  # [guess] an ID already gone is no error: deleting again after a lost reply works
            self._remove(entry_id)
        return 0, "ok", None

    def _remove(self, entry_id: str) -> None:
        if entry_id in self.folders:
            for child in list(self._children(entry_id)):
                self._remove(child.folder_id if isinstance(child, Folder) else child.file_id)
            del self.folders[entry_id]
            return
        stored = self.files.pop(entry_id, None)
        if stored is None:
            return
        self._dropped += stored.parts
        if self.by_md5.get(stored.etag) == entry_id:
            other = next((f.file_id for f in self.files.values() if f.etag == stored.etag), None)
            if other is None:
                del self.by_md5[stored.etag]
            else:
                self.by_md5[stored.etag] = other

    def download(self, path: str) -> tuple[int, bytes]:
        """A GET of a `downloadURL`: the stored bytes, 404 for a file that is gone, 403 for one review rejected."""
        file_id = path.removeprefix(DOWNLOAD_PREFIX).split(".", 1)[0]
        stored = self.files.get(file_id)
        if stored is None:
            return 404, b""
        if stored.status > 100:
            return 403, b""
        data = self.file_bytes(file_id)
        stored.traffic += len(data)
        return 200, data

    # Slice PUTs.
    def check_put(self, path: str, query: Mapping[str, str], headers: Mapping[str, str]) -> Slot | tuple[int, str]:
        """Whether a PUT may proceed: a known, unexpired, correctly signed URL, without API headers."""
        slot = self.slots.get(path.removeprefix(PUT_PREFIX))
        if slot is None or query.get("signature") != slot.signature:
            return 403, "SignatureDoesNotMatch"
        if self._now() > slot.expires:
            return 403, "Request has expired"
        if "authorization" in headers or "platform" in headers:
            return 400, "a presigned URL takes no Authorization or Platform header"
        if "content-length" not in headers:
            return 411, "MissingContentLength"
        return slot

    def receive(self, chunks: Iterable[bytes]) -> tuple[BinaryIO, int, str]:
        """Stream a slice's bytes into a new blob, hashing them; memory stays at one chunk."""
        blob = self._new_blob()
        digest = hashlib.md5(usedforsecurity=False)
        size = 0
        for chunk in chunks:
            blob.write(chunk)
            digest.update(chunk)
            size += len(chunk)
        return blob, size, digest.hexdigest()

    def store(self, slot: Slot, blob: BinaryIO, size: int, md5: str) -> None:
        session = self.sessions.get(slot.preupload_id)
        if session is not None and not session.finished:
            session.parts[slot.number] = StoredPart(size, md5, blob)

    def close(self) -> None:
        """Free every stored slice (temporary files under `storage_dir` included)."""
        blobs = {id(p.blob): p.blob for s in self.sessions.values() for p in s.parts.values()}
        blobs.update({id(p.blob): p.blob for f in self.files.values() for p in f.parts})
        blobs.update({id(p.blob): p.blob for p in self._dropped})
        for blob in blobs.values():
            blob.close()
        self.sessions.clear()
        self.files.clear()
        self.folders.clear()
        self.by_md5.clear()
        self._dropped.clear()

    def file_bytes(self, file_id: str) -> bytes:
        out = bytearray()
        for part in self.files[file_id].parts:
            part.blob.seek(0)
            out += part.blob.read()
        return bytes(out)


def bad_name(name: str) -> bool:
    """Whether a file or folder name breaks the docs' rules: under 256 characters, none of `"\\/:*?|><` [doc]."""
    return not name.strip() or len(name) > 255 or bool(FORBIDDEN.intersection(name))


def _stamp(seconds: float) -> str:
    return datetime.datetime.fromtimestamp(seconds, CHINA).strftime("%Y-%m-%d %H:%M:%S")


def xml_error(code: str) -> bytes:
    return f"<?xml version='1.0'?><Error><Code>{code}</Code></Error>".encode()
