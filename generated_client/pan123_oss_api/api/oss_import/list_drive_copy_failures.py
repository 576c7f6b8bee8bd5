from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.drive_copy_failures_reply import DriveCopyFailuresReply
from ...models.empty_reply import EmptyReply
from ...models.list_drive_copy_failures_platform import (
    ListDriveCopyFailuresPlatform,
)
from ...types import UNSET, Response


def _get_kwargs(
    *,
    task_id: str,
    limit: int,
    page: int,
    platform: ListDriveCopyFailuresPlatform = "open_platform",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Platform"] = str(platform)

    params: dict[str, Any] = {}

    params["taskID"] = task_id

    params["limit"] = limit

    params["page"] = page

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/oss/source/copy/fail",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DriveCopyFailuresReply | EmptyReply | None:
    if response.status_code == 200:
        response_200 = DriveCopyFailuresReply.from_dict(response.json())

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
) -> Response[DriveCopyFailuresReply | EmptyReply]:
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
    limit: int,
    page: int,
    platform: ListDriveCopyFailuresPlatform = "open_platform",
) -> Response[DriveCopyFailuresReply | EmptyReply]:
    """The images a drive copy task could not copy

     A page of the images (of a supported format and size) that failed to copy [doc: copy-fail]. `list`
    is
    `null` when there are none, as in the docs' example [doc: copy-fail]; `fileId` is a number here
    [doc: copy-fail].

    Args:
        task_id (str):
        limit (int):
        page (int):
        platform (ListDriveCopyFailuresPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DriveCopyFailuresReply | EmptyReply]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        limit=limit,
        page=page,
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
    limit: int,
    page: int,
    platform: ListDriveCopyFailuresPlatform = "open_platform",
) -> DriveCopyFailuresReply | EmptyReply | None:
    """The images a drive copy task could not copy

     A page of the images (of a supported format and size) that failed to copy [doc: copy-fail]. `list`
    is
    `null` when there are none, as in the docs' example [doc: copy-fail]; `fileId` is a number here
    [doc: copy-fail].

    Args:
        task_id (str):
        limit (int):
        page (int):
        platform (ListDriveCopyFailuresPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DriveCopyFailuresReply | EmptyReply
    """

    return sync_detailed(
        client=client,
        task_id=task_id,
        limit=limit,
        page=page,
        platform=platform,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    task_id: str,
    limit: int,
    page: int,
    platform: ListDriveCopyFailuresPlatform = "open_platform",
) -> Response[DriveCopyFailuresReply | EmptyReply]:
    """The images a drive copy task could not copy

     A page of the images (of a supported format and size) that failed to copy [doc: copy-fail]. `list`
    is
    `null` when there are none, as in the docs' example [doc: copy-fail]; `fileId` is a number here
    [doc: copy-fail].

    Args:
        task_id (str):
        limit (int):
        page (int):
        platform (ListDriveCopyFailuresPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DriveCopyFailuresReply | EmptyReply]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        limit=limit,
        page=page,
        platform=platform,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    task_id: str,
    limit: int,
    page: int,
    platform: ListDriveCopyFailuresPlatform = "open_platform",
) -> DriveCopyFailuresReply | EmptyReply | None:
    """The images a drive copy task could not copy

     A page of the images (of a supported format and size) that failed to copy [doc: copy-fail]. `list`
    is
    `null` when there are none, as in the docs' example [doc: copy-fail]; `fileId` is a number here
    [doc: copy-fail].

    Args:
        task_id (str):
        limit (int):
        page (int):
        platform (ListDriveCopyFailuresPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DriveCopyFailuresReply | EmptyReply
    """

    return (
        await asyncio_detailed(
            client=client,
            task_id=task_id,
            limit=limit,
            page=page,
            platform=platform,
        )
    ).parsed
