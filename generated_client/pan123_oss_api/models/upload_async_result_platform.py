from typing import Literal

UploadAsyncResultPlatform = Literal["open_platform"]

UPLOAD_ASYNC_RESULT_PLATFORM_VALUES: set[UploadAsyncResultPlatform] = {
    "open_platform",
}


def check_upload_async_result_platform(value: str) -> UploadAsyncResultPlatform:
    if value in UPLOAD_ASYNC_RESULT_PLATFORM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {UPLOAD_ASYNC_RESULT_PLATFORM_VALUES!r}"
    )
