from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.offline_download_body_type import (
    OfflineDownloadBodyType,
    check_offline_download_body_type,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="OfflineDownloadBody")


@_attrs_define
class OfflineDownloadBody:
    """What to fetch, and where to put it."""

    url: str
    """ An http or https URL of an image [doc]. """
    type_: OfflineDownloadBodyType = 1
    """ Always `1` [doc]. """
    file_name: str | Unset = UNSET
    """ A name for the file, with an image extension [doc]. """
    business_dir_id: str | Unset = UNSET
    """ The folder to put it in; the root is not allowed [doc]. """
    call_back_url: str | Unset = UNSET
    """ A URL the service POSTs the outcome to [doc]. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        type_: int = self.type_

        file_name = self.file_name

        business_dir_id = self.business_dir_id

        call_back_url = self.call_back_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "url": url,
                "type": type_,
            }
        )
        if file_name is not UNSET:
            field_dict["fileName"] = file_name
        if business_dir_id is not UNSET:
            field_dict["businessDirID"] = business_dir_id
        if call_back_url is not UNSET:
            field_dict["callBackUrl"] = call_back_url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        url = d.pop("url")

        type_ = check_offline_download_body_type(d.pop("type"))

        file_name = d.pop("fileName", UNSET)

        business_dir_id = d.pop("businessDirID", UNSET)

        call_back_url = d.pop("callBackUrl", UNSET)

        offline_download_body = cls(
            url=url,
            type_=type_,
            file_name=file_name,
            business_dir_id=business_dir_id,
            call_back_url=call_back_url,
        )

        offline_download_body.additional_properties = d
        return offline_download_body

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
