from typing import Literal

UploadAsyncResultSuccessCode = Literal[0]

UPLOAD_ASYNC_RESULT_SUCCESS_CODE_VALUES: set[UploadAsyncResultSuccessCode] = {
    0,
}


def check_upload_async_result_success_code(value: int) -> UploadAsyncResultSuccessCode:
    if value in UPLOAD_ASYNC_RESULT_SUCCESS_CODE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {UPLOAD_ASYNC_RESULT_SUCCESS_CODE_VALUES!r}"
    )
