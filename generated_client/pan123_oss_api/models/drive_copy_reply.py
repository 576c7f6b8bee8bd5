from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.drive_copy_payload import DriveCopyPayload


T = TypeVar("T", bound="DriveCopyReply")


@_attrs_define
class DriveCopyReply:
    """The reply of `startDriveCopy`, success or failure: `code` 0 with the payload in `data`, or another code with
    `data: null` [doc].

    """

    code: int
    """ `0` success; anything else is a failure [doc]. Named by the docs: `401` token invalid, `429` too
    many requests [doc]. Seen: `20103` being verified, retry after 1 s [seen: drive-20103].
     """
    message: str
    """ `ok` on success; otherwise what went wrong [doc]. """
    data: DriveCopyPayload | None
    """ The copy task started. """
    x_trace_id: str
    """ Request trace ID; 123pan support asks for it, so every error report should carry it [doc]. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.drive_copy_payload import DriveCopyPayload

        code = self.code

        message = self.message

        data: dict[str, Any] | None
        if isinstance(self.data, DriveCopyPayload):
            data = self.data.to_dict()
        else:
            data = self.data

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
        from ..models.drive_copy_payload import DriveCopyPayload

        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        def _parse_data(data: object) -> DriveCopyPayload | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_drive_copy_payload_type_0 = (
                    DriveCopyPayload.from_dict(data)
                )

                return componentsschemas_drive_copy_payload_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DriveCopyPayload | None, data)

        data = _parse_data(d.pop("data"))

        x_trace_id = d.pop("x-traceID")

        drive_copy_reply = cls(
            code=code,
            message=message,
            data=data,
            x_trace_id=x_trace_id,
        )

        drive_copy_reply.additional_properties = d
        return drive_copy_reply

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
