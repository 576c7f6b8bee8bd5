from typing import Literal

FileDetailSuccessCode = Literal[0]

FILE_DETAIL_SUCCESS_CODE_VALUES: set[FileDetailSuccessCode] = {
    0,
}


def check_file_detail_success_code(value: int) -> FileDetailSuccessCode:
    if value in FILE_DETAIL_SUCCESS_CODE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {FILE_DETAIL_SUCCESS_CODE_VALUES!r}"
    )
