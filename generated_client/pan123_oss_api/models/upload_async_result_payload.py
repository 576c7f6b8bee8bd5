from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UploadAsyncResultPayload")


@_attrs_define
class UploadAsyncResultPayload:
    """Whether the service has finished merging and checking the upload."""

    completed: bool
    """ `true` once the upload is merged and checked; if `false`, poll again no sooner than 1 s later [doc]. """
    file_id: str
    """ The uploaded file's ID [doc]; `""` while `completed` is false [guess]. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        completed = self.completed

        file_id = self.file_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "completed": completed,
                "fileID": file_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        completed = d.pop("completed")

        file_id = d.pop("fileID")

        upload_async_result_payload = cls(
            completed=completed,
            file_id=file_id,
        )

        upload_async_result_payload.additional_properties = d
        return upload_async_result_payload

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
