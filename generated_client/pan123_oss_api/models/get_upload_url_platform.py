from typing import Literal

GetUploadUrlPlatform = Literal["open_platform"]

GET_UPLOAD_URL_PLATFORM_VALUES: set[GetUploadUrlPlatform] = {
    "open_platform",
}


def check_get_upload_url_platform(value: str) -> GetUploadUrlPlatform:
    if value in GET_UPLOAD_URL_PLATFORM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {GET_UPLOAD_URL_PLATFORM_VALUES!r}"
    )
