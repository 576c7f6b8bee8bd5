from typing import Literal

CreateUploadBodyType = Literal[1]

CREATE_UPLOAD_BODY_TYPE_VALUES: set[CreateUploadBodyType] = {
    1,
}


def check_create_upload_body_type(value: int) -> CreateUploadBodyType:
    if value in CREATE_UPLOAD_BODY_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CREATE_UPLOAD_BODY_TYPE_VALUES!r}"
    )
