from typing import Literal

UploadCompleteSuccessCode = Literal[0]

UPLOAD_COMPLETE_SUCCESS_CODE_VALUES: set[UploadCompleteSuccessCode] = {
    0,
}


def check_upload_complete_success_code(value: int) -> UploadCompleteSuccessCode:
    if value in UPLOAD_COMPLETE_SUCCESS_CODE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {UPLOAD_COMPLETE_SUCCESS_CODE_VALUES!r}"
    )
