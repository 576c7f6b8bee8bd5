from typing import Literal

DeleteFilesPlatform = Literal["open_platform"]

DELETE_FILES_PLATFORM_VALUES: set[DeleteFilesPlatform] = {
    "open_platform",
}


def check_delete_files_platform(value: str) -> DeleteFilesPlatform:
    if value in DELETE_FILES_PLATFORM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {DELETE_FILES_PLATFORM_VALUES!r}"
    )
