"""pan123_oss: a client for the 123pan Open Platform image-hosting (OSS) upload API.

    with pan123_oss.Client(client_id="...", client_secret="...") as client:
        file_id = client.wait_for_upload(preupload_id)
        result = client.upload_file("cat.jpg", folder="blog/2026/11")   # the whole upload, then its link
        print(result.url)

The generated low-level client, `pan123_oss_api`, stays reachable as `client.raw`.
"""

from ._async._client import AsyncClient
from ._client_base import Clock, Options
from ._errors import (
    ApiError,
    AuthError,
    LinkTimeoutError,
    MalformedResponseError,
    Pan123Error,
    PartialBatchError,
    PollTimeoutError,
    RateLimitError,
    TaskFailedError,
    TaskTimeoutError,
    TransportError,
    UploadTimeoutError,
)
from ._flows._governor import SharedRates
from ._policy import MIN_POLL_INTERVAL, PollPolicy, RatePolicy, RetryPolicy
from ._stores._redis_rates import RedisRates
from ._stores._redis_tokens import RedisTokenStore
from ._stores._tokens import FileTokenStore, MemoryTokenStore, TokenStore
from ._sync._client import Client
from ._types import AsyncResult, FileInfo, PollEvent, Token, UploadResult

__version__ = "0.1.0"

__all__ = [
    "MIN_POLL_INTERVAL",
    "ApiError",
    "AsyncClient",
    "AsyncResult",
    "AuthError",
    "Client",
    "Clock",
    "FileInfo",
    "FileTokenStore",
    "LinkTimeoutError",
    "MalformedResponseError",
    "MemoryTokenStore",
    "Options",
    "Pan123Error",
    "PartialBatchError",
    "PollEvent",
    "PollPolicy",
    "PollTimeoutError",
    "RateLimitError",
    "RatePolicy",
    "RedisRates",
    "RedisTokenStore",
    "RetryPolicy",
    "SharedRates",
    "TaskFailedError",
    "TaskTimeoutError",
    "Token",
    "TokenStore",
    "TransportError",
    "UploadResult",
    "UploadTimeoutError",
    "__version__",
]
