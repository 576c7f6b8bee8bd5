from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.list_upload_parts_platform import (
    ListUploadPartsPlatform,
)
from ...models.list_upload_parts_response import ListUploadPartsResponse
from ...models.preupload_request import PreuploadRequest
from ...types import Response


def _get_kwargs(
    *,
    body: PreuploadRequest,
    platform: ListUploadPartsPlatform = "open_platform",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Platform"] = str(platform)

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/upload/v1/oss/file/list_upload_parts",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ListUploadPartsResponse | None:
    if response.status_code == 200:
        response_200 = ListUploadPartsResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | ListUploadPartsResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: PreuploadRequest,
    platform: ListUploadPartsPlatform = "open_platform",
) -> Response[ErrorResponse | ListUploadPartsResponse]:
    """List the slices the service holds for an upload

     The slices stored so far, each with its number, size in bytes and MD5 (`etag`). Use it to check an
    upload before completing it, and to resume one (skip slices already held). The shape is taken from
    the drive (v1) upload flow [guess]; the list may be empty for a file smaller than one slice [guess].

    Args:
        platform (ListUploadPartsPlatform):  Default: 'open_platform'.
        body (PreuploadRequest): Which upload a call is about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListUploadPartsResponse]
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
    body: PreuploadRequest,
    platform: ListUploadPartsPlatform = "open_platform",
) -> ErrorResponse | ListUploadPartsResponse | None:
    """List the slices the service holds for an upload

     The slices stored so far, each with its number, size in bytes and MD5 (`etag`). Use it to check an
    upload before completing it, and to resume one (skip slices already held). The shape is taken from
    the drive (v1) upload flow [guess]; the list may be empty for a file smaller than one slice [guess].

    Args:
        platform (ListUploadPartsPlatform):  Default: 'open_platform'.
        body (PreuploadRequest): Which upload a call is about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListUploadPartsResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        platform=platform,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: PreuploadRequest,
    platform: ListUploadPartsPlatform = "open_platform",
) -> Response[ErrorResponse | ListUploadPartsResponse]:
    """List the slices the service holds for an upload

     The slices stored so far, each with its number, size in bytes and MD5 (`etag`). Use it to check an
    upload before completing it, and to resume one (skip slices already held). The shape is taken from
    the drive (v1) upload flow [guess]; the list may be empty for a file smaller than one slice [guess].

    Args:
        platform (ListUploadPartsPlatform):  Default: 'open_platform'.
        body (PreuploadRequest): Which upload a call is about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListUploadPartsResponse]
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
    body: PreuploadRequest,
    platform: ListUploadPartsPlatform = "open_platform",
) -> ErrorResponse | ListUploadPartsResponse | None:
    """List the slices the service holds for an upload

     The slices stored so far, each with its number, size in bytes and MD5 (`etag`). Use it to check an
    upload before completing it, and to resume one (skip slices already held). The shape is taken from
    the drive (v1) upload flow [guess]; the list may be empty for a file smaller than one slice [guess].

    Args:
        platform (ListUploadPartsPlatform):  Default: 'open_platform'.
        body (PreuploadRequest): Which upload a call is about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListUploadPartsResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            platform=platform,
        )
    ).parsed
