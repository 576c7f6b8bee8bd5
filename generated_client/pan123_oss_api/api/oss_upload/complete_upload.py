from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.complete_upload_platform import (
    CompleteUploadPlatform,
)
from ...models.error_response import ErrorResponse
from ...models.preupload_request import PreuploadRequest
from ...models.upload_complete_response import UploadCompleteResponse
from ...types import Response


def _get_kwargs(
    *,
    body: PreuploadRequest,
    platform: CompleteUploadPlatform = "open_platform",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Platform"] = str(platform)

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/upload/v1/oss/file/upload_complete",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | UploadCompleteResponse | None:
    if response.status_code == 200:
        response_200 = UploadCompleteResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | UploadCompleteResponse]:
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
    platform: CompleteUploadPlatform = "open_platform",
) -> Response[ErrorResponse | UploadCompleteResponse]:
    """Tell the service every slice is sent

     Ends the sending. `async: false` with `completed: true` and a non-empty `fileID`: the upload is
    done. `async: true`: the service merges and checks the slices in the background; poll
    `upload_async_result` (no sooner than once a second) for the `fileID` [doc].

    Errors: `20103` file is being verified, retry after 1 s [seen on the drive's v2 complete call];
    `401` refresh and retry; `429` back off; other codes are final for this upload.

    Args:
        platform (CompleteUploadPlatform):  Default: 'open_platform'.
        body (PreuploadRequest): Which upload a call is about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | UploadCompleteResponse]
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
    platform: CompleteUploadPlatform = "open_platform",
) -> ErrorResponse | UploadCompleteResponse | None:
    """Tell the service every slice is sent

     Ends the sending. `async: false` with `completed: true` and a non-empty `fileID`: the upload is
    done. `async: true`: the service merges and checks the slices in the background; poll
    `upload_async_result` (no sooner than once a second) for the `fileID` [doc].

    Errors: `20103` file is being verified, retry after 1 s [seen on the drive's v2 complete call];
    `401` refresh and retry; `429` back off; other codes are final for this upload.

    Args:
        platform (CompleteUploadPlatform):  Default: 'open_platform'.
        body (PreuploadRequest): Which upload a call is about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | UploadCompleteResponse
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
    platform: CompleteUploadPlatform = "open_platform",
) -> Response[ErrorResponse | UploadCompleteResponse]:
    """Tell the service every slice is sent

     Ends the sending. `async: false` with `completed: true` and a non-empty `fileID`: the upload is
    done. `async: true`: the service merges and checks the slices in the background; poll
    `upload_async_result` (no sooner than once a second) for the `fileID` [doc].

    Errors: `20103` file is being verified, retry after 1 s [seen on the drive's v2 complete call];
    `401` refresh and retry; `429` back off; other codes are final for this upload.

    Args:
        platform (CompleteUploadPlatform):  Default: 'open_platform'.
        body (PreuploadRequest): Which upload a call is about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | UploadCompleteResponse]
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
    platform: CompleteUploadPlatform = "open_platform",
) -> ErrorResponse | UploadCompleteResponse | None:
    """Tell the service every slice is sent

     Ends the sending. `async: false` with `completed: true` and a non-empty `fileID`: the upload is
    done. `async: true`: the service merges and checks the slices in the background; poll
    `upload_async_result` (no sooner than once a second) for the `fileID` [doc].

    Errors: `20103` file is being verified, retry after 1 s [seen on the drive's v2 complete call];
    `401` refresh and retry; `429` back off; other codes are final for this upload.

    Args:
        platform (CompleteUploadPlatform):  Default: 'open_platform'.
        body (PreuploadRequest): Which upload a call is about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | UploadCompleteResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            platform=platform,
        )
    ).parsed
