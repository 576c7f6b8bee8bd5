from typing import Literal

ListUploadPartsPlatform = Literal["open_platform"]

LIST_UPLOAD_PARTS_PLATFORM_VALUES: set[ListUploadPartsPlatform] = {
    "open_platform",
}


def check_list_upload_parts_platform(value: str) -> ListUploadPartsPlatform:
    if value in LIST_UPLOAD_PARTS_PLATFORM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_UPLOAD_PARTS_PLATFORM_VALUES!r}"
    )
