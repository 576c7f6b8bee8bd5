from typing import Literal

OfflineDownloadBodyType = Literal[1]

OFFLINE_DOWNLOAD_BODY_TYPE_VALUES: set[OfflineDownloadBodyType] = {
    1,
}


def check_offline_download_body_type(value: int) -> OfflineDownloadBodyType:
    if value in OFFLINE_DOWNLOAD_BODY_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {OFFLINE_DOWNLOAD_BODY_TYPE_VALUES!r}"
    )
