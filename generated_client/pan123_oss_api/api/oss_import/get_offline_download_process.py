from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_offline_download_process_platform import (
    GetOfflineDownloadProcessPlatform,
)
from ...models.offline_download_process_success import OfflineDownloadProcessSuccess
from ...models.z_failure_reply import ZFailureReply
from ...types import UNSET, Response


def _get_kwargs(
    *,
    task_id: int,
    platform: GetOfflineDownloadProcessPlatform = "open_platform",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Platform"] = str(platform)

    params: dict[str, Any] = {}

    params["taskID"] = task_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/oss/offline/download/process",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OfflineDownloadProcessSuccess | ZFailureReply | None:
    if response.status_code == 200:

        def _parse_response_200(
            data: object,
        ) -> OfflineDownloadProcessSuccess | ZFailureReply:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_offline_download_process_reply_type_0 = (
                    OfflineDownloadProcessSuccess.from_dict(data)
                )

                return componentsschemas_offline_download_process_reply_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_offline_download_process_reply_type_1 = (
                ZFailureReply.from_dict(data)
            )

            return componentsschemas_offline_download_process_reply_type_1

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
) -> Response[OfflineDownloadProcessSuccess | ZFailureReply]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    task_id: int,
    platform: GetOfflineDownloadProcessPlatform = "open_platform",
) -> Response[OfflineDownloadProcessSuccess | ZFailureReply]:
    """The state of an offline migration task

     `status`: 0 running, 1 failed, 2 done, 3 retrying; `process` is the percentage done, 0 to 100
    [doc: offline-process]. No polling interval is documented; poll no more than once a second [guess].

    Args:
        task_id (int):
        platform (GetOfflineDownloadProcessPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OfflineDownloadProcessSuccess | ZFailureReply | ZFailureReply]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        platform=platform,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    task_id: int,
    platform: GetOfflineDownloadProcessPlatform = "open_platform",
) -> OfflineDownloadProcessSuccess | ZFailureReply | None:
    """The state of an offline migration task

     `status`: 0 running, 1 failed, 2 done, 3 retrying; `process` is the percentage done, 0 to 100
    [doc: offline-process]. No polling interval is documented; poll no more than once a second [guess].

    Args:
        task_id (int):
        platform (GetOfflineDownloadProcessPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OfflineDownloadProcessSuccess | ZFailureReply | ZFailureReply
    """

    return sync_detailed(
        client=client,
        task_id=task_id,
        platform=platform,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    task_id: int,
    platform: GetOfflineDownloadProcessPlatform = "open_platform",
) -> Response[OfflineDownloadProcessSuccess | ZFailureReply]:
    """The state of an offline migration task

     `status`: 0 running, 1 failed, 2 done, 3 retrying; `process` is the percentage done, 0 to 100
    [doc: offline-process]. No polling interval is documented; poll no more than once a second [guess].

    Args:
        task_id (int):
        platform (GetOfflineDownloadProcessPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OfflineDownloadProcessSuccess | ZFailureReply | ZFailureReply]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        platform=platform,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    task_id: int,
    platform: GetOfflineDownloadProcessPlatform = "open_platform",
) -> OfflineDownloadProcessSuccess | ZFailureReply | None:
    """The state of an offline migration task

     `status`: 0 running, 1 failed, 2 done, 3 retrying; `process` is the percentage done, 0 to 100
    [doc: offline-process]. No polling interval is documented; poll no more than once a second [guess].

    Args:
        task_id (int):
        platform (GetOfflineDownloadProcessPlatform):  Default: 'open_platform'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OfflineDownloadProcessSuccess | ZFailureReply | ZFailureReply
    """

    return (
        await asyncio_detailed(
            client=client,
            task_id=task_id,
            platform=platform,
        )
    ).parsed
