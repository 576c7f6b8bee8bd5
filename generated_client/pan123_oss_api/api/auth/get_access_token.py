from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.access_token_body import AccessTokenBody
from ...models.access_token_reply import AccessTokenReply
from ...models.empty_reply import EmptyReply
from ...models.get_access_token_platform import (
    GetAccessTokenPlatform,
)
from ...types import Response


def _get_kwargs(
    *,
    body: AccessTokenBody,
    platform: GetAccessTokenPlatform = "open_platform",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Platform"] = str(platform)

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/access_token",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AccessTokenReply | EmptyReply | None:
    if response.status_code == 200:
        response_200 = AccessTokenReply.from_dict(response.json())

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
) -> Response[AccessTokenReply | EmptyReply]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AccessTokenBody,
    platform: GetAccessTokenPlatform = "open_platform",
) -> Response[AccessTokenReply | EmptyReply]:
    """Get an access token from a client ID and secret

     Exchanges the application's `clientID` and `clientSecret` for an access token; its expiry is
    `expiredAt` [doc: token]. Keep the token and reuse it until shortly before it expires [doc: token].

    **Few tokens per clientID may be live at once**: the service answers "tokens number has exceeded
    the limit" when there are too many [doc: token], and other clients put the limit at 3 [guess]. Cache
    and
    share one token (per process, ideally across processes), never fetch one per upload and never fetch
    two at once. The guide limits this call to 1 QPS [doc: rate-limits].

    This call takes no `Authorization` header, but still needs `Platform: open_platform` [doc: token].

    Errors: `401` bad credentials (not retryable without new credentials); `429` too many requests
    (retry later with backoff); HTTP 5xx and non-JSON bodies are transport trouble.

    Args:
        platform (GetAccessTokenPlatform):  Default: 'open_platform'.
        body (AccessTokenBody): Application credentials from the 123pan developer console.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccessTokenReply | EmptyReply]
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
    client: AuthenticatedClient | Client,
    body: AccessTokenBody,
    platform: GetAccessTokenPlatform = "open_platform",
) -> AccessTokenReply | EmptyReply | None:
    """Get an access token from a client ID and secret

     Exchanges the application's `clientID` and `clientSecret` for an access token; its expiry is
    `expiredAt` [doc: token]. Keep the token and reuse it until shortly before it expires [doc: token].

    **Few tokens per clientID may be live at once**: the service answers "tokens number has exceeded
    the limit" when there are too many [doc: token], and other clients put the limit at 3 [guess]. Cache
    and
    share one token (per process, ideally across processes), never fetch one per upload and never fetch
    two at once. The guide limits this call to 1 QPS [doc: rate-limits].

    This call takes no `Authorization` header, but still needs `Platform: open_platform` [doc: token].

    Errors: `401` bad credentials (not retryable without new credentials); `429` too many requests
    (retry later with backoff); HTTP 5xx and non-JSON bodies are transport trouble.

    Args:
        platform (GetAccessTokenPlatform):  Default: 'open_platform'.
        body (AccessTokenBody): Application credentials from the 123pan developer console.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccessTokenReply | EmptyReply
    """

    return sync_detailed(
        client=client,
        body=body,
        platform=platform,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AccessTokenBody,
    platform: GetAccessTokenPlatform = "open_platform",
) -> Response[AccessTokenReply | EmptyReply]:
    """Get an access token from a client ID and secret

     Exchanges the application's `clientID` and `clientSecret` for an access token; its expiry is
    `expiredAt` [doc: token]. Keep the token and reuse it until shortly before it expires [doc: token].

    **Few tokens per clientID may be live at once**: the service answers "tokens number has exceeded
    the limit" when there are too many [doc: token], and other clients put the limit at 3 [guess]. Cache
    and
    share one token (per process, ideally across processes), never fetch one per upload and never fetch
    two at once. The guide limits this call to 1 QPS [doc: rate-limits].

    This call takes no `Authorization` header, but still needs `Platform: open_platform` [doc: token].

    Errors: `401` bad credentials (not retryable without new credentials); `429` too many requests
    (retry later with backoff); HTTP 5xx and non-JSON bodies are transport trouble.

    Args:
        platform (GetAccessTokenPlatform):  Default: 'open_platform'.
        body (AccessTokenBody): Application credentials from the 123pan developer console.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccessTokenReply | EmptyReply]
    """

    kwargs = _get_kwargs(
        body=body,
        platform=platform,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: AccessTokenBody,
    platform: GetAccessTokenPlatform = "open_platform",
) -> AccessTokenReply | EmptyReply | None:
    """Get an access token from a client ID and secret

     Exchanges the application's `clientID` and `clientSecret` for an access token; its expiry is
    `expiredAt` [doc: token]. Keep the token and reuse it until shortly before it expires [doc: token].

    **Few tokens per clientID may be live at once**: the service answers "tokens number has exceeded
    the limit" when there are too many [doc: token], and other clients put the limit at 3 [guess]. Cache
    and
    share one token (per process, ideally across processes), never fetch one per upload and never fetch
    two at once. The guide limits this call to 1 QPS [doc: rate-limits].

    This call takes no `Authorization` header, but still needs `Platform: open_platform` [doc: token].

    Errors: `401` bad credentials (not retryable without new credentials); `429` too many requests
    (retry later with backoff); HTTP 5xx and non-JSON bodies are transport trouble.

    Args:
        platform (GetAccessTokenPlatform):  Default: 'open_platform'.
        body (AccessTokenBody): Application credentials from the 123pan developer console.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccessTokenReply | EmptyReply
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            platform=platform,
        )
    ).parsed
