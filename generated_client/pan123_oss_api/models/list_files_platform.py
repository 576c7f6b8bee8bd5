from typing import Literal

ListFilesPlatform = Literal["open_platform"]

LIST_FILES_PLATFORM_VALUES: set[ListFilesPlatform] = {
    "open_platform",
}


def check_list_files_platform(value: str) -> ListFilesPlatform:
    if value in LIST_FILES_PLATFORM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_FILES_PLATFORM_VALUES!r}"
    )
