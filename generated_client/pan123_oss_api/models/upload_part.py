from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UploadPart")


@_attrs_define
class UploadPart:
    """One stored slice [guess]."""

    part_number: int | str
    """ The slice's number, counted from 1; a string of digits in the drive's example [guess]. Either form
    may come, so the type is `anyOf`, which every generator decodes (a `oneOf` of an integer and a
    string matches a string of digits twice where the decoder coerces scalars, as Jackson does).
     """
    size: int
    """ Its size in bytes [guess]. """
    etag: str
    """ Its MD5 in hex [guess]. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        part_number: int | str
        part_number = self.part_number

        size = self.size

        etag = self.etag

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "partNumber": part_number,
                "size": size,
                "etag": etag,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_part_number(data: object) -> int | str:
            return cast(int | str, data)

        part_number = _parse_part_number(d.pop("partNumber"))

        size = d.pop("size")

        etag = d.pop("etag")

        upload_part = cls(
            part_number=part_number,
            size=size,
            etag=etag,
        )

        upload_part.additional_properties = d
        return upload_part

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
