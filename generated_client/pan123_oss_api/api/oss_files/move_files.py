from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.empty_reply import EmptyReply
from ...models.file_move_body import FileMoveBody
from ...models.move_files_platform import MoveFilesPlatform
from ...types import Response


def _get_kwargs(
    *,
    body: FileMoveBody,
    platform: MoveFilesPlatform = "open_platform",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Platform"] = str(platform)

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/oss/file/move",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EmptyReply | None:
    if response.status_code == 200:
        response_200 = EmptyReply.from_dict(response.json())

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
) -> Response[EmptyReply]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: FileMoveBody,
    platform: MoveFilesPlatform = "open_platform",
) -> Response[EmptyReply]:
    """Move images or folders into another folder

     Moves up to 100 entries into `toParentFileID` (`""` is the root) [doc: move]. `data` is `null` [doc:
    move].

    Args:
        platform (MoveFilesPlatform):  Default: 'open_platform'.
        body (FileMoveBody): What to move where.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyReply]
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
    body: FileMoveBody,
    platform: MoveFilesPlatform = "open_platform",
) -> EmptyReply | None:
    """Move images or folders into another folder

     Moves up to 100 entries into `toParentFileID` (`""` is the root) [doc: move]. `data` is `null` [doc:
    move].

    Args:
        platform (MoveFilesPlatform):  Default: 'open_platform'.
        body (FileMoveBody): What to move where.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyReply
    """

    return sync_detailed(
        client=client,
        body=body,
        platform=platform,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: FileMoveBody,
    platform: MoveFilesPlatform = "open_platform",
) -> Response[EmptyReply]:
    """Move images or folders into another folder

     Moves up to 100 entries into `toParentFileID` (`""` is the root) [doc: move]. `data` is `null` [doc:
    move].

    Args:
        platform (MoveFilesPlatform):  Default: 'open_platform'.
        body (FileMoveBody): What to move where.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyReply]
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
    body: FileMoveBody,
    platform: MoveFilesPlatform = "open_platform",
) -> EmptyReply | None:
    """Move images or folders into another folder

     Moves up to 100 entries into `toParentFileID` (`""` is the root) [doc: move]. `data` is `null` [doc:
    move].

    Args:
        platform (MoveFilesPlatform):  Default: 'open_platform'.
        body (FileMoveBody): What to move where.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyReply
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            platform=platform,
        )
    ).parsed
