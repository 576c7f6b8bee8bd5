from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.drive_copy_process_reply import DriveCopyProcessReply
from ...models.empty_reply import EmptyReply
from ...models.get_drive_copy_process_platform import (
    GetDriveCopyProcessPlatform,
)
from ...types import UNSET, Response


def _get_kwargs(
    *,
    task_id: str,
    platform: GetDriveCopyProcessPlatform = "open_platform",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Platform"] = str(platform)

    params: dict[str, Any] = {}

    params["taskID"] = task_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/oss/source/copy/process",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DriveCopyProcessReply | EmptyReply | None:
    if response.status_code == 200:
        response_200 = DriveCopyProcessReply.from_dict(response.json())

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
) -> Response[DriveCopyProcessReply | EmptyReply]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    task_id: str,
    platform: GetDriveCopyProcessPlatform = "open_platform",
) -> Response[DriveCopyProcessReply | EmptyReply]:
    """The state of a drive copy task

     `status`: 1 running, 2 finished, 3 failed, 4 waiting; `failMsg` says why a task failed [doc: copy-
    process].
    No polling interval is documented; poll no more than once a second [guess].

    Args:
        task_id (str):
        platform (GetDriveCopyProcessPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DriveCopyProcessReply | EmptyReply]
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
    task_id: str,
    platform: GetDriveCopyProcessPlatform = "open_platform",
) -> DriveCopyProcessReply | EmptyReply | None:
    """The state of a drive copy task

     `status`: 1 running, 2 finished, 3 failed, 4 waiting; `failMsg` says why a task failed [doc: copy-
    process].
    No polling interval is documented; poll no more than once a second [guess].

    Args:
        task_id (str):
        platform (GetDriveCopyProcessPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DriveCopyProcessReply | EmptyReply
    """

    return sync_detailed(
        client=client,
        task_id=task_id,
        platform=platform,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    task_id: str,
    platform: GetDriveCopyProcessPlatform = "open_platform",
) -> Response[DriveCopyProcessReply | EmptyReply]:
    """The state of a drive copy task

     `status`: 1 running, 2 finished, 3 failed, 4 waiting; `failMsg` says why a task failed [doc: copy-
    process].
    No polling interval is documented; poll no more than once a second [guess].

    Args:
        task_id (str):
        platform (GetDriveCopyProcessPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DriveCopyProcessReply | EmptyReply]
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
    task_id: str,
    platform: GetDriveCopyProcessPlatform = "open_platform",
) -> DriveCopyProcessReply | EmptyReply | None:
    """The state of a drive copy task

     `status`: 1 running, 2 finished, 3 failed, 4 waiting; `failMsg` says why a task failed [doc: copy-
    process].
    No polling interval is documented; poll no more than once a second [guess].

    Args:
        task_id (str):
        platform (GetDriveCopyProcessPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DriveCopyProcessReply | EmptyReply
    """

    return (
        await asyncio_detailed(
            client=client,
            task_id=task_id,
            platform=platform,
        )
    ).parsed
