from typing import Literal

OfflineDownloadProcessSuccessCode = Literal[0]

OFFLINE_DOWNLOAD_PROCESS_SUCCESS_CODE_VALUES: set[OfflineDownloadProcessSuccessCode] = {
    0,
}


def check_offline_download_process_success_code(
    value: int,
) -> OfflineDownloadProcessSuccessCode:
    if value in OFFLINE_DOWNLOAD_PROCESS_SUCCESS_CODE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {OFFLINE_DOWNLOAD_PROCESS_SUCCESS_CODE_VALUES!r}"
    )
