from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_folder_platform import (
    CreateFolderPlatform,
)
from ...models.create_folder_reply import CreateFolderReply
from ...models.empty_reply import EmptyReply
from ...models.new_folder_body import NewFolderBody
from ...types import Response


def _get_kwargs(
    *,
    body: NewFolderBody,
    platform: CreateFolderPlatform = "open_platform",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Platform"] = str(platform)

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/upload/v1/oss/file/mkdir",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreateFolderReply | EmptyReply | None:
    if response.status_code == 200:
        response_200 = CreateFolderReply.from_dict(response.json())

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
) -> Response[CreateFolderReply | EmptyReply]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: NewFolderBody,
    platform: CreateFolderPlatform = "open_platform",
) -> Response[CreateFolderReply | EmptyReply]:
    """Create a folder on the image host

     Creates a folder under `parentID` (`""` is the root) [doc: mkdir]. Names must be unique within their
    parent ("不能重名") [doc: mkdir]; creating a name that exists fails with a message containing
    "不能重名" [seen: picgo-duplicate-name]; find the existing folder's ID by listing the parent.

    Args:
        platform (CreateFolderPlatform):  Default: 'open_platform'.
        body (NewFolderBody): The folder to create.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateFolderReply | EmptyReply]
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
    body: NewFolderBody,
    platform: CreateFolderPlatform = "open_platform",
) -> CreateFolderReply | EmptyReply | None:
    """Create a folder on the image host

     Creates a folder under `parentID` (`""` is the root) [doc: mkdir]. Names must be unique within their
    parent ("不能重名") [doc: mkdir]; creating a name that exists fails with a message containing
    "不能重名" [seen: picgo-duplicate-name]; find the existing folder's ID by listing the parent.

    Args:
        platform (CreateFolderPlatform):  Default: 'open_platform'.
        body (NewFolderBody): The folder to create.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateFolderReply | EmptyReply
    """

    return sync_detailed(
        client=client,
        body=body,
        platform=platform,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: NewFolderBody,
    platform: CreateFolderPlatform = "open_platform",
) -> Response[CreateFolderReply | EmptyReply]:
    """Create a folder on the image host

     Creates a folder under `parentID` (`""` is the root) [doc: mkdir]. Names must be unique within their
    parent ("不能重名") [doc: mkdir]; creating a name that exists fails with a message containing
    "不能重名" [seen: picgo-duplicate-name]; find the existing folder's ID by listing the parent.

    Args:
        platform (CreateFolderPlatform):  Default: 'open_platform'.
        body (NewFolderBody): The folder to create.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateFolderReply | EmptyReply]
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
    body: NewFolderBody,
    platform: CreateFolderPlatform = "open_platform",
) -> CreateFolderReply | EmptyReply | None:
    """Create a folder on the image host

     Creates a folder under `parentID` (`""` is the root) [doc: mkdir]. Names must be unique within their
    parent ("不能重名") [doc: mkdir]; creating a name that exists fails with a message containing
    "不能重名" [seen: picgo-duplicate-name]; find the existing folder's ID by listing the parent.

    Args:
        platform (CreateFolderPlatform):  Default: 'open_platform'.
        body (NewFolderBody): The folder to create.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateFolderReply | EmptyReply
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            platform=platform,
        )
    ).parsed
