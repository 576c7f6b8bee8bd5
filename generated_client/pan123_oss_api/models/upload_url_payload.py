from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UploadUrlPayload")


@_attrs_define
class UploadUrlPayload:
    """Where to `PUT` one slice."""

    presigned_url: str
    """ Send the slice here with `PUT`, without `Authorization` or `Platform` [doc]. """
    is_multipart: bool | Unset = UNSET
    """ Listed (boolean, required) by the older doc copy's table and shown in both copies' examples, but
    not in the newer copy's table [doc]. Optional; this client does not use it.
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        presigned_url = self.presigned_url

        is_multipart = self.is_multipart

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "presignedURL": presigned_url,
            }
        )
        if is_multipart is not UNSET:
            field_dict["isMultipart"] = is_multipart

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        presigned_url = d.pop("presignedURL")

        is_multipart = d.pop("isMultipart", UNSET)

        upload_url_payload = cls(
            presigned_url=presigned_url,
            is_multipart=is_multipart,
        )

        upload_url_payload.additional_properties = d
        return upload_url_payload

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
