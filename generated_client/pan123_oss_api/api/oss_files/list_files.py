from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.empty_reply import EmptyReply
from ...models.file_list_body import FileListBody
from ...models.list_files_platform import ListFilesPlatform
from ...models.list_files_reply import ListFilesReply
from ...types import Response


def _get_kwargs(
    *,
    body: FileListBody,
    platform: ListFilesPlatform = "open_platform",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Platform"] = str(platform)

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/oss/file/list",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EmptyReply | ListFilesReply | None:
    if response.status_code == 200:
        response_200 = ListFilesReply.from_dict(response.json())

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
) -> Response[EmptyReply | ListFilesReply]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: FileListBody,
    platform: ListFilesPlatform = "open_platform",
) -> Response[EmptyReply | ListFilesReply]:
    """List a folder's images and folders, a page at a time

     Lists the entries of `parentFileId` (the root when absent or `""`), at most `limit` (≤ 100) per
    page, optionally only those created between `startTime` and `endTime` (unix seconds) [doc: list].
    Pass
    the reply's `lastFileId` as the next request's `lastFileId`; `"-1"` means this was the last page
    [doc: list]. Note the casing: `parentFileId`/`lastFileId` here, `fileID` elsewhere [doc: list].

    Args:
        platform (ListFilesPlatform):  Default: 'open_platform'.
        body (FileListBody): Which folder, which page, which time range.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyReply | ListFilesReply]
    """

    kwargs = _get_kwargs(
        body=body,
        platform=platform,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: FileListBody,
    platform: ListFilesPlatform = "open_platform",
) -> EmptyReply | ListFilesReply | None:
    """List a folder's images and folders, a page at a time

     Lists the entries of `parentFileId` (the root when absent or `""`), at most `limit` (≤ 100) per
    page, optionally only those created between `startTime` and `endTime` (unix seconds) [doc: list].
    Pass
    the reply's `lastFileId` as the next request's `lastFileId`; `"-1"` means this was the last page
    [doc: list]. Note the casing: `parentFileId`/`lastFileId` here, `fileID` elsewhere [doc: list].

    Args:
        platform (ListFilesPlatform):  Default: 'open_platform'.
        body (FileListBody): Which folder, which page, which time range.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyReply | ListFilesReply
    """

    return sync_detailed(
        client=client,
        body=body,
        platform=platform,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: FileListBody,
    platform: ListFilesPlatform = "open_platform",
) -> Response[EmptyReply | ListFilesReply]:
    """List a folder's images and folders, a page at a time

     Lists the entries of `parentFileId` (the root when absent or `""`), at most `limit` (≤ 100) per
    page, optionally only those created between `startTime` and `endTime` (unix seconds) [doc: list].
    Pass
    the reply's `lastFileId` as the next request's `lastFileId`; `"-1"` means this was the last page
    [doc: list]. Note the casing: `parentFileId`/`lastFileId` here, `fileID` elsewhere [doc: list].

    Args:
        platform (ListFilesPlatform):  Default: 'open_platform'.
        body (FileListBody): Which folder, which page, which time range.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyReply | ListFilesReply]
    """

    kwargs = _get_kwargs(
        body=body,
        platform=platform,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: FileListBody,
    platform: ListFilesPlatform = "open_platform",
) -> EmptyReply | ListFilesReply | None:
    """List a folder's images and folders, a page at a time

     Lists the entries of `parentFileId` (the root when absent or `""`), at most `limit` (≤ 100) per
    page, optionally only those created between `startTime` and `endTime` (unix seconds) [doc: list].
    Pass
    the reply's `lastFileId` as the next request's `lastFileId`; `"-1"` means this was the last page
    [doc: list]. Note the casing: `parentFileId`/`lastFileId` here, `fileID` elsewhere [doc: list].

    Args:
        platform (ListFilesPlatform):  Default: 'open_platform'.
        body (FileListBody): Which folder, which page, which time range.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyReply | ListFilesReply
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            platform=platform,
        )
    ).parsed
