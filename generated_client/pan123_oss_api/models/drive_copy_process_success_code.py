from typing import Literal

DriveCopyProcessSuccessCode = Literal[0]

DRIVE_COPY_PROCESS_SUCCESS_CODE_VALUES: set[DriveCopyProcessSuccessCode] = {
    0,
}


def check_drive_copy_process_success_code(value: int) -> DriveCopyProcessSuccessCode:
    if value in DRIVE_COPY_PROCESS_SUCCESS_CODE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {DRIVE_COPY_PROCESS_SUCCESS_CODE_VALUES!r}"
    )
