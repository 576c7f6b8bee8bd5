from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateUploadPayload")


@_attrs_define
class CreateUploadPayload:
    """Either an instant upload (`reuse`) or where to send the slices. `preuploadID` and `sliceSize` are
    required unless `reuse` is true: the docs give both for a non-instant reply [doc: create], and
    drop `preuploadID` on an instant one [doc]; a peer saw `sliceSize` absent then too [seen: create-instant-no-
    slicesize].

    """

    reuse: bool
    """ `true`: the service already had these bytes and the upload is done (秒传) [doc]. """
    file_id: str | Unset = UNSET
    """ The file's ID when `reuse` is `true`; optional [doc]. """
    preupload_id: str | Unset = UNSET
    """ Identifies the upload in every later call [doc]. Absent when `reuse` is true [doc]; one client
    saw `""` there instead [seen: create-instant-empty-fields].
     """
    slice_size: int | Unset = UNSET
    """ Bytes per slice; every slice but the last must be exactly this long [doc]. Required unless
    `reuse` is true: a peer saw it absent on an instant upload [seen: create-instant-no-slicesize].
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reuse = self.reuse

        file_id = self.file_id

        preupload_id = self.preupload_id

        slice_size = self.slice_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "reuse": reuse,
            }
        )
        if file_id is not UNSET:
            field_dict["fileID"] = file_id
        if preupload_id is not UNSET:
            field_dict["preuploadID"] = preupload_id
        if slice_size is not UNSET:
            field_dict["sliceSize"] = slice_size

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        reuse = d.pop("reuse")

        file_id = d.pop("fileID", UNSET)

        preupload_id = d.pop("preuploadID", UNSET)

        slice_size = d.pop("sliceSize", UNSET)

        create_upload_payload = cls(
            reuse=reuse,
            file_id=file_id,
            preupload_id=preupload_id,
            slice_size=slice_size,
        )

        create_upload_payload.additional_properties = d
        return create_upload_payload

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
