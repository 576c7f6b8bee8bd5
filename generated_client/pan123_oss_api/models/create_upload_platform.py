from typing import Literal

CreateUploadPlatform = Literal["open_platform"]

CREATE_UPLOAD_PLATFORM_VALUES: set[CreateUploadPlatform] = {
    "open_platform",
}


def check_create_upload_platform(value: str) -> CreateUploadPlatform:
    if value in CREATE_UPLOAD_PLATFORM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CREATE_UPLOAD_PLATFORM_VALUES!r}"
    )
