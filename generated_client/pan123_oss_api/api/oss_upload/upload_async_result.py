from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.async_result_body import AsyncResultBody
from ...models.empty_reply import EmptyReply
from ...models.upload_async_result_platform import (
    UploadAsyncResultPlatform,
)
from ...models.upload_async_result_reply import UploadAsyncResultReply
from ...types import Response


def _get_kwargs(
    *,
    body: AsyncResultBody,
    platform: UploadAsyncResultPlatform = "open_platform",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Platform"] = str(platform)

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/upload/v1/oss/file/upload_async_result",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EmptyReply | UploadAsyncResultReply | None:
    if response.status_code == 200:
        response_200 = UploadAsyncResultReply.from_dict(response.json())

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
) -> Response[EmptyReply | UploadAsyncResultReply]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: AsyncResultBody,
    platform: UploadAsyncResultPlatform = "open_platform",
) -> Response[EmptyReply | UploadAsyncResultReply]:
    """Poll for the result of an upload

     After `completeUpload` answered `async: true`, the service merges the slices and checks the MD5
    declared at `createUpload` against the bytes [doc: async-result]. Poll this call with the
    `preuploadID`
    until `completed` is `true`; `fileID` is then the file's ID [doc: async-result].

    **While `completed` is `false`, poll again no sooner than 1 second later** [doc: poll-floor]. Expect
    `fileID == ""` meanwhile [guess]. A client should back off further (for example ×1.5 up to about
    5 s) and bound the whole wait with a deadline. No rate limit is published for this call
    [doc: rate-limits]; the "5 QPS" in some tables belongs to the drive's
    `upload/v1/file/upload_async_result`.

    Errors and what to do:
    - `20103` being verified: treat as still pending, poll again after at least 1 s [guess for OSS].
    - `429` too many requests: back off and poll again within the deadline.
    - `401` access token invalid: refresh the token once and retry.
    - any other non-zero code, such as "文件上传失败" after the MD5 check failed [seen: md5-check-failed]:
    terminal for
      this upload, do not retry.
    - HTTP 5xx or a body that is not JSON: transport trouble, retry with bounded backoff.

    Args:
        platform (UploadAsyncResultPlatform):  Default: 'open_platform'.
        body (AsyncResultBody): Which upload to ask about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyReply | UploadAsyncResultReply]
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
    body: AsyncResultBody,
    platform: UploadAsyncResultPlatform = "open_platform",
) -> EmptyReply | UploadAsyncResultReply | None:
    """Poll for the result of an upload

     After `completeUpload` answered `async: true`, the service merges the slices and checks the MD5
    declared at `createUpload` against the bytes [doc: async-result]. Poll this call with the
    `preuploadID`
    until `completed` is `true`; `fileID` is then the file's ID [doc: async-result].

    **While `completed` is `false`, poll again no sooner than 1 second later** [doc: poll-floor]. Expect
    `fileID == ""` meanwhile [guess]. A client should back off further (for example ×1.5 up to about
    5 s) and bound the whole wait with a deadline. No rate limit is published for this call
    [doc: rate-limits]; the "5 QPS" in some tables belongs to the drive's
    `upload/v1/file/upload_async_result`.

    Errors and what to do:
    - `20103` being verified: treat as still pending, poll again after at least 1 s [guess for OSS].
    - `429` too many requests: back off and poll again within the deadline.
    - `401` access token invalid: refresh the token once and retry.
    - any other non-zero code, such as "文件上传失败" after the MD5 check failed [seen: md5-check-failed]:
    terminal for
      this upload, do not retry.
    - HTTP 5xx or a body that is not JSON: transport trouble, retry with bounded backoff.

    Args:
        platform (UploadAsyncResultPlatform):  Default: 'open_platform'.
        body (AsyncResultBody): Which upload to ask about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyReply | UploadAsyncResultReply
    """

    return sync_detailed(
        client=client,
        body=body,
        platform=platform,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: AsyncResultBody,
    platform: UploadAsyncResultPlatform = "open_platform",
) -> Response[EmptyReply | UploadAsyncResultReply]:
    """Poll for the result of an upload

     After `completeUpload` answered `async: true`, the service merges the slices and checks the MD5
    declared at `createUpload` against the bytes [doc: async-result]. Poll this call with the
    `preuploadID`
    until `completed` is `true`; `fileID` is then the file's ID [doc: async-result].

    **While `completed` is `false`, poll again no sooner than 1 second later** [doc: poll-floor]. Expect
    `fileID == ""` meanwhile [guess]. A client should back off further (for example ×1.5 up to about
    5 s) and bound the whole wait with a deadline. No rate limit is published for this call
    [doc: rate-limits]; the "5 QPS" in some tables belongs to the drive's
    `upload/v1/file/upload_async_result`.

    Errors and what to do:
    - `20103` being verified: treat as still pending, poll again after at least 1 s [guess for OSS].
    - `429` too many requests: back off and poll again within the deadline.
    - `401` access token invalid: refresh the token once and retry.
    - any other non-zero code, such as "文件上传失败" after the MD5 check failed [seen: md5-check-failed]:
    terminal for
      this upload, do not retry.
    - HTTP 5xx or a body that is not JSON: transport trouble, retry with bounded backoff.

    Args:
        platform (UploadAsyncResultPlatform):  Default: 'open_platform'.
        body (AsyncResultBody): Which upload to ask about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyReply | UploadAsyncResultReply]
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
    body: AsyncResultBody,
    platform: UploadAsyncResultPlatform = "open_platform",
) -> EmptyReply | UploadAsyncResultReply | None:
    """Poll for the result of an upload

     After `completeUpload` answered `async: true`, the service merges the slices and checks the MD5
    declared at `createUpload` against the bytes [doc: async-result]. Poll this call with the
    `preuploadID`
    until `completed` is `true`; `fileID` is then the file's ID [doc: async-result].

    **While `completed` is `false`, poll again no sooner than 1 second later** [doc: poll-floor]. Expect
    `fileID == ""` meanwhile [guess]. A client should back off further (for example ×1.5 up to about
    5 s) and bound the whole wait with a deadline. No rate limit is published for this call
    [doc: rate-limits]; the "5 QPS" in some tables belongs to the drive's
    `upload/v1/file/upload_async_result`.

    Errors and what to do:
    - `20103` being verified: treat as still pending, poll again after at least 1 s [guess for OSS].
    - `429` too many requests: back off and poll again within the deadline.
    - `401` access token invalid: refresh the token once and retry.
    - any other non-zero code, such as "文件上传失败" after the MD5 check failed [seen: md5-check-failed]:
    terminal for
      this upload, do not retry.
    - HTTP 5xx or a body that is not JSON: transport trouble, retry with bounded backoff.

    Args:
        platform (UploadAsyncResultPlatform):  Default: 'open_platform'.
        body (AsyncResultBody): Which upload to ask about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyReply | UploadAsyncResultReply
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            platform=platform,
        )
    ).parsed
