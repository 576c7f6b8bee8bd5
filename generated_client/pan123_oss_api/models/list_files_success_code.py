from typing import Literal

ListFilesSuccessCode = Literal[0]

LIST_FILES_SUCCESS_CODE_VALUES: set[ListFilesSuccessCode] = {
    0,
}


def check_list_files_success_code(value: int) -> ListFilesSuccessCode:
    if value in LIST_FILES_SUCCESS_CODE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_FILES_SUCCESS_CODE_VALUES!r}"
    )
