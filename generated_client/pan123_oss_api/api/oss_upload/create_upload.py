from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_upload_platform import (
    CreateUploadPlatform,
)
from ...models.create_upload_request import CreateUploadRequest
from ...models.create_upload_response import CreateUploadResponse
from ...models.error_response import ErrorResponse
from ...types import Response


def _get_kwargs(
    *,
    body: CreateUploadRequest,
    platform: CreateUploadPlatform = "open_platform",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Platform"] = str(platform)

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/upload/v1/oss/file/create",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreateUploadResponse | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = CreateUploadResponse.from_dict(response.json())

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
) -> Response[CreateUploadResponse | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateUploadRequest,
    platform: CreateUploadPlatform = "open_platform",
) -> Response[CreateUploadResponse | ErrorResponse]:
    """Start an upload (or finish it at once if the service already has the bytes)

     Declares a file by name, size and MD5. If the service already holds a file with that MD5,
    it answers `reuse: true` with the new `fileID` (instant upload, 秒传) and nothing needs sending;
    `preuploadID` may then be `""` [seen]. Otherwise it answers a `preuploadID` and the `sliceSize`
    to cut the file into; keep the `preuploadID`: every later call of the upload needs it [doc].

    Errors: `401` refresh the token once and retry; `429` back off and retry; other codes are final
    (`5113` traffic quota exceeded, an invalid filename, ...).

    Args:
        platform (CreateUploadPlatform):  Default: 'open_platform'.
        body (CreateUploadRequest): The file to upload.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateUploadResponse | ErrorResponse]
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
    body: CreateUploadRequest,
    platform: CreateUploadPlatform = "open_platform",
) -> CreateUploadResponse | ErrorResponse | None:
    """Start an upload (or finish it at once if the service already has the bytes)

     Declares a file by name, size and MD5. If the service already holds a file with that MD5,
    it answers `reuse: true` with the new `fileID` (instant upload, 秒传) and nothing needs sending;
    `preuploadID` may then be `""` [seen]. Otherwise it answers a `preuploadID` and the `sliceSize`
    to cut the file into; keep the `preuploadID`: every later call of the upload needs it [doc].

    Errors: `401` refresh the token once and retry; `429` back off and retry; other codes are final
    (`5113` traffic quota exceeded, an invalid filename, ...).

    Args:
        platform (CreateUploadPlatform):  Default: 'open_platform'.
        body (CreateUploadRequest): The file to upload.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateUploadResponse | ErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        platform=platform,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateUploadRequest,
    platform: CreateUploadPlatform = "open_platform",
) -> Response[CreateUploadResponse | ErrorResponse]:
    """Start an upload (or finish it at once if the service already has the bytes)

     Declares a file by name, size and MD5. If the service already holds a file with that MD5,
    it answers `reuse: true` with the new `fileID` (instant upload, 秒传) and nothing needs sending;
    `preuploadID` may then be `""` [seen]. Otherwise it answers a `preuploadID` and the `sliceSize`
    to cut the file into; keep the `preuploadID`: every later call of the upload needs it [doc].

    Errors: `401` refresh the token once and retry; `429` back off and retry; other codes are final
    (`5113` traffic quota exceeded, an invalid filename, ...).

    Args:
        platform (CreateUploadPlatform):  Default: 'open_platform'.
        body (CreateUploadRequest): The file to upload.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateUploadResponse | ErrorResponse]
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
    body: CreateUploadRequest,
    platform: CreateUploadPlatform = "open_platform",
) -> CreateUploadResponse | ErrorResponse | None:
    """Start an upload (or finish it at once if the service already has the bytes)

     Declares a file by name, size and MD5. If the service already holds a file with that MD5,
    it answers `reuse: true` with the new `fileID` (instant upload, 秒传) and nothing needs sending;
    `preuploadID` may then be `""` [seen]. Otherwise it answers a `preuploadID` and the `sliceSize`
    to cut the file into; keep the `preuploadID`: every later call of the upload needs it [doc].

    Errors: `401` refresh the token once and retry; `429` back off and retry; other codes are final
    (`5113` traffic quota exceeded, an invalid filename, ...).

    Args:
        platform (CreateUploadPlatform):  Default: 'open_platform'.
        body (CreateUploadRequest): The file to upload.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateUploadResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            platform=platform,
        )
    ).parsed
