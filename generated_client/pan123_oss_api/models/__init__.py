"""Contains all the data models used in inputs/outputs"""

from .access_token_body import AccessTokenBody
from .access_token_payload import AccessTokenPayload
from .access_token_success import AccessTokenSuccess
from .access_token_success_code import AccessTokenSuccessCode
from .async_result_body import AsyncResultBody
from .complete_upload_platform import CompleteUploadPlatform
from .create_folder_payload import CreateFolderPayload
from .create_folder_platform import CreateFolderPlatform
from .create_folder_success import CreateFolderSuccess
from .create_folder_success_code import CreateFolderSuccessCode
from .create_upload_payload import CreateUploadPayload
from .create_upload_platform import CreateUploadPlatform
from .create_upload_success import CreateUploadSuccess
from .create_upload_success_code import CreateUploadSuccessCode
from .delete_files_platform import DeleteFilesPlatform
from .drive_copy_body import DriveCopyBody
from .drive_copy_body_source_type_type_0 import DriveCopyBodySourceTypeType0
from .drive_copy_body_source_type_type_1 import DriveCopyBodySourceTypeType1
from .drive_copy_body_type import DriveCopyBodyType
from .drive_copy_failure import DriveCopyFailure
from .drive_copy_failures_payload import DriveCopyFailuresPayload
from .drive_copy_failures_success import DriveCopyFailuresSuccess
from .drive_copy_failures_success_code import DriveCopyFailuresSuccessCode
from .drive_copy_payload import DriveCopyPayload
from .drive_copy_process_payload import DriveCopyProcessPayload
from .drive_copy_process_success import DriveCopyProcessSuccess
from .drive_copy_process_success_code import DriveCopyProcessSuccessCode
from .drive_copy_success import DriveCopySuccess
from .drive_copy_success_code import DriveCopySuccessCode
from .empty_reply import EmptyReply
from .file_delete_body import FileDeleteBody
from .file_detail_success import FileDetailSuccess
from .file_detail_success_code import FileDetailSuccessCode
from .file_list_body import FileListBody
from .file_list_body_type import FileListBodyType
from .file_move_body import FileMoveBody
from .folder_entry import FolderEntry
from .get_access_token_platform import GetAccessTokenPlatform
from .get_drive_copy_process_platform import GetDriveCopyProcessPlatform
from .get_file_detail_platform import GetFileDetailPlatform
from .get_offline_download_process_platform import GetOfflineDownloadProcessPlatform
from .get_upload_url_platform import GetUploadUrlPlatform
from .list_drive_copy_failures_platform import ListDriveCopyFailuresPlatform
from .list_files_payload import ListFilesPayload
from .list_files_platform import ListFilesPlatform
from .list_files_success import ListFilesSuccess
from .list_files_success_code import ListFilesSuccessCode
from .list_upload_parts_platform import ListUploadPartsPlatform
from .move_files_platform import MoveFilesPlatform
from .new_folder_body import NewFolderBody
from .new_folder_body_type import NewFolderBodyType
from .new_upload_body import NewUploadBody
from .new_upload_body_type import NewUploadBodyType
from .offline_download_body import OfflineDownloadBody
from .offline_download_body_type import OfflineDownloadBodyType
from .offline_download_payload import OfflineDownloadPayload
from .offline_download_process_payload import OfflineDownloadProcessPayload
from .offline_download_process_success import OfflineDownloadProcessSuccess
from .offline_download_process_success_code import OfflineDownloadProcessSuccessCode
from .offline_download_success import OfflineDownloadSuccess
from .offline_download_success_code import OfflineDownloadSuccessCode
from .oss_file import OssFile
from .preupload_body import PreuploadBody
from .start_drive_copy_platform import StartDriveCopyPlatform
from .start_offline_download_platform import StartOfflineDownloadPlatform
from .upload_async_result_payload import UploadAsyncResultPayload
from .upload_async_result_platform import UploadAsyncResultPlatform
from .upload_async_result_success import UploadAsyncResultSuccess
from .upload_async_result_success_code import UploadAsyncResultSuccessCode
from .upload_complete_payload import UploadCompletePayload
from .upload_complete_success import UploadCompleteSuccess
from .upload_complete_success_code import UploadCompleteSuccessCode
from .upload_part import UploadPart
from .upload_parts_payload import UploadPartsPayload
from .upload_parts_success import UploadPartsSuccess
from .upload_parts_success_code import UploadPartsSuccessCode
from .upload_url_body import UploadUrlBody
from .upload_url_payload import UploadUrlPayload
from .upload_url_success import UploadUrlSuccess
from .upload_url_success_code import UploadUrlSuccessCode
from .z_failure_reply import ZFailureReply

__all__ = (
    "AccessTokenBody",
    "AccessTokenPayload",
    "AccessTokenSuccess",
    "AccessTokenSuccessCode",
    "AsyncResultBody",
    "CompleteUploadPlatform",
    "CreateFolderPayload",
    "CreateFolderPlatform",
    "CreateFolderSuccess",
    "CreateFolderSuccessCode",
    "CreateUploadPayload",
    "CreateUploadPlatform",
    "CreateUploadSuccess",
    "CreateUploadSuccessCode",
    "DeleteFilesPlatform",
    "DriveCopyBody",
    "DriveCopyBodySourceTypeType0",
    "DriveCopyBodySourceTypeType1",
    "DriveCopyBodyType",
    "DriveCopyFailure",
    "DriveCopyFailuresPayload",
    "DriveCopyFailuresSuccess",
    "DriveCopyFailuresSuccessCode",
    "DriveCopyPayload",
    "DriveCopyProcessPayload",
    "DriveCopyProcessSuccess",
    "DriveCopyProcessSuccessCode",
    "DriveCopySuccess",
    "DriveCopySuccessCode",
    "EmptyReply",
    "FileDeleteBody",
    "FileDetailSuccess",
    "FileDetailSuccessCode",
    "FileListBody",
    "FileListBodyType",
    "FileMoveBody",
    "FolderEntry",
    "GetAccessTokenPlatform",
    "GetDriveCopyProcessPlatform",
    "GetFileDetailPlatform",
    "GetOfflineDownloadProcessPlatform",
    "GetUploadUrlPlatform",
    "ListDriveCopyFailuresPlatform",
    "ListFilesPayload",
    "ListFilesPlatform",
    "ListFilesSuccess",
    "ListFilesSuccessCode",
    "ListUploadPartsPlatform",
    "MoveFilesPlatform",
    "NewFolderBody",
    "NewFolderBodyType",
    "NewUploadBody",
    "NewUploadBodyType",
    "OfflineDownloadBody",
    "OfflineDownloadBodyType",
    "OfflineDownloadPayload",
    "OfflineDownloadProcessPayload",
    "OfflineDownloadProcessSuccess",
    "OfflineDownloadProcessSuccessCode",
    "OfflineDownloadSuccess",
    "OfflineDownloadSuccessCode",
    "OssFile",
    "PreuploadBody",
    "StartDriveCopyPlatform",
    "StartOfflineDownloadPlatform",
    "UploadAsyncResultPayload",
    "UploadAsyncResultPlatform",
    "UploadAsyncResultSuccess",
    "UploadAsyncResultSuccessCode",
    "UploadCompletePayload",
    "UploadCompleteSuccess",
    "UploadCompleteSuccessCode",
    "UploadPart",
    "UploadPartsPayload",
    "UploadPartsSuccess",
    "UploadPartsSuccessCode",
    "UploadUrlBody",
    "UploadUrlPayload",
    "UploadUrlSuccess",
    "UploadUrlSuccessCode",
    "ZFailureReply",
)
