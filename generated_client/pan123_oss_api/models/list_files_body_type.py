from typing import Literal

ListFilesBodyType = Literal[1]

LIST_FILES_BODY_TYPE_VALUES: set[ListFilesBodyType] = {
    1,
}


def check_list_files_body_type(value: int) -> ListFilesBodyType:
    if value in LIST_FILES_BODY_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_FILES_BODY_TYPE_VALUES!r}"
    )
