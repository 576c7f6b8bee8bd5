"""The fake's image host: upload sessions, presigned slice URLs, stored slices and finished files."""

from __future__ import annotations

import dataclasses
import hashlib
import math
import os
import re
import secrets
import tempfile
from collections.abc import Callable, Iterable, Mapping
from typing import Any, BinaryIO

Answer = tuple[int, str, Any]
"""(code, message, data) for an envelope."""

HEX32 = re.compile(r"^[0-9a-fA-F]{32}$")
FORBIDDEN = set('"\\/:*?|><')
PUT_PREFIX = "/fake-oss/"
INT64_MAX = 2**63 - 1


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


@dataclasses.dataclass(slots=True)
class Slot:
    preupload_id: str
    number: int
    expires: float
    signature: str


class OssStore:
    """State and rules of the upload flow. Not thread-safe by itself: the fake calls it under its lock,
    except `receive`, which only streams bytes into a fresh blob and touches shared state under `lock`."""

    def __init__(
        self,
        *,
        slice_size: int,
        url_lifetime: float,
        complete_async: bool,
        storage_dir: str | os.PathLike[str] | None,
        now: Callable[[], float],
        on_async: Callable[[str, str | None, str], None],
    ) -> None:
        self.slice_size = slice_size
        self.url_lifetime = url_lifetime
        self.complete_async = complete_async
        self.storage_dir = storage_dir
        self._now = now
        self._on_async = on_async
        self.sessions: dict[str, Session] = {}
        self.files: dict[str, StoredFile] = {}
        self.by_md5: dict[str, str] = {}
        self.slots: dict[str, Slot] = {}

    def _new_blob(self) -> BinaryIO:
        if self.storage_dir is None:
            import io

            return io.BytesIO()
        return tempfile.TemporaryFile(dir=self.storage_dir)

    # Endpoints (called with the fake's lock held).
    def create(self, body: Mapping[str, Any]) -> Answer:
        parent, name, etag, size, kind = (body.get(k) for k in ("parentFileID", "filename", "etag", "size", "type"))
        if not isinstance(parent, str):
            return 400, "parentFileID must be a string", None
        if not isinstance(name, str) or not name.strip() or len(name) > 255 or FORBIDDEN.intersection(name):
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
            return 0, "ok", {"async": True, "completed": False, "fileID": ""}
        if file_id is None:
            return 1, "file check failed: MD5 does not match the declared etag", None
        return 0, "ok", {"async": False, "completed": True, "fileID": file_id}

    def detail(self, file_id: str, origin: str) -> Answer:
        stored = self.files.get(file_id)
        if stored is None:
            return 5066, "file does not exist", None
        ext = stored.filename.rsplit(".", 1)[-1] if "." in stored.filename else ""
        return 0, "ok", {
            "fileId": stored.file_id, "filename": stored.filename, "type": 0, "size": stored.size,
            "etag": stored.etag, "status": 2, "createAt": "", "updateAt": "",
            "downloadURL": f"{origin}/fake-files/{stored.file_id}", "userSelfURL": "", "totalTraffic": 0,
            "parentFileId": stored.parent_id, "parentFilename": "", "extension": ext,
        }  # fmt: skip

    def _store_file(self, name: str, parent: str, size: int, etag: str, parts: list[StoredPart]) -> str:
        file_id = f"fake-oss-{secrets.token_hex(10)}"
        self.files[file_id] = StoredFile(file_id, name, parent, size, etag, parts)
        self.by_md5.setdefault(etag, file_id)
        return file_id

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
        for blob in blobs.values():
            blob.close()
        self.sessions.clear()
        self.files.clear()
        self.by_md5.clear()

    def file_bytes(self, file_id: str) -> bytes:
        out = bytearray()
        for part in self.files[file_id].parts:
            part.blob.seek(0)
            out += part.blob.read()
        return bytes(out)


def xml_error(code: str) -> bytes:
    return f"<?xml version='1.0'?><Error><Code>{code}</Code></Error>".encode()
