from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.new_upload_body_type import NewUploadBodyType, check_new_upload_body_type

T = TypeVar("T", bound="NewUploadBody")


@_attrs_define
class NewUploadBody:
    """The file to upload."""

    parent_file_id: str
    """ The folder to upload into; `""` is the root [doc]. """
    filename: str
    """ The file name: shorter than 255 characters (at most 254), none of `"\\/:*?|><`, unique within its folder
    [doc].
     """
    etag: str
    """ The MD5 of the whole file, in hex [doc]. """
    size: int
    """ The file's size in bytes [doc]. """
    type_: NewUploadBodyType = 1
    """ Always `1` [doc]. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        parent_file_id = self.parent_file_id

        filename = self.filename

        etag = self.etag

        size = self.size

        type_: int = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "parentFileID": parent_file_id,
                "filename": filename,
                "etag": etag,
                "size": size,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        parent_file_id = d.pop("parentFileID")

        filename = d.pop("filename")

        etag = d.pop("etag")

        size = d.pop("size")

        type_ = check_new_upload_body_type(d.pop("type"))

        new_upload_body = cls(
            parent_file_id=parent_file_id,
            filename=filename,
            etag=etag,
            size=size,
            type_=type_,
        )

        new_upload_body.additional_properties = d
        return new_upload_body

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
