from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.drive_copy_body_source_type_type_0 import (
    DriveCopyBodySourceTypeType0,
    check_drive_copy_body_source_type_type_0,
)
from ..models.drive_copy_body_source_type_type_1 import (
    DriveCopyBodySourceTypeType1,
    check_drive_copy_body_source_type_type_1,
)
from ..models.drive_copy_body_type import DriveCopyBodyType, check_drive_copy_body_type

T = TypeVar("T", bound="DriveCopyBody")


@_attrs_define
class DriveCopyBody:
    """What to copy from the drive, and where to."""

    file_i_ds: list[str]
    """ Drive file or folder IDs as strings, at most 100 [doc]. """
    to_parent_file_id: str
    """ The image-host folder to copy into; `""` is the root [doc]. """
    source_type: DriveCopyBodySourceTypeType0 | DriveCopyBodySourceTypeType1
    """ Where to copy from; 1 is the cloud drive [doc]. The table types it string, while every request
    example of the docs sends the number `1` [doc]: both are accepted here, since which one the
    service prefers is not documented [guess].
     """
    type_: DriveCopyBodyType = 1
    """ Always `1` [doc]. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file_i_ds = self.file_i_ds

        to_parent_file_id = self.to_parent_file_id

        source_type: int | str
        if isinstance(self.source_type, int):
            source_type = self.source_type
        else:
            source_type = self.source_type

        type_: int = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "fileIDs": file_i_ds,
                "toParentFileID": to_parent_file_id,
                "sourceType": source_type,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        file_i_ds = cast(list[str], d.pop("fileIDs"))

        to_parent_file_id = d.pop("toParentFileID")

        def _parse_source_type(
            data: object,
        ) -> DriveCopyBodySourceTypeType0 | DriveCopyBodySourceTypeType1:
            try:
                if not isinstance(data, int):
                    raise TypeError()
                source_type_type_0 = check_drive_copy_body_source_type_type_0(data)

                return source_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            source_type_type_1 = check_drive_copy_body_source_type_type_1(data)

            return source_type_type_1

        source_type = _parse_source_type(d.pop("sourceType"))

        type_ = check_drive_copy_body_type(d.pop("type"))

        drive_copy_body = cls(
            file_i_ds=file_i_ds,
            to_parent_file_id=to_parent_file_id,
            source_type=source_type,
            type_=type_,
        )

        drive_copy_body.additional_properties = d
        return drive_copy_body

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
