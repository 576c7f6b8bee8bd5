from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.file_detail_response import FileDetailResponse
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
) -> ErrorResponse | FileDetailResponse | None:
    if response.status_code == 200:
        response_200 = FileDetailResponse.from_dict(response.json())

        return response_200

    if 400 <= response.status_code <= 499:
        response_4xx = ErrorResponse.from_dict(response.json())

        return response_4xx

    if 500 <= response.status_code <= 599:
        response_5xx = ErrorResponse.from_dict(response.json())

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | FileDetailResponse]:
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
) -> Response[ErrorResponse | FileDetailResponse]:
    """Details of an image, with its download URL

     The file's name, size, MD5 and `downloadURL` [doc]. Field names beyond those are taken from
    third-party clients [seen] and may be absent.

    Args:
        file_id (str):
        platform (GetFileDetailPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | FileDetailResponse]
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
) -> ErrorResponse | FileDetailResponse | None:
    """Details of an image, with its download URL

     The file's name, size, MD5 and `downloadURL` [doc]. Field names beyond those are taken from
    third-party clients [seen] and may be absent.

    Args:
        file_id (str):
        platform (GetFileDetailPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | FileDetailResponse
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
) -> Response[ErrorResponse | FileDetailResponse]:
    """Details of an image, with its download URL

     The file's name, size, MD5 and `downloadURL` [doc]. Field names beyond those are taken from
    third-party clients [seen] and may be absent.

    Args:
        file_id (str):
        platform (GetFileDetailPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | FileDetailResponse]
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
) -> ErrorResponse | FileDetailResponse | None:
    """Details of an image, with its download URL

     The file's name, size, MD5 and `downloadURL` [doc]. Field names beyond those are taken from
    third-party clients [seen] and may be absent.

    Args:
        file_id (str):
        platform (GetFileDetailPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | FileDetailResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            file_id=file_id,
            platform=platform,
        )
    ).parsed
