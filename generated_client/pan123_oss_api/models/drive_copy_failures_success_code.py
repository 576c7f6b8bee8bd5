from typing import Literal

DriveCopyFailuresSuccessCode = Literal[0]

DRIVE_COPY_FAILURES_SUCCESS_CODE_VALUES: set[DriveCopyFailuresSuccessCode] = {
    0,
}


def check_drive_copy_failures_success_code(value: int) -> DriveCopyFailuresSuccessCode:
    if value in DRIVE_COPY_FAILURES_SUCCESS_CODE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {DRIVE_COPY_FAILURES_SUCCESS_CODE_VALUES!r}"
    )
