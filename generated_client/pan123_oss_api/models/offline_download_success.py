from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.offline_download_success_code import (
    OfflineDownloadSuccessCode,
    check_offline_download_success_code,
)

if TYPE_CHECKING:
    from ..models.offline_download_payload import OfflineDownloadPayload


T = TypeVar("T", bound="OfflineDownloadSuccess")


@_attrs_define
class OfflineDownloadSuccess:
    """A success of `startOfflineDownload`; `data` is the payload [doc]."""

    code: OfflineDownloadSuccessCode
    """ `0`: success [doc]. """
    message: str
    """ `ok` on success; otherwise what went wrong [doc]. """
    data: OfflineDownloadPayload
    """ The migration task started. """
    x_trace_id: str
    """ Request trace ID; 123pan support asks for it, so every error report should carry it [doc]. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code: int = self.code

        message = self.message

        data = self.data.to_dict()

        x_trace_id = self.x_trace_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
                "data": data,
                "x-traceID": x_trace_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.offline_download_payload import OfflineDownloadPayload

        d = dict(src_dict)
        code = check_offline_download_success_code(d.pop("code"))

        message = d.pop("message")

        data = OfflineDownloadPayload.from_dict(d.pop("data"))

        x_trace_id = d.pop("x-traceID")

        offline_download_success = cls(
            code=code,
            message=message,
            data=data,
            x_trace_id=x_trace_id,
        )

        offline_download_success.additional_properties = d
        return offline_download_success

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
