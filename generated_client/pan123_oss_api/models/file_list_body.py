from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.file_list_body_type import FileListBodyType, check_file_list_body_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="FileListBody")


@_attrs_define
class FileListBody:
    """Which folder, which page, which time range."""

    limit: int
    """ Entries per page, at most 100 [doc]. """
    type_: FileListBodyType = 1
    """ Always `1` [doc]. """
    parent_file_id: str | Unset = UNSET
    """ The folder to list; absent or `""` is the root [doc]. """
    start_time: int | Unset = UNSET
    """ The start of the time filter, a unix timestamp [doc] (seconds in the docs' example 1730390400);
    that it filters by creation time and includes the bound is our reading [guess].
     """
    end_time: int | Unset = UNSET
    """ The end of the time filter, a unix timestamp [doc]; that it filters by creation time and
    includes the bound is our reading [guess].
     """
    last_file_id: str | Unset = UNSET
    """ The previous page's `lastFileId`, to get the next page [doc]. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        limit = self.limit

        type_: int = self.type_

        parent_file_id = self.parent_file_id

        start_time = self.start_time

        end_time = self.end_time

        last_file_id = self.last_file_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "limit": limit,
                "type": type_,
            }
        )
        if parent_file_id is not UNSET:
            field_dict["parentFileId"] = parent_file_id
        if start_time is not UNSET:
            field_dict["startTime"] = start_time
        if end_time is not UNSET:
            field_dict["endTime"] = end_time
        if last_file_id is not UNSET:
            field_dict["lastFileId"] = last_file_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        limit = d.pop("limit")

        type_ = check_file_list_body_type(d.pop("type"))

        parent_file_id = d.pop("parentFileId", UNSET)

        start_time = d.pop("startTime", UNSET)

        end_time = d.pop("endTime", UNSET)

        last_file_id = d.pop("lastFileId", UNSET)

        file_list_body = cls(
            limit=limit,
            type_=type_,
            parent_file_id=parent_file_id,
            start_time=start_time,
            end_time=end_time,
            last_file_id=last_file_id,
        )

        file_list_body.additional_properties = d
        return file_list_body

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
