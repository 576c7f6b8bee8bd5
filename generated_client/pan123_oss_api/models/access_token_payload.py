from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AccessTokenPayload")


@_attrs_define
class AccessTokenPayload:
    """A fresh access token and when it expires."""

    access_token: str
    """ The token, sent as `Authorization: Bearer <accessToken>` [doc]. Never log it. """
    expired_at: datetime.datetime
    """ When the token stops working, RFC 3339 with an offset, e.g. `2025-03-23T15:48:37+08:00` [doc]. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_token = self.access_token

        expired_at = self.expired_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accessToken": access_token,
                "expiredAt": expired_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        access_token = d.pop("accessToken")

        expired_at = datetime.datetime.fromisoformat(d.pop("expiredAt"))

        access_token_payload = cls(
            access_token=access_token,
            expired_at=expired_at,
        )

        access_token_payload.additional_properties = d
        return access_token_payload

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
