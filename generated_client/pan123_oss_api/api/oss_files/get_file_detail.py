from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.empty_reply import EmptyReply
from ...models.file_detail_reply import FileDetailReply
from ...models.get_file_detail_platform import (
    GetFileDetailPlatform,
)
from ...types import UNSET, Response


def _get_kwargs(
    *,
    file_id: str,
    platform: GetFileDetailPlatform = "open_platform",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Platform"] = str(platform)

    params: dict[str, Any] = {}

    params["fileID"] = file_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/oss/file/detail",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EmptyReply | FileDetailReply | None:
    if response.status_code == 200:
        response_200 = FileDetailReply.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = EmptyReply.from_dict(response.json())

        return response_401

    if response.status_code == 429:
        response_429 = EmptyReply.from_dict(response.json())

        return response_429

    if 500 <= response.status_code <= 599:
        response_5xx = EmptyReply.from_dict(response.json())

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[EmptyReply | FileDetailReply]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    file_id: str,
    platform: GetFileDetailPlatform = "open_platform",
) -> Response[EmptyReply | FileDetailReply]:
    """Details of an image, with its links

     The file's 14 documented fields, all required [doc: detail]: among them `downloadURL` (the link to
    use), `userSelfURL` (the link on the user's own domain) and `status` (review status; above 100
    means rejected) [doc: detail]. Real replies carry more, undocumented fields (`s3KeyFlag`,
    `storageNode`, `ossIndex`) [doc: detail]. No upload reply carries a link, so ask this
    after an upload; when `downloadURL` is filled after an upload is not documented, and one client
    asks again while it is empty [seen: download-url-empty].

    Args:
        file_id (str):
        platform (GetFileDetailPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyReply | FileDetailReply]
    """

    kwargs = _get_kwargs(
        file_id=file_id,
        platform=platform,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    file_id: str,
    platform: GetFileDetailPlatform = "open_platform",
) -> EmptyReply | FileDetailReply | None:
    """Details of an image, with its links

     The file's 14 documented fields, all required [doc: detail]: among them `downloadURL` (the link to
    use), `userSelfURL` (the link on the user's own domain) and `status` (review status; above 100
    means rejected) [doc: detail]. Real replies carry more, undocumented fields (`s3KeyFlag`,
    `storageNode`, `ossIndex`) [doc: detail]. No upload reply carries a link, so ask this
    after an upload; when `downloadURL` is filled after an upload is not documented, and one client
    asks again while it is empty [seen: download-url-empty].

    Args:
        file_id (str):
        platform (GetFileDetailPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyReply | FileDetailReply
    """

    return sync_detailed(
        client=client,
        file_id=file_id,
        platform=platform,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    file_id: str,
    platform: GetFileDetailPlatform = "open_platform",
) -> Response[EmptyReply | FileDetailReply]:
    """Details of an image, with its links

     The file's 14 documented fields, all required [doc: detail]: among them `downloadURL` (the link to
    use), `userSelfURL` (the link on the user's own domain) and `status` (review status; above 100
    means rejected) [doc: detail]. Real replies carry more, undocumented fields (`s3KeyFlag`,
    `storageNode`, `ossIndex`) [doc: detail]. No upload reply carries a link, so ask this
    after an upload; when `downloadURL` is filled after an upload is not documented, and one client
    asks again while it is empty [seen: download-url-empty].

    Args:
        file_id (str):
        platform (GetFileDetailPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyReply | FileDetailReply]
    """

    kwargs = _get_kwargs(
        file_id=file_id,
        platform=platform,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    file_id: str,
    platform: GetFileDetailPlatform = "open_platform",
) -> EmptyReply | FileDetailReply | None:
    """Details of an image, with its links

     The file's 14 documented fields, all required [doc: detail]: among them `downloadURL` (the link to
    use), `userSelfURL` (the link on the user's own domain) and `status` (review status; above 100
    means rejected) [doc: detail]. Real replies carry more, undocumented fields (`s3KeyFlag`,
    `storageNode`, `ossIndex`) [doc: detail]. No upload reply carries a link, so ask this
    after an upload; when `downloadURL` is filled after an upload is not documented, and one client
    asks again while it is empty [seen: download-url-empty].

    Args:
        file_id (str):
        platform (GetFileDetailPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyReply | FileDetailReply
    """

    return (
        await asyncio_detailed(
            client=client,
            file_id=file_id,
            platform=platform,
        )
    ).parsed
