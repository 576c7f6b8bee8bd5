from typing import Literal

DriveCopyBodyType = Literal[1]

DRIVE_COPY_BODY_TYPE_VALUES: set[DriveCopyBodyType] = {
    1,
}


def check_drive_copy_body_type(value: int) -> DriveCopyBodyType:
    if value in DRIVE_COPY_BODY_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {DRIVE_COPY_BODY_TYPE_VALUES!r}"
    )
