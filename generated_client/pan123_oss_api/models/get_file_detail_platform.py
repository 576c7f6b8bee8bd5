from typing import Literal

GetFileDetailPlatform = Literal["open_platform"]

GET_FILE_DETAIL_PLATFORM_VALUES: set[GetFileDetailPlatform] = {
    "open_platform",
}


def check_get_file_detail_platform(value: str) -> GetFileDetailPlatform:
    if value in GET_FILE_DETAIL_PLATFORM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {GET_FILE_DETAIL_PLATFORM_VALUES!r}"
    )
