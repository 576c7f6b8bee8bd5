from typing import Literal

UploadUrlSuccessCode = Literal[0]

UPLOAD_URL_SUCCESS_CODE_VALUES: set[UploadUrlSuccessCode] = {
    0,
}


def check_upload_url_success_code(value: int) -> UploadUrlSuccessCode:
    if value in UPLOAD_URL_SUCCESS_CODE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {UPLOAD_URL_SUCCESS_CODE_VALUES!r}"
    )
