from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.drive_copy_failure import DriveCopyFailure


T = TypeVar("T", bound="DriveCopyFailuresPayload")


@_attrs_define
class DriveCopyFailuresPayload:
    """One page of the images a copy task could not copy."""

    total: int
    """ How many failed [doc]. """
    list_: list[DriveCopyFailure] | None
    """ This page's failures; `null` when there are none [doc, in the example]. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total = self.total

        list_: list[dict[str, Any]] | None
        if isinstance(self.list_, list):
            list_ = []
            for list_type_0_item_data in self.list_:
                list_type_0_item = list_type_0_item_data.to_dict()
                list_.append(list_type_0_item)

        else:
            list_ = self.list_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "total": total,
                "list": list_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.drive_copy_failure import DriveCopyFailure

        d = dict(src_dict)
        total = d.pop("total")

        def _parse_list_(data: object) -> list[DriveCopyFailure] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                list_type_0 = []
                _list_type_0 = data
                for list_type_0_item_data in _list_type_0:
                    list_type_0_item = DriveCopyFailure.from_dict(list_type_0_item_data)

                    list_type_0.append(list_type_0_item)

                return list_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[DriveCopyFailure] | None, data)

        list_ = _parse_list_(d.pop("list"))

        drive_copy_failures_payload = cls(
            total=total,
            list_=list_,
        )

        drive_copy_failures_payload.additional_properties = d
        return drive_copy_failures_payload

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
