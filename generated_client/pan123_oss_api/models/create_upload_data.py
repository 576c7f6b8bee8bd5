from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateUploadData")


@_attrs_define
class CreateUploadData:
    """Either an instant upload (`reuse`) or where to send the slices."""

    preupload_id: str
    """ Identifies this upload in every later call; may be `""` when `reuse` is `true` [seen]. """
    reuse: bool
    """ `true`: the service already had these bytes and the upload is done (秒传) [doc]. """
    slice_size: int
    """ Bytes per slice (every slice but the last is exactly this long), e.g. 104857600 [doc]. """
    file_id: str | Unset = UNSET
    """ The new file's ID when `reuse` is `true`; absent or `""` otherwise [doc]. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        preupload_id = self.preupload_id

        reuse = self.reuse

        slice_size = self.slice_size

        file_id = self.file_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "preuploadID": preupload_id,
                "reuse": reuse,
                "sliceSize": slice_size,
            }
        )
        if file_id is not UNSET:
            field_dict["fileID"] = file_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        preupload_id = d.pop("preuploadID")

        reuse = d.pop("reuse")

        slice_size = d.pop("sliceSize")

        file_id = d.pop("fileID", UNSET)

        create_upload_data = cls(
            preupload_id=preupload_id,
            reuse=reuse,
            slice_size=slice_size,
            file_id=file_id,
        )

        create_upload_data.additional_properties = d
        return create_upload_data

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
