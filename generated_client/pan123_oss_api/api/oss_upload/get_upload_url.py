from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.get_upload_url_platform import (
    GetUploadUrlPlatform,
)
from ...models.get_upload_url_request import GetUploadUrlRequest
from ...models.get_upload_url_response import GetUploadUrlResponse
from ...types import Response


def _get_kwargs(
    *,
    body: GetUploadUrlRequest,
    platform: GetUploadUrlPlatform = "open_platform",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Platform"] = str(platform)

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/upload/v1/oss/file/get_upload_url",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | GetUploadUrlResponse | None:
    if response.status_code == 200:
        response_200 = GetUploadUrlResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | GetUploadUrlResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: GetUploadUrlRequest,
    platform: GetUploadUrlPlatform = "open_platform",
) -> Response[ErrorResponse | GetUploadUrlResponse]:
    """Get the presigned URL for one slice

     Returns a presigned URL for slice `sliceNo` (counted from 1). `PUT` the slice's raw bytes to it
    **without** the `Authorization` and `Platform` headers; HTTP 200 with an empty body means the
    slice is stored [doc]. URLs expire: fetch each one just before its `PUT`, and fetch a fresh one
    to retry a failed `PUT` [seen].

    Args:
        platform (GetUploadUrlPlatform):  Default: 'open_platform'.
        body (GetUploadUrlRequest): Which slice of which upload.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetUploadUrlResponse]
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
    body: GetUploadUrlRequest,
    platform: GetUploadUrlPlatform = "open_platform",
) -> ErrorResponse | GetUploadUrlResponse | None:
    """Get the presigned URL for one slice

     Returns a presigned URL for slice `sliceNo` (counted from 1). `PUT` the slice's raw bytes to it
    **without** the `Authorization` and `Platform` headers; HTTP 200 with an empty body means the
    slice is stored [doc]. URLs expire: fetch each one just before its `PUT`, and fetch a fresh one
    to retry a failed `PUT` [seen].

    Args:
        platform (GetUploadUrlPlatform):  Default: 'open_platform'.
        body (GetUploadUrlRequest): Which slice of which upload.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetUploadUrlResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        platform=platform,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: GetUploadUrlRequest,
    platform: GetUploadUrlPlatform = "open_platform",
) -> Response[ErrorResponse | GetUploadUrlResponse]:
    """Get the presigned URL for one slice

     Returns a presigned URL for slice `sliceNo` (counted from 1). `PUT` the slice's raw bytes to it
    **without** the `Authorization` and `Platform` headers; HTTP 200 with an empty body means the
    slice is stored [doc]. URLs expire: fetch each one just before its `PUT`, and fetch a fresh one
    to retry a failed `PUT` [seen].

    Args:
        platform (GetUploadUrlPlatform):  Default: 'open_platform'.
        body (GetUploadUrlRequest): Which slice of which upload.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetUploadUrlResponse]
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
    body: GetUploadUrlRequest,
    platform: GetUploadUrlPlatform = "open_platform",
) -> ErrorResponse | GetUploadUrlResponse | None:
    """Get the presigned URL for one slice

     Returns a presigned URL for slice `sliceNo` (counted from 1). `PUT` the slice's raw bytes to it
    **without** the `Authorization` and `Platform` headers; HTTP 200 with an empty body means the
    slice is stored [doc]. URLs expire: fetch each one just before its `PUT`, and fetch a fresh one
    to retry a failed `PUT` [seen].

    Args:
        platform (GetUploadUrlPlatform):  Default: 'open_platform'.
        body (GetUploadUrlRequest): Which slice of which upload.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetUploadUrlResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            platform=platform,
        )
    ).parsed
