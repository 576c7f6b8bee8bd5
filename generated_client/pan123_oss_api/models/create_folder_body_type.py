from typing import Literal

CreateFolderBodyType = Literal[1]

CREATE_FOLDER_BODY_TYPE_VALUES: set[CreateFolderBodyType] = {
    1,
}


def check_create_folder_body_type(value: int) -> CreateFolderBodyType:
    if value in CREATE_FOLDER_BODY_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CREATE_FOLDER_BODY_TYPE_VALUES!r}"
    )
