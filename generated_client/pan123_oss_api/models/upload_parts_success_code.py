from typing import Literal

UploadPartsSuccessCode = Literal[0]

UPLOAD_PARTS_SUCCESS_CODE_VALUES: set[UploadPartsSuccessCode] = {
    0,
}


def check_upload_parts_success_code(value: int) -> UploadPartsSuccessCode:
    if value in UPLOAD_PARTS_SUCCESS_CODE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {UPLOAD_PARTS_SUCCESS_CODE_VALUES!r}"
    )
