from typing import Literal

CreateUploadRequestType = Literal[1]

CREATE_UPLOAD_REQUEST_TYPE_VALUES: set[CreateUploadRequestType] = {
    1,
}


def check_create_upload_request_type(value: int) -> CreateUploadRequestType:
    if value in CREATE_UPLOAD_REQUEST_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CREATE_UPLOAD_REQUEST_TYPE_VALUES!r}"
    )
