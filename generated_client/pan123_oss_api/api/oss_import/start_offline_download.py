from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.empty_reply import EmptyReply
from ...models.offline_download_body import OfflineDownloadBody
from ...models.offline_download_reply import OfflineDownloadReply
from ...models.start_offline_download_platform import (
    StartOfflineDownloadPlatform,
)
from ...types import Response


def _get_kwargs(
    *,
    body: OfflineDownloadBody,
    platform: StartOfflineDownloadPlatform = "open_platform",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Platform"] = str(platform)

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/oss/offline/download",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EmptyReply | OfflineDownloadReply | None:
    if response.status_code == 200:
        response_200 = OfflineDownloadReply.from_dict(response.json())

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
) -> Response[EmptyReply | OfflineDownloadReply]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: OfflineDownloadBody,
    platform: StartOfflineDownloadPlatform = "open_platform",
) -> Response[EmptyReply | OfflineDownloadReply]:
    """Start a task that fetches an image from a URL onto the image host (离线迁移)

     The service downloads `url` (http or https only; png gif jpeg tiff webp jpg tif svg bmp; at most
    100 MB) into `businessDirID`, or into a folder named "来自:离线下载" when absent; the root is not
    allowed [doc: offline]. An image with the same etag and size there is overwritten [doc: offline].
    `taskID`
    is a number here [doc: offline]. The task's result names no file: find it by listing the target
    folder.

    Args:
        platform (StartOfflineDownloadPlatform):  Default: 'open_platform'.
        body (OfflineDownloadBody): What to fetch, and where to put it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyReply | OfflineDownloadReply]
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
    body: OfflineDownloadBody,
    platform: StartOfflineDownloadPlatform = "open_platform",
) -> EmptyReply | OfflineDownloadReply | None:
    """Start a task that fetches an image from a URL onto the image host (离线迁移)

     The service downloads `url` (http or https only; png gif jpeg tiff webp jpg tif svg bmp; at most
    100 MB) into `businessDirID`, or into a folder named "来自:离线下载" when absent; the root is not
    allowed [doc: offline]. An image with the same etag and size there is overwritten [doc: offline].
    `taskID`
    is a number here [doc: offline]. The task's result names no file: find it by listing the target
    folder.

    Args:
        platform (StartOfflineDownloadPlatform):  Default: 'open_platform'.
        body (OfflineDownloadBody): What to fetch, and where to put it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyReply | OfflineDownloadReply
    """

    return sync_detailed(
        client=client,
        body=body,
        platform=platform,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: OfflineDownloadBody,
    platform: StartOfflineDownloadPlatform = "open_platform",
) -> Response[EmptyReply | OfflineDownloadReply]:
    """Start a task that fetches an image from a URL onto the image host (离线迁移)

     The service downloads `url` (http or https only; png gif jpeg tiff webp jpg tif svg bmp; at most
    100 MB) into `businessDirID`, or into a folder named "来自:离线下载" when absent; the root is not
    allowed [doc: offline]. An image with the same etag and size there is overwritten [doc: offline].
    `taskID`
    is a number here [doc: offline]. The task's result names no file: find it by listing the target
    folder.

    Args:
        platform (StartOfflineDownloadPlatform):  Default: 'open_platform'.
        body (OfflineDownloadBody): What to fetch, and where to put it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyReply | OfflineDownloadReply]
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
    body: OfflineDownloadBody,
    platform: StartOfflineDownloadPlatform = "open_platform",
) -> EmptyReply | OfflineDownloadReply | None:
    """Start a task that fetches an image from a URL onto the image host (离线迁移)

     The service downloads `url` (http or https only; png gif jpeg tiff webp jpg tif svg bmp; at most
    100 MB) into `businessDirID`, or into a folder named "来自:离线下载" when absent; the root is not
    allowed [doc: offline]. An image with the same etag and size there is overwritten [doc: offline].
    `taskID`
    is a number here [doc: offline]. The task's result names no file: find it by listing the target
    folder.

    Args:
        platform (StartOfflineDownloadPlatform):  Default: 'open_platform'.
        body (OfflineDownloadBody): What to fetch, and where to put it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyReply | OfflineDownloadReply
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            platform=platform,
        )
    ).parsed
