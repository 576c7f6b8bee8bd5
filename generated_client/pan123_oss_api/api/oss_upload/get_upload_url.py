from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.empty_reply import EmptyReply
from ...models.get_upload_url_platform import (
    GetUploadUrlPlatform,
)
from ...models.upload_url_body import UploadUrlBody
from ...models.upload_url_reply import UploadUrlReply
from ...types import Response


def _get_kwargs(
    *,
    body: UploadUrlBody,
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
) -> EmptyReply | UploadUrlReply | None:
    if response.status_code == 200:
        response_200 = UploadUrlReply.from_dict(response.json())

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
) -> Response[EmptyReply | UploadUrlReply]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: UploadUrlBody,
    platform: GetUploadUrlPlatform = "open_platform",
) -> Response[EmptyReply | UploadUrlReply]:
    """Get the presigned URL for one slice

     Returns a presigned URL for slice `sliceNo` (counted from 1) [doc: upload-url]. Then send the slice:

    - `PUT <presignedURL>` exactly as returned [doc: upload-url] (it carries its own signature in the
      query [guess]);
    - headers: `Content-Type: application/octet-stream` in the docs' examples [doc: upload-url] and a
      `Content-Length`; **no** `Authorization` and **no** `Platform` header [doc: upload-url];
    - body: the slice's raw bytes, `sliceSize` bytes for every slice but the last [doc: upload-flow];
    - reply: HTTP 200 with an empty body means the slice is stored [doc: upload-url]; any other status
    is a
      failed slice.

    URLs expire: fetch each just before its `PUT`, and a fresh one to retry a failed `PUT` [guess].

    Args:
        platform (GetUploadUrlPlatform):  Default: 'open_platform'.
        body (UploadUrlBody): Which slice of which upload.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyReply | UploadUrlReply]
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
    body: UploadUrlBody,
    platform: GetUploadUrlPlatform = "open_platform",
) -> EmptyReply | UploadUrlReply | None:
    """Get the presigned URL for one slice

     Returns a presigned URL for slice `sliceNo` (counted from 1) [doc: upload-url]. Then send the slice:

    - `PUT <presignedURL>` exactly as returned [doc: upload-url] (it carries its own signature in the
      query [guess]);
    - headers: `Content-Type: application/octet-stream` in the docs' examples [doc: upload-url] and a
      `Content-Length`; **no** `Authorization` and **no** `Platform` header [doc: upload-url];
    - body: the slice's raw bytes, `sliceSize` bytes for every slice but the last [doc: upload-flow];
    - reply: HTTP 200 with an empty body means the slice is stored [doc: upload-url]; any other status
    is a
      failed slice.

    URLs expire: fetch each just before its `PUT`, and a fresh one to retry a failed `PUT` [guess].

    Args:
        platform (GetUploadUrlPlatform):  Default: 'open_platform'.
        body (UploadUrlBody): Which slice of which upload.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyReply | UploadUrlReply
    """

    return sync_detailed(
        client=client,
        body=body,
        platform=platform,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: UploadUrlBody,
    platform: GetUploadUrlPlatform = "open_platform",
) -> Response[EmptyReply | UploadUrlReply]:
    """Get the presigned URL for one slice

     Returns a presigned URL for slice `sliceNo` (counted from 1) [doc: upload-url]. Then send the slice:

    - `PUT <presignedURL>` exactly as returned [doc: upload-url] (it carries its own signature in the
      query [guess]);
    - headers: `Content-Type: application/octet-stream` in the docs' examples [doc: upload-url] and a
      `Content-Length`; **no** `Authorization` and **no** `Platform` header [doc: upload-url];
    - body: the slice's raw bytes, `sliceSize` bytes for every slice but the last [doc: upload-flow];
    - reply: HTTP 200 with an empty body means the slice is stored [doc: upload-url]; any other status
    is a
      failed slice.

    URLs expire: fetch each just before its `PUT`, and a fresh one to retry a failed `PUT` [guess].

    Args:
        platform (GetUploadUrlPlatform):  Default: 'open_platform'.
        body (UploadUrlBody): Which slice of which upload.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyReply | UploadUrlReply]
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
    body: UploadUrlBody,
    platform: GetUploadUrlPlatform = "open_platform",
) -> EmptyReply | UploadUrlReply | None:
    """Get the presigned URL for one slice

     Returns a presigned URL for slice `sliceNo` (counted from 1) [doc: upload-url]. Then send the slice:

    - `PUT <presignedURL>` exactly as returned [doc: upload-url] (it carries its own signature in the
      query [guess]);
    - headers: `Content-Type: application/octet-stream` in the docs' examples [doc: upload-url] and a
      `Content-Length`; **no** `Authorization` and **no** `Platform` header [doc: upload-url];
    - body: the slice's raw bytes, `sliceSize` bytes for every slice but the last [doc: upload-flow];
    - reply: HTTP 200 with an empty body means the slice is stored [doc: upload-url]; any other status
    is a
      failed slice.

    URLs expire: fetch each just before its `PUT`, and a fresh one to retry a failed `PUT` [guess].

    Args:
        platform (GetUploadUrlPlatform):  Default: 'open_platform'.
        body (UploadUrlBody): Which slice of which upload.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyReply | UploadUrlReply
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            platform=platform,
        )
    ).parsed
