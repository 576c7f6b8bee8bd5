from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.new_folder_body_type import NewFolderBodyType, check_new_folder_body_type

T = TypeVar("T", bound="NewFolderBody")


@_attrs_define
class NewFolderBody:
    """The folder to create."""

    name: list[str]
    """ The folder's name, unique within its parent [doc]. The table types it `[]string`; the docs'
    example sends a plain string [doc]. Send a one-element array, as the PicGo plugin does [seen: picgo-mkdir-
    array].
     """
    parent_id: str
    """ The parent folder's ID; `""` is the root [doc]. """
    type_: NewFolderBodyType = 1
    """ Always `1` [doc]. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        parent_id = self.parent_id

        type_: int = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "parentID": parent_id,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = cast(list[str], d.pop("name"))

        parent_id = d.pop("parentID")

        type_ = check_new_folder_body_type(d.pop("type"))

        new_folder_body = cls(
            name=name,
            parent_id=parent_id,
            type_=type_,
        )

        new_folder_body.additional_properties = d
        return new_folder_body

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
