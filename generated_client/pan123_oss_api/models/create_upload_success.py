from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.create_upload_success_code import (
    CreateUploadSuccessCode,
    check_create_upload_success_code,
)

if TYPE_CHECKING:
    from ..models.create_upload_payload import CreateUploadPayload


T = TypeVar("T", bound="CreateUploadSuccess")


@_attrs_define
class CreateUploadSuccess:
    """A success of `createUpload`; `data` is the payload [doc]."""

    code: CreateUploadSuccessCode
    """ `0`: success [doc]. """
    message: str
    """ `ok` on success; otherwise what went wrong [doc]. """
    data: CreateUploadPayload
    """ Either an instant upload (`reuse`) or where to send the slices. `preuploadID` and `sliceSize` are
    required unless `reuse` is true: the docs give both for a non-instant reply [doc: create], and
    drop `preuploadID` on an instant one [doc]; a peer saw `sliceSize` absent then too [seen: create-instant-no-
    slicesize].
     """
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
        from ..models.create_upload_payload import CreateUploadPayload

        d = dict(src_dict)
        code = check_create_upload_success_code(d.pop("code"))

        message = d.pop("message")

        data = CreateUploadPayload.from_dict(d.pop("data"))

        x_trace_id = d.pop("x-traceID")

        create_upload_success = cls(
            code=code,
            message=message,
            data=data,
            x_trace_id=x_trace_id,
        )

        create_upload_success.additional_properties = d
        return create_upload_success

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
