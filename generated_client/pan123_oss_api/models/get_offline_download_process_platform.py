from typing import Literal

GetOfflineDownloadProcessPlatform = Literal["open_platform"]

GET_OFFLINE_DOWNLOAD_PROCESS_PLATFORM_VALUES: set[GetOfflineDownloadProcessPlatform] = {
    "open_platform",
}


def check_get_offline_download_process_platform(
    value: str,
) -> GetOfflineDownloadProcessPlatform:
    if value in GET_OFFLINE_DOWNLOAD_PROCESS_PLATFORM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {GET_OFFLINE_DOWNLOAD_PROCESS_PLATFORM_VALUES!r}"
    )
