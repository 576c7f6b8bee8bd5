from typing import Literal

DriveCopyBodySourceTypeType0 = Literal[1]

DRIVE_COPY_BODY_SOURCE_TYPE_TYPE_0_VALUES: set[DriveCopyBodySourceTypeType0] = {
    1,
}


def check_drive_copy_body_source_type_type_0(
    value: int,
) -> DriveCopyBodySourceTypeType0:
    if value in DRIVE_COPY_BODY_SOURCE_TYPE_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {DRIVE_COPY_BODY_SOURCE_TYPE_TYPE_0_VALUES!r}"
    )
