from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.delete_files_platform import (
    DeleteFilesPlatform,
)
from ...models.empty_reply import EmptyReply
from ...models.file_delete_body import FileDeleteBody
from ...types import Response


def _get_kwargs(
    *,
    body: FileDeleteBody,
    platform: DeleteFilesPlatform = "open_platform",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Platform"] = str(platform)

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/oss/file/delete",
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
    body: FileDeleteBody,
    platform: DeleteFilesPlatform = "open_platform",
) -> Response[EmptyReply]:
    """Delete images or folders

     Deletes up to 100 entries [doc: delete]. `data` is `null` [doc: delete].

    Args:
        platform (DeleteFilesPlatform):  Default: 'open_platform'.
        body (FileDeleteBody): What to delete.

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
    body: FileDeleteBody,
    platform: DeleteFilesPlatform = "open_platform",
) -> EmptyReply | None:
    """Delete images or folders

     Deletes up to 100 entries [doc: delete]. `data` is `null` [doc: delete].

    Args:
        platform (DeleteFilesPlatform):  Default: 'open_platform'.
        body (FileDeleteBody): What to delete.

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
    body: FileDeleteBody,
    platform: DeleteFilesPlatform = "open_platform",
) -> Response[EmptyReply]:
    """Delete images or folders

     Deletes up to 100 entries [doc: delete]. `data` is `null` [doc: delete].

    Args:
        platform (DeleteFilesPlatform):  Default: 'open_platform'.
        body (FileDeleteBody): What to delete.

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
    body: FileDeleteBody,
    platform: DeleteFilesPlatform = "open_platform",
) -> EmptyReply | None:
    """Delete images or folders

     Deletes up to 100 entries [doc: delete]. `data` is `null` [doc: delete].

    Args:
        platform (DeleteFilesPlatform):  Default: 'open_platform'.
        body (FileDeleteBody): What to delete.

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
