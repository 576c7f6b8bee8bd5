from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_upload_platform import (
    CreateUploadPlatform,
)
from ...models.create_upload_reply import CreateUploadReply
from ...models.empty_reply import EmptyReply
from ...models.new_upload_body import NewUploadBody
from ...types import Response


def _get_kwargs(
    *,
    body: NewUploadBody,
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
) -> CreateUploadReply | EmptyReply | None:
    if response.status_code == 200:
        response_200 = CreateUploadReply.from_dict(response.json())

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
) -> Response[CreateUploadReply | EmptyReply]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: NewUploadBody,
    platform: CreateUploadPlatform = "open_platform",
) -> Response[CreateUploadReply | EmptyReply]:
    """Start an upload (or finish it at once if the service already has the bytes)

     Declares a file by name, size and MD5 [doc: create]. If the service already holds those bytes it
    answers `reuse: true` with the file's `fileID` (instant upload, 秒传), and `preuploadID` is absent
    [doc: create]; one client saw `preuploadID: ""` instead [seen: create-instant-empty-fields], and
    `sliceSize` absent [seen: create-instant-no-slicesize]. Otherwise it answers a `preuploadID` and the
    `sliceSize` to cut the file into [doc: create], both required then; keep the `preuploadID`:
    every later call of the upload needs it.

    Errors: `401` refresh the token once and retry; `429` back off and retry; other codes are final.

    Args:
        platform (CreateUploadPlatform):  Default: 'open_platform'.
        body (NewUploadBody): The file to upload.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateUploadReply | EmptyReply]
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
    body: NewUploadBody,
    platform: CreateUploadPlatform = "open_platform",
) -> CreateUploadReply | EmptyReply | None:
    """Start an upload (or finish it at once if the service already has the bytes)

     Declares a file by name, size and MD5 [doc: create]. If the service already holds those bytes it
    answers `reuse: true` with the file's `fileID` (instant upload, 秒传), and `preuploadID` is absent
    [doc: create]; one client saw `preuploadID: ""` instead [seen: create-instant-empty-fields], and
    `sliceSize` absent [seen: create-instant-no-slicesize]. Otherwise it answers a `preuploadID` and the
    `sliceSize` to cut the file into [doc: create], both required then; keep the `preuploadID`:
    every later call of the upload needs it.

    Errors: `401` refresh the token once and retry; `429` back off and retry; other codes are final.

    Args:
        platform (CreateUploadPlatform):  Default: 'open_platform'.
        body (NewUploadBody): The file to upload.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateUploadReply | EmptyReply
    """

    return sync_detailed(
        client=client,
        body=body,
        platform=platform,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: NewUploadBody,
    platform: CreateUploadPlatform = "open_platform",
) -> Response[CreateUploadReply | EmptyReply]:
    """Start an upload (or finish it at once if the service already has the bytes)

     Declares a file by name, size and MD5 [doc: create]. If the service already holds those bytes it
    answers `reuse: true` with the file's `fileID` (instant upload, 秒传), and `preuploadID` is absent
    [doc: create]; one client saw `preuploadID: ""` instead [seen: create-instant-empty-fields], and
    `sliceSize` absent [seen: create-instant-no-slicesize]. Otherwise it answers a `preuploadID` and the
    `sliceSize` to cut the file into [doc: create], both required then; keep the `preuploadID`:
    every later call of the upload needs it.

    Errors: `401` refresh the token once and retry; `429` back off and retry; other codes are final.

    Args:
        platform (CreateUploadPlatform):  Default: 'open_platform'.
        body (NewUploadBody): The file to upload.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateUploadReply | EmptyReply]
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
    body: NewUploadBody,
    platform: CreateUploadPlatform = "open_platform",
) -> CreateUploadReply | EmptyReply | None:
    """Start an upload (or finish it at once if the service already has the bytes)

     Declares a file by name, size and MD5 [doc: create]. If the service already holds those bytes it
    answers `reuse: true` with the file's `fileID` (instant upload, 秒传), and `preuploadID` is absent
    [doc: create]; one client saw `preuploadID: ""` instead [seen: create-instant-empty-fields], and
    `sliceSize` absent [seen: create-instant-no-slicesize]. Otherwise it answers a `preuploadID` and the
    `sliceSize` to cut the file into [doc: create], both required then; keep the `preuploadID`:
    every later call of the upload needs it.

    Errors: `401` refresh the token once and retry; `429` back off and retry; other codes are final.

    Args:
        platform (CreateUploadPlatform):  Default: 'open_platform'.
        body (NewUploadBody): The file to upload.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateUploadReply | EmptyReply
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            platform=platform,
        )
    ).parsed
