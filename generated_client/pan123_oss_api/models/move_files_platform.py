from typing import Literal

MoveFilesPlatform = Literal["open_platform"]

MOVE_FILES_PLATFORM_VALUES: set[MoveFilesPlatform] = {
    "open_platform",
}


def check_move_files_platform(value: str) -> MoveFilesPlatform:
    if value in MOVE_FILES_PLATFORM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {MOVE_FILES_PLATFORM_VALUES!r}"
    )
