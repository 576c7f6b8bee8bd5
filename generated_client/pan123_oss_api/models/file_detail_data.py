from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FileDetailData")


@_attrs_define
class FileDetailData:
    """An uploaded image. Only the required fields are documented by 123pan [doc]; the rest are [seen]."""

    file_id: str
    """ The file's ID [doc]. """
    filename: str
    """ Its name [doc]. """
    size: int
    """ Size in bytes [doc]. """
    etag: str
    """ MD5 in hex [doc]. """
    download_url: str
    """ The public download (hot-link) URL [doc]. """
    type_: int | Unset = UNSET
    """ `0` file, `1` folder [seen]. """
    status: int | Unset = UNSET
    """ Review status; above 100 means rejected [seen]. """
    create_at: str | Unset = UNSET
    """ Creation time, for example `2025-03-17 19:17:31` (China time, no offset) [seen]. """
    update_at: str | Unset = UNSET
    """ Last change, same format as `createAt` [seen]. """
    user_self_url: str | Unset = UNSET
    """ The URL on the user's own domain, if one is set up [seen]. """
    total_traffic: int | Unset = UNSET
    """ Traffic served, in bytes [seen]. """
    parent_file_id: str | Unset = UNSET
    """ The folder it is in; `""` is the root [seen]. """
    parent_filename: str | Unset = UNSET
    """ That folder's name [seen]. """
    extension: str | Unset = UNSET
    """ The file name's extension, such as `jpg` [seen]. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file_id = self.file_id

        filename = self.filename

        size = self.size

        etag = self.etag

        download_url = self.download_url

        type_ = self.type_

        status = self.status

        create_at = self.create_at

        update_at = self.update_at

        user_self_url = self.user_self_url

        total_traffic = self.total_traffic

        parent_file_id = self.parent_file_id

        parent_filename = self.parent_filename

        extension = self.extension

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "fileId": file_id,
                "filename": filename,
                "size": size,
                "etag": etag,
                "downloadURL": download_url,
            }
        )
        if type_ is not UNSET:
            field_dict["type"] = type_
        if status is not UNSET:
            field_dict["status"] = status
        if create_at is not UNSET:
            field_dict["createAt"] = create_at
        if update_at is not UNSET:
            field_dict["updateAt"] = update_at
        if user_self_url is not UNSET:
            field_dict["userSelfURL"] = user_self_url
        if total_traffic is not UNSET:
            field_dict["totalTraffic"] = total_traffic
        if parent_file_id is not UNSET:
            field_dict["parentFileId"] = parent_file_id
        if parent_filename is not UNSET:
            field_dict["parentFilename"] = parent_filename
        if extension is not UNSET:
            field_dict["extension"] = extension

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        file_id = d.pop("fileId")

        filename = d.pop("filename")

        size = d.pop("size")

        etag = d.pop("etag")

        download_url = d.pop("downloadURL")

        type_ = d.pop("type", UNSET)

        status = d.pop("status", UNSET)

        create_at = d.pop("createAt", UNSET)

        update_at = d.pop("updateAt", UNSET)

        user_self_url = d.pop("userSelfURL", UNSET)

        total_traffic = d.pop("totalTraffic", UNSET)

        parent_file_id = d.pop("parentFileId", UNSET)

        parent_filename = d.pop("parentFilename", UNSET)

        extension = d.pop("extension", UNSET)

        file_detail_data = cls(
            file_id=file_id,
            filename=filename,
            size=size,
            etag=etag,
            download_url=download_url,
            type_=type_,
            status=status,
            create_at=create_at,
            update_at=update_at,
            user_self_url=user_self_url,
            total_traffic=total_traffic,
            parent_file_id=parent_file_id,
            parent_filename=parent_filename,
            extension=extension,
        )

        file_detail_data.additional_properties = d
        return file_detail_data

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
