from typing import Literal

DriveCopyBodySourceType = Literal["1"]

DRIVE_COPY_BODY_SOURCE_TYPE_VALUES: set[DriveCopyBodySourceType] = {
    "1",
}


def check_drive_copy_body_source_type(value: str) -> DriveCopyBodySourceType:
    if value in DRIVE_COPY_BODY_SOURCE_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {DRIVE_COPY_BODY_SOURCE_TYPE_VALUES!r}"
    )
