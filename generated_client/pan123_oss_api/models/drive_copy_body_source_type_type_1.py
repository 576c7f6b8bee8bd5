from typing import Literal

DriveCopyBodySourceTypeType1 = Literal["1"]

DRIVE_COPY_BODY_SOURCE_TYPE_TYPE_1_VALUES: set[DriveCopyBodySourceTypeType1] = {
    "1",
}


def check_drive_copy_body_source_type_type_1(
    value: str,
) -> DriveCopyBodySourceTypeType1:
    if value in DRIVE_COPY_BODY_SOURCE_TYPE_TYPE_1_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {DRIVE_COPY_BODY_SOURCE_TYPE_TYPE_1_VALUES!r}"
    )
