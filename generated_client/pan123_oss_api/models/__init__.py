"""Contains all the data models used in inputs/outputs"""

from .access_token_data import AccessTokenData
from .access_token_request import AccessTokenRequest
from .access_token_response import AccessTokenResponse
from .complete_upload_platform import CompleteUploadPlatform
from .create_upload_data import CreateUploadData
from .create_upload_platform import CreateUploadPlatform
from .create_upload_request import CreateUploadRequest
from .create_upload_request_type import CreateUploadRequestType
from .create_upload_response import CreateUploadResponse
from .error_response import ErrorResponse
from .file_detail_data import FileDetailData
from .file_detail_response import FileDetailResponse
from .get_access_token_platform import GetAccessTokenPlatform
from .get_file_detail_platform import GetFileDetailPlatform
from .get_upload_url_data import GetUploadUrlData
from .get_upload_url_platform import GetUploadUrlPlatform
from .get_upload_url_request import GetUploadUrlRequest
from .get_upload_url_response import GetUploadUrlResponse
from .list_upload_parts_data import ListUploadPartsData
from .list_upload_parts_platform import ListUploadPartsPlatform
from .list_upload_parts_response import ListUploadPartsResponse
from .preupload_request import PreuploadRequest
from .upload_async_result_data import UploadAsyncResultData
from .upload_async_result_platform import UploadAsyncResultPlatform
from .upload_async_result_request import UploadAsyncResultRequest
from .upload_async_result_response import UploadAsyncResultResponse
from .upload_complete_data import UploadCompleteData
from .upload_complete_response import UploadCompleteResponse
from .upload_part import UploadPart

__all__ = (
    "AccessTokenData",
    "AccessTokenRequest",
    "AccessTokenResponse",
    "CompleteUploadPlatform",
    "CreateUploadData",
    "CreateUploadPlatform",
    "CreateUploadRequest",
    "CreateUploadRequestType",
    "CreateUploadResponse",
    "ErrorResponse",
    "FileDetailData",
    "FileDetailResponse",
    "GetAccessTokenPlatform",
    "GetFileDetailPlatform",
    "GetUploadUrlData",
    "GetUploadUrlPlatform",
    "GetUploadUrlRequest",
    "GetUploadUrlResponse",
    "ListUploadPartsData",
    "ListUploadPartsPlatform",
    "ListUploadPartsResponse",
    "PreuploadRequest",
    "UploadAsyncResultData",
    "UploadAsyncResultPlatform",
    "UploadAsyncResultRequest",
    "UploadAsyncResultResponse",
    "UploadCompleteData",
    "UploadCompleteResponse",
    "UploadPart",
)
