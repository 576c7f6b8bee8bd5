from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FileDetailPayload")


@_attrs_define
class FileDetailPayload:
    """The `data` of `getFileDetail`: an image or folder, with the fields of `OssFile` (the docs give each
    call its own table). A schema of its own because it is nullable (`data` is null in a failure)
    and the items of a list of `OssFile`s are not.

    """

    file_id: str
    """ Its ID [doc]. """
    filename: str
    """ Its name [doc]. """
    type_: int
    """ `0` file, `1` folder [doc]. """
    size: int
    """ Size in bytes [doc]. """
    etag: str
    """ MD5 in hex; `""` for a folder [doc]. """
    status: int
    """ Review status; above 100 means the image was rejected by review [doc]. """
    create_at: str
    """ Creation time, e.g. `2025-03-03 15:43:46` (no offset given; China time [guess]) [doc]. """
    update_at: str
    """ Last change, in the format of `createAt` [doc]. """
    download_url: str
    """ The download link [doc]; `""` for a folder, and possibly for a while after an upload
    [seen: download-url-empty].
     """
    user_self_url: str
    """ The link on the user's own domain [doc]; `""` when none is set up [guess]. """
    total_traffic: int
    """ Traffic served [doc]. """
    parent_file_id: str
    """ The folder it is in [doc]. """
    parent_filename: str
    """ That folder's name [doc]. """
    extension: str
    """ The file name's extension, such as `jpg` [doc]. """
    s_3_key_flag: str | Unset = UNSET
    """ Undocumented; in the docs' examples only, not in the table [doc]. Optional. """
    storage_node: str | Unset = UNSET
    """ Undocumented; in the docs' examples only, not in the table [doc]. Optional. """
    oss_index: int | Unset = UNSET
    """ Undocumented; in the docs' examples only, not in the table [doc]. Optional. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file_id = self.file_id

        filename = self.filename

        type_ = self.type_

        size = self.size

        etag = self.etag

        status = self.status

        create_at = self.create_at

        update_at = self.update_at

        download_url = self.download_url

        user_self_url = self.user_self_url

        total_traffic = self.total_traffic

        parent_file_id = self.parent_file_id

        parent_filename = self.parent_filename

        extension = self.extension

        s_3_key_flag = self.s_3_key_flag

        storage_node = self.storage_node

        oss_index = self.oss_index

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "fileId": file_id,
                "filename": filename,
                "type": type_,
                "size": size,
                "etag": etag,
                "status": status,
                "createAt": create_at,
                "updateAt": update_at,
                "downloadURL": download_url,
                "userSelfURL": user_self_url,
                "totalTraffic": total_traffic,
                "parentFileId": parent_file_id,
                "parentFilename": parent_filename,
                "extension": extension,
            }
        )
        if s_3_key_flag is not UNSET:
            field_dict["s3KeyFlag"] = s_3_key_flag
        if storage_node is not UNSET:
            field_dict["storageNode"] = storage_node
        if oss_index is not UNSET:
            field_dict["ossIndex"] = oss_index

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        file_id = d.pop("fileId")

        filename = d.pop("filename")

        type_ = d.pop("type")

        size = d.pop("size")

        etag = d.pop("etag")

        status = d.pop("status")

        create_at = d.pop("createAt")

        update_at = d.pop("updateAt")

        download_url = d.pop("downloadURL")

        user_self_url = d.pop("userSelfURL")

        total_traffic = d.pop("totalTraffic")

        parent_file_id = d.pop("parentFileId")

        parent_filename = d.pop("parentFilename")

        extension = d.pop("extension")

        s_3_key_flag = d.pop("s3KeyFlag", UNSET)

        storage_node = d.pop("storageNode", UNSET)

        oss_index = d.pop("ossIndex", UNSET)

        file_detail_payload = cls(
            file_id=file_id,
            filename=filename,
            type_=type_,
            size=size,
            etag=etag,
            status=status,
            create_at=create_at,
            update_at=update_at,
            download_url=download_url,
            user_self_url=user_self_url,
            total_traffic=total_traffic,
            parent_file_id=parent_file_id,
            parent_filename=parent_filename,
            extension=extension,
            s_3_key_flag=s_3_key_flag,
            storage_node=storage_node,
            oss_index=oss_index,
        )

        file_detail_payload.additional_properties = d
        return file_detail_payload

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
