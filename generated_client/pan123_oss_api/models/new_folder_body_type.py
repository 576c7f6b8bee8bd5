from typing import Literal

NewFolderBodyType = Literal[1]

NEW_FOLDER_BODY_TYPE_VALUES: set[NewFolderBodyType] = {
    1,
}


def check_new_folder_body_type(value: int) -> NewFolderBodyType:
    if value in NEW_FOLDER_BODY_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {NEW_FOLDER_BODY_TYPE_VALUES!r}"
    )
