"""One hierarchy for every failure the client reports.

Every error that comes from a reply carries what 123pan support and the caller need to act on it: the
API `code`, the server's `message`, the `x-traceID`, the HTTP status, the endpoint and, for upload
calls, the `preuploadID` so that a wait can be resumed later.
"""

from __future__ import annotations

from ._policy import MAX_PRINTED


class Pan123Error(Exception):
    """Base class of every error raised by pan123_oss."""

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        trace_id: str | None = None,
        http_status: int | None = None,
        endpoint: str | None = None,
        preupload_id: str | None = None,
    ) -> None:
        self.message = message
        self.code = code
        self.trace_id = trace_id
        self.http_status = http_status
        self.endpoint = endpoint
        self.preupload_id = preupload_id
        super().__init__(self._sentence())

    def _sentence(self) -> str:
        # What the server sent is printed to terminals and logs: no escape sequences, no endless lines.
        text = printable(self.message)
        # One full stop is the sentence's own and goes; an ellipsis ("ten IDs ...") is the message's and stays.
        parts = [text[:-1] if text.endswith(".") and not text.endswith("..") else text]
        if self.code is not None:
            parts.append(f"code {self.code}")
        if self.http_status is not None:
            parts.append(f"HTTP {self.http_status}")
        if self.endpoint:
            parts.append(f"endpoint {self.endpoint}")
        if self.preupload_id:
            parts.append(f"preuploadID {printable(self.preupload_id)!r}")
        parts.append(f"trace ID {printable(self.trace_id)}" if self.trace_id else "no trace ID")
        return f"{parts[0]} ({', '.join(parts[1:])})."

    def __reduce__(self) -> tuple[object, ...]:
        # Keeps the keyword-only context when errors cross process boundaries (multiprocessing, pickling).
        return (_rebuild, (type(self), dict(self.__dict__)))


def printable(text: str, limit: int | None = MAX_PRINTED) -> str:
    """`text` as one terminal-safe line: control characters (escape sequences, CR) escaped, and cut to `limit`
    characters unless it is None."""
    if limit is not None and len(text) > limit:
        text = text[:limit] + f"... ({len(text)} characters)"
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _rebuild(cls: type[Pan123Error], state: dict[str, object]) -> Pan123Error:
    err = cls.__new__(cls)
    err.__dict__.update(state)
    Exception.__init__(err, err._sentence())
    return err


class DeadlineError(Exception):
    """Internal: a flow ran out of time. Each flow turns it into its public error (PollTimeoutError,
    UploadTimeoutError); it never reaches a caller."""

    def __init__(self, message: str, endpoint: str | None = None, preupload_id: str | None = None) -> None:
        super().__init__(message)
        self.endpoint = endpoint
        self.preupload_id = preupload_id


class ApiError(Pan123Error):
    """The service answered with a non-zero `code` that retrying will not fix."""


class AuthError(ApiError):
    """Authentication failed: bad credentials, or a 401 that a token refresh could not fix."""


class RateLimitError(ApiError):
    """The service kept answering `429 too many requests` after the retry budget was spent."""


class TransportError(Pan123Error):
    """Connection failures, timeouts, HTTP 5xx or non-JSON bodies, after the retry budget was spent."""


class MalformedResponseError(Pan123Error):
    """A JSON reply that breaks the spec: missing or mistyped fields. Not retried."""


class PollTimeoutError(Pan123Error, TimeoutError):
    """The upload did not complete before the deadline. Resume later with the same `preupload_id`."""

    def __init__(
        self,
        message: str,
        *,
        preupload_id: str,
        polls: int,
        elapsed: float,
        last_trace_id: str | None,
        endpoint: str | None = None,
    ) -> None:
        self.polls = polls
        self.elapsed = elapsed
        self.last_trace_id = last_trace_id
        super().__init__(message, trace_id=last_trace_id, endpoint=endpoint, preupload_id=preupload_id)


class UploadTimeoutError(Pan123Error, TimeoutError):
    """An upload ran past its `timeout` before its bytes were all sent. Resume it with `preupload_id`."""


class LinkTimeoutError(Pan123Error, TimeoutError):
    """The file is stored, but the service had not given it a link (`downloadURL`) by the deadline.

    `file_id` names the file: ask `file_info(file_id)` again later for its link. After an upload, `preupload_id`
    names the upload too, as every error after `create` does (there is nothing to resume: the file is stored).
    """

    def __init__(
        self,
        message: str,
        *,
        file_id: str,
        trace_id: str | None = None,
        endpoint: str | None = None,
        preupload_id: str | None = None,
    ) -> None:
        self.file_id = file_id
        super().__init__(message, trace_id=trace_id, endpoint=endpoint, preupload_id=preupload_id)


class TaskFailedError(ApiError):
    """An import task (offline migration or drive copy) ended in failure; `task_id` names it.

    `failures` lists, for a drive copy, the (drive file ID, filename) of each file that was not copied."""

    def __init__(
        self, message: str, *, task_id: str, failures: list[tuple[str, str]] | None = None, endpoint: str | None = None
    ) -> None:
        self.task_id = task_id
        self.failures = failures or []
        super().__init__(message, endpoint=endpoint)


class TaskTimeoutError(Pan123Error, TimeoutError):
    """An import task had not finished by the deadline; it may still finish. `task_id` names it ("" when the
    deadline came before the task was started)."""

    def __init__(self, message: str, *, task_id: str, endpoint: str | None = None) -> None:
        self.task_id = task_id
        super().__init__(message, endpoint=endpoint)


class PartialBatchError(Pan123Error):
    """A call on many IDs (sent 100 per request) failed after some of its requests succeeded: `done` lists the
    IDs that were moved or deleted, `not_done` the rest. `code`, `trace_id` and `endpoint` are the failure's."""

    def __init__(self, message: str, *, done: list[str], not_done: list[str], cause: Pan123Error) -> None:
        self.done = done
        self.not_done = not_done
        super().__init__(
            message, code=cause.code, trace_id=cause.trace_id, http_status=cause.http_status, endpoint=cause.endpoint
        )
