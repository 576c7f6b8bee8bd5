from typing import Literal

StartDriveCopyPlatform = Literal["open_platform"]

START_DRIVE_COPY_PLATFORM_VALUES: set[StartDriveCopyPlatform] = {
    "open_platform",
}


def check_start_drive_copy_platform(value: str) -> StartDriveCopyPlatform:
    if value in START_DRIVE_COPY_PLATFORM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {START_DRIVE_COPY_PLATFORM_VALUES!r}"
    )
