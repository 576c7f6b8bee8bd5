from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UploadCompleteData")


@_attrs_define
class UploadCompleteData:
    """Whether the upload is done, or must be polled for."""

    async_: bool
    """ `true`: poll `uploadAsyncResult` for the outcome [doc]. """
    completed: bool
    """ `true` once the file exists [doc]. """
    file_id: str
    """ The file's ID when `completed`; `""` otherwise [doc]. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        async_ = self.async_

        completed = self.completed

        file_id = self.file_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "async": async_,
                "completed": completed,
                "fileID": file_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        async_ = d.pop("async")

        completed = d.pop("completed")

        file_id = d.pop("fileID")

        upload_complete_data = cls(
            async_=async_,
            completed=completed,
            file_id=file_id,
        )

        upload_complete_data.additional_properties = d
        return upload_complete_data

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
