from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.oss_file import OssFile


T = TypeVar("T", bound="ListFilesPayload")


@_attrs_define
class ListFilesPayload:
    """One page of a folder."""

    last_file_id: str
    """ `"-1"` on the last page; otherwise pass it as the next request's `lastFileId` [doc]. """
    file_list: list[OssFile]
    """ The entries [doc]. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        last_file_id = self.last_file_id

        file_list = []
        for file_list_item_data in self.file_list:
            file_list_item = file_list_item_data.to_dict()
            file_list.append(file_list_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "lastFileId": last_file_id,
                "fileList": file_list,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.oss_file import OssFile

        d = dict(src_dict)
        last_file_id = d.pop("lastFileId")

        file_list = []
        _file_list = d.pop("fileList")
        for file_list_item_data in _file_list:
            file_list_item = OssFile.from_dict(file_list_item_data)

            file_list.append(file_list_item)

        list_files_payload = cls(
            last_file_id=last_file_id,
            file_list=file_list,
        )

        list_files_payload.additional_properties = d
        return list_files_payload

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
