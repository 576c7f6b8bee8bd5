from typing import Literal

NewUploadBodyType = Literal[1]

NEW_UPLOAD_BODY_TYPE_VALUES: set[NewUploadBodyType] = {
    1,
}


def check_new_upload_body_type(value: int) -> NewUploadBodyType:
    if value in NEW_UPLOAD_BODY_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {NEW_UPLOAD_BODY_TYPE_VALUES!r}"
    )
