"""The service's own state and rules: the tokens it issued (and the token call), and the uploads it is merging
(what the async-result poll answers). The image host's are in `_oss`, the imports' in `_migration`.

Like those, these are called under the fake's lock, and they read the fake's settings at every call rather than
copying them, so that a test may turn a setting (`fake.pending_polls = 0`) between requests.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import secrets
from collections.abc import Mapping
from typing import Any, Protocol

from ._clock import Clock
from ._oss import CHINA, NOT_FOUND, Answer
from ._shape import Replies


class Settings(Protocol):
    """The fake's settings the rules read (the attributes of `FakePan123` of the same names)."""

    clock: Clock
    client_id: str
    client_secret: str
    token_lifetime: float
    pending_polls: int
    pending_seconds: float
    auto_uploads: bool
    replies: Replies
    extra_fields: bool


class Tokens:
    """The access tokens issued, each with its expiry (wall-clock seconds), and the token call."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._expiries: dict[str, float] = {}
        self.issued = 0
        """How many tokens were handed out, by the token call or `FakePan123.issue_token`."""

    def issue(self, lifetime: float | None = None) -> tuple[str, float]:
        """A new token and when it expires; `lifetime` None means the fake's `token_lifetime`."""
        token = "fake." + secrets.token_urlsafe(24)
        expires = self._settings.clock.time() + (self._settings.token_lifetime if lifetime is None else lifetime)
        self._expiries[token] = expires
        self.issued += 1
        return token, expires

    def expire(self) -> None:
        self._expiries.clear()

    def accepts(self, authorization: str) -> bool:
        """Whether an `Authorization` header carries a live token (`Bearer <token>`, exactly one space)."""
        token = authorization.removeprefix("Bearer ") if authorization.startswith("Bearer ") else None
        return token is not None and self._expiries.get(token, -1.0) > self._settings.clock.time()

    def answer(self, body: Mapping[str, Any]) -> Answer:
        """The token call: a token for the fake's own client ID and secret, with its expiry in China time."""
        if body.get("clientID") != self._settings.client_id or body.get("clientSecret") != self._settings.client_secret:
            return 401, "clientID or clientSecret is invalid", None
        token, expires = self.issue()
        expired_at = datetime.datetime.fromtimestamp(expires, CHINA).isoformat(timespec="seconds")
        return 0, "ok", {"accessToken": token, "expiredAt": expired_at}


@dataclasses.dataclass(slots=True)
class FakeUpload:
    preupload_id: str
    file_id: str
    pending_polls: int
    pending_seconds: float
    fail_code: int | None
    fail_message: str
    created: float
    polls: int = 0


class Merges:
    """The uploads being merged, by preupload ID: each stays pending for its `pending_polls` polls and
    `pending_seconds` seconds, then answers its file ID, or its failure."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self.uploads: dict[str, FakeUpload] = {}
        self._ids = itertools.count(1)

    def add(
        self,
        preupload_id: str | None,
        *,
        file_id: str | None,
        pending_polls: int | None,
        pending_seconds: float | None,
        fail_code: int | None,
        fail_message: str,
    ) -> str:
        """An upload waiting to be merged, the fake's settings filling what is None; returns its preupload ID."""
        n = next(self._ids)
        pid = preupload_id or f"fake-preupload-{n}-{secrets.token_hex(8)}"
        self.uploads[pid] = FakeUpload(
            preupload_id=pid,
            file_id=file_id or f"fake-file-{n}-{secrets.token_hex(6)}",
            pending_polls=self._settings.pending_polls if pending_polls is None else pending_polls,
            pending_seconds=self._settings.pending_seconds if pending_seconds is None else pending_seconds,
            fail_code=fail_code,
            fail_message=fail_message,
            created=self._settings.clock.monotonic(),
        )
        return pid

    def merge_later(self, preupload_id: str, file_id: str | None, failure: str) -> None:
        """What an async `upload_complete` leaves to merge: the poll answers `file_id` once merged, or fails."""
        self.uploads[preupload_id] = FakeUpload(
            preupload_id, file_id or "", self._settings.pending_polls, self._settings.pending_seconds,
            None if file_id else 1, failure, self._settings.clock.monotonic(),
        )  # fmt: skip

    def poll(self, body: Mapping[str, Any]) -> Answer:
        """The async-result poll; with `auto_uploads`, an unknown preupload ID is a new pending upload."""
        pid = body["preuploadID"]
        upload = self.uploads.get(pid)
        if upload is None:
            if not self._settings.auto_uploads:
                return NOT_FOUND, "file does not exist", None
            self.uploads[pid] = upload = FakeUpload(
                pid, f"fake-file-{next(self._ids)}", self._settings.pending_polls, self._settings.pending_seconds,
                None, "", self._settings.clock.monotonic(),
            )  # fmt: skip
        upload.polls += 1
        if upload.fail_code is not None and upload.polls > upload.pending_polls:
            return upload.fail_code, upload.fail_message, None
        now = self._settings.clock.monotonic()
        done = upload.polls > upload.pending_polls and now - upload.created >= upload.pending_seconds
        return 0, "ok", {"completed": done, "fileID": upload.file_id if done else ""}
