from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.complete_upload_platform import (
    CompleteUploadPlatform,
)
from ...models.empty_reply import EmptyReply
from ...models.preupload_body import PreuploadBody
from ...models.upload_complete_reply import UploadCompleteReply
from ...types import Response


def _get_kwargs(
    *,
    body: PreuploadBody,
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
) -> EmptyReply | UploadCompleteReply | None:
    if response.status_code == 200:
        response_200 = UploadCompleteReply.from_dict(response.json())

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
) -> Response[EmptyReply | UploadCompleteReply]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: PreuploadBody,
    platform: CompleteUploadPlatform = "open_platform",
) -> Response[EmptyReply | UploadCompleteReply]:
    """Tell the service every slice is sent

     Ends the sending [doc: complete]. `async: false` with a `fileID`: the upload is done. `async: true`:
    the
    service merges and checks the slices in the background; poll `uploadAsyncResult` no sooner than
    once a second for the `fileID` [doc: complete]. `fileID` is optional and is the file's ID only once
    `completed` is true [doc: complete].

    Errors: `20103` "文件正在校验中,请间隔1秒后再试" was seen on the drive's v2 complete call [seen: drive-20103]:
    treat it as "ask again after 1 s" [guess]; `401` refresh and retry; `429` back off; other codes
    are final for this upload.

    Args:
        platform (CompleteUploadPlatform):  Default: 'open_platform'.
        body (PreuploadBody): Which upload a call is about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyReply | UploadCompleteReply]
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
    body: PreuploadBody,
    platform: CompleteUploadPlatform = "open_platform",
) -> EmptyReply | UploadCompleteReply | None:
    """Tell the service every slice is sent

     Ends the sending [doc: complete]. `async: false` with a `fileID`: the upload is done. `async: true`:
    the
    service merges and checks the slices in the background; poll `uploadAsyncResult` no sooner than
    once a second for the `fileID` [doc: complete]. `fileID` is optional and is the file's ID only once
    `completed` is true [doc: complete].

    Errors: `20103` "文件正在校验中,请间隔1秒后再试" was seen on the drive's v2 complete call [seen: drive-20103]:
    treat it as "ask again after 1 s" [guess]; `401` refresh and retry; `429` back off; other codes
    are final for this upload.

    Args:
        platform (CompleteUploadPlatform):  Default: 'open_platform'.
        body (PreuploadBody): Which upload a call is about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyReply | UploadCompleteReply
    """

    return sync_detailed(
        client=client,
        body=body,
        platform=platform,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: PreuploadBody,
    platform: CompleteUploadPlatform = "open_platform",
) -> Response[EmptyReply | UploadCompleteReply]:
    """Tell the service every slice is sent

     Ends the sending [doc: complete]. `async: false` with a `fileID`: the upload is done. `async: true`:
    the
    service merges and checks the slices in the background; poll `uploadAsyncResult` no sooner than
    once a second for the `fileID` [doc: complete]. `fileID` is optional and is the file's ID only once
    `completed` is true [doc: complete].

    Errors: `20103` "文件正在校验中,请间隔1秒后再试" was seen on the drive's v2 complete call [seen: drive-20103]:
    treat it as "ask again after 1 s" [guess]; `401` refresh and retry; `429` back off; other codes
    are final for this upload.

    Args:
        platform (CompleteUploadPlatform):  Default: 'open_platform'.
        body (PreuploadBody): Which upload a call is about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyReply | UploadCompleteReply]
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
    body: PreuploadBody,
    platform: CompleteUploadPlatform = "open_platform",
) -> EmptyReply | UploadCompleteReply | None:
    """Tell the service every slice is sent

     Ends the sending [doc: complete]. `async: false` with a `fileID`: the upload is done. `async: true`:
    the
    service merges and checks the slices in the background; poll `uploadAsyncResult` no sooner than
    once a second for the `fileID` [doc: complete]. `fileID` is optional and is the file's ID only once
    `completed` is true [doc: complete].

    Errors: `20103` "文件正在校验中,请间隔1秒后再试" was seen on the drive's v2 complete call [seen: drive-20103]:
    treat it as "ask again after 1 s" [guess]; `401` refresh and retry; `429` back off; other codes
    are final for this upload.

    Args:
        platform (CompleteUploadPlatform):  Default: 'open_platform'.
        body (PreuploadBody): Which upload a call is about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyReply | UploadCompleteReply
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            platform=platform,
        )
    ).parsed
