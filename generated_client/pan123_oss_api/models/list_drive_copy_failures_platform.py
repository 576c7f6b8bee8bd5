from typing import Literal

ListDriveCopyFailuresPlatform = Literal["open_platform"]

LIST_DRIVE_COPY_FAILURES_PLATFORM_VALUES: set[ListDriveCopyFailuresPlatform] = {
    "open_platform",
}


def check_list_drive_copy_failures_platform(
    value: str,
) -> ListDriveCopyFailuresPlatform:
    if value in LIST_DRIVE_COPY_FAILURES_PLATFORM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_DRIVE_COPY_FAILURES_PLATFORM_VALUES!r}"
    )
