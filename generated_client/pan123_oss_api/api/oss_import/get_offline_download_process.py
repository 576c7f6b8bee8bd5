from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.empty_reply import EmptyReply
from ...models.get_offline_download_process_platform import (
    GetOfflineDownloadProcessPlatform,
)
from ...models.offline_download_process_reply import OfflineDownloadProcessReply
from ...types import UNSET, Response


def _get_kwargs(
    *,
    task_id: int,
    platform: GetOfflineDownloadProcessPlatform = "open_platform",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Platform"] = str(platform)

    params: dict[str, Any] = {}

    params["taskID"] = task_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/oss/offline/download/process",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EmptyReply | OfflineDownloadProcessReply | None:
    if response.status_code == 200:
        response_200 = OfflineDownloadProcessReply.from_dict(response.json())

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
) -> Response[EmptyReply | OfflineDownloadProcessReply]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    task_id: int,
    platform: GetOfflineDownloadProcessPlatform = "open_platform",
) -> Response[EmptyReply | OfflineDownloadProcessReply]:
    """The state of an offline migration task

     `status`: 0 running, 1 failed, 2 done, 3 retrying; `process` is the percentage done, 0 to 100
    [doc: offline-process]. No polling interval is documented; poll no more than once a second [guess].

    Args:
        task_id (int):
        platform (GetOfflineDownloadProcessPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyReply | OfflineDownloadProcessReply]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        platform=platform,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    task_id: int,
    platform: GetOfflineDownloadProcessPlatform = "open_platform",
) -> EmptyReply | OfflineDownloadProcessReply | None:
    """The state of an offline migration task

     `status`: 0 running, 1 failed, 2 done, 3 retrying; `process` is the percentage done, 0 to 100
    [doc: offline-process]. No polling interval is documented; poll no more than once a second [guess].

    Args:
        task_id (int):
        platform (GetOfflineDownloadProcessPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyReply | OfflineDownloadProcessReply
    """

    return sync_detailed(
        client=client,
        task_id=task_id,
        platform=platform,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    task_id: int,
    platform: GetOfflineDownloadProcessPlatform = "open_platform",
) -> Response[EmptyReply | OfflineDownloadProcessReply]:
    """The state of an offline migration task

     `status`: 0 running, 1 failed, 2 done, 3 retrying; `process` is the percentage done, 0 to 100
    [doc: offline-process]. No polling interval is documented; poll no more than once a second [guess].

    Args:
        task_id (int):
        platform (GetOfflineDownloadProcessPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyReply | OfflineDownloadProcessReply]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        platform=platform,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    task_id: int,
    platform: GetOfflineDownloadProcessPlatform = "open_platform",
) -> EmptyReply | OfflineDownloadProcessReply | None:
    """The state of an offline migration task

     `status`: 0 running, 1 failed, 2 done, 3 retrying; `process` is the percentage done, 0 to 100
    [doc: offline-process]. No polling interval is documented; poll no more than once a second [guess].

    Args:
        task_id (int):
        platform (GetOfflineDownloadProcessPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyReply | OfflineDownloadProcessReply
    """

    return (
        await asyncio_detailed(
            client=client,
            task_id=task_id,
            platform=platform,
        )
    ).parsed
