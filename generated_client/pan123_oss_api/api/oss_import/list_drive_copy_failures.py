from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.drive_copy_failures_success import DriveCopyFailuresSuccess
from ...models.list_drive_copy_failures_platform import (
    ListDriveCopyFailuresPlatform,
)
from ...models.z_failure_reply import ZFailureReply
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
) -> DriveCopyFailuresSuccess | ZFailureReply | None:
    if response.status_code == 200:

        def _parse_response_200(
            data: object,
        ) -> DriveCopyFailuresSuccess | ZFailureReply:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_drive_copy_failures_reply_type_0 = (
                    DriveCopyFailuresSuccess.from_dict(data)
                )

                return componentsschemas_drive_copy_failures_reply_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_drive_copy_failures_reply_type_1 = (
                ZFailureReply.from_dict(data)
            )

            return componentsschemas_drive_copy_failures_reply_type_1

        response_200 = _parse_response_200(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ZFailureReply.from_dict(response.json())

        return response_401

    if response.status_code == 429:
        response_429 = ZFailureReply.from_dict(response.json())

        return response_429

    if 500 <= response.status_code <= 599:
        response_5xx = ZFailureReply.from_dict(response.json())

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DriveCopyFailuresSuccess | ZFailureReply]:
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
) -> Response[DriveCopyFailuresSuccess | ZFailureReply]:
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
        Response[DriveCopyFailuresSuccess | ZFailureReply | ZFailureReply]
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
) -> DriveCopyFailuresSuccess | ZFailureReply | None:
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
        DriveCopyFailuresSuccess | ZFailureReply | ZFailureReply
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
) -> Response[DriveCopyFailuresSuccess | ZFailureReply]:
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
        Response[DriveCopyFailuresSuccess | ZFailureReply | ZFailureReply]
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
) -> DriveCopyFailuresSuccess | ZFailureReply | None:
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
        DriveCopyFailuresSuccess | ZFailureReply | ZFailureReply
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
