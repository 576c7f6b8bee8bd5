from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="GetUploadUrlData")


@_attrs_define
class GetUploadUrlData:
    """Where to `PUT` one slice."""

    presigned_url: str
    """ Send the slice here with `PUT`, without `Authorization` or `Platform` headers; it expires [doc]. """
    is_multipart: bool
    """ Whether the upload has more than one slice [doc]. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        presigned_url = self.presigned_url

        is_multipart = self.is_multipart

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "presignedURL": presigned_url,
                "isMultipart": is_multipart,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        presigned_url = d.pop("presignedURL")

        is_multipart = d.pop("isMultipart")

        get_upload_url_data = cls(
            presigned_url=presigned_url,
            is_multipart=is_multipart,
        )

        get_upload_url_data.additional_properties = d
        return get_upload_url_data

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
