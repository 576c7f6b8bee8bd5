from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.empty_reply import EmptyReply
from ...models.list_upload_parts_platform import (
    ListUploadPartsPlatform,
)
from ...models.preupload_body import PreuploadBody
from ...models.upload_parts_reply import UploadPartsReply
from ...types import Response


def _get_kwargs(
    *,
    body: PreuploadBody,
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
) -> EmptyReply | UploadPartsReply | None:
    if response.status_code == 200:
        response_200 = UploadPartsReply.from_dict(response.json())

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
) -> Response[EmptyReply | UploadPartsReply]:
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
    platform: ListUploadPartsPlatform = "open_platform",
) -> Response[EmptyReply | UploadPartsReply]:
    """List the slices the service holds for an upload

     The OSS docs recommend comparing the stored slices' MD5s with the local ones before completing,
    and say the list is empty for a file smaller than one slice [doc: upload-flow], but give this call
    no page: the
    path and shape come from other clients and the drive's own page [guess]. That page's example gives
    `partNumber` as a string, so accept a number or a string of digits [guess, from the drive's page].

    Args:
        platform (ListUploadPartsPlatform):  Default: 'open_platform'.
        body (PreuploadBody): Which upload a call is about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyReply | UploadPartsReply]
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
    platform: ListUploadPartsPlatform = "open_platform",
) -> EmptyReply | UploadPartsReply | None:
    """List the slices the service holds for an upload

     The OSS docs recommend comparing the stored slices' MD5s with the local ones before completing,
    and say the list is empty for a file smaller than one slice [doc: upload-flow], but give this call
    no page: the
    path and shape come from other clients and the drive's own page [guess]. That page's example gives
    `partNumber` as a string, so accept a number or a string of digits [guess, from the drive's page].

    Args:
        platform (ListUploadPartsPlatform):  Default: 'open_platform'.
        body (PreuploadBody): Which upload a call is about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyReply | UploadPartsReply
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
    platform: ListUploadPartsPlatform = "open_platform",
) -> Response[EmptyReply | UploadPartsReply]:
    """List the slices the service holds for an upload

     The OSS docs recommend comparing the stored slices' MD5s with the local ones before completing,
    and say the list is empty for a file smaller than one slice [doc: upload-flow], but give this call
    no page: the
    path and shape come from other clients and the drive's own page [guess]. That page's example gives
    `partNumber` as a string, so accept a number or a string of digits [guess, from the drive's page].

    Args:
        platform (ListUploadPartsPlatform):  Default: 'open_platform'.
        body (PreuploadBody): Which upload a call is about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyReply | UploadPartsReply]
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
    platform: ListUploadPartsPlatform = "open_platform",
) -> EmptyReply | UploadPartsReply | None:
    """List the slices the service holds for an upload

     The OSS docs recommend comparing the stored slices' MD5s with the local ones before completing,
    and say the list is empty for a file smaller than one slice [doc: upload-flow], but give this call
    no page: the
    path and shape come from other clients and the drive's own page [guess]. That page's example gives
    `partNumber` as a string, so accept a number or a string of digits [guess, from the drive's page].

    Args:
        platform (ListUploadPartsPlatform):  Default: 'open_platform'.
        body (PreuploadBody): Which upload a call is about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyReply | UploadPartsReply
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            platform=platform,
        )
    ).parsed
