from typing import Literal

DriveCopySuccessCode = Literal[0]

DRIVE_COPY_SUCCESS_CODE_VALUES: set[DriveCopySuccessCode] = {
    0,
}


def check_drive_copy_success_code(value: int) -> DriveCopySuccessCode:
    if value in DRIVE_COPY_SUCCESS_CODE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {DRIVE_COPY_SUCCESS_CODE_VALUES!r}"
    )
