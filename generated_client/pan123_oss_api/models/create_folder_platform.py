from typing import Literal

CreateFolderPlatform = Literal["open_platform"]

CREATE_FOLDER_PLATFORM_VALUES: set[CreateFolderPlatform] = {
    "open_platform",
}


def check_create_folder_platform(value: str) -> CreateFolderPlatform:
    if value in CREATE_FOLDER_PLATFORM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CREATE_FOLDER_PLATFORM_VALUES!r}"
    )
