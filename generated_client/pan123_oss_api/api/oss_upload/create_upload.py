from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_upload_platform import (
    CreateUploadPlatform,
)
from ...models.create_upload_success import CreateUploadSuccess
from ...models.new_upload_body import NewUploadBody
from ...models.z_failure_reply import ZFailureReply
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
) -> CreateUploadSuccess | ZFailureReply | None:
    if response.status_code == 200:

        def _parse_response_200(data: object) -> CreateUploadSuccess | ZFailureReply:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_create_upload_reply_type_0 = (
                    CreateUploadSuccess.from_dict(data)
                )

                return componentsschemas_create_upload_reply_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_create_upload_reply_type_1 = ZFailureReply.from_dict(data)

            return componentsschemas_create_upload_reply_type_1

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
) -> Response[CreateUploadSuccess | ZFailureReply]:
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
) -> Response[CreateUploadSuccess | ZFailureReply]:
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
        Response[CreateUploadSuccess | ZFailureReply | ZFailureReply]
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
) -> CreateUploadSuccess | ZFailureReply | None:
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
        CreateUploadSuccess | ZFailureReply | ZFailureReply
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
) -> Response[CreateUploadSuccess | ZFailureReply]:
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
        Response[CreateUploadSuccess | ZFailureReply | ZFailureReply]
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
) -> CreateUploadSuccess | ZFailureReply | None:
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
        CreateUploadSuccess | ZFailureReply | ZFailureReply
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            platform=platform,
        )
    ).parsed
