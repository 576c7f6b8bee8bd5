from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.upload_async_result_platform import (
    UploadAsyncResultPlatform,
)
from ...models.upload_async_result_request import UploadAsyncResultRequest
from ...models.upload_async_result_response import UploadAsyncResultResponse
from ...types import Response


def _get_kwargs(
    *,
    body: UploadAsyncResultRequest,
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
) -> ErrorResponse | UploadAsyncResultResponse | None:
    if response.status_code == 200:
        response_200 = UploadAsyncResultResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | UploadAsyncResultResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: UploadAsyncResultRequest,
    platform: UploadAsyncResultPlatform = "open_platform",
) -> Response[ErrorResponse | UploadAsyncResultResponse]:
    """Poll for the result of an upload

     After `upload_complete` answered `async: true`, the server merges the slices and checks the
    MD5 declared at `create` against the uploaded bytes. Poll this call with the `preuploadID`
    until `completed` is `true`; `fileID` is then the uploaded file's ID.

    **While `completed` is `false`, poll again no sooner than 1 second later** [doc]; expect
    `fileID == ""` meanwhile [seen]. A client should back off further (for example ×1.5 up to about
    5 s) and bound the whole wait with a deadline. The published limit for this call is 5 QPS per
    user [doc, third-party table].

    Errors and what to do:
    - `20103` file is being verified: still pending, poll again after at least 1 s [guess for OSS].
    - `429` too many requests: back off and poll again within the deadline.
    - `401` access token invalid or expired: refresh the token once and retry.
    - any other non-zero code (for example `1`, `5066`, `5113`, or an MD5 mismatch found during the
      check [seen]): terminal for this upload, do not retry.
    - HTTP 5xx or a body that is not JSON: transport trouble, retry with bounded backoff.

    Args:
        platform (UploadAsyncResultPlatform):  Default: 'open_platform'.
        body (UploadAsyncResultRequest): Which upload to ask about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | UploadAsyncResultResponse]
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
    body: UploadAsyncResultRequest,
    platform: UploadAsyncResultPlatform = "open_platform",
) -> ErrorResponse | UploadAsyncResultResponse | None:
    """Poll for the result of an upload

     After `upload_complete` answered `async: true`, the server merges the slices and checks the
    MD5 declared at `create` against the uploaded bytes. Poll this call with the `preuploadID`
    until `completed` is `true`; `fileID` is then the uploaded file's ID.

    **While `completed` is `false`, poll again no sooner than 1 second later** [doc]; expect
    `fileID == ""` meanwhile [seen]. A client should back off further (for example ×1.5 up to about
    5 s) and bound the whole wait with a deadline. The published limit for this call is 5 QPS per
    user [doc, third-party table].

    Errors and what to do:
    - `20103` file is being verified: still pending, poll again after at least 1 s [guess for OSS].
    - `429` too many requests: back off and poll again within the deadline.
    - `401` access token invalid or expired: refresh the token once and retry.
    - any other non-zero code (for example `1`, `5066`, `5113`, or an MD5 mismatch found during the
      check [seen]): terminal for this upload, do not retry.
    - HTTP 5xx or a body that is not JSON: transport trouble, retry with bounded backoff.

    Args:
        platform (UploadAsyncResultPlatform):  Default: 'open_platform'.
        body (UploadAsyncResultRequest): Which upload to ask about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | UploadAsyncResultResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        platform=platform,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: UploadAsyncResultRequest,
    platform: UploadAsyncResultPlatform = "open_platform",
) -> Response[ErrorResponse | UploadAsyncResultResponse]:
    """Poll for the result of an upload

     After `upload_complete` answered `async: true`, the server merges the slices and checks the
    MD5 declared at `create` against the uploaded bytes. Poll this call with the `preuploadID`
    until `completed` is `true`; `fileID` is then the uploaded file's ID.

    **While `completed` is `false`, poll again no sooner than 1 second later** [doc]; expect
    `fileID == ""` meanwhile [seen]. A client should back off further (for example ×1.5 up to about
    5 s) and bound the whole wait with a deadline. The published limit for this call is 5 QPS per
    user [doc, third-party table].

    Errors and what to do:
    - `20103` file is being verified: still pending, poll again after at least 1 s [guess for OSS].
    - `429` too many requests: back off and poll again within the deadline.
    - `401` access token invalid or expired: refresh the token once and retry.
    - any other non-zero code (for example `1`, `5066`, `5113`, or an MD5 mismatch found during the
      check [seen]): terminal for this upload, do not retry.
    - HTTP 5xx or a body that is not JSON: transport trouble, retry with bounded backoff.

    Args:
        platform (UploadAsyncResultPlatform):  Default: 'open_platform'.
        body (UploadAsyncResultRequest): Which upload to ask about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | UploadAsyncResultResponse]
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
    body: UploadAsyncResultRequest,
    platform: UploadAsyncResultPlatform = "open_platform",
) -> ErrorResponse | UploadAsyncResultResponse | None:
    """Poll for the result of an upload

     After `upload_complete` answered `async: true`, the server merges the slices and checks the
    MD5 declared at `create` against the uploaded bytes. Poll this call with the `preuploadID`
    until `completed` is `true`; `fileID` is then the uploaded file's ID.

    **While `completed` is `false`, poll again no sooner than 1 second later** [doc]; expect
    `fileID == ""` meanwhile [seen]. A client should back off further (for example ×1.5 up to about
    5 s) and bound the whole wait with a deadline. The published limit for this call is 5 QPS per
    user [doc, third-party table].

    Errors and what to do:
    - `20103` file is being verified: still pending, poll again after at least 1 s [guess for OSS].
    - `429` too many requests: back off and poll again within the deadline.
    - `401` access token invalid or expired: refresh the token once and retry.
    - any other non-zero code (for example `1`, `5066`, `5113`, or an MD5 mismatch found during the
      check [seen]): terminal for this upload, do not retry.
    - HTTP 5xx or a body that is not JSON: transport trouble, retry with bounded backoff.

    Args:
        platform (UploadAsyncResultPlatform):  Default: 'open_platform'.
        body (UploadAsyncResultRequest): Which upload to ask about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | UploadAsyncResultResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            platform=platform,
        )
    ).parsed
