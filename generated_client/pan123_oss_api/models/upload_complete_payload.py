from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UploadCompletePayload")


@_attrs_define
class UploadCompletePayload:
    """Whether the upload is done, or must be polled for."""

    async_: bool
    """ `true`: poll `uploadAsyncResult` for the outcome [doc]. """
    completed: bool
    """ Whether the upload is complete [doc]. """
    file_id: str | Unset = UNSET
    """ The file's ID once `completed` is true; optional [doc]. """
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
            }
        )
        if file_id is not UNSET:
            field_dict["fileID"] = file_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        async_ = d.pop("async")

        completed = d.pop("completed")

        file_id = d.pop("fileID", UNSET)

        upload_complete_payload = cls(
            async_=async_,
            completed=completed,
            file_id=file_id,
        )

        upload_complete_payload.additional_properties = d
        return upload_complete_payload

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
