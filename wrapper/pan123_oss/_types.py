"""Small value types the public API returns."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable


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


OnProgress = Callable[[int, int], None]
"""Called with (bytes sent, total bytes) as an upload proceeds."""
