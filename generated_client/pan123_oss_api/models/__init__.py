"""Contains all the data models used in inputs/outputs"""

from .access_token_data import AccessTokenData
from .access_token_request import AccessTokenRequest
from .access_token_response import AccessTokenResponse
from .error_response import ErrorResponse
from .get_access_token_platform import GetAccessTokenPlatform
from .upload_async_result_data import UploadAsyncResultData
from .upload_async_result_platform import UploadAsyncResultPlatform
from .upload_async_result_request import UploadAsyncResultRequest
from .upload_async_result_response import UploadAsyncResultResponse

__all__ = (
    "AccessTokenData",
    "AccessTokenRequest",
    "AccessTokenResponse",
    "ErrorResponse",
    "GetAccessTokenPlatform",
    "UploadAsyncResultData",
    "UploadAsyncResultPlatform",
    "UploadAsyncResultRequest",
    "UploadAsyncResultResponse",
)
