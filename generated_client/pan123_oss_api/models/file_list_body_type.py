from typing import Literal

FileListBodyType = Literal[1]

FILE_LIST_BODY_TYPE_VALUES: set[FileListBodyType] = {
    1,
}


def check_file_list_body_type(value: int) -> FileListBodyType:
    if value in FILE_LIST_BODY_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {FILE_LIST_BODY_TYPE_VALUES!r}"
    )
