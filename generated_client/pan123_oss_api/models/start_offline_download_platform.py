from typing import Literal

StartOfflineDownloadPlatform = Literal["open_platform"]

START_OFFLINE_DOWNLOAD_PLATFORM_VALUES: set[StartOfflineDownloadPlatform] = {
    "open_platform",
}


def check_start_offline_download_platform(value: str) -> StartOfflineDownloadPlatform:
    if value in START_OFFLINE_DOWNLOAD_PLATFORM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {START_OFFLINE_DOWNLOAD_PLATFORM_VALUES!r}"
    )
