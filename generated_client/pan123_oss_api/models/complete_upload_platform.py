from typing import Literal

CompleteUploadPlatform = Literal["open_platform"]

COMPLETE_UPLOAD_PLATFORM_VALUES: set[CompleteUploadPlatform] = {
    "open_platform",
}


def check_complete_upload_platform(value: str) -> CompleteUploadPlatform:
    if value in COMPLETE_UPLOAD_PLATFORM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {COMPLETE_UPLOAD_PLATFORM_VALUES!r}"
    )
