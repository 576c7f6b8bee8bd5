from typing import Literal

OfflineDownloadSuccessCode = Literal[0]

OFFLINE_DOWNLOAD_SUCCESS_CODE_VALUES: set[OfflineDownloadSuccessCode] = {
    0,
}


def check_offline_download_success_code(value: int) -> OfflineDownloadSuccessCode:
    if value in OFFLINE_DOWNLOAD_SUCCESS_CODE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {OFFLINE_DOWNLOAD_SUCCESS_CODE_VALUES!r}"
    )
