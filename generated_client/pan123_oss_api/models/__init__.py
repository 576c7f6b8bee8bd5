"""Contains all the data models used in inputs/outputs"""

from .access_token_body import AccessTokenBody
from .access_token_payload import AccessTokenPayload
from .access_token_reply import AccessTokenReply
from .async_result_body import AsyncResultBody
from .complete_upload_platform import CompleteUploadPlatform
from .create_folder_payload import CreateFolderPayload
from .create_folder_platform import CreateFolderPlatform
from .create_folder_reply import CreateFolderReply
from .create_upload_payload import CreateUploadPayload
from .create_upload_platform import CreateUploadPlatform
from .create_upload_reply import CreateUploadReply
from .delete_files_platform import DeleteFilesPlatform
from .drive_copy_body import DriveCopyBody
from .drive_copy_body_source_type_type_0 import DriveCopyBodySourceTypeType0
from .drive_copy_body_source_type_type_1 import DriveCopyBodySourceTypeType1
from .drive_copy_body_type import DriveCopyBodyType
from .drive_copy_failure import DriveCopyFailure
from .drive_copy_failures_payload import DriveCopyFailuresPayload
from .drive_copy_failures_reply import DriveCopyFailuresReply
from .drive_copy_payload import DriveCopyPayload
from .drive_copy_process_payload import DriveCopyProcessPayload
from .drive_copy_process_reply import DriveCopyProcessReply
from .drive_copy_reply import DriveCopyReply
from .empty_reply import EmptyReply
from .empty_reply_data_type_0 import EmptyReplyDataType0
from .file_delete_body import FileDeleteBody
from .file_detail_payload import FileDetailPayload
from .file_detail_reply import FileDetailReply
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
from .list_files_reply import ListFilesReply
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
from .offline_download_process_reply import OfflineDownloadProcessReply
from .offline_download_reply import OfflineDownloadReply
from .oss_file import OssFile
from .preupload_body import PreuploadBody
from .start_drive_copy_platform import StartDriveCopyPlatform
from .start_offline_download_platform import StartOfflineDownloadPlatform
from .upload_async_result_payload import UploadAsyncResultPayload
from .upload_async_result_platform import UploadAsyncResultPlatform
from .upload_async_result_reply import UploadAsyncResultReply
from .upload_complete_payload import UploadCompletePayload
from .upload_complete_reply import UploadCompleteReply
from .upload_part import UploadPart
from .upload_parts_payload import UploadPartsPayload
from .upload_parts_reply import UploadPartsReply
from .upload_url_body import UploadUrlBody
from .upload_url_payload import UploadUrlPayload
from .upload_url_reply import UploadUrlReply

__all__ = (
    "AccessTokenBody",
    "AccessTokenPayload",
    "AccessTokenReply",
    "AsyncResultBody",
    "CompleteUploadPlatform",
    "CreateFolderPayload",
    "CreateFolderPlatform",
    "CreateFolderReply",
    "CreateUploadPayload",
    "CreateUploadPlatform",
    "CreateUploadReply",
    "DeleteFilesPlatform",
    "DriveCopyBody",
    "DriveCopyBodySourceTypeType0",
    "DriveCopyBodySourceTypeType1",
    "DriveCopyBodyType",
    "DriveCopyFailure",
    "DriveCopyFailuresPayload",
    "DriveCopyFailuresReply",
    "DriveCopyPayload",
    "DriveCopyProcessPayload",
    "DriveCopyProcessReply",
    "DriveCopyReply",
    "EmptyReply",
    "EmptyReplyDataType0",
    "FileDeleteBody",
    "FileDetailPayload",
    "FileDetailReply",
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
    "ListFilesReply",
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
    "OfflineDownloadProcessReply",
    "OfflineDownloadReply",
    "OssFile",
    "PreuploadBody",
    "StartDriveCopyPlatform",
    "StartOfflineDownloadPlatform",
    "UploadAsyncResultPayload",
    "UploadAsyncResultPlatform",
    "UploadAsyncResultReply",
    "UploadCompletePayload",
    "UploadCompleteReply",
    "UploadPart",
    "UploadPartsPayload",
    "UploadPartsReply",
    "UploadUrlBody",
    "UploadUrlPayload",
    "UploadUrlReply",
)
