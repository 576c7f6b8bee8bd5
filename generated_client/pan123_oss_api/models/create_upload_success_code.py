from typing import Literal

CreateUploadSuccessCode = Literal[0]

CREATE_UPLOAD_SUCCESS_CODE_VALUES: set[CreateUploadSuccessCode] = {
    0,
}


def check_create_upload_success_code(value: int) -> CreateUploadSuccessCode:
    if value in CREATE_UPLOAD_SUCCESS_CODE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CREATE_UPLOAD_SUCCESS_CODE_VALUES!r}"
    )
