from typing import Literal

GetDriveCopyProcessPlatform = Literal["open_platform"]

GET_DRIVE_COPY_PROCESS_PLATFORM_VALUES: set[GetDriveCopyProcessPlatform] = {
    "open_platform",
}


def check_get_drive_copy_process_platform(value: str) -> GetDriveCopyProcessPlatform:
    if value in GET_DRIVE_COPY_PROCESS_PLATFORM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {GET_DRIVE_COPY_PROCESS_PLATFORM_VALUES!r}"
    )
