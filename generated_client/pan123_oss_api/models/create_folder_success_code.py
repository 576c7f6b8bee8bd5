from typing import Literal

CreateFolderSuccessCode = Literal[0]

CREATE_FOLDER_SUCCESS_CODE_VALUES: set[CreateFolderSuccessCode] = {
    0,
}


def check_create_folder_success_code(value: int) -> CreateFolderSuccessCode:
    if value in CREATE_FOLDER_SUCCESS_CODE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CREATE_FOLDER_SUCCESS_CODE_VALUES!r}"
    )
