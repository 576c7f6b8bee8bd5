from typing import Literal

GetAccessTokenPlatform = Literal["open_platform"]

GET_ACCESS_TOKEN_PLATFORM_VALUES: set[GetAccessTokenPlatform] = {
    "open_platform",
}


def check_get_access_token_platform(value: str) -> GetAccessTokenPlatform:
    if value in GET_ACCESS_TOKEN_PLATFORM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {GET_ACCESS_TOKEN_PLATFORM_VALUES!r}"
    )
