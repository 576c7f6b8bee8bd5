"""Small value types the public API returns."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

REJECTED_ABOVE = 100
"""A review `status` above this means the file was rejected [doc]."""


@dataclasses.dataclass(frozen=True, slots=True)
class AsyncResult:
    """One answer of `upload_async_result`: whether the upload is merged and checked, and its file ID."""

    completed: bool
    file_id: str
    trace_id: str
    code: int = 0
    """`0`, or `20103` when the server said the file is still being verified (reported as not completed)."""


@dataclasses.dataclass(frozen=True, slots=True)
class PollEvent:
    """What one poll of `wait_for_upload` saw, handed to `on_poll` for progress display."""

    attempt: int
    """How many requests this wait has sent so far, this one included."""
    elapsed: float
    """Seconds since the wait began."""
    completed: bool
    trace_id: str | None
    code: int | None = None
    """The reply's `code`, or None when no envelope came back (a transport failure)."""
    error: str | None = None
    """Why the poll did not give an answer (rate limit, transport trouble), if it did not."""


OnPoll = Callable[[PollEvent], None]


@dataclasses.dataclass(frozen=True, slots=True)
class Token:
    """An access token and when it expires (seconds since the epoch). The token never shows in a repr."""

    access_token: str = dataclasses.field(repr=False)
    expires_at: float


@dataclasses.dataclass(frozen=True, slots=True)
class UploadResult:
    """A finished upload."""

    file_id: str
    filename: str
    size: int
    etag: str
    """The file's MD5, in hex."""
    reused: bool
    """True for an instant upload: the service already had these bytes, none were sent."""
    preupload_id: str
    """The upload's pre-upload ID (may be empty for an instant upload)."""
    url: str | None = None
    """The file's link (`downloadURL`); None when the upload was made with `link=False`."""
    self_url: str | None = None
    """The link on your own domain (`userSelfURL`, empty without one); None with `link=False`."""
    status: int | None = None
    """The review status; above 100 means rejected by review. None with `link=False`."""

    @property
    def rejected(self) -> bool:
        """True when review rejected the file: its link will not serve it."""
        return self.status is not None and self.status > REJECTED_ABOVE


@dataclasses.dataclass(frozen=True, slots=True)
class FileInfo:
    """A file or folder of the image host, as `file_info` and `list_files` describe it."""

    file_id: str
    filename: str
    parent_id: str
    is_folder: bool
    size: int
    etag: str
    """The file's MD5, in hex (empty for a folder)."""
    status: int
    """The review status; above 100 means rejected by review."""
    url: str
    """The link (`downloadURL`); empty while the service is still preparing it."""
    self_url: str
    """The link on your own domain (`userSelfURL`); empty without one."""
    created_at: str
    updated_at: str
    """Times as the service wrote them (`createAt`, `updateAt`)."""

    @property
    def rejected(self) -> bool:
        """True when review rejected the file: its link will not serve it."""
        return self.status > REJECTED_ABOVE


OnProgress = Callable[[int, int], None]
"""Called with (bytes sent, total bytes) as an upload proceeds."""
