from typing import Literal

AccessTokenSuccessCode = Literal[0]

ACCESS_TOKEN_SUCCESS_CODE_VALUES: set[AccessTokenSuccessCode] = {
    0,
}


def check_access_token_success_code(value: int) -> AccessTokenSuccessCode:
    if value in ACCESS_TOKEN_SUCCESS_CODE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ACCESS_TOKEN_SUCCESS_CODE_VALUES!r}"
    )
