from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ZFailureReply")


@_attrs_define
class ZFailureReply:
    """A failure: `code` is not 0 and `data` is `null` [doc]. The name sorts after every `<Name>Success`
    on purpose: typescript-fetch tries a oneOf's members in alphabetical order and takes the first whose
    required keys are present, and this schema has the same keys as every success.

    """

    code: int
    """ `0` success; anything else is a failure [doc]. Named by the docs: `401` token invalid, `429` too
    many requests [doc]. Seen: `20103` being verified, retry after 1 s [seen: drive-20103].
     """
    message: str
    """ `ok` on success; otherwise what went wrong [doc]. """
    data: None
    x_trace_id: str
    """ Request trace ID; 123pan support asks for it, so every error report should carry it [doc]. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

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
        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        data = d.pop("data")

        x_trace_id = d.pop("x-traceID")

        z_failure_reply = cls(
            code=code,
            message=message,
            data=data,
            x_trace_id=x_trace_id,
        )

        z_failure_reply.additional_properties = d
        return z_failure_reply

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
