from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.drive_copy_body import DriveCopyBody
from ...models.drive_copy_reply import DriveCopyReply
from ...models.empty_reply import EmptyReply
from ...models.start_drive_copy_platform import (
    StartDriveCopyPlatform,
)
from ...types import Response


def _get_kwargs(
    *,
    body: DriveCopyBody,
    platform: StartDriveCopyPlatform = "open_platform",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Platform"] = str(platform)

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/oss/source/copy",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DriveCopyReply | EmptyReply | None:
    if response.status_code == 200:
        response_200 = DriveCopyReply.from_dict(response.json())

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
) -> Response[DriveCopyReply | EmptyReply]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: DriveCopyBody,
    platform: StartDriveCopyPlatform = "open_platform",
) -> Response[DriveCopyReply | EmptyReply]:
    """Start a task that copies images from the cloud drive to the image host

     Copies the images in the given drive files or folders (up to 100 IDs, 1,000 images per task,
    100 MB per image, 15 folder levels, formats png gif jpeg tiff webp jpg tif svg bmp) into the
    image-host folder `toParentFileID` (`""` is the root) [doc: copy]. At most 3 tasks may exist at
    once;
    they run one after another [doc: copy]. An image with the same etag and size in the target folder is
    overwritten [doc: copy]. Follow the task with `getDriveCopyProcess`.

    The table types `sourceType` as a string ("1" = the drive); every request example of the docs
    sends the number `1` [doc: copy]. Both are accepted here; which one the service prefers is not
    documented [guess].

    Args:
        platform (StartDriveCopyPlatform):  Default: 'open_platform'.
        body (DriveCopyBody): What to copy from the drive, and where to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DriveCopyReply | EmptyReply]
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
    body: DriveCopyBody,
    platform: StartDriveCopyPlatform = "open_platform",
) -> DriveCopyReply | EmptyReply | None:
    """Start a task that copies images from the cloud drive to the image host

     Copies the images in the given drive files or folders (up to 100 IDs, 1,000 images per task,
    100 MB per image, 15 folder levels, formats png gif jpeg tiff webp jpg tif svg bmp) into the
    image-host folder `toParentFileID` (`""` is the root) [doc: copy]. At most 3 tasks may exist at
    once;
    they run one after another [doc: copy]. An image with the same etag and size in the target folder is
    overwritten [doc: copy]. Follow the task with `getDriveCopyProcess`.

    The table types `sourceType` as a string ("1" = the drive); every request example of the docs
    sends the number `1` [doc: copy]. Both are accepted here; which one the service prefers is not
    documented [guess].

    Args:
        platform (StartDriveCopyPlatform):  Default: 'open_platform'.
        body (DriveCopyBody): What to copy from the drive, and where to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DriveCopyReply | EmptyReply
    """

    return sync_detailed(
        client=client,
        body=body,
        platform=platform,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: DriveCopyBody,
    platform: StartDriveCopyPlatform = "open_platform",
) -> Response[DriveCopyReply | EmptyReply]:
    """Start a task that copies images from the cloud drive to the image host

     Copies the images in the given drive files or folders (up to 100 IDs, 1,000 images per task,
    100 MB per image, 15 folder levels, formats png gif jpeg tiff webp jpg tif svg bmp) into the
    image-host folder `toParentFileID` (`""` is the root) [doc: copy]. At most 3 tasks may exist at
    once;
    they run one after another [doc: copy]. An image with the same etag and size in the target folder is
    overwritten [doc: copy]. Follow the task with `getDriveCopyProcess`.

    The table types `sourceType` as a string ("1" = the drive); every request example of the docs
    sends the number `1` [doc: copy]. Both are accepted here; which one the service prefers is not
    documented [guess].

    Args:
        platform (StartDriveCopyPlatform):  Default: 'open_platform'.
        body (DriveCopyBody): What to copy from the drive, and where to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DriveCopyReply | EmptyReply]
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
    body: DriveCopyBody,
    platform: StartDriveCopyPlatform = "open_platform",
) -> DriveCopyReply | EmptyReply | None:
    """Start a task that copies images from the cloud drive to the image host

     Copies the images in the given drive files or folders (up to 100 IDs, 1,000 images per task,
    100 MB per image, 15 folder levels, formats png gif jpeg tiff webp jpg tif svg bmp) into the
    image-host folder `toParentFileID` (`""` is the root) [doc: copy]. At most 3 tasks may exist at
    once;
    they run one after another [doc: copy]. An image with the same etag and size in the target folder is
    overwritten [doc: copy]. Follow the task with `getDriveCopyProcess`.

    The table types `sourceType` as a string ("1" = the drive); every request example of the docs
    sends the number `1` [doc: copy]. Both are accepted here; which one the service prefers is not
    documented [guess].

    Args:
        platform (StartDriveCopyPlatform):  Default: 'open_platform'.
        body (DriveCopyBody): What to copy from the drive, and where to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DriveCopyReply | EmptyReply
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            platform=platform,
        )
    ).parsed
